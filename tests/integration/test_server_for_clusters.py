"""The server's settings for running many replicas behind a DNS name, through one real server: connections age
out (GOAWAY) so clients re-resolve and reach new replicas, calls keep working across the ages, JSON logs carry a
request id per call (the caller's x-request-id, else a new one), returned in the trailing metadata."""

from __future__ import annotations

import json
import re
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest
from briefing.v1 import briefing_pb2 as pb
from briefing.v1 import briefing_pb2_grpc as pb_grpc
from briefing_client.local_server import ServerProcess, server_process
from grpc_health.v1 import health_pb2, health_pb2_grpc

ARTICLE = (
    "The harbour authority opened a second ferry terminal on Friday. "
    "Director Lena Moss said crossings to the islands would double by summer. "
    "Fishermen said the new pier took space from their boats."
)
AGE_SECONDS = 1.0


@pytest.fixture(scope="module")
def logged_server() -> Iterator[tuple[ServerProcess, Path]]:
    with tempfile.TemporaryDirectory(prefix="briefing-logs-") as tmp:
        log_path = Path(tmp) / "server.log"
        with open(log_path, "wb") as log_file:
            args = ["--host", "127.0.0.1", "--log-format", "json", "--cache-entries", "off"]
            args += ["--max-connection-age", str(AGE_SECONDS), "--max-connection-age-grace", "5"]
            with server_process(args, stderr=log_file.fileno()) as server:
                with grpc.insecure_channel(server.target) as channel:
                    health = health_pb2_grpc.HealthStub(channel)
                    deadline = time.monotonic() + 180
                    while time.monotonic() < deadline:
                        status = health.Check(health_pb2.HealthCheckRequest(), timeout=10).status
                        if status == health_pb2.HealthCheckResponse.SERVING:
                            break
                        time.sleep(0.2)
                yield server, log_path


def _summarize(channel: grpc.Channel, text: str, metadata: tuple[tuple[str, str], ...] = ()) -> grpc.Call:
    stub = pb_grpc.BriefingServiceStub(channel)
    request = pb.SummarizeRequest(article=pb.Article(id="a", text=text))
    _response, call = stub.Summarize.with_call(request, metadata=metadata, timeout=120)
    return call


def _request_id(metadata: tuple[tuple[str, str | bytes], ...] | None) -> str:
    return str(dict(metadata or ())["x-request-id"])


def _json_lines(log_path: Path) -> list[dict[str, object]]:
    lines = [line for line in log_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [json.loads(line) for line in lines]  # every line is one JSON object


def test_a_connection_is_aged_out_and_calls_go_on_working(logged_server: tuple[ServerProcess, Path]) -> None:
    server, _ = logged_server
    with grpc.insecure_channel(server.target) as channel:
        grpc.channel_ready_future(channel).result(timeout=30)
        states: list[grpc.ChannelConnectivity] = []
        channel.subscribe(states.append, try_to_connect=False)
        _summarize(channel, ARTICLE)
        # The server's GOAWAY after about AGE_SECONDS (+-10 %) sends the channel from READY to IDLE; with the
        # default settings a connection stays READY until the client closes it.
        deadline = time.monotonic() + 30
        while grpc.ChannelConnectivity.IDLE not in states and time.monotonic() < deadline:
            time.sleep(0.05)
        assert grpc.ChannelConnectivity.IDLE in states, states
        # Calls spanning several ages all succeed: the channel reconnects by itself.
        ended = time.monotonic() + 3 * AGE_SECONDS
        answered = 0
        while time.monotonic() < ended:
            _summarize(channel, ARTICLE)
            answered += 1
        assert answered >= 2


def test_each_call_gets_a_request_id_in_its_trailers_and_its_log_line(
    logged_server: tuple[ServerProcess, Path],
) -> None:
    server, log_path = logged_server
    with grpc.insecure_channel(server.target) as channel:
        given = _request_id(
            _summarize(channel, ARTICLE, (("x-request-id", "trace-42.a"),)).trailing_metadata()
        )
        fresh = _request_id(_summarize(channel, ARTICLE).trailing_metadata())
        unusable = _request_id(
            _summarize(channel, ARTICLE, (("x-request-id", "no spaces {}"),)).trailing_metadata()
        )
        with pytest.raises(grpc.RpcError) as refused:
            _summarize(channel, "   ")
    assert given == "trace-42.a"
    assert re.fullmatch(r"[0-9a-f]{32}", fresh) and re.fullmatch(r"[0-9a-f]{32}", unusable)
    assert fresh != unusable
    assert refused.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    refused_id = _request_id(refused.value.trailing_metadata())
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # the server writes the call's line as the call ends
        calls = {line.get("request_id"): line for line in _json_lines(log_path) if line.get("method")}
        if refused_id in calls:
            break
        time.sleep(0.05)
    assert calls["trace-42.a"]["code"] == "OK" and calls["trace-42.a"]["method"] == "Summarize"
    assert calls[fresh]["code"] == "OK"
    assert calls[refused_id]["code"] == "INVALID_ARGUMENT"
    assert calls[refused_id]["logger"] == "briefing.calls" and float(calls[refused_id]["seconds"]) >= 0  # type: ignore[arg-type]
    startup = [line for line in _json_lines(log_path) if "core(s) to use" in str(line["message"])]
    assert startup and "request_id" not in startup[0]
