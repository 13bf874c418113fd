"""BriefingClient: a small synchronous client over the generated stubs.

Several targets ("host1:50051,host2:50051") become one channel with gRPC's own round_robin load balancing and
a retry policy for UNAVAILABLE, so a batch survives one replica going away: unary calls are retried by gRPC,
and `summarize_many` reopens its stream with the articles not yet answered (each answered exactly once).

Security: `tls_ca` (PEM file) switches to TLS and verifies the server with that CA (`tls=True` uses the system
roots); `tls_cert`/`tls_key` present a client certificate (mTLS); `token` is sent as
`authorization: Bearer <token>` on every call. Unset options fall back to the environment: BRIEFING_TOKEN,
BRIEFING_TLS_CA, BRIEFING_TLS_CLIENT_CERT, BRIEFING_TLS_CLIENT_KEY, so the CLI and scripts take them too.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path

import grpc
from briefing.v1 import briefing_pb2 as pb
from briefing.v1 import briefing_pb2_grpc as pb_grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from briefing_client.errors import InvalidArgument, Unavailable, from_rpc_error

SERVICE_NAME = "briefing.v1.BriefingService"
# Messages up to 64 MiB each way: the server's own limits give the clear error, not the transport's.
_MAX_MESSAGE = 64 * 1024 * 1024

_SERVICE_CONFIG = {
    "loadBalancingConfig": [{"round_robin": {}}],
    "methodConfig": [
        {
            "name": [{"service": SERVICE_NAME}],
            "retryPolicy": {
                "maxAttempts": 4,
                "initialBackoff": "0.1s",
                "maxBackoff": "2s",
                "backoffMultiplier": 2,
                "retryableStatusCodes": ["UNAVAILABLE"],
            },
        }
    ],
}


def channel_target(target: str) -> str:
    """'a:1,b:2' -> 'ipv4:a:1,b:2' (round_robin over both); a single target or a URI passes through."""
    parts = [t.strip() for t in target.split(",") if t.strip()]
    if len(parts) <= 1 or ":///" in target or target.startswith(("ipv4:", "ipv6:")):
        return target
    return "ipv4:" + ",".join(parts)


def make_article(
    text: str,
    *,
    id: str = "",
    title: str = "",
    url: str = "",
    source: str = "",
    published_at: datetime | None = None,
    html: bool = False,
) -> pb.Article:
    try:
        article = pb.Article(
            id=id,
            title=title,
            text=text,
            url=url,
            source=source,
            content_type=pb.CONTENT_TYPE_HTML if html else pb.CONTENT_TYPE_PLAIN_TEXT,
        )
    except UnicodeEncodeError as exc:
        # Lone surrogates cannot travel as protobuf strings (UTF-8): refused here, with the status the
        # server would give, before anything is sent.
        raise InvalidArgument(
            f"article {id!r} is not valid Unicode: {exc.reason} at index {exc.start}; "
            "send UTF-8-encodable text"
        ) from exc
    if published_at is not None:
        article.published_at.FromDatetime(published_at)
    return article


def make_request(
    article: pb.Article,
    *,
    max_key_points: int = 0,
    entity_types: Sequence[str] = (),
    include_entities: bool = True,
) -> pb.SummarizeRequest:
    return pb.SummarizeRequest(
        article=article,
        options=pb.SummarizeOptions(
            max_key_points=max_key_points,
            entity_types=list(entity_types),
            exclude_entities=not include_entities,
        ),
    )


def _read(path: str) -> bytes:
    return Path(path).expanduser().read_bytes()


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
        env = os.environ if env is None else env
        token = token if token is not None else env.get("BRIEFING_TOKEN", "")
        tls_ca = tls_ca if tls_ca is not None else env.get("BRIEFING_TLS_CA", "")
        tls_cert = tls_cert if tls_cert is not None else env.get("BRIEFING_TLS_CLIENT_CERT", "")
        tls_key = tls_key if tls_key is not None else env.get("BRIEFING_TLS_CLIENT_KEY", "")
        if bool(tls_cert) != bool(tls_key):
            raise ValueError("tls_cert and tls_key (client certificate for mTLS) go together")
        self.target = target
        self.timeout = timeout
        self._metadata: tuple[tuple[str, str], ...] = (("authorization", f"Bearer {token}"),) if token else ()
        options: list[tuple[str, object]] = [
            ("grpc.service_config", json.dumps(_SERVICE_CONFIG)),
            ("grpc.enable_retries", 1),
            ("grpc.max_send_message_length", _MAX_MESSAGE),
            ("grpc.max_receive_message_length", _MAX_MESSAGE),
        ]
        if tls_server_name:
            options.append(("grpc.ssl_target_name_override", tls_server_name))
        if channel is not None:
            self._channel = channel
        elif tls or tls_ca or tls_cert:
            credentials = grpc.ssl_channel_credentials(
                root_certificates=_read(tls_ca) if tls_ca else None,
                private_key=_read(tls_key) if tls_key else None,
                certificate_chain=_read(tls_cert) if tls_cert else None,
            )
            self._channel = grpc.secure_channel(channel_target(target), credentials, options=options)
        else:
            self._channel = grpc.insecure_channel(channel_target(target), options=options)
        self._stub = pb_grpc.BriefingServiceStub(self._channel)
        self._health = health_pb2_grpc.HealthStub(self._channel)

    def __enter__(self) -> BriefingClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._channel.close()

    def summarize(
        self,
        text: str,
        *,
        max_key_points: int = 0,
        entity_types: Sequence[str] = (),
        include_entities: bool = True,
        **article_fields: object,
    ) -> pb.SummarizeResponse:
        """Summarize one article. ``article_fields``: id, title, url, source, published_at, html."""
        request = make_request(
            make_article(text, **article_fields),  # type: ignore[arg-type]
            max_key_points=max_key_points,
            entity_types=entity_types,
            include_entities=include_entities,
        )
        return self.summarize_request(request)

    def summarize_request(self, request: pb.SummarizeRequest) -> pb.SummarizeResponse:
        try:
            return self._stub.Summarize(request, timeout=self.timeout, metadata=self._metadata)
        except grpc.RpcError as exc:
            raise from_rpc_error(exc) from exc

    def summarize_many(
        self,
        items: Iterable[pb.SummarizeRequest | pb.Article],
        timeout: float | None = None,
        *,
        reopen_attempts: int = 3,
    ) -> Iterator[pb.SummarizeResponse]:
        """Stream articles; yields one response per article as each finishes (check each ``status.code``).

        If the stream fails with UNAVAILABLE (the replica died or is draining) it is reopened, up to
        ``reopen_attempts`` times, with only the articles sent but not yet answered, then the rest: each
        article is answered once. That needs unique, non-empty article ids; without them the error is raised.
        """
        source = iter(
            i if isinstance(i, pb.SummarizeRequest) else pb.SummarizeRequest(article=i) for i in items
        )
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
                feed(generation, replay), timeout=timeout, metadata=self._metadata
            )
            try:
                for response in call:
                    unanswered.pop(response.article_id, None)
                    yield response
                return
            except grpc.RpcError as exc:
                error = from_rpc_error(exc)
                if not isinstance(error, Unavailable) or attempt == reopen_attempts or not state["resumable"]:
                    raise error from exc
                with lock:
                    state["generation"] += 1
                    replay = list(unanswered.values())
            finally:
                call.cancel()

    def model_info(self) -> pb.ModelInfo:
        try:
            return self._stub.GetModelInfo(
                pb.GetModelInfoRequest(), timeout=self.timeout, metadata=self._metadata
            )
        except grpc.RpcError as exc:
            raise from_rpc_error(exc) from exc

    def health(self, service: str = "") -> str:
        """'SERVING', 'NOT_SERVING', ... for the whole server ("") or one service."""
        try:
            response = self._health.Check(
                health_pb2.HealthCheckRequest(service=service), timeout=self.timeout, metadata=self._metadata
            )
        except grpc.RpcError as exc:
            raise from_rpc_error(exc) from exc
        return health_pb2.HealthCheckResponse.ServingStatus.Name(response.status)

    def wait_until_serving(self, timeout: float = 120.0) -> None:
        """Block until health says SERVING (uses Watch, so no polling loop)."""
        request = health_pb2.HealthCheckRequest(service=SERVICE_NAME)
        responses = self._health.Watch(request, timeout=timeout, wait_for_ready=True, metadata=self._metadata)
        try:
            for response in responses:
                if response.status == health_pb2.HealthCheckResponse.SERVING:
                    return
        except grpc.RpcError as exc:
            raise from_rpc_error(exc) from exc
        finally:
            responses.cancel()
