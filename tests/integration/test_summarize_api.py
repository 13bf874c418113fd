"""The gRPC API end to end against a real server with the real models."""

from __future__ import annotations

import grpc
import pytest
from briefing.v1 import briefing_pb2 as pb
from briefing.v1 import briefing_pb2_grpc as pb_grpc
from briefing_client import Article, BriefingClient, InvalidArgument, from_status
from briefing_client.errors import code_from_number
from briefing_client.messages import make_article, make_request

CHROME_WORDS = ("Home", "Top Stories", "image", "Sunday")


def _entity(response: pb.SummarizeResponse, name: str) -> pb.Entity:
    matches = [e for e in response.entities if e.text == name]
    assert matches, f"{name!r} not in {[e.text for e in response.entities]}"
    return matches[0]


def test_sample_page_headline_is_clean_and_about_the_deal(client: BriefingClient, sample_page: str) -> None:
    response = client.summarize(Article(sample_page, id="sample"))
    words = response.headline.split()
    assert 3 <= len(words) <= 20
    assert not any(chrome in response.headline for chrome in CHROME_WORDS)
    assert "trade deal" in response.headline.lower()
    assert response.article_id == "sample"
    assert any("page chrome stripped" in w for w in response.warnings)


def test_sample_page_key_points_slice_the_source_exactly(client: BriefingClient, sample_page: str) -> None:
    response = client.summarize(sample_page)
    assert len(response.key_points) == 5  # proto3 default: no options -> 5
    for kp in response.key_points:
        assert sample_page[kp.start : kp.end] == kp.text
        assert 0.0 <= kp.score <= 1.0
        assert not any(chrome in kp.text for chrome in ("Home >", "Top Stories", "\nimage"))
    scores = [kp.score for kp in response.key_points]
    assert scores == sorted(scores, reverse=True)


def test_sample_page_entity_table_merges_aliases(client: BriefingClient, sample_page: str) -> None:
    response = client.summarize(sample_page)
    dar = _entity(response, "Ishaq Dar")
    assert dar.type == "PERSON" and dar.count >= 2 and "Dar" in dar.aliases
    rubio = _entity(response, "Marco Rubio")
    assert rubio.type == "PERSON" and rubio.count >= 2 and "Rubio" in rubio.aliases
    for name in ("Pakistan", "India"):
        assert _entity(response, name).type == "GPE"
    names = {e.text for e in response.entities}
    assert not names & {"Dar", "Rubio", "State", "Top Stories", "Home"}
    for entity in response.entities:
        assert entity.count == len(entity.mentions)
        assert 0.0 <= entity.salience <= 1.0
        for m in entity.mentions:
            assert sample_page[m.start : m.end] == m.text
    assert {m.text for m in dar.mentions} >= {"Ishaq Dar", "Dar"}


def test_options_limit_and_filter(client: BriefingClient, sample_page: str) -> None:
    response = client.summarize(sample_page, max_key_points=2, entity_types=["person"])
    assert len(response.key_points) == 2
    assert response.entities and {e.type for e in response.entities} == {"PERSON"}
    assert not client.summarize(sample_page, include_entities=False).entities


def test_response_metadata(client: BriefingClient, sample_page: str) -> None:
    import hashlib

    response = client.summarize(sample_page)
    assert response.content_sha256 == hashlib.sha256(sample_page.encode()).hexdigest()
    assert response.model.engine == "extractive"
    assert "MiniLM" in response.model.encoder and response.model.ner_version
    assert response.status.code == 0
    info = client.model_info()
    assert info.encoder == response.model.encoder and info.server_version


@pytest.mark.parametrize(
    ("text", "options", "expected"),
    [
        ("", {}, "article text is empty; send 1 to 200,000 chars of text"),
        ("   \n\t  ", {}, "article text is whitespace only (7 chars); send 1 to 200,000 chars of text"),
        ("x" * 200_001, {}, "article is 200,001 chars; max 200,000"),
        ("A fine article text.", {"max_key_points": 21}, "max_key_points is 21; allowed 1..20 (0 means 5)"),
        ("A fine article text.", {"max_key_points": -1}, "max_key_points is -1; allowed 1..20 (0 means 5)"),
        ("A fine article text.", {"entity_types": ["PEOPLE"]}, "entity_types has unknown label(s) PEOPLE"),
    ],
)
def test_bad_input_is_invalid_argument(
    client: BriefingClient, text: str, options: dict, expected: str
) -> None:
    with pytest.raises(InvalidArgument) as info:
        client.summarize(text, **options)
    assert info.value.code is grpc.StatusCode.INVALID_ARGUMENT
    assert info.value.details.startswith(expected)


def test_a_large_article_is_refused_by_our_check_not_the_transport(client: BriefingClient) -> None:
    # 5 MB is over gRPC's default 4 MiB receive limit: the message must still name both sizes.
    with pytest.raises(InvalidArgument, match=r"article is 5,000,000 chars; max 200,000") as info:
        client.summarize("y" * 5_000_000)
    # ...and the google.rpc details say it to a program: which field, which limit, what was received.
    error = info.value
    assert (error.reason, error.domain) == ("ARTICLE_TOO_LARGE", "briefing.v1")
    assert (error.limit, error.received) == (200_000, 5_000_000)
    assert error.field == "article.text" and error.field_violations[0].description == error.message
    assert error.retry_after is None


def test_an_option_out_of_range_names_its_field(client: BriefingClient) -> None:
    with pytest.raises(InvalidArgument) as info:
        client.summarize("A fine article text.", max_key_points=21)
    assert info.value.reason == "OPTION_INVALID" and info.value.field == "options.max_key_points"
    assert info.value.metadata == {"received": "21", "min": "1", "max": "20"}


def test_server_survives_odd_text(client: BriefingClient) -> None:
    odd = [
        "\x00\x01 control \x07 chars and NUL",
        "😀🔥 emoji only 🎉",
        "مرحبا بالعالم. هذا نص عربي.",
        "这是一个中文句子。这是第二个句子。",
        "<div><p>html soup <b>unclosed",
        " ".join(["word"] * 5000) + ".",
        "\n".join(["line"] * 10_000),
    ]
    for text in odd:
        response = client.summarize(text)
        assert len(response.headline.split()) <= 20
        for kp in response.key_points:
            assert text[kp.start : kp.end] == kp.text
    assert client.health() == "SERVING"


def test_html_article_offsets_index_the_extracted_text(client: BriefingClient) -> None:
    html = (
        "<html><head><title>Library hours</title></head><body><nav><a href='/'>Home</a> &gt; City</nav>"
        "<article><h1>Council extends library hours</h1>"
        "<p>The city council voted on Tuesday to extend library opening hours across all twelve branches, "
        "a change that takes effect in January.</p><p>Council member Rosa Linde said the vote was overdue. "
        "Linde has campaigned for longer hours since 2024.</p></article><footer>Contact us</footer></body></html>"
    )
    response = client.summarize(Article(html, html=True))
    assert response.source_text and "Contact us" not in response.source_text
    for kp in response.key_points:
        assert response.source_text[kp.start : kp.end] == kp.text
    assert any(e.text == "Rosa Linde" for e in response.entities)


def test_stream_one_bad_article_fails_alone(client: BriefingClient, sample_page: str) -> None:
    requests = [
        make_request(make_article(sample_page, id="good-1")),
        make_request(make_article("", id="empty")),
        make_request(make_article(sample_page, id="bad-options"), max_key_points=99),
        make_request(
            make_article("The mayor opened a new bridge on Monday after two years of work.", id="good-2")
        ),
    ]
    responses = {r.article_id: r for r in client.summarize_many(requests)}
    assert set(responses) == {"good-1", "empty", "bad-options", "good-2"}
    assert responses["good-1"].status.code == 0 and responses["good-1"].headline
    assert responses["good-2"].status.code == 0 and responses["good-2"].key_points
    for bad in ("empty", "bad-options"):
        assert code_from_number(responses[bad].status.code) is grpc.StatusCode.INVALID_ARGUMENT
        assert not responses[bad].headline
    assert "max_key_points is 99" in responses["bad-options"].status.message
    # Each failed item's status carries the details a unary call's error would.
    assert from_status(responses["good-1"].status) is None
    empty, options = from_status(responses["empty"].status), from_status(responses["bad-options"].status)
    assert isinstance(empty, InvalidArgument) and isinstance(options, InvalidArgument)
    assert (empty.reason, empty.field, empty.received) == ("ARTICLE_EMPTY", "article.text", 0)
    assert (options.reason, options.field) == ("OPTION_INVALID", "options.max_key_points")


def test_stream_answers_a_client_that_waits_for_each_answer(server_target: str) -> None:
    """A ping-pong client sends the next article only after the previous answer: no deadlock."""
    import queue

    channel = grpc.insecure_channel(server_target)
    stub = pb_grpc.BriefingServiceStub(channel)
    outbox: queue.Queue[pb.SummarizeRequest | None] = queue.Queue()

    def requests():  # type: ignore[no-untyped-def]
        while (item := outbox.get()) is not None:
            yield item

    outbox.put(make_request(make_article("The river flooded the old town on Sunday night.", id="a")))
    call = stub.SummarizeStream(requests(), timeout=60)
    first = next(call)
    outbox.put(make_request(make_article("Rescue teams reached the valley by Monday morning.", id="b")))
    second = next(call)
    outbox.put(None)
    assert [first.article_id, second.article_id] == ["a", "b"]
    channel.close()


def test_health_serving_for_server_and_service(client: BriefingClient) -> None:
    assert client.health("") == "SERVING"
    assert client.health("briefing.v1.BriefingService") == "SERVING"


def test_reflection_lists_the_service(server_target: str) -> None:
    from grpc_reflection.v1alpha.proto_reflection_descriptor_database import ProtoReflectionDescriptorDatabase

    with grpc.insecure_channel(server_target) as channel:
        services = set(ProtoReflectionDescriptorDatabase(channel).get_services())
    assert {"briefing.v1.BriefingService", "grpc.health.v1.Health"} <= services


def test_grpcurl_lists_the_service(server_target: str) -> None:
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    grpcurl = shutil.which("grpcurl") or str(Path(sys.executable).parent / "grpcurl")
    if not Path(grpcurl).exists():
        pytest.skip("grpcurl not installed")
    out = subprocess.run(
        [grpcurl, "-plaintext", server_target, "list"], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    assert "briefing.v1.BriefingService" in out.stdout.split()
