"""Security and limit settings, the bearer-token check, and the client's stream reopening."""

from __future__ import annotations

import asyncio
import string
from collections.abc import AsyncIterator, Iterator
from concurrent import futures
from pathlib import Path

import grpc
import pytest
from briefing.v1 import briefing_pb2 as pb
from briefing.v1 import briefing_pb2_grpc as pb_grpc
from briefing_client import AsyncBriefingClient, BriefingClient, Unavailable
from briefing_client.messages import make_article
from briefing_service.edge.auth import AuthInterceptor, token_from_metadata
from briefing_service.edge.error_table import status_for
from briefing_service.settings import Settings
from hypothesis import given
from hypothesis import strategies as st


def test_limit_defaults_are_set_and_validated() -> None:
    s = Settings.from_args([], {})
    assert (s.max_concurrent_calls, s.max_queue, s.max_stream_articles, s.grace_seconds) == (
        128,
        256,
        10_000,
        30.0,
    )
    assert s.max_receive_message_bytes == 64 * 1024 * 1024 and s.metrics_port is None
    with pytest.raises(ValueError, match="max_queue is 0; must be >= 1"):
        Settings.from_args(["--max-queue", "0"], {})


def test_tls_settings_go_together() -> None:
    with pytest.raises(ValueError, match="tls_cert and tls_key go together"):
        Settings.from_args(["--tls-cert", "c.pem"], {})
    with pytest.raises(ValueError, match="needs tls_cert"):
        Settings.from_args(["--tls-client-ca", "ca.pem"], {})


def test_booleans_parse_from_flags_and_environment() -> None:
    assert Settings.from_args([], {"BRIEFING_AUTH_HEALTH_OPEN": "false"}).auth_health_open is False
    assert Settings.from_args(["--auth-health-open", "yes"], {}).auth_health_open is True
    with pytest.raises(SystemExit):
        Settings.from_args(["--auth-health-open", "maybe"], {})


def test_tokens_from_file_and_environment_and_never_in_repr(tmp_path: Path) -> None:
    f = tmp_path / "tokens"
    f.write_text("# team tokens\nalpha\n\n  beta  \nreader Summarize, SummarizeStream\ninfo\tGetModelInfo\n")
    s = Settings.from_args(["--auth-tokens-file", str(f)], {"BRIEFING_AUTH_TOKENS": "gamma, delta"})
    assert s.load_tokens() == {
        "alpha": None,
        "beta": None,
        "gamma": None,
        "delta": None,
        "reader": {"Summarize", "SummarizeStream"},
        "info": {"GetModelInfo"},
    }
    assert "gamma" not in repr(s)
    assert Settings.from_args([], {}).load_tokens() == {}


def test_token_from_metadata() -> None:
    assert token_from_metadata([("authorization", "Bearer abc")]) == "abc"
    assert token_from_metadata([("Authorization", "bearer  abc ")]) == "abc"
    assert token_from_metadata([("authorization", "Basic abc")]) == ""
    assert token_from_metadata([("x-other", "1")]) is None
    assert token_from_metadata(None) is None


TOKENS = ("s3cret-token-one", "another-token-2")


@given(st.text(alphabet=string.printable + "éß😀", max_size=40))
def test_only_the_exact_tokens_are_accepted(guess: str) -> None:
    auth = AuthInterceptor(TOKENS)
    assert auth.accepts(guess) is (guess in TOKENS)


def test_each_accepted_token_works() -> None:
    auth = AuthInterceptor(TOKENS)
    assert all(auth.accepts(t) for t in TOKENS)
    assert not auth.accepts(None) and not auth.accepts("") and not auth.accepts(TOKENS[0][:-1])


SUMMARIZE = "/briefing.v1.BriefingService/Summarize"


def test_a_limited_token_gets_permission_denied_naming_the_method_and_its_grant() -> None:
    auth = AuthInterceptor({"full": None, "reader": {"Summarize", "SummarizeStream"}})
    assert auth.check("full", "/briefing.v1.BriefingService/BuildBriefing") is None
    assert auth.check("reader", SUMMARIZE) is None
    assert auth.check("reader", "/grpc.health.v1.Health/Check") is None  # health: any valid token
    denied = auth.check("reader", "/briefing.v1.BriefingService/BuildBriefing")
    assert status_for(denied)[0] is grpc.StatusCode.PERMISSION_DENIED  # type: ignore[arg-type]
    assert str(denied) == "this token may not call BuildBriefing; it may call Summarize, SummarizeStream"
    reflection = auth.check("reader", "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo")
    assert "may not call grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo" in str(reflection)
    # A wrong or missing token is UNAUTHENTICATED whatever the method, never PERMISSION_DENIED.
    for token in (None, "", "reader2", "full "):
        assert status_for(auth.check(token, SUMMARIZE))[0] is grpc.StatusCode.UNAUTHENTICATED  # type: ignore[arg-type]


def test_a_grant_naming_an_unknown_method_fails_at_startup() -> None:
    with pytest.raises(ValueError, match=r"token #2 is limited to unknown method\(s\) \['Sumarize'\]"):
        AuthInterceptor({"a": None, "b": {"Sumarize"}})


def test_a_token_listed_twice_gets_the_union_of_its_grants(tmp_path: Path) -> None:
    f = tmp_path / "tokens"
    f.write_text("t Summarize\nt GetModelInfo\nu Summarize\n")
    grants = Settings.from_args(["--auth-tokens-file", str(f)], {"BRIEFING_AUTH_TOKENS": "u"}).load_tokens()
    assert grants == {"t": {"Summarize", "GetModelInfo"}, "u": None}


class _DiesOnce(pb_grpc.BriefingServiceServicer):
    """The first stream answers two articles and then fails UNAVAILABLE, like a replica killed mid-run."""

    def __init__(self) -> None:
        self.streams = 0
        self.received: list[str] = []

    def SummarizeStream(self, request_iterator: Iterator[pb.SummarizeRequest], context: grpc.ServicerContext):  # type: ignore[no-untyped-def]
        self.streams += 1
        for n, request in enumerate(request_iterator):
            self.received.append(request.article.id)
            if self.streams == 1 and n == 4:
                context.abort(grpc.StatusCode.UNAVAILABLE, "replica going away")
            if self.streams > 1 or n < 2:
                yield pb.SummarizeResponse(article_id=request.article.id, headline=request.article.text)


def test_summarize_many_reopens_the_stream_and_answers_each_article_once() -> None:
    servicer = _DiesOnce()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    pb_grpc.add_BriefingServiceServicer_to_server(servicer, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    try:
        articles = [make_article(f"text {i}", id=f"a{i}") for i in range(20)]
        with BriefingClient(f"127.0.0.1:{port}", timeout=10) as client:
            ids = [r.article_id for r in client.summarize_many(articles, timeout=10)]
            assert sorted(ids) == sorted(a.id for a in articles)  # every article once, none twice
            assert servicer.streams == 2
            servicer.streams = 0
            with pytest.raises(Unavailable):  # ids not unique: cannot tell what was answered, so no reopen
                list(client.summarize_many([make_article("x", id="same")] * 6, timeout=10))
    finally:
        server.stop(0)


def test_the_async_summarize_many_reopens_the_stream_too() -> None:
    servicer = _DiesOnce()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    pb_grpc.add_BriefingServiceServicer_to_server(servicer, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()

    async def articles() -> AsyncIterator[pb.Article]:
        for i in range(20):
            yield make_article(f"text {i}", id=f"a{i}")

    async def scenario() -> list[str]:
        async with AsyncBriefingClient(f"127.0.0.1:{port}", timeout=10) as client:
            return [r.article_id async for r in client.summarize_many(articles(), timeout=10)]

    try:
        ids = asyncio.run(scenario())
        assert sorted(ids) == sorted(f"a{i}" for i in range(20))  # every article once, none twice
        assert servicer.streams == 2
    finally:
        server.stop(0)


def test_a_stream_is_reopened_only_after_a_transport_break() -> None:
    """UNAVAILABLE, or an INTERNAL the transport made up (grpc.aio reports a request written while the server
    closed the stream that way), but never an error the server itself sent with its details."""
    from briefing_client.errors import InternalError, InvalidArgument, from_status, stream_broke
    from google.rpc import error_details_pb2, status_pb2

    assert stream_broke(Unavailable("replica going away"))
    assert stream_broke(InternalError("Internal error from Core"))
    sent = status_pb2.Status(code=grpc.StatusCode.INTERNAL.value[0], message="internal error")
    sent.details.add().Pack(error_details_pb2.ErrorInfo(reason="INTERNAL", domain="briefing.v1"))
    server_internal = from_status(sent)
    assert server_internal is not None and not stream_broke(server_internal)
    assert not stream_broke(InvalidArgument("stream has more than 10,000 articles"))
