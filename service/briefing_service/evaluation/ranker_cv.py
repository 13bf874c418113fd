"""Cross-validation of the ranker constants that were chosen by looking at the dev file.

``RankerWeights.run_on_factor``, ``run_on_words``, ``near_duplicate`` and ``quote_factor`` were set after
reading key points on the dev file, so the key-point row of `make eval` is an in-sample number for them. This
part repeats the choice the honest way: the articles go to 5 folds (article i to fold i % 5); for each fold the grid point with
the best mean ROUGE-1 on the other four is scored on the held-out one. Every grid point re-ranks the sentences
the pipeline already parsed and encoded in the same run (recorded as it ran, see ``RecordingPipeline``), so the
whole grid costs ROUGE-1 only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from briefing_service.domain import Summary
from briefing_service.evaluation.data import NewsRecord
from briefing_service.evaluation.scoring import Rouge
from briefing_service.keypoints.ranker import RankerWeights, rank_key_points
from briefing_service.keypoints.trim import key_point_bounds
from briefing_service.pipeline.pipeline import Pipeline, _Work

FOLDS = 5
# The grid the shipped constants were picked from; "off" switches each rule off.
RUN_ON_FACTORS = (1.0, 0.7, 0.5, 0.3)
RUN_ON_WORDS = (15, 20, 25, 30, 40)
NEAR_DUPLICATES = (0.8, 0.85, 0.9, 0.95, 1.01)
QUOTE_FACTORS = (1.0, 0.7, 0.5)


@dataclass(frozen=True)
class RankingInput:
    """What the ranker saw for one article, kept after spaCy's strings are freed."""

    source: str
    texts: tuple[str, ...]
    words: tuple[int, ...]
    bounds: tuple[tuple[int, int], ...]  # each sentence's key-point offsets (its trimmed slice of the source)
    embeddings: np.ndarray


class RecordingPipeline(Pipeline):
    """The real pipeline, also keeping each article's ``RankingInput`` (by article id)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.recorded: dict[str, RankingInput] = {}

    def _finish(self, w: _Work, embeddings: np.ndarray, abstract: str) -> Summary:
        ranked = w.sentences[: len(embeddings)]
        self.recorded[w.article.id] = RankingInput(
            source=w.source,
            texts=tuple(s.text for s in ranked),
            words=tuple(s.words for s in ranked),
            bounds=tuple(key_point_bounds(s.span, s.start, s.end) for s in ranked),
            embeddings=embeddings,
        )
        return super()._finish(w, embeddings, abstract)


def grid(base: RankerWeights) -> list[RankerWeights]:
    """The grid, the shipped constants included even if they move off it."""
    points = [base]
    points += [
        replace(base, run_on_factor=f, run_on_words=n, near_duplicate=d, quote_factor=q)
        for q in QUOTE_FACTORS
        for f in RUN_ON_FACTORS
        for n in (RUN_ON_WORDS if f < 1 else (base.run_on_words,))  # factor 1.0 is "off": no length to vary
        for d in NEAR_DUPLICATES
    ]
    return list(dict.fromkeys(points))  # RankerWeights is frozen, so hashable: duplicates go, order stays


def cross_validate(
    records: Sequence[NewsRecord], recorded: dict[str, RankingInput], key_points: int, shipped: RankerWeights
) -> dict[str, Any]:
    rouge1 = Rouge(("rouge1",))
    points = grid(shipped)
    r1 = np.zeros((len(points), len(records)))
    for j, record in enumerate(records):
        seen = recorded[record.id]
        memo: dict[str, float] = {}  # most grid points pick the same sentences
        for i, weights in enumerate(points):
            _, picked = rank_key_points(seen.embeddings, seen.texts, seen.words, key_points, weights)
            text = "\n".join(seen.source[slice(*seen.bounds[p])] for p in picked)
            if text not in memo:
                memo[text] = rouge1.f1(text, record.highlights)
            r1[i, j] = memo[text]
    fold = np.arange(len(records)) % FOLDS
    held_out = np.zeros(len(records))
    chosen = []
    for k in range(FOLDS):
        best = int(np.argmax(r1[:, fold != k].mean(axis=1)))
        held_out[fold == k] = r1[best, fold == k]
        w = points[best]
        chosen.append(
            {
                "run_on_factor": w.run_on_factor,
                "run_on_words": w.run_on_words,
                "near_duplicate": w.near_duplicate,
                "quote_factor": w.quote_factor,
            }
        )
    off = points.index(
        replace(shipped, run_on_factor=1.0, near_duplicate=NEAR_DUPLICATES[-1], quote_factor=1.0)
    )
    return {
        "folds": FOLDS,
        "grid_points": len(points),
        "held_out_rouge1": round(100 * float(held_out.mean()), 2),
        "shipped_in_sample_rouge1": round(100 * float(r1[points.index(shipped)].mean()), 2),
        "rules_off_rouge1": round(100 * float(r1[off].mean()), 2),
        "chosen_per_fold": chosen,
    }
