"""Benchmarks of the forum: `python -m bench.run [NAME] [--smoke]`; each writes bench/results/NAME.json."""
