"""fanout_2000: a reply reaches 2,000 Socket.IO readers of its thread on one process (bench/fanout.py)."""

from bench.fanout import run_one, summary

NAME = "fanout_2000"


def run(smoke=False):
    """Fan out to 2,000 readers (a handful in a smoke run)."""
    return run_one(NAME, 2000, smoke)


__all__ = ["run", "summary"]
