"""`python -m bench.run [NAME ...] [--smoke]`: run benchmarks, write results/NAME.json, print a line each."""

import argparse
import importlib
import sys
import traceback
from pathlib import Path

from bench.common import RESULTS, write_result

BENCHMARKS = {
    "thread_page": "bench.thread_page",
    "search": "bench.search",
    "dashboard": "bench.dashboard",
    "vote_storm": "bench.vote_storm",
    "fanout_1000": "bench.fanout_1000",
    "fanout_2000": "bench.fanout_2000",
    "fanout_2proc_4000": "bench.fanout_2proc_4000",
    "idle_capacity": "bench.idle_capacity",
    "ip_country": "bench.ip_country",
}


def parse(argv):
    """Command-line options."""
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument(
        "names", nargs="*", metavar="NAME", help=f"one of {', '.join(BENCHMARKS)}; all when none"
    )
    parser.add_argument("--smoke", action="store_true", help="a few clients, a few seconds, a small data set")
    parser.add_argument("--results-dir", type=Path, help="where NAME.json goes (default bench/results)")
    args = parser.parse_args(argv)
    unknown = [name for name in args.names if name not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
    return args


def main(argv=None):
    """Run the chosen benchmarks one after the other; non-zero exit when one of them broke."""
    args = parse(argv)
    # Smoke figures mean nothing: keep them away from the real ones unless told where to put them.
    results_dir = args.results_dir or (RESULTS / "smoke" if args.smoke else RESULTS)
    failed = []
    for name in args.names or list(BENCHMARKS):
        module = importlib.import_module(BENCHMARKS[name])
        print(f"{name}: running{' (smoke)' if args.smoke else ''}...", flush=True)
        try:
            result = module.run(smoke=args.smoke)
        except Exception:
            traceback.print_exc()
            failed.append(name)
            continue
        path = write_result(result, results_dir)
        print(module.summary(result), flush=True)
        print(f"  -> {path}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
