"""Benchmarks (`python -m bench`): each `bench_*.py` reports ratios against a baseline measured in
the same run."""
