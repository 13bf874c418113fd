"""What the sync and asyncio clients share: the channel's target, options and credentials, the call metadata,
and how a per-call timeout falls back to the client's.

Every channel balances with gRPC's own round_robin over the addresses its target names and retries UNAVAILABLE,
so a batch survives one replica going away. The targets (channel_target):
- `host:port` or `dns:///name:port`: gRPC's DNS resolver, which re-resolves the name when connections drop, so
  a name with one address per replica (a Kubernetes headless Service) follows the replicas as they change;
- `host1:50051,host2:50051`: a comma list of names and IP literals (IPv6 in brackets). gRPC takes a static
  list only as IP literals of one family, so each name is resolved here, once, when the client is made;
- any other URI gRPC knows (`ipv4:`, `ipv6:`, `unix:`, ...) as it is.

Security: `tls_ca` (PEM file) switches to TLS and verifies the server with that CA (`tls=True` uses the system
roots); `tls_cert`/`tls_key` present a client certificate (mTLS); `token` is sent as
`authorization: Bearer <token>` on every call. Unset options fall back to the environment: BRIEFING_TOKEN,
BRIEFING_TLS_CA, BRIEFING_TLS_CLIENT_CERT, BRIEFING_TLS_CLIENT_KEY, so the CLI and scripts take them too.
"""

from __future__ import annotations

import enum
import ipaddress
import json
import os
import socket
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import grpc

SERVICE_NAME = "briefing.v1.BriefingService"
# Messages up to 64 MiB each way: the server's own limits give the clear error, not the transport's.
MAX_MESSAGE_BYTES = 64 * 1024 * 1024

SERVICE_CONFIG = {
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

Metadata = Sequence[tuple[str, str]]


class Default(enum.Enum):
    """A per-call `timeout` left out: the client's own timeout applies (None would mean no deadline)."""

    TIMEOUT = enum.auto()


CLIENT_TIMEOUT = Default.TIMEOUT
Timeout = float | None | Default


# Schemes of gRPC's resolvers: a target that starts with one is a URI gRPC reads as it is.
GRPC_SCHEMES = ("dns:", "ipv4:", "ipv6:", "unix:", "unix-abstract:", "vsock:", "xds:", "google-c2p:")

Resolver = Callable[[str, int], Sequence[str]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class UnresolvableTarget(ValueError):
    """A host name in a comma list of targets has no address."""


def resolve_host(host: str, port: int) -> list[str]:
    """The host's IP addresses for TCP, in the order the system's resolver prefers them."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnresolvableTarget(f"cannot resolve {host!r}: {exc}") from exc
    return [str(info[4][0]) for info in infos]


def _split_host_port(item: str) -> tuple[str, int]:
    host, sep, port = item.rpartition(":")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    elif ":" in host:
        raise ValueError(f"target {item!r}: write an IPv6 address in brackets, as [::1]:50051")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"target {item!r}: each of several targets needs host:port")
    return host, int(port)


def channel_target(target: str, resolve: Resolver = resolve_host) -> str:
    """The target as gRPC reads it. One `host:port` or a URI passes through; a comma list becomes an
    `ipv4:` or `ipv6:` list of IP literals (names resolved with ``resolve``, every address of each; an IPv4
    address in a list with IPv6 ones is written IPv4-mapped), so round_robin spreads calls over all of them."""
    parts = [t.strip() for t in target.split(",") if t.strip()]
    if target.startswith(GRPC_SCHEMES) or len(parts) <= 1:
        if len(parts) > 1 and target.startswith("dns:"):
            raise ValueError("a dns: target names one host; list several as host1:port,host2:port")
        return target.strip()
    endpoints: list[tuple[IPAddress, int]] = []
    for item in parts:
        if item.startswith(GRPC_SCHEMES):
            raise ValueError(f"target {item!r}: a URI cannot be one of several comma-separated targets")
        host, port = _split_host_port(item)
        try:
            addresses: list[IPAddress] = [ipaddress.ip_address(host)]
        except ValueError:
            addresses = [ipaddress.ip_address(a) for a in resolve(host, port)]
            if not addresses:
                raise UnresolvableTarget(f"cannot resolve {host!r}: no address") from None
        endpoints += [(a, port) for a in addresses if (a, port) not in endpoints]
    if all(a.version == 4 for a, _ in endpoints):
        return "ipv4:" + ",".join(f"{a}:{port}" for a, port in endpoints)
    return "ipv6:" + ",".join(f"[{'' if a.version == 6 else '::ffff:'}{a}]:{port}" for a, port in endpoints)


def list_authority(target: str) -> str | None:
    """The authority (the :authority header, and the name TLS verifies) of a comma list: its first `host:port`,
    as one target would have. gRPC would take it from the list of IP literals itself, which no certificate
    names."""
    parts = [t.strip() for t in target.split(",") if t.strip()]
    return parts[0] if len(parts) > 1 and not target.startswith(GRPC_SCHEMES) else None


@dataclass(frozen=True)
class ChannelConfig:
    target: str  # as gRPC reads it (channel_target: names in a comma list resolved)
    options: tuple[tuple[str, object], ...]
    credentials: grpc.ChannelCredentials | None  # None: plaintext
    metadata: tuple[tuple[str, str], ...]  # sent on every call (the bearer token)


def channel_config(
    target: str,
    *,
    token: str | None = None,
    tls: bool = False,
    tls_ca: str | None = None,
    tls_cert: str | None = None,
    tls_key: str | None = None,
    tls_server_name: str | None = None,
    env: Mapping[str, str] | None = None,
) -> ChannelConfig:
    env = os.environ if env is None else env
    token = token if token is not None else env.get("BRIEFING_TOKEN", "")
    tls_ca = tls_ca if tls_ca is not None else env.get("BRIEFING_TLS_CA", "")
    tls_cert = tls_cert if tls_cert is not None else env.get("BRIEFING_TLS_CLIENT_CERT", "")
    tls_key = tls_key if tls_key is not None else env.get("BRIEFING_TLS_CLIENT_KEY", "")
    if bool(tls_cert) != bool(tls_key):
        raise ValueError("tls_cert and tls_key (client certificate for mTLS) go together")
    options: list[tuple[str, object]] = [
        ("grpc.service_config", json.dumps(SERVICE_CONFIG)),
        ("grpc.enable_retries", 1),
        ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
        ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
    ]
    if tls_server_name:
        options.append(("grpc.ssl_target_name_override", tls_server_name))
    if authority := list_authority(target):
        options.append(("grpc.default_authority", authority))
    credentials = None
    if tls or tls_ca or tls_cert:
        credentials = grpc.ssl_channel_credentials(
            root_certificates=_read(tls_ca) if tls_ca else None,
            private_key=_read(tls_key) if tls_key else None,
            certificate_chain=_read(tls_cert) if tls_cert else None,
        )
    return ChannelConfig(
        target=channel_target(target),
        options=tuple(options),
        credentials=credentials,
        metadata=(("authorization", f"Bearer {token}"),) if token else (),
    )


def _read(path: str) -> bytes:
    return Path(path).expanduser().read_bytes()


def call_metadata(config: ChannelConfig, extra: Metadata) -> tuple[tuple[str, str], ...]:
    """The client's metadata (the token) and the call's own."""
    return (*config.metadata, *extra)


def call_timeout(timeout: Timeout, client_timeout: float | None) -> float | None:
    return client_timeout if isinstance(timeout, Default) else timeout
