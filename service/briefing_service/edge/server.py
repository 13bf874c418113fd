"""Server startup: gRPC server, health, reflection, TLS, auth, metrics, model loading, graceful shutdown.

The port opens before the models load so health checks can answer NOT_SERVING while they do; both health
names ("" and the service) turn SERVING only after the models are loaded and one warm-up call ran.

Shutdown (SIGTERM/SIGINT): health turns NOT_SERVING, new calls get UNAVAILABLE (clients with several targets
retry them on another replica), calls in flight finish within --grace-seconds, then the process exits 0.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import grpc
from briefing.v1 import briefing_pb2 as pb
from briefing.v1 import briefing_pb2_grpc as pb_grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_health.v1.health import aio as health_aio
from grpc_reflection.v1alpha import reflection

from briefing_service.cores import available_cores, cgroup_cpu_quota
from briefing_service.domain import Article, ModelInfo, Summary, SummaryOptions
from briefing_service.edge.auth import AuthInterceptor
from briefing_service.edge.interceptors import EdgeInterceptor
from briefing_service.edge.logs import configure_logging
from briefing_service.edge.metrics import Metrics
from briefing_service.edge.servicer import LOADING_MESSAGE, BriefingServicer
from briefing_service.errors import BriefingError, ModelsLoading
from briefing_service.parsing.parse_process import ParseProcess
from briefing_service.pipeline.batcher import MicroBatcher, StillWanted
from briefing_service.pipeline.briefing_input import BriefingLimits
from briefing_service.pipeline.cache import BatchSummarizer, CachingSummarizer
from briefing_service.pipeline.options import validate_article
from briefing_service.runtime import (
    freeze_long_lived,
    release_free_memory,
    set_torch_threads,
    tune_interpreter,
)
from briefing_service.settings import Settings

log = logging.getLogger("briefing.server")

SERVICE_NAME = pb.DESCRIPTOR.services_by_name["BriefingService"].full_name
HEALTH_NAMES = ("", SERVICE_NAME)


@dataclass(frozen=True)
class _NotLoaded:
    """A batch begun before the models were loaded: each of its items is answered ModelsLoading."""

    items: int


class _Engine:
    """Holds the pipeline once loaded; the batcher calls it on the inference thread."""

    def __init__(self) -> None:
        self.pipeline: BatchSummarizer | None = None
        self.idle: Callable[[], bool] = lambda: True  # nothing waiting for the worker (set to the batcher's)
        self.trim_observer: Callable[[float], None] | None = None
        self.close: Callable[[], None] = lambda: None  # stops the pipeline's spaCy process

    def begin(self, items: Sequence[tuple[Article, SummaryOptions]]) -> Any:
        if self.pipeline is None:
            return _NotLoaded(len(items))
        return self.pipeline.begin(items)

    def complete(self, begun: Any, still_wanted: StillWanted | None = None) -> list[Summary | BriefingError]:
        if isinstance(begun, _NotLoaded):
            return [ModelsLoading(LOADING_MESSAGE)] * begun.items
        assert self.pipeline is not None
        try:
            return self.pipeline.complete(begun, still_wanted)
        finally:
            # Freed heap goes back to the OS when nothing is waiting: glibc keeps it otherwise and RSS stays
            # at its high-water mark. About 2 ms a call (docs/reliability.md); skipped under load.
            if self.idle():
                seconds = release_free_memory()
                if seconds is not None and self.trim_observer is not None:
                    self.trim_observer(seconds)

    def cancel(self, begun: Any) -> None:
        if self.pipeline is not None and not isinstance(begun, _NotLoaded):
            self.pipeline.cancel(begun)

    def model_info(self) -> ModelInfo | None:
        return self.pipeline.info if self.pipeline else None


async def _set_health(health: health_aio.HealthServicer, status: int) -> None:
    for name in HEALTH_NAMES:
        await health.set(name, status)


def _server_credentials(settings: Settings) -> grpc.ServerCredentials:
    key = Path(settings.tls_key).read_bytes()
    cert = Path(settings.tls_cert).read_bytes()
    client_ca = Path(settings.tls_client_ca).read_bytes() if settings.tls_client_ca else None
    return grpc.ssl_server_credentials(
        [(key, cert)], root_certificates=client_ca, require_client_auth=client_ca is not None
    )


def _server_options(settings: Settings) -> list[tuple[str, int]]:
    options = [
        ("grpc.max_receive_message_length", settings.max_receive_message_bytes),
        ("grpc.max_send_message_length", settings.max_receive_message_bytes),
    ]
    if settings.max_connection_age is not None:
        # gRPC sends GOAWAY at the age (with +-10 % jitter, so replicas' clients do not reconnect at once) and
        # closes the connection after the grace; calls begun before the GOAWAY finish within the grace.
        options += [
            ("grpc.max_connection_age_ms", max(1, round(settings.max_connection_age * 1000))),
            ("grpc.max_connection_age_grace_ms", round(settings.max_connection_age_grace * 1000)),
        ]
    return options


async def serve(settings: Settings, stop: asyncio.Event | None = None) -> int:
    stop = stop or asyncio.Event()
    engine = _Engine()
    metrics = Metrics() if settings.metrics_port is not None else None
    max_chars = settings.max_article_chars
    schedule = settings.schedule()
    batcher: MicroBatcher[tuple[Article, SummaryOptions], Summary] = MicroBatcher(
        engine,
        in_flight=schedule.batches_in_flight,
        max_batch=schedule.batch_articles,
        max_wait_ms=settings.batch_wait_ms,
        max_queue=settings.max_queue,
        cost=lambda item: float(len(item[0].text)),
        check=lambda item: validate_article(item[0], max_chars),
        learn_min_cost=8_000,  # chars (two short articles): the per-batch fixed cost does not dominate
        observer=metrics,
    )
    engine.idle = lambda: batcher.idle
    if metrics is not None:
        engine.trim_observer = metrics.memory_trim_seconds.observe
    edge = EdgeInterceptor(max_concurrent_calls=settings.max_concurrent_calls, metrics=metrics)
    interceptors: list[grpc.aio.ServerInterceptor] = [edge]
    tokens = settings.load_tokens()
    if tokens:
        interceptors.append(AuthInterceptor(tokens, health_open=settings.auth_health_open))
    server = grpc.aio.server(interceptors=interceptors, options=_server_options(settings))
    health = health_aio.HealthServicer()
    await _set_health(health, health_pb2.HealthCheckResponse.NOT_SERVING)  # it starts "" as SERVING
    servicer = BriefingServicer(
        batcher,
        engine.model_info,
        stream_window=settings.stream_window,
        max_stream=settings.max_stream_articles,
        briefing_limits=BriefingLimits(settings.briefing_max_articles, settings.briefing_max_chars),
    )
    pb_grpc.add_BriefingServiceServicer_to_server(servicer, server)
    health_pb2_grpc.add_HealthServicer_to_server(health, server)
    reflection.enable_server_reflection(
        (SERVICE_NAME, health_pb2.DESCRIPTOR.services_by_name["Health"].full_name, reflection.SERVICE_NAME),
        server,
    )
    address = f"{settings.host}:{settings.port}"
    if settings.tls:
        port = server.add_secure_port(address, _server_credentials(settings))
    else:
        port = server.add_insecure_port(address)
    if metrics is not None and settings.metrics_port is not None:
        metrics.watch_queue(lambda: batcher.depth)
        metrics_port = metrics.serve(settings.host, settings.metrics_port)
        if settings.metrics_port_file:
            Path(settings.metrics_port_file).write_text(str(metrics_port))
    await server.start()
    if settings.port_file:
        Path(settings.port_file).write_text(str(port))
    log.info(
        "listening on %s:%d (%s%s); loading models",
        settings.host,
        port,
        "mTLS" if settings.tls_client_ca else "TLS" if settings.tls else "plaintext",
        f", {len(tokens)} bearer token(s)" if tokens else ", no auth",
    )
    quota = cgroup_cpu_quota()
    log.info(
        "%d core(s) to use (%d CPU(s) in the affinity mask, cgroup CPU quota %s)",
        available_cores(),
        len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1,
        "none" if quota is None else f"{quota:g}",
    )

    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)

    batcher.start()
    lag_probe = asyncio.ensure_future(metrics.watch_loop_lag()) if metrics is not None else None

    # spaCy's process starts first: it loads its model while this process imports torch and loads MiniLM.
    parser = ParseProcess() if schedule.spacy_process else None
    if parser is not None:
        parser.start()
        engine.close = parser.close

    def load() -> BatchSummarizer:
        # spaCy, torch and transformers take seconds to import: here, on the worker, while the port is open.
        from briefing_service.models.encoder import resolve_precision
        from briefing_service.pipeline.pipeline import Pipeline

        precision = resolve_precision(settings.encoder_precision)
        set_torch_threads(schedule.torch_threads)
        log.info(
            "%s encoder, torch on %d thread(s), spaCy %s, %d batch(es) of up to %d articles in flight",
            precision,
            schedule.torch_threads,
            "in a child process" if schedule.spacy_process else "on the inference thread",
            schedule.batches_in_flight,
            schedule.batch_articles,
        )
        pipeline = Pipeline.load(
            settings.summarizer_model,
            max_article_chars=settings.max_article_chars,
            encoder_precision=precision,
            overlap_chunks=schedule.chunks_per_batch,
            parse_process=schedule.spacy_process,
            parser=parser,
            encoder_streams=schedule.encoder_streams,
        )
        # The encoder may run fewer streams than the schedule asks (bf16 keeps one).
        log.info("encoder calls on %d stream(s)", getattr(pipeline.encoder, "streams", 1))
        engine.close = pipeline.close
        if metrics is not None and pipeline.parser is not None:
            metrics.watch_spacy_process(lambda: pipeline.parser.pid if pipeline.parser else None)
        pipeline.warm_up()
        freeze_long_lived()  # after warm-up: what exists now lives as long as the process
        if settings.cache_entries is None:
            return pipeline
        return CachingSummarizer(pipeline, settings.cache_entries)

    loading = asyncio.ensure_future(batcher.run_in_worker(load))
    stopping = asyncio.ensure_future(stop.wait())
    await asyncio.wait({loading, stopping}, return_when=asyncio.FIRST_COMPLETED)
    exit_code = 0
    if loading.done():
        try:
            engine.pipeline = loading.result()
        except BriefingError as exc:
            log.error("cannot start: %s", exc)
            stop.set()
            exit_code = 2
        else:
            await _set_health(health, health_pb2.HealthCheckResponse.SERVING)
            log.info("serving on %s:%d (%s)", settings.host, port, loading.result().info.summarizer)
    await stopping
    log.info("shutting down: draining %d call(s) for up to %.0f s", edge.in_flight, settings.grace_seconds)
    edge.draining = True
    await health.enter_graceful_shutdown()
    # The port stays open while calls drain, so probes read NOT_SERVING and new calls get a clear
    # UNAVAILABLE (clients retry them on another replica) instead of a refused connection.
    loop_time = asyncio.get_running_loop().time
    until = loop_time() + settings.grace_seconds
    while edge.in_flight and loop_time() < until:
        await asyncio.sleep(0.05)
    await server.stop(max(0.0, until - loop_time()))
    log.info("drained; %d call(s) left", edge.in_flight)
    loading.cancel()
    if lag_probe is not None:
        lag_probe.cancel()
    await batcher.stop()
    engine.close()
    return exit_code


def main(argv: Sequence[str] | None = None) -> None:
    settings = Settings.from_args(argv)
    tune_interpreter()
    configure_logging(settings.log_level, settings.log_format)
    sys.exit(asyncio.run(serve(settings)))


if __name__ == "__main__":
    main()
