"""Benchmarks: `python -m bench [--quick] [--only NAME]` prints figures and ratios against a
reference measured in the same run (see bench/__main__.py for the list)."""
