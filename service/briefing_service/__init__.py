"""Briefing server: gRPC edge (edge/), transport-free pipeline (pipeline/) and stage packages (text/, parsing/, models/, keypoints/, headline/, entities/)."""

__version__ = "0.1.0"
