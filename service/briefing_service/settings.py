"""Server settings: one frozen object, built once at startup from command-line flags and the environment.

Nothing here is read at import time; `Settings.from_args` is called by the server's main().
Environment variables use the BRIEFING_ prefix and are overridden by flags.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

DEFAULT_MAX_ARTICLE_CHARS = 200_000
# Well above the article limit so an oversized article reaches our own check and gets a clear message,
# instead of the transport's generic RESOURCE_EXHAUSTED at 4 MiB.
DEFAULT_MAX_RECEIVE_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Settings:
    host: str = "[::]"  # all interfaces, IPv4 and IPv6 (grpc falls back to IPv4-only where needed)
    port: int = 50051
    port_file: str = ""  # where to write the bound port (useful with --port 0)
    max_article_chars: int = DEFAULT_MAX_ARTICLE_CHARS
    max_receive_message_bytes: int = DEFAULT_MAX_RECEIVE_BYTES
    max_stream_articles: int = 10_000
    stream_window: int = 8  # stream requests read ahead of the slowest unfinished article
    summarizer_model: str = ""  # empty: the embedded extractive engine; else a seq2seq path or hub id
    torch_threads: int = 0  # 0: all cores
    grace_seconds: float = 30.0
    log_level: str = "INFO"

    @classmethod
    def from_args(cls, argv: Sequence[str] | None = None, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        parser = argparse.ArgumentParser(prog="briefing-server", description="Briefing gRPC server")
        for f in fields(cls):
            default: Any = f.default
            env_value = env.get(f"BRIEFING_{f.name.upper()}")
            kind = type(default)
            value = kind(env_value) if env_value is not None else default
            parser.add_argument(
                f"--{f.name.replace('_', '-')}",
                type=kind,
                default=value,
                help=f"(env BRIEFING_{f.name.upper()}; default {default!r})",
            )
        args = parser.parse_args(argv)
        settings = cls(**vars(args))
        settings.validate()
        return settings

    def validate(self) -> None:
        if not 0 <= self.port <= 65535:
            raise ValueError(f"port is {self.port}; allowed 0..65535")
        if self.max_article_chars < 1:
            raise ValueError(f"max_article_chars is {self.max_article_chars}; must be >= 1")
        # Four bytes per code point is the UTF-8 worst case; the transport must let our check run first.
        if self.max_receive_message_bytes < 4 * self.max_article_chars:
            raise ValueError(
                f"max_receive_message_bytes is {self.max_receive_message_bytes:,}; "
                f"must be >= 4 x max_article_chars ({4 * self.max_article_chars:,})"
            )
