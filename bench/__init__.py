"""Benchmarks run on demand (not part of the test suite): page weight, and the live path."""
