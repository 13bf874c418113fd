"""`make bench`: throughput and latency of the service against the model-bound limit, in one run.

Figures (all from the same run, so ratios are comparable on a noisy machine):
- model-bound: the pipeline in-process, no gRPC, fed back to back, batched as the server's default schedule
  says (spaCy in its child process, batches of 3 with the next ones begun while the oldest completes, two
  encoder streams) — the limit; also with each encoder precision (fp32, bf16, int8), with the other number of
  encoder streams, with spaCy on the inference thread instead, with torch on the other thread count, and with
  the spaCy process one batch of 16 at a time;
- naive: per-article calls, the stock fp32 MiniLM called once per sentence, the stock spaCy pipeline called per
  paragraph;
- service: through gRPC at concurrency 1, 4, 8, 16 (bounded grpc.aio load generator on loopback); c=8, the
  one the targets name, takes turns with the model-bound runs (the same articles each round), the others after;
- cold start (process start to health SERVING) and the server's peak RSS (its spaCy process included);
- seq2seq: a random model of distilbart-cnn-12-6's shape, 8 concurrent callers batched vs one at a time.

BENCH_QUICK=1 shrinks every part (under two minutes); BENCH_JSON=path writes the figures as JSON.
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import grpc
import numpy as np
from briefing.v1 import briefing_pb2 as pb
from briefing.v1 import briefing_pb2_grpc as pb_grpc

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_support import (
    OneByOneEncoder,
    build_distilbart_shaped,
    load_articles,
    server_process,
    summarize_as_scheduled,
    text_of_tokens,
)

QUICK = os.environ.get("BENCH_QUICK") == "1"
CONCURRENCY = (1, 4, 8, 16)


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


def _interleaved_aps(
    configs: dict[str, tuple[Any, Any, int]],
    items: list[Any],
    rounds: int,
    naive: tuple[Any, list[Any], int] | None = None,
    service: Callable[[int], dict[str, Any]] | None = None,
) -> tuple[dict[str, float], list[dict[str, Any]]]:
    """Articles/s of each (pipeline, schedule, torch threads) over ``items``, batched as the schedule says: the
    median of ``rounds`` timed passes, the configurations taking turns (A B C, A B C, ...) so that a slow
    minute of this shared machine (steal time, the other core busy) lands on every configuration alike
    instead of on whichever ran then. One untimed pass each first: the first pass pays for allocator and
    cache growth. ``naive`` (pipeline, its items, torch threads) takes its turn too, one ``summarize`` call per
    article: timed apart, after the others, it read 0.72 art/s in one full run and 1.45 alone minutes later.
    ``service`` (called with the round number) runs the server at concurrency 8 over as many articles, in
    turns with the rest, so the c=8 / model-bound ratio compares the same minutes; its rounds are returned."""
    import torch

    times: dict[str, list[float]] = {name: [] for name in configs}
    counts = {name: len(items) for name in configs}
    if naive is not None:
        times["naive"], counts["naive"] = [], len(naive[1])
    service_rounds: list[dict[str, Any]] = []
    service_calls = 0
    for timed in [False] + [True] * rounds:
        for name, (pipeline, schedule, threads) in configs.items():
            torch.set_num_threads(threads)
            start = time.perf_counter()
            summarize_as_scheduled(pipeline, items, schedule.batch_articles, schedule.batches_in_flight)
            if timed:
                times[name].append(time.perf_counter() - start)
        if naive is not None:
            pipeline, sample, threads = naive
            torch.set_num_threads(threads)
            start = time.perf_counter()
            for article, options in sample:
                pipeline.summarize(article, options)
            if timed:
                times["naive"].append(time.perf_counter() - start)
        if service is not None:
            measured = service(service_calls)  # a distinct round number: the server's cache never answers
            service_calls += 1
            if timed:
                service_rounds.append(measured)
    return {name: counts[name] / float(np.median(t)) for name, t in times.items()}, service_rounds


def bench_in_process(
    articles: list[str], service: Callable[[int], dict[str, Any]] | None = None
) -> dict[str, Any]:
    import spacy
    import torch
    from briefing_service.domain import Article, SummaryOptions
    from briefing_service.models.encoder import MiniLMEncoder, resolve_precision
    from briefing_service.parsing.segmenter import SPACY_MODEL, load_spacy
    from briefing_service.pipeline.pipeline import Pipeline
    from briefing_service.runtime import tune_interpreter
    from briefing_service.settings import Schedule, Settings

    tune_interpreter()  # what the server does at startup
    items = [(Article(text=t, id=str(i)), SummaryOptions()) for i, t in enumerate(articles)]
    defaults = Settings()
    default = resolve_precision(defaults.encoder_precision)
    default_schedule = defaults.schedule()
    all_cores = os.cpu_count() or 1
    # One spaCy process for every configuration that uses one, and the whole model for those that do not.
    with_process = Pipeline.load(
        encoder_precision=default, parse_process=True, encoder_streams=default_schedule.encoder_streams
    )
    nlp = load_spacy()
    # bf16 only where the CPU has it natively (what `auto` picks): emulated it is ~5x slower than fp32.
    precisions = ("fp32", "bf16", "int8") if resolve_precision("auto") == "bf16" else ("fp32", "int8")
    encoders = {(default, default_schedule.encoder_streams): with_process.encoder}

    def configured(schedule: Schedule, precision: str) -> tuple[Any, Schedule, int]:
        """The pipeline the server would run with this schedule and encoder."""
        parser = with_process.parser if schedule.spacy_process else None
        key = (precision, schedule.encoder_streams)
        if key not in encoders:
            encoders[key] = MiniLMEncoder(precision=precision, streams=schedule.encoder_streams)
        pipeline = Pipeline(nlp, encoders[key], overlap_chunks=schedule.chunks_per_batch, parser=parser)
        return pipeline, schedule, schedule.torch_threads

    configs: dict[str, tuple[Any, Schedule, int]] = {}
    for precision in precisions:  # each encoder with the server's schedule
        configs[precision] = configured(default_schedule, precision)
    # The default schedule with the other number of encoder streams (1 where it has 2, else 2).
    other_streams = 1 if default_schedule.encoder_streams > 1 else 2
    configs["other-streams"] = configured(replace(default_schedule, encoder_streams=other_streams), default)
    # The default encoder with spaCy placed the other way (as `--spacy-process on|off` would).
    other_schedule = Settings(spacy_process="off" if default_schedule.spacy_process else "on").schedule()
    configs["other-place"] = configured(other_schedule, default)
    # The spaCy-process schedule with torch on the other thread count (1 vs every core), one encoder stream.
    process_schedule = default_schedule if default_schedule.spacy_process else other_schedule
    other_threads = 1 if process_schedule.torch_threads == all_cores else all_cores
    one_stream = replace(process_schedule, encoder_streams=1)
    configs["process-other-threads"] = (configured(one_stream, default)[0], one_stream, other_threads)
    # The spaCy process as it ran before batches overlapped: batches of 16, each cut in 4 chunks.
    one_at_a_time = Schedule(True, 4, process_schedule.torch_threads, batches_in_flight=1, batch_articles=16)
    configs["process-one-batch"] = configured(one_at_a_time, default)
    # Naive: the stock fp32 MiniLM called once per sentence, one article per call, spaCy as `spacy.load` gives
    # it (without the lookup attribute ruler) on the calling thread, torch on its default of every core; over
    # half the articles (it is slow), taking turns with the rest.
    naive = Pipeline(spacy.load(SPACY_MODEL), OneByOneEncoder(), overlap_chunks=1)
    sample = items[: max(4, len(items) // (4 if QUICK else 2))]
    aps, service_rounds = _interleaved_aps(
        configs, items, rounds=1 if QUICK else 3, naive=(naive, sample, all_cores), service=service
    )
    figures = {f"model_bound_{p}_aps": aps[p] for p in precisions}
    model_bound = figures[f"model_bound_{default}_aps"]
    naive_aps = aps["naive"]
    torch.set_num_threads(default_schedule.torch_threads)
    figures_out = {
        "encoder_precision": default,
        "spacy_process": default_schedule.spacy_process,
        "chunks_per_batch": default_schedule.chunks_per_batch,
        "torch_threads": default_schedule.torch_threads,
        "batches_in_flight": default_schedule.batches_in_flight,
        "batch_articles": default_schedule.batch_articles,
        "encoder_streams": default_schedule.encoder_streams,
        "model_bound_aps": model_bound,
        **figures,
        "model_bound_other_place": "spaCy process" if other_schedule.spacy_process else "spaCy in-thread",
        "model_bound_other_place_torch_threads": other_schedule.torch_threads,
        "model_bound_other_place_aps": aps["other-place"],
        "model_bound_other_streams": other_streams,
        "model_bound_other_streams_aps": aps["other-streams"],
        "model_bound_process_other_threads": other_threads,
        "model_bound_process_other_threads_aps": aps["process-other-threads"],
        "model_bound_process_one_batch_aps": aps["process-one-batch"],
        "naive_aps": naive_aps,
        # Articles (of the sample) whose key points change when summarized alone instead of in a batch of 16.
        "batch_dependent": {p: _batch_dependent(configs[p][0], sample) for p in precisions},
        "batch_dependence_sample": len(sample),
    }
    if service_rounds:
        figures_out["service_c8_in_turns"] = _median_round(service_rounds)
    with_process.close()
    return figures_out


def _batch_dependent(pipeline: Any, items: list[Any]) -> int:
    batched = [s for lo in range(0, len(items), 16) for s in pipeline.summarize_batch(items[lo : lo + 16])]
    alone = [pipeline.summarize_batch([item])[0] for item in items]
    return sum(
        [k.text for k in a.key_points] != [k.text for k in b.key_points]
        for a, b in zip(batched, alone, strict=True)
    )


async def _load(
    target: str, articles: list[str], concurrency: int, total: int, tag: str = ""
) -> dict[str, Any]:
    latencies: list[float] = []
    counter = iter(range(total))
    errors = 0

    async with grpc.aio.insecure_channel(target) as channel:
        stub = pb_grpc.BriefingServiceStub(channel)

        async def worker() -> None:
            nonlocal errors
            for n in counter:
                # A unique trailing marker line (page chrome, dropped by the pipeline) defeats the cache
                # without changing the work.
                text = f"{articles[n % len(articles)]}\n\nref {n}-{concurrency}{tag}"
                request = pb.SummarizeRequest(article=pb.Article(id=str(n), text=text))
                start = time.perf_counter()
                try:
                    await stub.Summarize(request, timeout=300)
                except grpc.aio.AioRpcError:
                    errors += 1
                latencies.append(time.perf_counter() - start)

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        wall = time.perf_counter() - start
    return {
        "aps": total / wall,
        "p50_ms": percentile(latencies, 50) * 1000,
        "p95_ms": percentile(latencies, 95) * 1000,
        "p99_ms": percentile(latencies, 99) * 1000,
        "errors": errors,
    }


def _median_round(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """The round with the median throughput (its own latencies), and every round's articles/s."""
    ranked = sorted(rounds, key=lambda r: r["aps"])
    return {**ranked[len(ranked) // 2], "aps_by_round": [round(r["aps"], 3) for r in rounds]}


def bench_service(server: Any, articles: list[str], c8_in_turns: dict[str, Any] | None) -> dict[str, Any]:
    """Concurrency 1, 4, 16 (and 8 unless it was measured in turns with the model-bound runs), then the server's
    peak RSS."""
    out: dict[str, Any] = {"service": {}, "cold_start_s": server.cold_start_s}
    asyncio.run(_load(server.target, articles, 4, 8))  # warm connections and caches
    for c in CONCURRENCY:
        if c == 8 and c8_in_turns is not None:
            out["service"]["8"] = c8_in_turns
            continue
        total = max(4 * c, 16) if QUICK else max(8 * c, len(articles))
        out["service"][str(c)] = asyncio.run(_load(server.target, articles, c, total))
    peaks = server.peak_rss_by_process_mb()
    out["peak_rss_by_process_mb"] = peaks
    out["peak_rss_mb"] = sum(peaks.values())
    return out


async def _seq2seq_round(target: str, text: str, callers: int, concurrent: bool, tag: str) -> float:
    async with grpc.aio.insecure_channel(target) as channel:
        stub = pb_grpc.BriefingServiceStub(channel)

        async def call(n: int) -> None:
            request = pb.SummarizeRequest(
                # A distinct tail per call and round: the server's cache must not answer any of them.
                article=pb.Article(id=str(n), text=f"{text}\n\nref {n}-{concurrent}-{tag}"),
                options=pb.SummarizeOptions(exclude_entities=True),
            )
            await stub.Summarize(request, timeout=900)

        await call(-1)  # warm
        start = time.perf_counter()
        if concurrent:
            await asyncio.gather(*(call(n) for n in range(callers)))
        else:
            for n in range(callers):
                await call(n)
        return time.perf_counter() - start


def bench_seq2seq(tmp: Path) -> dict[str, Any]:
    """Batched vs one at a time, in alternating rounds on one server (the reference case twice: the machine's
    speed drifts over a minute, and one round of each would put all of the drift into the ratio)."""
    cases = (
        [("reference", 256, 16, 1, 4, 1)]
        if QUICK
        else [
            ("reference", 512, 64, 1, 8, 2),
            ("beam4", 512, 64, 4, 8, 1),
            ("long-input", 1800, 64, 1, 8, 1),
        ]
    )
    results: dict[str, Any] = {}
    for name, in_tokens, new_tokens, beams, callers, rounds in cases:
        model_dir = build_distilbart_shaped(
            tmp / f"s2s-{name}", new_tokens=new_tokens, num_beams=beams, tiny=QUICK
        )
        text = text_of_tokens(model_dir, in_tokens)
        batched: list[float] = []
        sequential: list[float] = []
        with server_process(["--summarizer-model", str(model_dir)]) as server:
            for r in range(rounds):
                batched.append(asyncio.run(_seq2seq_round(server.target, text, callers, True, str(r))))
                sequential.append(asyncio.run(_seq2seq_round(server.target, text, callers, False, str(r))))
        results[name] = {
            "input_tokens": in_tokens,
            "new_tokens": new_tokens,
            "num_beams": beams,
            "callers": callers,
            "rounds": rounds,
            "batched_s": sum(batched) / rounds,
            "sequential_s": sum(sequential) / rounds,
            "speedup": sum(sequential) / sum(batched),
            "speedup_by_round": [round(s / b, 3) for s, b in zip(sequential, batched, strict=True)],
        }
    return results


def main() -> None:
    import tempfile

    articles = load_articles(limit=12 if QUICK else 50)
    started = time.perf_counter()
    figures: dict[str, Any] = {
        "machine": f"{platform.machine()} {os.cpu_count()} cores, {platform.python_version()}",
        "quick": QUICK,
        "articles": len(articles),
    }
    # The server starts first (cold start, on a machine doing nothing else) and takes its c=8 turns among the
    # in-process runs; the other concurrencies follow.
    with server_process([]) as server:

        def c8_round(n: int) -> dict[str, Any]:
            total = max(32, len(articles)) if QUICK else len(articles)
            return asyncio.run(_load(server.target, articles, 8, total, tag=f"-turn{n}"))

        figures.update(bench_in_process(articles, service=c8_round))
        figures.update(bench_service(server, articles, figures.pop("service_c8_in_turns", None)))
    with tempfile.TemporaryDirectory() as tmp:
        figures["seq2seq"] = bench_seq2seq(Path(tmp))
    figures["seq2seq_batched_speedup"] = figures["seq2seq"]["reference"]["speedup"]
    figures["wall_s"] = time.perf_counter() - started
    print_table(figures)
    if os.environ.get("BENCH_JSON"):
        Path(os.environ["BENCH_JSON"]).write_text(json.dumps(figures, indent=2) + "\n")


def print_table(f: dict[str, Any]) -> None:
    mb = f["model_bound_aps"]
    print(f"\nBriefing bench — {f['machine']}; {f['articles']} articles{' (QUICK)' if f['quick'] else ''}\n")
    print(f"{'what':<28}{'articles/s':>11}{'x model-bound':>15}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    print(
        f"{'model-bound (in-process)':<28}{mb:>11.2f}{1.0:>15.2f}   defaults: {f['encoder_precision']} encoder, "
        f"spaCy process {'on' if f['spacy_process'] else 'off'}, batches of {f['batch_articles']}, "
        f"{f['batches_in_flight']} in flight, {f['chunks_per_batch']} chunk(s) a batch, "
        f"{f['encoder_streams']} encoder stream(s) of {f['torch_threads']} torch thread(s)"
    )
    for name in ("fp32", "bf16", "int8"):
        aps = f.get(f"model_bound_{name}_aps")
        if aps is None:
            print(f"{'  ' + name + ' encoder':<28}{'n/a':>11}   no native {name} on this CPU")
            continue
        print(f"{'  ' + name + ' encoder':<28}{aps:>11.2f}{aps / mb:>15.2f}")
    aps, n = f["model_bound_other_streams_aps"], f["model_bound_other_streams"]
    print(
        f"{'  ' + str(n) + ' encoder stream(s)':<28}{aps:>11.2f}{aps / mb:>15.2f}   the default schedule otherwise"
    )
    aps, n = f["model_bound_other_place_aps"], f["model_bound_other_place_torch_threads"]
    print(f"{'  ' + f['model_bound_other_place']:<28}{aps:>11.2f}{aps / mb:>15.2f}   torch on {n} thread(s)")
    aps, n = f["model_bound_process_other_threads_aps"], f["model_bound_process_other_threads"]
    label = f"  spaCy process, {n} torch thr."
    print(f"{label:<28}{aps:>11.2f}{aps / mb:>15.2f}   torch on {n} core(s) beside the child, one stream")
    aps = f["model_bound_process_one_batch_aps"]
    label = "  spaCy process, 1 batch"
    print(f"{label:<28}{aps:>11.2f}{aps / mb:>15.2f}   one batch of 16 at a time, cut in 4 chunks")
    print(f"{'naive (one by one)':<28}{f['naive_aps']:>11.2f}{f['naive_aps'] / mb:>15.2f}")
    for c, s in f["service"].items():
        print(
            f"{'service c=' + c:<28}{s['aps']:>11.2f}{s['aps'] / mb:>15.2f}"
            f"{s['p50_ms']:>9.0f}{s['p95_ms']:>9.0f}{s['p99_ms']:>9.0f}"
        )
    s8 = f["service"].get("8")
    if s8:
        if "aps_by_round" in s8:
            rounds = ", ".join(f"{x:.2f}" for x in s8["aps_by_round"])
            print(f"  (c=8 took turns with the in-process rows: median round shown; rounds {rounds} art/s)")
        print(
            f"\nservice c=8 / naive: {s8['aps'] / f['naive_aps']:.2f}x;  p99/p50 at c=8: {s8['p99_ms'] / s8['p50_ms']:.2f}"
        )
    print(
        f"cold start: {f['cold_start_s']:.1f} s;  server peak RSS: {f['peak_rss_mb']:.0f} MB "
        f"(its processes' peaks summed: {f['peak_rss_by_process_mb']})"
    )
    changed = ", ".join(f"{p} {n}" for p, n in f["batch_dependent"].items())
    print(
        f"key points that change alone vs in a batch of 16: {changed} of {f['batch_dependence_sample']} articles"
    )
    for name, s in f["seq2seq"].items():
        print(
            f"seq2seq {name}: {s['callers']} callers, {s['input_tokens']} tokens in, {s['new_tokens']} out, "
            f"beams {s['num_beams']}: batched {s['batched_s']:.1f} s vs one at a time {s['sequential_s']:.1f} s "
            f"= {s['speedup']:.2f}x"
            + (
                f" (rounds: {', '.join(f'{x:.2f}x' for x in s['speedup_by_round'])})"
                if s["rounds"] > 1
                else ""
            )
        )
    print(f"bench wall time: {f['wall_s']:.0f} s")


if __name__ == "__main__":
    main()
