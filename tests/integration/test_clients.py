"""The Python clients against a real server: AsyncBriefingClient has BriefingClient's methods and behaves the
same, typed article input, per-call timeouts, BuildBriefing through the client, typed errors for every status."""

from __future__ import annotations

import asyncio
import inspect

import grpc
import pytest
from briefing_client import (
    Article,
    AsyncBriefingClient,
    BriefingClient,
    BriefingClientError,
    DeadlineExceeded,
    FailedPrecondition,
    InvalidArgument,
    from_status,
)
from briefing_client.errors import ERROR_CLASSES, from_code
from google.rpc import status_pb2

STORY = (
    "The city council of Brenholm approved a new tram line on Tuesday after a two-year debate. "
    "Mayor Ilse Varga said construction would begin next spring and cost 240 million euros. "
    "Opponents on the council argued that buses would serve the eastern districts better."
)
FOLLOW_UP = (
    "Brenholm's tram line will run through the old town, Mayor Ilse Varga told reporters on Wednesday. "
    "The council approved the plan on Tuesday; construction begins next spring."
)


def _public_methods(cls: type) -> set[str]:
    return {name for name, _ in inspect.getmembers(cls, inspect.isfunction) if not name.startswith("_")}


def test_the_async_client_has_the_sync_clients_methods() -> None:
    assert _public_methods(AsyncBriefingClient) == _public_methods(BriefingClient)
    for name in _public_methods(BriefingClient) - {"close"}:
        sync_params = inspect.signature(getattr(BriefingClient, name)).parameters
        async_params = inspect.signature(getattr(AsyncBriefingClient, name)).parameters
        assert list(sync_params) == list(async_params), name


def test_every_status_the_server_returns_has_an_error_class() -> None:
    from briefing_service.edge.error_table import ERROR_TABLE

    returned = {kind.code for kind in ERROR_TABLE.values()}
    returned |= {grpc.StatusCode.INTERNAL, grpc.StatusCode.CANCELLED, grpc.StatusCode.DEADLINE_EXCEEDED}
    assert returned <= {cls.code for cls in ERROR_CLASSES}
    assert isinstance(from_code(grpc.StatusCode.FAILED_PRECONDITION, "no model"), FailedPrecondition)
    assert from_status(status_pb2.Status(code=0)) is None


def test_typed_article_input_and_a_per_call_timeout(client: BriefingClient) -> None:
    response = client.summarize(Article(STORY, id="tram", title="Tram line"), max_key_points=2)
    assert response.article_id == "tram" and 1 <= len(response.key_points) <= 2
    with pytest.raises(TypeError):
        client.summarize(STORY, id="tram")  # type: ignore[call-arg]  # article fields belong to Article
    with pytest.raises(DeadlineExceeded):
        client.summarize(Article(STORY * 40, id="slow"), timeout=0.001)


def test_build_briefing_through_the_client(client: BriefingClient) -> None:
    briefing = client.build_briefing(
        [Article(STORY, id="a"), Article(FOLLOW_UP, id="b"), Article(" ", id="blank")], max_key_points=3
    )
    assert [a.article_id for a in briefing.articles] == ["a", "b"]
    assert [e.source for e in briefing.errors] == ["blank"]
    assert briefing.stories and briefing.model.encoder


def test_the_async_client_end_to_end(server_target: str) -> None:
    async def scenario() -> None:
        async with AsyncBriefingClient(server_target, timeout=60) as client:
            await client.wait_until_serving(timeout=60)
            assert await client.health() == "SERVING"
            assert (await client.model_info()).encoder
            one = await client.summarize(Article(STORY, id="one"))
            assert one.article_id == "one" and one.headline

            async def articles():  # an async iterable works as well as a list
                yield Article(STORY, id="s1")
                yield Article("", id="s2")

            items = {r.article_id: r async for r in client.summarize_many(articles(), max_key_points=1)}
            assert items["s1"].status.code == 0 and len(items["s1"].key_points) == 1
            refused = from_status(items["s2"].status)
            assert isinstance(refused, InvalidArgument) and refused.reason == "ARTICLE_EMPTY"
            briefing = await client.build_briefing([Article(STORY, id="a"), Article(FOLLOW_UP, id="b")])
            assert len(briefing.articles) == 2
            with pytest.raises(InvalidArgument) as info:
                await client.summarize(Article("x" * 200_001))
            assert info.value.reason == "ARTICLE_TOO_LARGE" and info.value.limit == 200_000
            with pytest.raises(DeadlineExceeded):
                await client.summarize(Article(STORY * 40, id="slow"), timeout=0.001)

    asyncio.run(scenario())


def test_an_unreachable_server_is_an_error_without_details() -> None:
    with BriefingClient("127.0.0.1:1", timeout=5) as client, pytest.raises(BriefingClientError) as info:
        client.summarize("text")
    assert info.value.code is grpc.StatusCode.UNAVAILABLE and not info.value.from_server
