"""Steady-state latency of one ~600-word article through gRPC (issue: ≤ 1 s on two cores).

Usage: python bench/latency_single.py [--target HOST:PORT] [--words 600] [--runs 15]
Without --target it starts a local server.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from briefing_client import BriefingClient
from briefing_client.local_server import local_server

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "articles"


def article_of(words: int) -> str:
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt")))
    paragraphs, count = [], 0
    for para in text.split("\n\n"):
        if count >= words:
            break
        paragraphs.append(para)
        count += len(para.split())
    return "\n\n".join(paragraphs)


def measure(target: str, words: int, runs: int) -> None:
    text = article_of(words)
    with BriefingClient(target, timeout=60) as client:
        client.wait_until_serving()
        client.summarize(text)  # warm
        times = []
        for n in range(runs):
            start = time.perf_counter()
            # A distinct trailing line (page chrome, dropped by the pipeline) keeps the cache from answering.
            client.summarize(f"{text}\n\nref {n}")
            times.append(time.perf_counter() - start)
    print(
        f"{len(text.split())}-word article, {runs} sequential calls: "
        f"median {statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--target")
    parser.add_argument("--words", type=int, default=600)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    if args.target:
        measure(args.target, args.words, args.runs)
    else:
        with local_server(["--host", "127.0.0.1"]) as target:
            measure(target, args.words, args.runs)


if __name__ == "__main__":
    main()
