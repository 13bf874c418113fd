"""Key points against reference summaries, beside Lead-3 and the published anchors, on each report set.

The key points are what the pipeline returns (``Pipeline.summarize_batch``, the code the server runs; it lists
them with ``keypoints.rank_key_points``). Lead-3 is the first three sentences the same pipeline steps find in
the same article (``keypoint_data.article_sentences``: page chrome off, the same parse and boundaries), in the
same run. References are scored one sentence a line (ROUGE-Lsum): highlights are bullets already; LLM
summaries are prose and are split at sentence-final punctuation.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from briefing_service.domain import Article, Summary, SummaryOptions
from briefing_service.evaluation.data import NewsRecord
from briefing_service.evaluation.keypoint_data import article_sentences
from briefing_service.evaluation.scoring import Rouge, anchor_lines

if TYPE_CHECKING:
    from briefing_service.pipeline.pipeline import Pipeline

KEY_POINTS = 3
BATCH = 16
OURS = "briefing key points (top 3)"
LEAD3 = "Lead-3 (same splitter)"
ANCHOR_NAMES = {
    "anchor_bertsumext": "BertSumExt (stored outputs)",
    "anchor_bart_large_cnn": "BART-large-cnn (stored)",
}


def summarize_all(
    pipeline: Pipeline, records: Sequence[NewsRecord], key_points: int = KEY_POINTS
) -> list[Summary]:
    """Key points and headlines for every record through ``Pipeline.summarize_batch``."""
    options = SummaryOptions(max_key_points=key_points, include_entities=False)
    out: list[Summary] = []
    for lo in range(0, len(records), BATCH):
        items = [(Article(text=r.article, id=r.id), options) for r in records[lo : lo + BATCH]]
        for result in pipeline.summarize_batch(items):
            if not isinstance(result, Summary):
                raise RuntimeError(f"the pipeline refused an eval article: {result}")
            out.append(result)
    return out


def leading_sentences(pipeline: Pipeline, records: Sequence[NewsRecord]) -> list[list[str]]:
    """Each article's sentences as the pipeline finds them, in document order."""
    return article_sentences(pipeline.nlp, [r.article for r in records])


def key_point_scores(
    records: Sequence[NewsRecord], summaries: Sequence[Summary], leads: Sequence[Sequence[str]]
) -> dict[str, Any]:
    """ROUGE of the key points, Lead-3 and any anchors the records carry, against ``NewsRecord.highlights``."""
    refs = [r.highlights for r in records]
    rouge = Rouge()
    systems: dict[str, dict[str, float]] = {
        OURS: rouge.mean(["\n".join(k.text for k in s.key_points) for s in summaries], refs),
        LEAD3: rouge.mean(["\n".join(sents[:KEY_POINTS]) for sents in leads], refs),
    }
    for field, name in ANCHOR_NAMES.items():
        have = [r for r in records if field in r.anchors]
        if have:
            systems[name] = rouge.mean(
                [anchor_lines(r.anchors[field]) for r in have], [r.highlights for r in have]
            )
    return {
        "articles": len(records),
        "systems": systems,
        "r1_over_lead3": round(systems[OURS]["rouge1"] - systems[LEAD3]["rouge1"], 2),
    }


def eval_key_points(pipeline: Pipeline, records: Sequence[NewsRecord], reference: str) -> dict[str, Any]:
    """One report set: the pipeline's key points and Lead-3 in the same run."""
    t0 = time.perf_counter()
    summaries = summarize_all(pipeline, records)
    leads = leading_sentences(pipeline, records)
    out = key_point_scores(records, summaries, leads)
    out["reference"] = reference
    out["seconds"] = round(time.perf_counter() - t0, 1)
    return out
