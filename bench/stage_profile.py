"""`make profile`: where the pipeline's CPU time goes, sampled with py-spy (native frames included).

Runs the model-bound workload (the bench articles, two passes, batched as the server's default schedule says)
under ``py-spy record --subprocesses`` and sums the samples of the pipeline's thread and of the spaCy process by
stage: thread-seconds, where the two run at once (torch's own worker threads are not counted; time spent
blocked, such as waiting for the other process, is not sampled). The run is slower than the bench because of
the sampling.
"""

from __future__ import annotations

import collections
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# The first matching frame name, searched from the innermost frame outwards, names the stage.
STAGES = (
    ("spaCy (tokenizer, tagger, parser, NER)", ("parse_texts",)),
    ("MiniLM encoder", ("Pipeline._encode ", "MiniLMEncoder._encode_rows")),  # the latter: a second stream
    ("headline", ("choose_headline",)),
    ("entity table", ("build_entity_table",)),
    ("key points (features, scorer, listing)", ("rank_key_points", "sentence_info", "key_point_order")),
    ("page chrome, validation", ("Pipeline._prepare",)),
    ("sentence objects", ("sentences_of",)),
    ("waiting for the other stage", ("wait (concurrent/futures",)),
    ("decoding the spaCy process's docs", ("ParseProcess.receive",)),
)


def workload() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_support import load_articles, summarize_as_scheduled
    from briefing_service.domain import Article, SummaryOptions
    from briefing_service.pipeline.pipeline import Pipeline
    from briefing_service.runtime import set_torch_threads, tune_interpreter
    from briefing_service.settings import Settings

    tune_interpreter()
    defaults = Settings()
    schedule = defaults.schedule()
    set_torch_threads(schedule.torch_threads)
    items = [(Article(text=t, id=str(i)), SummaryOptions()) for i, t in enumerate(load_articles(50))]
    pipeline = Pipeline.load(
        overlap_chunks=schedule.chunks_per_batch,
        parse_process=schedule.spacy_process,
        encoder_streams=schedule.encoder_streams,
    )
    summarize_as_scheduled(pipeline, items[:16], schedule.batch_articles, schedule.batches_in_flight)
    start = time.perf_counter()
    for _ in range(2):
        summarize_as_scheduled(pipeline, items, schedule.batch_articles, schedule.batches_in_flight)
    print(f"{2 * len(items) / (time.perf_counter() - start):.2f} articles/s while sampled")
    pipeline.close()


def summarize(raw: Path, rate: int) -> None:
    by_stage: collections.Counter[str] = collections.Counter()
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not any(
            k in stack
            for k in (
                "Pipeline.begin",
                "Pipeline.complete",
                "Pipeline._encode_and_finish",
                "_child_main",
                "MiniLMEncoder._encode_rows",  # a second encoder stream's thread (its stack starts in the pool)
            )
        ):
            continue  # model loading, imports
        frames = stack.split(";")
        stage = next(
            (name for frame in reversed(frames) for name, keys in STAGES if any(k in frame for k in keys)),
            "other (batch plumbing, memory zone)",
        )
        by_stage[stage] += int(count)
    total = sum(by_stage.values()) or 1
    print(f"\n{'stage':<40}{'thread-s':>9}{'share':>8}")
    for stage, n in by_stage.most_common():
        print(f"{stage:<40}{n / rate:>9.1f}{n / total:>8.0%}")


def main() -> None:
    if "--workload" in sys.argv:
        workload()
        return
    rate = 50
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "stacks.txt"
        command = ["py-spy", "record", "--native", "--subprocesses", "--rate", str(rate), "--format", "raw"]
        command += ["-o", str(raw)]
        command += ["--", sys.executable, __file__, "--workload"]
        env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
        subprocess.run(command, check=True, env=env)
        summarize(raw, rate)


if __name__ == "__main__":
    main()
