"""Benchmarks: ``python -m benchmarks.<name>`` prints a table against the anchors and writes JSON."""
