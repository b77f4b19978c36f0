"""Benchmarks: each prints its figures and, last, `ratio: X` against a baseline measured
in the same process on the same database. See docs/performance.md."""
