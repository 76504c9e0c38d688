"""Benchmarks of the integration's buses: `scripts/benchmark <name>`."""
