"""Prometheus metrics (prometheus-client), served over HTTP when --metrics-port is set.

Everything lives in the server's own registry, so two servers in one process (tests) do not collide.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    start_http_server,
)

log = logging.getLogger(__name__)

_LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)
_BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64)
_LAG_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10)
LAG_PROBE_SECONDS = 0.1


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        ProcessCollector(registry=self.registry)  # process_resident_memory_bytes, cpu, open fds
        PlatformCollector(registry=self.registry)
        r = self.registry
        self.calls = Counter(
            "briefing_calls",
            "BriefingService calls finished, by method and status code",
            ["method", "code"],
            registry=r,
        )
        # By status code too: how fast RESOURCE_EXHAUSTED / UNAVAILABLE answer is part of the contract.
        self.latency = Histogram(
            "briefing_call_seconds",
            "Call latency in the handler, by method and status code",
            ["method", "code"],
            buckets=_LATENCY_BUCKETS,
            registry=r,
        )
        self.loop_lag = Histogram(
            "briefing_event_loop_lag_seconds",
            "How late the server's event loop wakes a 100 ms timer: time a new call may wait before its "
            "handler runs (the inference thread competes with the loop for the GIL)",
            buckets=_LAG_BUCKETS,
            registry=r,
        )
        self.in_flight = Gauge("briefing_calls_in_flight", "BriefingService calls being served", registry=r)
        self.queue_depth = Gauge(
            "briefing_queue_depth", "Articles waiting for the inference worker", registry=r
        )
        self.batch_size = Histogram(
            "briefing_batch_size", "Articles per inference batch", buckets=_BATCH_BUCKETS, registry=r
        )
        self.batch_seconds = Histogram(
            "briefing_batch_seconds", "Inference time per batch", buckets=_LATENCY_BUCKETS, registry=r
        )
        self.memory_trim_seconds = Histogram(
            "briefing_memory_trim_seconds",
            "malloc_trim(0) after a batch that left the queue empty (freed heap back to the OS)",
            buckets=_LAG_BUCKETS,
            registry=r,
        )
        self.articles = Counter("briefing_articles_processed", "Articles run through the models", registry=r)
        self.drops = Counter(
            "briefing_articles_dropped",
            "Articles refused or dropped before inference, by reason (queue_full, deadline, cancelled; "
            "left_batch: the caller went away after its batch was begun, so it was not encoded)",
            ["reason"],
            registry=r,
        )

    def watch_spacy_process(self, pid: Callable[[], int | None]) -> None:
        """briefing_spacy_process_resident_memory_bytes etc.: the spaCy child's memory and CPU, which the
        server's own process_* metrics do not include."""
        ProcessCollector(namespace="briefing_spacy", pid=lambda: pid() or "-", registry=self.registry)

    def watch_queue(self, depth: Callable[[], int]) -> None:
        self.queue_depth.set_function(lambda: float(depth()))

    async def watch_loop_lag(self) -> None:
        """Runs for the server's life: a timer that should fire every LAG_PROBE_SECONDS, and how late it is."""
        loop = asyncio.get_running_loop()
        while True:
            started = loop.time()
            await asyncio.sleep(LAG_PROBE_SECONDS)
            self.loop_lag.observe(max(0.0, loop.time() - started - LAG_PROBE_SECONDS))

    # BatchObserver
    def batch_done(self, size: int, seconds: float) -> None:
        self.batch_size.observe(size)
        self.batch_seconds.observe(seconds)
        self.articles.inc(size)

    def dropped(self, reason: str) -> None:
        self.drops.labels(reason).inc()

    def serve(self, host: str, port: int) -> int:
        """Start the /metrics HTTP server on a daemon thread; returns the bound port."""
        server, _thread = start_http_server(port, addr=host.strip("[]"), registry=self.registry)
        bound = int(server.server_port)
        log.info("metrics on http://%s:%d/metrics", host, bound)
        return bound
