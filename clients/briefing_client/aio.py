"""AsyncBriefingClient: the asyncio client (grpc.aio), with the same methods, options and errors as
BriefingClient. Streaming methods take plain or async iterables; `summarize_many` is an async iterator.

    async with AsyncBriefingClient("localhost:50051") as client:
        response = await client.summarize(Article(text, id="a1"), timeout=10)
        async for r in client.summarize_many(articles):
            ...
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Iterable, Mapping, Sequence
from typing import Any

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
from briefing_client.client import StreamItem
from briefing_client.errors import from_rpc_error, stream_broke
from briefing_client.messages import (
    ArticleInput,
    SummarizeOptions,
    briefing_request,
    make_request,
    stream_request,
)


def open_aio_channel(config: ChannelConfig) -> grpc.aio.Channel:
    if config.credentials is not None:
        return grpc.aio.secure_channel(config.target, config.credentials, options=list(config.options))
    return grpc.aio.insecure_channel(config.target, options=list(config.options))


async def _each(items: Iterable[Any] | AsyncIterable[Any]) -> AsyncIterator[Any]:
    if isinstance(items, AsyncIterable):
        async for item in items:
            yield item
    else:
        for item in items:
            yield item


class AsyncBriefingClient:
    def __init__(
        self,
        target: str,
        timeout: float | None = 60.0,
        channel: grpc.aio.Channel | None = None,
        *,
        token: str | None = None,
        tls: bool = False,
        tls_ca: str | None = None,
        tls_cert: str | None = None,
        tls_key: str | None = None,
        tls_server_name: str | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        """As BriefingClient. Create it inside the event loop that uses it (grpc.aio channels belong to one)."""
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
        self._channel = channel if channel is not None else open_aio_channel(self._config)
        self._stub = pb_grpc.BriefingServiceStub(self._channel)
        self._health = health_pb2_grpc.HealthStub(self._channel)

    async def __aenter__(self) -> AsyncBriefingClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        await self._channel.close()

    def _call_args(self, timeout: Timeout, metadata: Metadata, unary: bool = True) -> dict[str, Any]:
        return {
            "timeout": call_timeout(timeout, self.timeout if unary else None),
            "metadata": call_metadata(self._config, metadata),
        }

    async def summarize(
        self,
        article: ArticleInput,
        *,
        max_key_points: int | None = None,
        entity_types: Sequence[str] = (),
        include_entities: bool = True,
        timeout: Timeout = CLIENT_TIMEOUT,
        metadata: Metadata = (),
    ) -> pb.SummarizeResponse:
        request = make_request(
            article,
            max_key_points=max_key_points,
            entity_types=entity_types,
            include_entities=include_entities,
        )
        return await self.summarize_request(request, timeout=timeout, metadata=metadata)

    async def summarize_request(
        self, request: pb.SummarizeRequest, *, timeout: Timeout = CLIENT_TIMEOUT, metadata: Metadata = ()
    ) -> pb.SummarizeResponse:
        try:
            return await self._stub.Summarize(request, **self._call_args(timeout, metadata))
        except grpc.RpcError as exc:
            raise from_rpc_error(exc) from exc

    async def summarize_many(
        self,
        items: Iterable[StreamItem] | AsyncIterable[StreamItem],
        *,
        max_key_points: int | None = None,
        entity_types: Sequence[str] = (),
        include_entities: bool = True,
        timeout: Timeout = None,
        metadata: Metadata = (),
        reopen_attempts: int = 3,
    ) -> AsyncIterator[pb.SummarizeResponse]:
        """As BriefingClient.summarize_many: one response per article as each finishes, a stream that fails
        with UNAVAILABLE reopened with only the articles not yet answered."""
        options = SummarizeOptions(max_key_points, entity_types, include_entities)
        source = aiter(_each(items))
        unanswered: dict[str, pb.SummarizeRequest] = {}  # sent, not yet answered; in sending order
        state = {"generation": 0, "resumable": True}

        taken: list[StreamItem] = []  # taken from the source by a stream given up on meanwhile

        async def feed(
            generation: int, replay: list[pb.SummarizeRequest]
        ) -> AsyncIterator[pb.SummarizeRequest]:
            for request in replay:
                yield request
            while state["generation"] == generation:  # a stream given up on stops taking articles
                item = taken.pop(0) if taken else await anext(source, None)
                if item is None:
                    return
                if state["generation"] != generation:
                    taken.append(item)  # the next stream sends it
                    return
                request = stream_request(item, options)
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
                async for response in call:
                    unanswered.pop(response.article_id, None)
                    yield response
                return
            except grpc.RpcError as exc:
                error = from_rpc_error(exc)
                if not stream_broke(error) or attempt == reopen_attempts or not state["resumable"]:
                    raise error from exc
                state["generation"] += 1
                replay = list(unanswered.values())
            finally:
                call.cancel()

    async def build_briefing(
        self,
        articles: Iterable[ArticleInput] | AsyncIterable[ArticleInput],
        *,
        max_key_points: int | None = None,
        entity_types: Sequence[str] = (),
        include_entities: bool = True,
        timeout: Timeout = None,
        metadata: Metadata = (),
    ) -> pb.Briefing:
        options = SummarizeOptions(max_key_points, entity_types, include_entities)

        async def requests() -> AsyncIterator[pb.BuildBriefingRequest]:
            first: SummarizeOptions | None = options
            async for article in _each(articles):
                yield briefing_request(article, first)
                first = None

        try:
            return await self._stub.BuildBriefing(
                requests(), **self._call_args(timeout, metadata, unary=False)
            )
        except grpc.RpcError as exc:
            raise from_rpc_error(exc) from exc

    async def model_info(self, *, timeout: Timeout = CLIENT_TIMEOUT, metadata: Metadata = ()) -> pb.ModelInfo:
        try:
            return await self._stub.GetModelInfo(
                pb.GetModelInfoRequest(), **self._call_args(timeout, metadata)
            )
        except grpc.RpcError as exc:
            raise from_rpc_error(exc) from exc

    async def health(
        self, service: str = "", *, timeout: Timeout = CLIENT_TIMEOUT, metadata: Metadata = ()
    ) -> str:
        try:
            response = await self._health.Check(
                health_pb2.HealthCheckRequest(service=service), **self._call_args(timeout, metadata)
            )
        except grpc.RpcError as exc:
            raise from_rpc_error(exc) from exc
        return health_pb2.HealthCheckResponse.ServingStatus.Name(response.status)

    async def wait_until_serving(self, timeout: float = 120.0) -> None:
        request = health_pb2.HealthCheckRequest(service=SERVICE_NAME)
        call = self._health.Watch(
            request, timeout=timeout, wait_for_ready=True, metadata=self._config.metadata
        )
        try:
            async for response in call:
                if response.status == health_pb2.HealthCheckResponse.SERVING:
                    return
        except grpc.RpcError as exc:
            raise from_rpc_error(exc) from exc
        finally:
            call.cancel()
