"""What the `briefing` commands share: exit statuses, the one-line failure, the connection and input flags,
JSON output."""

from __future__ import annotations

import argparse
import enum
import json
import sys
from importlib import metadata as importlib_metadata
from typing import Any

from google.protobuf import json_format
from google.protobuf.message import Message

from briefing_client.articles import STDIN_FORMATS
from briefing_client.channel import UnresolvableTarget
from briefing_client.client import BriefingClient
from briefing_client.errors import BriefingClientError

DEFAULT_TARGET = "localhost:50051"


class Exit(enum.IntEnum):
    """The exit statuses of `briefing` (also in its --help)."""

    OK = 0
    ARTICLES_FAILED = 1  # some articles were refused or failed; the others were printed or written
    USAGE = 2  # a bad flag or argument
    BAD_INPUT = 3  # an input file, folder or line cannot be read (the others were still done), or --out cannot be written
    UNREACHABLE = 4  # no server answers at the target (or none could be started for `build`)
    SERVER_ERROR = 5  # the server refused or failed the call itself (auth, overload, loading, a limit)
    NOT_SERVING = 6  # `health`: the server answers but is not SERVING
    INTERRUPTED = 130  # Ctrl-C


EXIT_HELP = "exit status: " + "; ".join(
    f"{e.value} {text}"
    for e, text in (
        (Exit.OK, "done"),
        (Exit.ARTICLES_FAILED, "some articles failed (the rest were printed or written)"),
        (Exit.USAGE, "bad flag or argument"),
        (Exit.BAD_INPUT, "an input (or --out) cannot be read or written"),
        (Exit.UNREACHABLE, "no server at the target"),
        (Exit.SERVER_ERROR, "the server refused or failed the call"),
        (Exit.NOT_SERVING, "health: not SERVING"),
        (Exit.INTERRUPTED, "interrupted"),
    )
)


class CliError(Exception):
    """A failure that ends the command: its one line and exit status."""

    def __init__(self, message: str, status: Exit) -> None:
        super().__init__(message)
        self.status = status


def version() -> str:
    try:
        return importlib_metadata.version("briefing-client")
    except importlib_metadata.PackageNotFoundError:
        return "unknown"


def message_dict(message: Message, *, embedding: bool = False) -> dict[str, Any]:
    """The protobuf JSON mapping (proto field names, zero values included); the 384-float document embedding
    only when asked for."""
    out = json_format.MessageToDict(
        message, preserving_proto_field_name=True, always_print_fields_with_no_presence=True
    )
    if not embedding:
        out.pop("embedding", None)
    return out


def to_json(message: Message, *, embedding: bool = False, indent: int | None = 2) -> str:
    return json.dumps(message_dict(message, embedding=embedding), indent=indent, ensure_ascii=False)


def connect(args: argparse.Namespace, target: str, timeout: float | None) -> BriefingClient:
    """A client with the command line's security options (each falls back to its BRIEFING_* variable)."""
    try:
        return BriefingClient(
            target,
            timeout=timeout,
            token=args.token,
            tls=args.tls,
            tls_ca=args.tls_ca,
            tls_cert=args.tls_cert,
            tls_key=args.tls_key,
        )
    except UnresolvableTarget as exc:
        raise CliError(f"cannot reach a server at {target}: {exc}", Exit.UNREACHABLE) from exc
    except ValueError as exc:
        raise CliError(str(exc), Exit.USAGE) from exc
    except OSError as exc:
        raise CliError(f"cannot read a TLS file: {exc}", Exit.BAD_INPUT) from exc


def call_failed(exc: BriefingClientError, target: str) -> CliError:
    """The line and status for a call that failed as a whole."""
    if not exc.from_server and exc.code.name in ("UNAVAILABLE", "DEADLINE_EXCEEDED"):
        first = exc.message.splitlines()[0] if exc.message else exc.code.name
        return CliError(f"cannot reach a server at {target}: {first}", Exit.UNREACHABLE)
    reason = f" {exc.reason}" if exc.reason else ""
    return CliError(f"the server refused the call: {exc.code.name}{reason}: {exc.message}", Exit.SERVER_ERROR)


def warn(line: str) -> None:
    print(f"briefing: {line}", file=sys.stderr)


def add_connection_flags(p: argparse.ArgumentParser, target_default: str | None = DEFAULT_TARGET) -> None:
    p.add_argument(
        "--target",
        default=target_default,
        help=(
            "server address host:port or dns:///name:port, or several host:port comma-separated (names, IPv4, "
            "[IPv6]) for round-robin across replicas"
            + (f" (default {target_default})" if target_default else "")
        ),
    )
    p.add_argument(
        "--timeout", type=float, default=60.0, help="deadline of each call, in seconds (default 60)"
    )
    p.add_argument("--token", help="bearer token to send (default: $BRIEFING_TOKEN)")
    p.add_argument(
        "--tls", action="store_true", help="connect with TLS, trusting the system's root certificates"
    )
    p.add_argument(
        "--tls-ca",
        help="PEM file of the CA that signed the server's certificate; implies --tls ($BRIEFING_TLS_CA)",
    )
    p.add_argument("--tls-cert", help="PEM client certificate, for mTLS ($BRIEFING_TLS_CLIENT_CERT)")
    p.add_argument("--tls-key", help="PEM key of --tls-cert ($BRIEFING_TLS_CLIENT_KEY)")


def add_input_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--stdin-format",
        choices=STDIN_FORMATS,
        default="txt",
        help="what `-` (standard input) holds: one plain-text (txt) or Markdown article, one HTML page, "
        "or JSON lines of articles (default txt)",
    )
