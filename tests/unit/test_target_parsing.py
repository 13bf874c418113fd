"""The client's targets as gRPC reads them: one target or a URI as written; a comma list of names and IP
literals as one `ipv4:` or `ipv6:` list (each name resolved, every address of it), with the first host as the
authority TLS verifies."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from briefing_client.channel import UnresolvableTarget, channel_config, channel_target, list_authority

# A resolver of made-up names: the tests must not depend on this machine's /etc/hosts or DNS.
HOSTS = {
    "replica-a": ["10.1.0.1"],
    "replica-b": ["10.1.0.2", "10.1.0.3"],
    "dual": ["10.1.0.4", "fd00::4"],
    "six": ["fd00::6"],
    "nothing": [],
}


def fake_resolve(host: str, port: int) -> Sequence[str]:
    if host not in HOSTS:
        raise UnresolvableTarget(f"cannot resolve {host!r}: unknown")
    return HOSTS[host]


def target(text: str) -> str:
    return channel_target(text, resolve=fake_resolve)


@pytest.mark.parametrize(
    "text",
    [
        "replica-a:50051",  # one name: gRPC's DNS resolver, which re-resolves it
        "dns:///briefing-headless.news.svc.cluster.local:50051",
        "dns://10.0.0.10:53/briefing:50051",
        "ipv4:10.0.0.1:1,10.0.0.2:2",
        "ipv6:[fd00::1]:1",
        "unix:/run/briefing.sock",
        "[::1]:50051",
    ],
)
def test_one_target_or_a_uri_is_passed_as_written(text: str) -> None:
    assert target(text) == text


def test_a_list_of_names_resolves_each_to_every_address() -> None:
    assert target("replica-a:50051,replica-b:50052") == "ipv4:10.1.0.1:50051,10.1.0.2:50052,10.1.0.3:50052"


def test_the_same_address_twice_is_listed_once() -> None:
    assert target("replica-a:50051, replica-a:50051 ,10.1.0.1:50051") == "ipv4:10.1.0.1:50051"
    assert target("replica-a:50051,replica-a:50052") == "ipv4:10.1.0.1:50051,10.1.0.1:50052"


def test_ip_lists_of_either_family() -> None:
    assert target("127.0.0.1:1,127.0.0.2:2") == "ipv4:127.0.0.1:1,127.0.0.2:2"
    assert target("[::1]:1,[fd00::2]:2") == "ipv6:[::1]:1,[fd00::2]:2"


def test_ipv4_among_ipv6_is_written_ipv4_mapped() -> None:
    """gRPC's list URIs take one family; an IPv4-mapped address reaches the same IPv4 server."""
    assert target("127.0.0.1:1,[::1]:2") == "ipv6:[::ffff:127.0.0.1]:1,[::1]:2"
    assert target("dual:7,six:8") == "ipv6:[::ffff:10.1.0.4]:7,[fd00::4]:7,[fd00::6]:8"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("replica-a,replica-b:2", "needs host:port"),
        ("replica-a:1,replica-b:http", "needs host:port"),
        ("replica-a:1,replica-b:70000", "needs host:port"),
        ("::1:50051,replica-a:1", "in brackets"),
        ("dns:///replica-a:1,replica-b:2", "names one host"),
        ("replica-a:1,dns:///replica-b:2", "URI cannot be one of several"),
    ],
)
def test_malformed_lists_are_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        target(text)


def test_a_name_without_an_address_is_an_error_naming_it() -> None:
    for text in ("replica-a:1,unknown-host:2", "replica-a:1,nothing:2"):
        with pytest.raises(UnresolvableTarget, match="cannot resolve"):
            target(text)


def test_the_real_resolver_names_the_host_it_cannot_resolve() -> None:
    with pytest.raises(UnresolvableTarget, match=r"no-such-host\.invalid"):
        channel_target("127.0.0.1:1,no-such-host.invalid:2")


def test_a_list_takes_its_first_host_as_authority() -> None:
    assert list_authority("replica-a:50051,replica-b:50051") == "replica-a:50051"
    assert list_authority("replica-a:50051") is None
    assert list_authority("ipv4:10.0.0.1:1,10.0.0.2:2") is None
    options = dict(channel_config("127.0.0.1:1,127.0.0.2:2", env={}).options)
    assert options["grpc.default_authority"] == "127.0.0.1:1"
    assert "grpc.default_authority" not in dict(channel_config("127.0.0.1:1", env={}).options)
