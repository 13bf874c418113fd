"""Briefing server: gRPC edge (edge/), transport-free pipeline (pipeline/), models and NLP (components/)."""

__version__ = "0.1.0"
