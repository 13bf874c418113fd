"""Batch briefings on Ray: `briefing build --engine ray` summarizes the articles on a pool of Ray actors, each
loading the pipeline once, in process, then builds the briefing on the driver as the gRPC engine does.

Ray is optional (the server distribution's `ray` extra); nothing here imports it until a cluster is opened.
The client finds this engine through the `briefing.engines` entry point (briefing_client/engines.py).
"""

from briefing_service.ray_engine.actor import ActorConfig, PipelineActor
from briefing_service.ray_engine.cluster import Cluster, ray_cluster
from briefing_service.ray_engine.engine import RayEngine, engine_on, open_engine
from briefing_service.ray_engine.pool import ActorPool, Outcome

__all__ = [
    "ActorConfig",
    "ActorPool",
    "Cluster",
    "Outcome",
    "PipelineActor",
    "RayEngine",
    "engine_on",
    "open_engine",
    "ray_cluster",
]
