"""Server settings: one frozen object, built once at startup from command-line flags and the environment.

Nothing here is read at import time; `Settings.from_args` is called by the server's main().
Environment variables use the BRIEFING_ prefix and are overridden by flags. A setting that can be switched off
or left to the server is None then, spelled "off" or "auto" on the command line and in the environment.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from briefing_service.cores import available_cores
from briefing_service.limits import (
    BRIEFING_MAX_ARTICLES,
    BRIEFING_MAX_CHARS,
    MAX_ARTICLE_CHARS,
    MAX_STREAM_ARTICLES,
)

# Well above the article limit so an oversized article reaches our own check and gets a clear message,
# instead of the transport's generic RESOURCE_EXHAUSTED at 4 MiB.
DEFAULT_MAX_RECEIVE_BYTES = 64 * 1024 * 1024
# MiniLM's precisions (models/encoder.py implements them; kept here so settings import no torch).
ENCODER_PRECISIONS = ("auto", "fp32", "bf16", "int8")
SPACY_PROCESS_CHOICES = ("auto", "on", "off")
LOG_FORMATS = ("text", "json")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


@dataclass(frozen=True)
class Schedule:
    """How the extractive pipeline uses the cores (Settings.schedule)."""

    spacy_process: bool  # spaCy in a child process (else on the inference thread)
    chunks_per_batch: int  # a batch is cut into this many chunks (parsing one while encoding another)
    torch_threads: int
    # Batches begun and not yet answered: with the spaCy process, the next batch is sent to it while the
    # inference thread completes this one, so both cores stay busy across batches.
    batches_in_flight: int = 1
    batch_articles: int = 16  # the most articles a batch holds
    encoder_streams: int = 1  # encoder calls (one length group each) run at once, each on torch_threads


# Small batches keep both stages busy: the callers of a batch get their answers (and send the next article)
# while the next batches are parsed. 3 lets 8 callers fill 3 batches in flight (with 4 they filled 2): through
# gRPC at c=8 on the AVX2 host, batches of 3 beat 4 by 7 % (medians of 4 and 7 rounds in turns). On the Ice
# Lake host, through gRPC at c=8, 2, 3 (4 in flight) and 4 were alike; in-process 4 beat 2 and 8 there
# (docs/performance.md).
PIPELINED_BATCH_ARTICLES = 3


def optional_int(none_word: str) -> Callable[[str | int | None], int | None]:
    """A flag parser: an integer, or ``none_word`` ("off", "auto") or an empty string for None."""

    def parse(value: str | int | None) -> int | None:
        if value is None or isinstance(value, int):
            return value
        if value.strip().lower() in ("", none_word):
            return None
        try:
            return int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{value!r} is not an integer or {none_word!r}") from None

    return parse


def _none_word(name: str) -> dict[str, str]:
    return {"none": name}


def parse_bool(value: str | bool) -> bool:
    if isinstance(value, bool):
        return value
    low = value.strip().lower()
    if low in _TRUE | _FALSE:
        return low in _TRUE
    raise argparse.ArgumentTypeError(f"{value!r} is not a boolean; use one of {sorted(_TRUE | _FALSE)}")


def parse_seconds_or_off(value: str | float | None) -> float | None:
    """Seconds, or None for 'off' (also 'none', '0' and an empty value)."""
    if value is None or isinstance(value, float):
        return value or None
    if value.strip().lower() in {"", "off", "none"}:
        return None
    try:
        return float(value) or None
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of seconds or 'off'") from None


@dataclass(frozen=True)
class Settings:
    host: str = "[::]"  # all interfaces, IPv4 and IPv6 (grpc falls back to IPv4-only where needed)
    port: int = 50051
    port_file: str = ""  # where to write the bound port (useful with --port 0)
    max_article_chars: int = MAX_ARTICLE_CHARS
    max_receive_message_bytes: int = DEFAULT_MAX_RECEIVE_BYTES
    max_stream_articles: int = MAX_STREAM_ARTICLES
    stream_window: int = 8  # stream requests read ahead of the slowest unfinished article
    # Overload: past these a call is refused at once with RESOURCE_EXHAUSTED naming the limit.
    max_concurrent_calls: int = 128  # BriefingService calls in flight (a stream counts once)
    max_queue: int = 256  # articles waiting for the inference worker
    max_batch: int = 16  # articles per inference batch (at most 3 while batches overlap: Schedule)
    batch_wait_ms: float = 5.0  # how long a short batch waits for company
    # spaCy in a child process (auto: where there are at least 2 cores), so it parses the next batch on one
    # core while the encoder runs on the others, instead of taking turns with it under one GIL
    # (docs/performance.md).
    spacy_process: str = "auto"
    # Chunks a batch is cut into so spaCy (one chunk) and the encoder (the previous one) overlap inside the
    # batch; 1: no overlap (the server overlaps whole batches instead, Schedule.batches_in_flight).
    overlap_chunks: int = 1
    summarizer_model: str = ""  # empty: the embedded extractive engine; else a seq2seq path or hub id
    # MiniLM's arithmetic: auto = bf16 where the CPU has native bf16 (AVX512-BF16/AMX; 1.9x the fp32 speed
    # there, key points unchanged), else int8 where it has AVX2 or AVX-512 (calibrated static ranges,
    # batch-invariant; 1.4-1.55x fp32, key points -0.08 ROUGE-1 with VNNI, -0.01 on AVX2), else fp32
    # (docs/performance.md).
    encoder_precision: str = "auto"
    # Identical article + options answered from memory (LRU entries); None ("off"): no cache.
    cache_entries: int | None = field(default=1024, metadata=_none_word("off"))
    # BuildBriefing: one call carries at most this much (the CLI's `briefing build` streams instead).
    briefing_max_articles: int = BRIEFING_MAX_ARTICLES
    briefing_max_chars: int = BRIEFING_MAX_CHARS
    # torch's threads; None ("auto"): every core, or every core but the spaCy process's (Settings.schedule).
    torch_threads: int | None = field(default=None, metadata=_none_word("auto"))
    # Encoder calls run at once; None ("auto"): 2 when torch has one thread beside the spaCy process, else 1.
    encoder_streams: int | None = field(default=None, metadata=_none_word("auto"))
    grace_seconds: float = 30.0
    # Each client connection is closed (GOAWAY) after about this many seconds (gRPC adds +-10 % jitter), with
    # max_connection_age_grace for its calls in flight to finish. Clients then reconnect and, behind a DNS
    # name (a Kubernetes headless Service), resolve again and spread onto replicas added since. None: never.
    max_connection_age: float | None = field(
        default=None, metadata={"parse": parse_seconds_or_off, **_none_word("off")}
    )
    max_connection_age_grace: float = 30.0
    # Security. TLS when cert and key are set; mTLS (client certificates required) when a client CA is set.
    tls_cert: str = ""
    tls_key: str = ""
    tls_client_ca: str = ""
    # Bearer tokens: a file (one token a line, '#' comments; `TOKEN Method,Method` limits it to those
    # BriefingService methods) and/or BRIEFING_AUTH_TOKENS (comma-separated; every method).
    # Neither set: no auth. Prefer the file or the variable to the flag (flags show up in `ps`).
    auth_tokens_file: str = ""
    auth_tokens: str = field(default="", repr=False)
    auth_health_open: bool = True  # health checks need no token (load balancers probe without one)
    # Prometheus metrics over HTTP on this port (0: any free port, logged and written to metrics_port_file);
    # None ("off"): no metrics endpoint.
    metrics_port: int | None = field(default=None, metadata=_none_word("off"))
    metrics_port_file: str = ""
    log_level: str = "INFO"
    # text: one human-readable line a record; json: one JSON object a line (time, level, logger, message and,
    # inside a call, its request id), and one line per finished call either way.
    log_format: str = "text"

    @classmethod
    def from_args(cls, argv: Sequence[str] | None = None, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        parser = argparse.ArgumentParser(prog="briefing-server", description="Briefing gRPC server")
        for f in fields(cls):
            default: Any = f.default
            env_value = env.get(f"BRIEFING_{f.name.upper()}")
            none_word = f.metadata.get("none")
            kind: Any
            if "parse" in f.metadata:
                kind = f.metadata["parse"]
            elif none_word:
                kind = optional_int(none_word)
            else:
                kind = parse_bool if isinstance(default, bool) else type(default)
            value = kind(env_value) if env_value is not None else default
            shown = "(secret)" if f.name == "auth_tokens" else none_word if default is None else repr(default)
            parser.add_argument(
                f"--{f.name.replace('_', '-')}",
                type=kind,
                default=value,
                help=f"(env BRIEFING_{f.name.upper()}; default {shown})",
            )
        args = parser.parse_args(argv)
        settings = cls(**vars(args))
        settings.validate()
        return settings

    def validate(self) -> None:
        if not 0 <= self.port <= 65535:
            raise ValueError(f"port is {self.port}; allowed 0..65535")
        if self.metrics_port is not None and not 0 <= self.metrics_port <= 65535:
            raise ValueError(f"metrics_port is {self.metrics_port}; allowed 0..65535, or off")
        if self.max_article_chars < 1:
            raise ValueError(f"max_article_chars is {self.max_article_chars}; must be >= 1")
        # Four bytes per code point is the UTF-8 worst case; the transport must let our check run first.
        if self.max_receive_message_bytes < 4 * self.max_article_chars:
            raise ValueError(
                f"max_receive_message_bytes is {self.max_receive_message_bytes:,}; "
                f"must be >= 4 x max_article_chars ({4 * self.max_article_chars:,})"
            )
        for name in (
            "max_concurrent_calls",
            "max_queue",
            "max_batch",
            "max_stream_articles",
            "stream_window",
            "briefing_max_articles",
            "briefing_max_chars",
            "overlap_chunks",
        ):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} is {getattr(self, name)}; must be >= 1")
        for name in ("torch_threads", "encoder_streams", "cache_entries"):
            value = getattr(self, name)
            if value is not None and value < 1:
                none_word = next(f.metadata["none"] for f in fields(self) if f.name == name)
                raise ValueError(f"{name} is {value}; must be >= 1, or {none_word}")
        if self.spacy_process not in SPACY_PROCESS_CHOICES:
            raise ValueError(
                f"spacy_process is {self.spacy_process!r}; allowed {', '.join(SPACY_PROCESS_CHOICES)}"
            )
        if self.grace_seconds < 0 or self.batch_wait_ms < 0:
            raise ValueError("grace_seconds and batch_wait_ms must be >= 0")
        if self.max_connection_age is not None and self.max_connection_age < 0.001:
            raise ValueError(f"max_connection_age is {self.max_connection_age}; must be >= 0.001 s or off")
        if self.max_connection_age_grace < 0:
            raise ValueError(f"max_connection_age_grace is {self.max_connection_age_grace}; must be >= 0")
        if self.log_format not in LOG_FORMATS:
            raise ValueError(f"log_format is {self.log_format!r}; allowed {', '.join(LOG_FORMATS)}")
        if self.encoder_precision not in ENCODER_PRECISIONS:
            raise ValueError(
                f"encoder_precision is {self.encoder_precision!r}; allowed {', '.join(ENCODER_PRECISIONS)}"
            )
        if bool(self.tls_cert) != bool(self.tls_key):
            raise ValueError("tls_cert and tls_key go together; set both or neither")
        if self.tls_client_ca and not self.tls_cert:
            raise ValueError("tls_client_ca (mTLS) needs tls_cert and tls_key")

    @property
    def tls(self) -> bool:
        return bool(self.tls_cert)

    def schedule(self) -> Schedule:
        """Where spaCy and torch run, and how batches flow. On 2 cores, in-process, three timed passes each in
        turns (docs/performance.md): spaCy in its child process, torch on the other core, with the next batch
        begun while this one completes, 4.61 art/s, against 3.15 with spaCy on the inference thread (torch on
        both cores) and 3.23 with the child parsing a batch of 16 in 4 chunks; with torch on both cores beside
        the child, 2.76. The fp32 encoder (the slower stage) agrees: 2.55 with torch on one core, 2.19 on
        two. A seq2seq model keeps torch on every core (``generate`` is its cost) and its batches whole (one
        ``generate`` per batch). The cores are those this process may use (cores.available_cores: its CPU
        affinity capped by its cgroup CPU quota)."""
        cores = available_cores()
        process = cores >= 2 if self.spacy_process == "auto" else self.spacy_process == "on"
        extractive = not self.summarizer_model
        if self.torch_threads is not None:
            threads = self.torch_threads
        elif process and extractive:
            threads = max(1, cores - 1)  # the child gets a core of its own
        else:
            threads = cores
        in_flight = 3 if process and extractive else 1
        # The child leaves its core idle part of the time (it parses faster than one torch thread encodes); a
        # second single-threaded encoder stream fills it. Unlike a second OpenMP thread it never waits at a
        # barrier for a thread the child has pre-empted: in-process on an AVX2 host, 2 streams gave +19 %
        # (median of 6 passes in turns, 5 of 6 faster), where torch on 2 threads lost 18-27 %.
        if self.encoder_streams is not None:
            streams = self.encoder_streams
        else:
            streams = 2 if process and extractive and threads == 1 and cores >= 2 else 1
        return Schedule(
            spacy_process=process,
            chunks_per_batch=self.overlap_chunks,
            torch_threads=threads,
            batches_in_flight=in_flight,
            batch_articles=min(self.max_batch, PIPELINED_BATCH_ARTICLES) if in_flight > 1 else self.max_batch,
            encoder_streams=streams,
        )

    def load_tokens(self) -> dict[str, frozenset[str] | None]:
        """Accepted bearer tokens, each with the BriefingService methods it may call (None: all); empty: auth
        off. A file line is `TOKEN` (every method) or `TOKEN Method,Method` (only those, e.g.
        `s3cret Summarize,SummarizeStream`); BRIEFING_AUTH_TOKENS tokens may call every method. A token
        listed twice gets the union of its grants. Read at startup, so a missing file fails the start; the
        method names are checked against the service by the auth interceptor."""
        grants: dict[str, frozenset[str] | None] = {}

        def grant(token: str, methods: frozenset[str] | None) -> None:
            if token in grants:
                before = grants[token]
                methods = None if before is None or methods is None else before | methods
            grants[token] = methods

        for token in self.auth_tokens.split(","):
            if token.strip():
                grant(token.strip(), None)
        if self.auth_tokens_file:
            with open(self.auth_tokens_file, encoding="utf-8") as f:
                for line in f:
                    line = line.strip()
                    if not line or line.startswith("#"):
                        continue
                    token, *rest = line.split(None, 1)  # a token, then its methods (comma/space-separated)
                    names = frozenset(" ".join(rest).replace(",", " ").split())
                    grant(token, names or None)
        return grants
