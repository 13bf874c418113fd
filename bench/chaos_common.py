"""Shared pieces of `make chaos`: per-scenario figures, loopback servers with their logs in a file, metrics."""

from __future__ import annotations

import sys
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from briefing_client import BriefingClient
from briefing_client.local_server import ServerProcess, server_process
from prometheus_client.parser import text_string_to_metric_families

ROOT = Path(__file__).resolve().parent.parent
LOOPBACK = ["--host", "127.0.0.1"]
EXAMPLES = sorted(p for p in (ROOT / "examples" / "articles").glob("0*") if p.suffix in (".txt", ".md"))


@dataclass
class Figures:
    name: str
    sent: int = 0
    answered: int = 0
    duplicated: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def lost(self) -> int:
        return self.sent - self.answered

    def check(self, ok: bool, what: str) -> None:
        if not ok:
            self.failures.append(what)

    def print(self) -> None:
        verdict = "PASS" if not self.failures and not self.lost and not self.duplicated else "FAIL"
        errors = ", ".join(f"{k} {v}" for k, v in sorted(self.errors.items())) or "none"
        print(f"\n== {self.name}: {verdict}")
        print(
            f"   sent {self.sent}, answered {self.answered}, lost {self.lost}, duplicated {self.duplicated}"
        )
        print(f"   statuses: {errors}")
        for note in self.notes:
            print(f"   {note}")
        for failure in self.failures:
            print(f"   FAILED: {failure}")
        sys.stdout.flush()


LOG_PATH = ROOT / "out" / "chaos" / "servers.log"
_LOG: list = []  # type: ignore[type-arg]


def start_server(args: list[str], **kwargs: object):  # type: ignore[no-untyped-def]
    """server_process with the servers' logs in out/chaos/servers.log, so the figures stay readable."""
    if not _LOG:
        LOG_PATH.parent.mkdir(parents=True, exist_ok=True)
        _LOG.append(open(LOG_PATH, "ab"))  # noqa: SIM115 - shared by every server; closed at exit
    return server_process(args, stderr=_LOG[0].fileno(), **kwargs)  # type: ignore[arg-type]


def metric(server: ServerProcess, name: str) -> float:
    text = (
        urllib.request.urlopen(f"http://127.0.0.1:{server.metrics_port}/metrics", timeout=10).read().decode()
    )
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith(name) and line[len(name)] in " {"
    )


def histogram(server: ServerProcess, name: str, **labels: str) -> dict[float, float]:
    """Cumulative bucket counts {upper bound: count} of histogram ``name`` (series matching ``labels``)."""
    text = (
        urllib.request.urlopen(f"http://127.0.0.1:{server.metrics_port}/metrics", timeout=10).read().decode()
    )
    buckets: dict[float, float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == f"{name}_bucket" and all(sample.labels.get(k) == v for k, v in labels.items()):
                le = float(sample.labels["le"])
                buckets[le] = buckets.get(le, 0.0) + sample.value
    return buckets


def bucket_quantile(after: dict[float, float], q: float, before: dict[float, float] | None = None) -> float:
    """Upper bound of the bucket holding quantile ``q`` of the observations between ``before`` and ``after``
    (q=1: the bucket of the largest one); NaN when there were none."""
    counts = {le: n - (before or {}).get(le, 0.0) for le, n in sorted(after.items())}
    total = counts.get(float("inf"), 0.0)
    for le, n in counts.items():
        if total and n >= q * total:
            return le
    return float("nan")


def ms(seconds: float) -> str:
    if seconds == float("inf"):
        return "> the largest bucket"
    return f"{seconds * 1000:.1f} ms" if seconds < 0.01 else f"{seconds * 1000:,.0f} ms"


def serving(server: ServerProcess, **client_kwargs: object) -> None:
    with BriefingClient(server.target, **client_kwargs) as c:  # type: ignore[arg-type]
        c.wait_until_serving(timeout=180)


def articles(n: int, prefix: str) -> list[tuple[str, str]]:
    """n distinct (id, text) pairs from the bundled examples (news text written for this project)."""
    texts = [p.read_text(encoding="utf-8") for p in EXAMPLES]
    return [
        (
            f"{prefix}{i:04d}",
            f"{texts[i % len(texts)]}\n\nUpdate {i}: officials said more details would follow.",
        )
        for i in range(n)
    ]


def mib(x: float) -> str:
    return f"{x / 2**20:,.0f} MiB"


# --- scenarios ----------------------------------------------------------------------------------------------
