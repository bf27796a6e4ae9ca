"""Benchmarks: ``python -m bench.http_ratio`` and ``python -m bench.import_throughput`` (see bench/README.md)."""
