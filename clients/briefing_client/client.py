"""BriefingClient: a small synchronous client over the generated stubs.

Several targets ("host1:50051,host2:50051") become one channel with gRPC's own round_robin load balancing and
a retry policy for UNAVAILABLE, so a batch survives one replica going away.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime

import grpc
from briefing.v1 import briefing_pb2 as pb
from briefing.v1 import briefing_pb2_grpc as pb_grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from briefing_client.errors import from_rpc_error

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
    article = pb.Article(
        id=id,
        title=title,
        text=text,
        url=url,
        source=source,
        content_type=pb.CONTENT_TYPE_HTML if html else pb.CONTENT_TYPE_PLAIN_TEXT,
    )
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


class BriefingClient:
    def __init__(
        self, target: str, timeout: float | None = 60.0, channel: grpc.Channel | None = None
    ) -> None:
        self.target = target
        self.timeout = timeout
        self._channel = channel or grpc.insecure_channel(
            channel_target(target),
            options=[
                ("grpc.service_config", json.dumps(_SERVICE_CONFIG)),
                ("grpc.enable_retries", 1),
                ("grpc.max_send_message_length", _MAX_MESSAGE),
                ("grpc.max_receive_message_length", _MAX_MESSAGE),
            ],
        )
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
            return self._stub.Summarize(request, timeout=self.timeout)
        except grpc.RpcError as exc:
            raise from_rpc_error(exc) from exc

    def summarize_many(
        self, items: Iterable[pb.SummarizeRequest | pb.Article], timeout: float | None = None
    ) -> Iterator[pb.SummarizeResponse]:
        """Stream articles; yields one response per article as each finishes (check each ``status.code``)."""
        requests = (
            i if isinstance(i, pb.SummarizeRequest) else pb.SummarizeRequest(article=i) for i in items
        )
        try:
            yield from self._stub.SummarizeStream(requests, timeout=timeout)
        except grpc.RpcError as exc:
            raise from_rpc_error(exc) from exc

    def model_info(self) -> pb.ModelInfo:
        try:
            return self._stub.GetModelInfo(pb.GetModelInfoRequest(), timeout=self.timeout)
        except grpc.RpcError as exc:
            raise from_rpc_error(exc) from exc

    def health(self, service: str = "") -> str:
        """'SERVING', 'NOT_SERVING', ... for the whole server ("") or one service."""
        try:
            response = self._health.Check(
                health_pb2.HealthCheckRequest(service=service), timeout=self.timeout
            )
        except grpc.RpcError as exc:
            raise from_rpc_error(exc) from exc
        return health_pb2.HealthCheckResponse.ServingStatus.Name(response.status)

    def wait_until_serving(self, timeout: float = 120.0) -> None:
        """Block until health says SERVING (uses Watch, so no polling loop)."""
        request = health_pb2.HealthCheckRequest(service=SERVICE_NAME)
        responses = self._health.Watch(request, timeout=timeout, wait_for_ready=True)
        try:
            for response in responses:
                if response.status == health_pb2.HealthCheckResponse.SERVING:
                    return
        except grpc.RpcError as exc:
            raise from_rpc_error(exc) from exc
        finally:
            responses.cancel()
