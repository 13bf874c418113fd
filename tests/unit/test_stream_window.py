"""SummarizeStream's read-ahead against a small queue: a lone stream is never refused by its own articles."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Sequence

from briefing.v1 import briefing_pb2 as pb
from briefing_service.domain import Article, ModelInfo, Summary, SummaryOptions
from briefing_service.edge.servicer import BriefingServicer
from briefing_service.pipeline.batcher import MicroBatcher

INFO = ModelInfo("fake", "0", "fake", "0", "fake", "0", "extractive")


def slow_echo(items: Sequence[tuple[Article, SummaryOptions]]) -> list[Summary]:
    time.sleep(0.005)  # the stream keeps reading while a batch runs
    return [Summary(a.id, f"headline {a.id}", (), (), INFO, "") for a, _ in items]


async def requests(n: int) -> AsyncIterator[pb.SummarizeRequest]:
    for i in range(n):
        yield pb.SummarizeRequest(article=pb.Article(id=f"a{i}", text=f"Item {i} was sold."))


def test_a_stream_wider_than_the_queue_reads_ahead_only_what_the_queue_holds() -> None:
    async def scenario() -> list[pb.SummarizeResponse]:
        batcher: MicroBatcher = MicroBatcher(slow_echo, max_batch=2, max_wait_ms=2, max_queue=3)
        batcher.start()
        servicer = BriefingServicer(batcher, lambda: INFO, stream_window=16, max_stream=1000)
        try:
            return [r async for r in servicer.SummarizeStream(requests(200), None)]  # type: ignore[arg-type]
        finally:
            await batcher.stop()

    responses = asyncio.run(scenario())
    assert sorted(r.article_id for r in responses) == sorted(f"a{i}" for i in range(200))
    assert {r.status.code for r in responses} == {0}, {r.status.message for r in responses}
    assert {r.headline for r in responses if r.article_id == "a7"} == {"headline a7"}
