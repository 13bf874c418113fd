"""`python -m briefing_service.evaluation` (what `make eval` runs): one table, optional JSON."""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from briefing_service.evaluation.report import render_table
from briefing_service.settings import ENCODER_PRECISIONS, Settings


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="briefing-eval", description=__doc__)
    p.add_argument("--cnndm", type=Path, default=Path("../shared/eval/cnndm_dev.jsonl"))
    p.add_argument("--conll", type=Path, default=Path("../shared/eval/conll2003_test.txt"))
    p.add_argument("--json", type=Path, default=None, help="also write the numbers here as JSON")
    p.add_argument("--limit", type=int, default=0, help="first N articles / documents only (0 = all)")
    p.add_argument(
        "--encoder",
        choices=ENCODER_PRECISIONS,
        default=Settings().encoder_precision,
        help="MiniLM arithmetic (default: the server's, auto = bf16 where the CPU has it natively, else int8 on AVX2/AVX-512, else fp32)",
    )
    return p.parse_args(argv)


def run(args: argparse.Namespace) -> dict[str, Any] | None:
    missing = [str(p) for p in (args.cnndm, args.conll) if not p.exists()]
    if len(missing) == 2:
        print(f"eval skipped: {' and '.join(missing)} not found (the data lives in ../shared, optional)")
        return None
    for m in missing:
        print(f"eval: {m} not found; that part is skipped")

    from briefing_service.evaluation.data import load_cnndm, load_conll
    from briefing_service.evaluation.parts import eval_key_points_and_headlines, eval_ner
    from briefing_service.evaluation.ranker_cv import RecordingPipeline

    t0 = time.perf_counter()
    # The real pipeline, also recording what its ranker saw, for the cross-validation of its constants.
    pipeline = RecordingPipeline.load(encoder_precision=args.encoder)
    results: dict[str, Any] = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "model": {
            "summarizer": pipeline.info.summarizer,
            "encoder": pipeline.info.encoder_version,
            "ner": pipeline.info.ner_version,
        },
        "load_seconds": round(time.perf_counter() - t0, 1),
    }
    if args.cnndm.exists():
        records = load_cnndm(args.cnndm)
        if args.limit:
            records = records[: args.limit]
        results["cnndm_file"] = str(args.cnndm)
        results.update(eval_key_points_and_headlines(pipeline, records))
    if args.conll.exists():
        docs = load_conll(args.conll)
        if args.limit:
            docs = docs[: args.limit]
        results["conll_file"] = str(args.conll)
        results["ner"] = eval_ner(pipeline, docs)
    # The written articles need no shared data: the entity-table check always runs.
    from briefing_service.evaluation.entity_check import eval_entity_table

    results["entity_table"] = eval_entity_table(pipeline)
    results["total_seconds"] = round(time.perf_counter() - t0, 1)
    return results


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from briefing_service.runtime import tune_interpreter

    tune_interpreter()  # as the server does, so the pipeline runs under the same GIL switch interval
    results = run(args)
    if results is None:
        return 0
    print(render_table(results))
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
