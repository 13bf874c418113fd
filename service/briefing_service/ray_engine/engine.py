"""The `ray` engine of `briefing build`: the articles summarized by a pool of Ray actors, each with the
pipeline loaded in its own process (no gRPC), on the cluster at --ray-address or $RAY_ADDRESS, or on a local
one started for the job. The build command then assembles the briefing from the responses on the driver,
exactly as it does for the `grpc` engine."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import Any

import grpc
from briefing.v1 import briefing_pb2 as pb
from briefing_client.engines import EngineOptions, Result
from google.rpc import status_pb2

from briefing_service.ray_engine.actor import ActorConfig
from briefing_service.ray_engine.cluster import Cluster, ray_cluster
from briefing_service.ray_engine.pool import ACTOR_CPUS, ActorPool


class RayEngine:
    def __init__(self, cluster: Cluster, pool: ActorPool, chunk: int) -> None:
        self.cluster = cluster
        self.pool = pool
        self.chunk = chunk

    def summarize(self, articles: Sequence[pb.Article]) -> Iterator[Result]:
        payloads = [a.SerializeToString() for a in articles]
        for outcome in self.pool.run(payloads, self.chunk):
            article = articles[outcome.index]
            if outcome.response is not None:
                yield article, pb.SummarizeResponse.FromString(outcome.response)
            else:
                status = status_pb2.Status(
                    code=grpc.StatusCode[outcome.code].value[0], message=outcome.message
                )
                yield article, pb.SummarizeResponse(article_id=article.id, status=status)

    def run_info(self) -> dict[str, Any]:
        stats = self.pool.stats
        return {
            "engine": "ray",
            "address": self.cluster.address,
            "local": self.cluster.local,
            "ray_version": self.cluster.ray.__version__,
            "actors": stats.actors,
            "hosts": sorted({str(r["host"]) for r in stats.ready.values()}),
            "actor_failures": stats.actor_failures,
            "resent": stats.resent,
        }

    def actor_processes(self) -> list[tuple[str, int]]:
        """(host, pid) of each actor that has loaded its models."""
        return [(str(r["host"]), int(r["pid"])) for _, r in sorted(self.pool.stats.ready.items())]


def pool_size(options: EngineOptions, cluster: Cluster) -> int:
    return options.workers or max(1, int(cluster.cpus // ACTOR_CPUS))


@contextlib.contextmanager
def engine_on(cluster: Cluster, options: EngineOptions) -> Iterator[RayEngine]:
    """A pool of actors on a cluster already connected; the actors are stopped on exit."""
    config = ActorConfig(summarizer_model=options.summarizer_model, torch_threads=ACTOR_CPUS)
    pool = ActorPool(
        cluster.ray, pool_size(options, cluster), config, startup_timeout=options.startup_timeout
    )
    try:
        pool.wait_until_ready()
        yield RayEngine(cluster, pool, options.chunk)
    finally:
        pool.close()


@contextlib.contextmanager
def open_engine(options: EngineOptions) -> Iterator[RayEngine]:
    """The `briefing.engines` entry point: connect to (or start) the cluster, then the pool on it."""
    with ray_cluster(options.address) as cluster, engine_on(cluster, options) as engine:
        yield engine
