"""Every form of client target reaches real servers: `dns:///name:port`, a comma list of host names, of IPv4
and of IPv6 addresses. Round-robin is checked on two small in-process gRPC servers that count the health calls
each one answers (cheap: no models); the briefing server answers through each form too."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
from collections.abc import Iterator
from concurrent import futures
from pathlib import Path

import grpc
import pytest
from briefing_client import Article, AsyncBriefingClient, BriefingClient
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from tls_certs import make_certs

BRIEFING = str(Path(sys.executable).parent / "briefing")
STORY = (
    "The harbour authority of Tessel opened a second container terminal on Monday after three years of work. "
    "Director Mara Quist said the terminal would double the port's capacity by next summer."
)


def _has_ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False


HAS_IPV6 = _has_ipv6_loopback()
needs_ipv6 = pytest.mark.skipif(not HAS_IPV6, reason="no IPv6 loopback (::1) on this machine")


class CountingHealth(health.HealthServicer):
    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def Check(self, request: health_pb2.HealthCheckRequest, context: grpc.ServicerContext) -> object:
        self.calls += 1
        return super().Check(request, context)


class Replica:
    """A health-only gRPC server on 127.0.0.1 and, where there is one, [::1], on the same port."""

    def __init__(self, credentials: grpc.ServerCredentials | None = None) -> None:
        self.health = CountingHealth()
        self.server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
        health_pb2_grpc.add_HealthServicer_to_server(self.health, self.server)
        add = (
            (lambda a: self.server.add_secure_port(a, credentials))
            if credentials
            else self.server.add_insecure_port
        )
        self.port = add("127.0.0.1:0")
        if HAS_IPV6:
            add(f"[::1]:{self.port}")
        self.server.start()

    def stop(self) -> None:
        self.server.stop(grace=None)


@pytest.fixture
def replicas() -> Iterator[list[Replica]]:
    made = [Replica(), Replica()]
    yield made
    for r in made:
        r.stop()


def _spread(client: BriefingClient, replicas: list[Replica], most: int = 200) -> list[int]:
    """Health calls until every replica has answered one (round_robin picks each READY one in turn), at most
    ``most``; the calls each replica answered."""
    for _ in range(most):
        assert client.health() == "SERVING"
        if all(r.health.calls for r in replicas):
            break
    return [r.health.calls for r in replicas]


@pytest.mark.parametrize(
    "form",
    [
        "localhost:{0},localhost:{1}",
        "127.0.0.1:{0},127.0.0.1:{1}",
        pytest.param("[::1]:{0},[::1]:{1}", marks=needs_ipv6),
        pytest.param("127.0.0.1:{0},[::1]:{1}", marks=needs_ipv6),
    ],
    ids=["host-names", "ipv4", "ipv6", "ipv4-and-ipv6"],
)
def test_a_comma_list_spreads_calls_over_every_replica(replicas: list[Replica], form: str) -> None:
    target = form.format(*(r.port for r in replicas))
    with BriefingClient(target, timeout=10) as client:
        calls = _spread(client, replicas)
    assert all(calls), f"{target}: calls per replica {calls}"


def test_a_list_goes_on_when_one_replica_is_gone(replicas: list[Replica]) -> None:
    """round_robin leaves out the replica it cannot connect to, and UNAVAILABLE is retried on another."""
    target = ",".join(f"localhost:{r.port}" for r in replicas)
    with BriefingClient(target, timeout=10) as client:
        _spread(client, replicas)
        replicas[1].stop()
        before = replicas[0].health.calls
        for _ in range(10):
            assert client.health() == "SERVING"
    assert replicas[0].health.calls == before + 10


def test_tls_over_a_list_of_names_verifies_the_first_name(tmp_path: Path) -> None:
    """The server certificate names `localhost`: the list's first host is the name TLS checks, not the
    resolved address list."""
    certs = make_certs(tmp_path)
    if certs is None:
        pytest.skip("the openssl CLI is not installed")
    credentials = grpc.ssl_server_credentials(
        [(certs.server_key.read_bytes(), certs.server_cert.read_bytes())]
    )
    made = [Replica(credentials), Replica(credentials)]
    try:
        target = ",".join(f"localhost:{r.port}" for r in made)
        with BriefingClient(target, timeout=10, tls_ca=str(certs.ca), env={}) as client:
            assert all(_spread(client, made))
    finally:
        for r in made:
            r.stop()


def test_the_briefing_server_through_dns_and_a_list_of_names(server_target: str) -> None:
    port = server_target.rsplit(":", 1)[1]
    for target in (f"dns:///localhost:{port}", f"localhost:{port},localhost:{port}"):
        with BriefingClient(target, timeout=60) as client:
            response = client.summarize(Article(STORY, id="harbour"))
        assert response.article_id == "harbour" and "terminal" in response.headline.lower(), target

    async def call() -> str:
        async with AsyncBriefingClient(f"localhost:{port},127.0.0.1:{port}", timeout=60) as client:
            return (await client.summarize(Article(STORY, id="async-harbour"))).article_id

    assert asyncio.run(call()) == "async-harbour"


def test_the_cli_takes_a_list_of_names_and_names_one_it_cannot_resolve(server_target: str) -> None:
    port = server_target.rsplit(":", 1)[1]
    ok = subprocess.run(
        [BRIEFING, "health", "--target", f"localhost:{port},localhost:{port}"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (ok.returncode, ok.stdout.strip()) == (0, "SERVING"), ok.stderr
    bad = subprocess.run(
        [BRIEFING, "health", "--target", f"localhost:{port},no-such-host.invalid:{port}"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 4, bad.stderr
    assert bad.stderr.count("\n") == 1 and "no-such-host.invalid" in bad.stderr
