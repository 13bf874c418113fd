"""What the sync and asyncio clients share: the channel's target, options and credentials, the call metadata,
and how a per-call timeout falls back to the client's.

Several targets ("host1:50051,host2:50051") become one channel with gRPC's own round_robin load balancing and
a retry policy for UNAVAILABLE, so a batch survives one replica going away.

Security: `tls_ca` (PEM file) switches to TLS and verifies the server with that CA (`tls=True` uses the system
roots); `tls_cert`/`tls_key` present a client certificate (mTLS); `token` is sent as
`authorization: Bearer <token>` on every call. Unset options fall back to the environment: BRIEFING_TOKEN,
BRIEFING_TLS_CA, BRIEFING_TLS_CLIENT_CERT, BRIEFING_TLS_CLIENT_KEY, so the CLI and scripts take them too.
"""

from __future__ import annotations

import enum
import json
import os
from collections.abc import Mapping, Sequence
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


def channel_target(target: str) -> str:
    """'a:1,b:2' -> 'ipv4:a:1,b:2' (round_robin over both); a single target or a URI passes through."""
    parts = [t.strip() for t in target.split(",") if t.strip()]
    if len(parts) <= 1 or ":///" in target or target.startswith(("ipv4:", "ipv6:")):
        return target
    return "ipv4:" + ",".join(parts)


@dataclass(frozen=True)
class ChannelConfig:
    target: str  # as gRPC reads it (channel_target)
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
