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
    p.add_argument(
        "--llm-val",
        type=Path,
        default=Path("../shared/eval/cnndm_llm_val.jsonl"),
        help="the key-point report set with ChatGPT summaries (scored only, never read)",
    )
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
    missing = [str(p) for p in (args.llm_val, args.cnndm, args.conll) if not p.exists()]
    if len(missing) == 3:
        print(f"eval skipped: {' and '.join(missing)} not found (the data lives in ../shared, optional)")
        return None
    for m in missing:
        print(f"eval: {m} not found; that part is skipped")

    from briefing_service.evaluation.data import load_cnndm, load_conll, load_llm_summaries
    from briefing_service.evaluation.key_points import eval_key_points
    from briefing_service.evaluation.parts import eval_key_points_and_headlines, eval_ner
    from briefing_service.keypoints import load_scorer
    from briefing_service.pipeline.pipeline import Pipeline

    t0 = time.perf_counter()
    pipeline = Pipeline.load(encoder_precision=args.encoder)
    results: dict[str, Any] = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "model": {
            "summarizer": pipeline.info.summarizer,
            "encoder": pipeline.info.encoder_version,
            "ner": pipeline.info.ner_version,
        },
        "load_seconds": round(time.perf_counter() - t0, 1),
        "key_point_scorer": load_scorer().about,
    }
    report_sets: dict[str, Any] = {}
    if args.llm_val.exists():
        val = load_llm_summaries(args.llm_val, "summary_chatgpt")
        if args.limit:
            val = val[: args.limit]
        report_sets["val"] = eval_key_points(pipeline, val, "ChatGPT summaries")
        report_sets["val"]["file"] = str(args.llm_val)
    if args.cnndm.exists():
        records = load_cnndm(args.cnndm)
        if args.limit:
            records = records[: args.limit]
        results["cnndm_file"] = str(args.cnndm)
        dev = eval_key_points_and_headlines(pipeline, records)
        report_sets["dev"] = dev.pop("key_points")
        report_sets["dev"]["file"] = str(args.cnndm)
        results.update(dev)
    if report_sets:
        results["key_points"] = report_sets
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
