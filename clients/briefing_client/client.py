"""BriefingClient: the synchronous client over the generated stubs (AsyncBriefingClient in aio.py has the same
methods for asyncio).

Every call takes ``timeout=`` (seconds; None: no deadline; left out: the client's ``timeout`` for unary calls,
none for the streaming ones) and ``metadata=`` (extra (key, value) pairs sent with that call). Failures raise
the typed errors of errors.py, with the server's google.rpc details as attributes. A target of several
comma-separated servers load-balances (channel.py); `summarize_many` reopens a stream that fails with
UNAVAILABLE with only the articles not yet answered (each answered exactly once).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence

import grpc
from briefing.v1 import briefing_pb2 as pb
from briefing.v1 import briefing_pb2_grpc as pb_grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from briefing_client.channel import (
    CLIENT_TIMEOUT,
    SERVICE_NAME,
    ChannelConfig,
    Metadata,
    Timeout,
    call_metadata,
    call_timeout,
    channel_config,
)
from briefing_client.errors import from_rpc_error, stream_broke
from briefing_client.messages import (
    ArticleInput,
    SummarizeOptions,
    briefing_requests,
    make_request,
    stream_request,
)

StreamItem = ArticleInput | pb.SummarizeRequest


def open_channel(config: ChannelConfig) -> grpc.Channel:
    if config.credentials is not None:
        return grpc.secure_channel(config.target, config.credentials, options=list(config.options))
    return grpc.insecure_channel(config.target, options=list(config.options))


class BriefingClient:
    def __init__(
        self,
        target: str,
        timeout: float | None = 60.0,
        channel: grpc.Channel | None = None,
        *,
        token: str | None = None,
        tls: bool = False,
        tls_ca: str | None = None,
        tls_cert: str | None = None,
        tls_key: str | None = None,
        tls_server_name: str | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        """``timeout``: the default deadline of unary calls in seconds (None: none). Security options: see
        channel.py; unset ones fall back to BRIEFING_TOKEN, BRIEFING_TLS_CA, BRIEFING_TLS_CLIENT_CERT and
        BRIEFING_TLS_CLIENT_KEY."""
        self.target = target
        self.timeout = timeout
        self._config = channel_config(
            target,
            token=token,
            tls=tls,
            tls_ca=tls_ca,
            tls_cert=tls_cert,
            tls_key=tls_key,
            tls_server_name=tls_server_name,
            env=env,
        )
        self._channel = channel if channel is not None else open_channel(self._config)
        self._stub = pb_grpc.BriefingServiceStub(self._channel)
        self._health = health_pb2_grpc.HealthStub(self._channel)

    def __enter__(self) -> BriefingClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._channel.close()

    def _call_args(self, timeout: Timeout, metadata: Metadata, unary: bool = True) -> dict[str, object]:
        return {
            "timeout": call_timeout(timeout, self.timeout if unary else None),
            "metadata": call_metadata(self._config, metadata),
        }

    def summarize(
        self,
        article: ArticleInput,
        *,
        max_key_points: int | None = None,
        entity_types: Sequence[str] = (),
        include_entities: bool = True,
        timeout: Timeout = CLIENT_TIMEOUT,
        metadata: Metadata = (),
    ) -> pb.SummarizeResponse:
        """Summarize one article (an `Article`, a `briefing.v1.Article`, or plain text)."""
        request = make_request(
            article,
            max_key_points=max_key_points,
            entity_types=entity_types,
            include_entities=include_entities,
        )
        return self.summarize_request(request, timeout=timeout, metadata=metadata)

    def summarize_request(
        self, request: pb.SummarizeRequest, *, timeout: Timeout = CLIENT_TIMEOUT, metadata: Metadata = ()
    ) -> pb.SummarizeResponse:
        try:
            return self._stub.Summarize(request, **self._call_args(timeout, metadata))
        except grpc.RpcError as exc:
            raise from_rpc_error(exc) from exc

    def summarize_many(
        self,
        items: Iterable[StreamItem],
        *,
        max_key_points: int | None = None,
        entity_types: Sequence[str] = (),
        include_entities: bool = True,
        timeout: Timeout = None,
        metadata: Metadata = (),
        reopen_attempts: int = 3,
    ) -> Iterator[pb.SummarizeResponse]:
        """Stream articles; yields one response per article as each finishes. A failed article is a response
        with a non-OK ``status`` (errors.from_status turns it into the typed error); the stream goes on.

        The options apply to every item that is not a ready SummarizeRequest. If the stream breaks
        (UNAVAILABLE: the replica died or is draining; see errors.stream_broke) it is reopened, up to ``reopen_attempts`` times, with
        only the articles sent but not yet answered, then the rest: each article is answered once. That needs
        unique, non-empty article ids; without them the error is raised."""
        options = SummarizeOptions(max_key_points, entity_types, include_entities)
        source = (stream_request(i, options) for i in items)
        lock = threading.Lock()
        unanswered: dict[str, pb.SummarizeRequest] = {}  # sent, not yet answered; in sending order
        state = {"generation": 0, "resumable": True}

        def feed(generation: int, replay: list[pb.SummarizeRequest]) -> Iterator[pb.SummarizeRequest]:
            yield from replay
            while True:
                with lock:  # a stream given up on stops taking articles from the source
                    if state["generation"] != generation:
                        return
                    request = next(source, None)
                    if request is None:
                        return
                    key = request.article.id
                    if not key or key in unanswered:
                        state["resumable"] = False
                    unanswered[key] = request
                yield request

        replay: list[pb.SummarizeRequest] = []
        for attempt in range(reopen_attempts + 1):
            generation = state["generation"]
            call = self._stub.SummarizeStream(
                feed(generation, replay), **self._call_args(timeout, metadata, unary=False)
            )
            try:
                for response in call:
                    unanswered.pop(response.article_id, None)
                    yield response
                return
            except grpc.RpcError as exc:
                error = from_rpc_error(exc)
                if not stream_broke(error) or attempt == reopen_attempts or not state["resumable"]:
                    raise error from exc
                with lock:
                    state["generation"] += 1
                    replay = list(unanswered.values())
            finally:
                call.cancel()

    def build_briefing(
        self,
        articles: Iterable[ArticleInput],
        *,
        max_key_points: int | None = None,
        entity_types: Sequence[str] = (),
        include_entities: bool = True,
        timeout: Timeout = None,
        metadata: Metadata = (),
    ) -> pb.Briefing:
        """One briefing from many articles, built on the server (BuildBriefing): stories, entities, timeline
        and an appendix. An article that cannot be summarized is listed in ``Briefing.errors``."""
        options = SummarizeOptions(max_key_points, entity_types, include_entities)
        requests = briefing_requests(articles, options)
        try:
            return self._stub.BuildBriefing(requests, **self._call_args(timeout, metadata, unary=False))
        except grpc.RpcError as exc:
            raise from_rpc_error(exc) from exc

    def model_info(self, *, timeout: Timeout = CLIENT_TIMEOUT, metadata: Metadata = ()) -> pb.ModelInfo:
        try:
            return self._stub.GetModelInfo(pb.GetModelInfoRequest(), **self._call_args(timeout, metadata))
        except grpc.RpcError as exc:
            raise from_rpc_error(exc) from exc

    def health(self, service: str = "", *, timeout: Timeout = CLIENT_TIMEOUT, metadata: Metadata = ()) -> str:
        """'SERVING', 'NOT_SERVING', ... for the whole server ("") or one service."""
        try:
            response = self._health.Check(
                health_pb2.HealthCheckRequest(service=service), **self._call_args(timeout, metadata)
            )
        except grpc.RpcError as exc:
            raise from_rpc_error(exc) from exc
        return health_pb2.HealthCheckResponse.ServingStatus.Name(response.status)

    def wait_until_serving(self, timeout: float = 120.0) -> None:
        """Block until health says SERVING (uses Watch, so no polling loop)."""
        request = health_pb2.HealthCheckRequest(service=SERVICE_NAME)
        responses = self._health.Watch(
            request, timeout=timeout, wait_for_ready=True, metadata=self._config.metadata
        )
        try:
            for response in responses:
                if response.status == health_pb2.HealthCheckResponse.SERVING:
                    return
        except grpc.RpcError as exc:
            raise from_rpc_error(exc) from exc
        finally:
            responses.cancel()
