"""Synthetic organisations for tests and benchmarks (``clausegraph synth``)."""
