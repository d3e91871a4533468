"""fanout_1000: a reply reaches 1,000 Socket.IO readers of its thread on one process (bench/fanout.py)."""

from bench.fanout import run_one, summary

NAME = "fanout_1000"


def run(smoke=False):
    """Fan out to 1,000 readers (a handful in a smoke run)."""
    return run_one(NAME, 1000, smoke)


__all__ = ["run", "summary"]
