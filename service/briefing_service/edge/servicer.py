"""BriefingService: converts protobuf to domain objects, hands the work to the micro-batcher, converts back.

Status codes are not chosen here: domain errors propagate to EdgeInterceptor, except inside
SummarizeStream, where each article's error becomes that article's own `status` (the same google.rpc.Status,
details included, that a unary call would end with) so the stream goes on.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

import grpc
from briefing.v1 import briefing_pb2 as pb
from briefing.v1 import briefing_pb2_grpc as pb_grpc
from briefing_assembly import ArticleError, build_briefing

from briefing_service.domain import Article, ModelInfo, Summary, SummaryOptions
from briefing_service.edge.convert import (
    article_from_pb,
    briefing_to_pb,
    error_response,
    model_info_to_pb,
    options_from_pb,
    summary_to_pb,
)
from briefing_service.edge.error_table import status_for, status_proto
from briefing_service.errors import EmptyBriefing, ModelsLoading, StreamTooLong
from briefing_service.pipeline.batcher import MicroBatcher
from briefing_service.pipeline.briefing_input import BriefingLimits, digest_of, unique_ids

log = logging.getLogger(__name__)

Batcher = MicroBatcher[tuple[Article, SummaryOptions], Summary]
LOADING_MESSAGE = "models are still loading; retry when health reports SERVING"


class BriefingServicer(pb_grpc.BriefingServiceServicer):
    def __init__(
        self,
        batcher: Batcher,
        model_info: Callable[[], ModelInfo | None],
        *,
        stream_window: int,
        max_stream: int,
        briefing_limits: BriefingLimits | None = None,
    ) -> None:
        self._batcher = batcher
        self._model_info = model_info  # None until the models are loaded
        # A stream's own read-ahead must never overflow the queue (its later articles would be refused with
        # RESOURCE_EXHAUSTED by its earlier ones): read ahead at most as many articles as the queue holds.
        self._stream_window = max(1, min(stream_window, batcher.max_queue))
        self._max_stream = max_stream
        self._briefing_limits = briefing_limits or BriefingLimits()

    async def Summarize(self, request: pb.SummarizeRequest, context: grpc.aio.ServicerContext) -> Any:
        return await self._summarize(request)

    async def _summarize(self, request: pb.SummarizeRequest) -> pb.SummarizeResponse:
        if self._model_info() is None:
            # Checked here, not in the queue: the inference thread is busy loading the models.
            raise ModelsLoading(LOADING_MESSAGE)
        options = options_from_pb(request.options)
        summary = await self._batcher.submit((article_from_pb(request.article), options))
        return summary_to_pb(summary)

    async def GetModelInfo(self, request: pb.GetModelInfoRequest, context: grpc.aio.ServicerContext) -> Any:
        info = self._model_info()
        if info is None:
            raise ModelsLoading(LOADING_MESSAGE)
        return model_info_to_pb(info)

    async def SummarizeStream(
        self, request_iterator: AsyncIterator[pb.SummarizeRequest], context: grpc.aio.ServicerContext
    ) -> AsyncIterator[pb.SummarizeResponse]:
        """Reads ahead up to ``stream_window`` articles so they batch together, and yields each result as soon
        as it is done. Reading is itself a task, so a client that sends one article and waits for its answer
        before sending the next is served too."""
        requests = aiter(request_iterator)
        reader: asyncio.Task[pb.SummarizeRequest] | None = asyncio.ensure_future(anext(requests))
        working: set[asyncio.Task[pb.SummarizeResponse]] = set()
        received = 0
        try:
            while reader is not None or working:
                waiting: set[asyncio.Task[Any]] = set(working)
                if reader is not None and len(working) < self._stream_window:
                    waiting.add(reader)
                done, _ = await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
                if reader is not None and reader in done:
                    done.discard(reader)
                    try:
                        request = reader.result()
                    except StopAsyncIteration:
                        reader = None
                    else:
                        received += 1
                        if received > self._max_stream:
                            raise StreamTooLong(
                                f"stream has more than {self._max_stream:,} articles; max {self._max_stream:,} "
                                "per stream (open another stream)",
                                metadata={"limit": self._max_stream},
                            )
                        working.add(asyncio.ensure_future(self._one(request)))
                        reader = asyncio.ensure_future(anext(requests))
                for task in done:
                    working.discard(task)
                    yield task.result()
        finally:
            for task in [*working, *([reader] if reader else [])]:
                task.cancel()

    async def _one(self, request: pb.SummarizeRequest) -> pb.SummarizeResponse:
        article_id = request.article.id
        try:
            return await self._summarize(request)
        except Exception as exc:
            status = status_proto(exc)
            if status.code == grpc.StatusCode.INTERNAL.value[0]:
                log.error("unhandled error on article %r", article_id, exc_info=exc)
            return error_response(article_id, status)

    async def BuildBriefing(
        self, request_iterator: AsyncIterator[pb.BuildBriefingRequest], context: grpc.aio.ServicerContext
    ) -> Any:
        """Summarizes the streamed articles (``stream_window`` at a time, so they batch together while the
        stream is still arriving), then builds the briefing with the transport-free briefing package."""
        info = self._model_info()
        if info is None:
            raise ModelsLoading(LOADING_MESSAGE)
        window = asyncio.Semaphore(self._stream_window)
        options: SummaryOptions | None = None
        articles: list[Article] = []
        tasks: list[asyncio.Task[Summary | Exception]] = []
        chars = 0

        async def one(article: Article, opts: SummaryOptions) -> Summary | Exception:
            async with window:
                try:
                    return await self._batcher.submit((article, opts))
                except Exception as exc:  # one bad article fails alone, as in SummarizeStream
                    return exc

        try:
            async for request in request_iterator:
                if options is None:
                    options = options_from_pb(request.options)
                article = article_from_pb(request.article)
                chars += len(article.text)
                self._briefing_limits.check(len(articles) + 1, chars)
                articles.append(article)
                tasks.append(asyncio.ensure_future(one(article, options)))
            if not articles:
                raise EmptyBriefing(
                    "briefing has no articles; send at least one BuildBriefingRequest",
                    metadata={"received": 0},
                )
            results = await asyncio.gather(*tasks)
        finally:
            for task in tasks:
                task.cancel()
        ids = unique_ids([a.id for a in articles])
        digests = []
        errors = []
        for article, article_id, result in zip(articles, ids, results, strict=True):
            if isinstance(result, Exception):
                code, message = status_for(result)
                if code is grpc.StatusCode.INTERNAL:
                    log.error("unhandled error on article %r", article_id, exc_info=result)
                errors.append(ArticleError(article_id, f"{code.name}: {message}"))
            else:
                digests.append(digest_of(dataclasses.replace(article, id=article_id), result))
        # Pure Python and numpy, but O(n²) in articles: off the event loop.
        briefing = await asyncio.to_thread(build_briefing, digests, errors)
        return briefing_to_pb(briefing, info)
