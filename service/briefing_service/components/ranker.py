"""Sentence ranking and key-point selection.

Score = a lead-position prior (news puts the main facts first) blended with centrality (cosine similarity to
the article's mean embedding: sentences that say what the whole article says). Key points are then picked with
maximal marginal relevance so two near-identical sentences do not both make the list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class RankerWeights:
    position: float = 0.55
    centrality: float = 0.45
    position_decay: float = 4.0  # sentences; the prior halves roughly every 2.8 sentences
    min_words: int = 5  # shorter sentences are fragments, captions or datelines
    mmr_lambda: float = 0.7  # relevance vs novelty


def _minmax(values: np.ndarray) -> np.ndarray:
    lo, hi = float(values.min()), float(values.max())
    if hi - lo < 1e-9:
        return np.ones_like(values)
    return (values - lo) / (hi - lo)


def score_sentences(
    embeddings: np.ndarray, word_counts: Sequence[int], weights: RankerWeights | None = None
) -> np.ndarray:
    """Return one score in [0, 1] per sentence (row of ``embeddings``), in document order."""
    w = weights or RankerWeights()
    n = embeddings.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.float32)
    centroid = embeddings.mean(axis=0)
    norm = float(np.linalg.norm(centroid))
    centrality = embeddings @ (centroid / norm) if norm > 0 else np.zeros(n, dtype=np.float32)
    position = np.exp(-np.arange(n, dtype=np.float32) / w.position_decay)
    scores = w.position * position + w.centrality * _minmax(centrality)
    too_short = np.array([c < w.min_words for c in word_counts], dtype=bool)
    scores = np.where(too_short, scores * 0.3, scores)
    return np.clip(scores, 0.0, 1.0).astype(np.float32)


def select_key_points(
    scores: np.ndarray, embeddings: np.ndarray, k: int, weights: RankerWeights | None = None
) -> list[int]:
    """Pick up to ``k`` sentence indices by MMR, best first."""
    w = weights or RankerWeights()
    remaining = list(range(len(scores)))
    chosen: list[int] = []
    while remaining and len(chosen) < k:
        if chosen:
            redundancy = (embeddings[remaining] @ embeddings[chosen].T).max(axis=1)
        else:
            redundancy = np.zeros(len(remaining))
        mmr = w.mmr_lambda * scores[remaining] - (1 - w.mmr_lambda) * redundancy
        best = remaining[int(np.argmax(mmr))]
        chosen.append(best)
        remaining.remove(best)
    return chosen


def document_vector(embeddings: np.ndarray, picked: Sequence[int]) -> tuple[float, ...]:
    """Unit mean of the key points' embeddings: what the article says, in MiniLM space, for grouping articles
    into stories. Key points, not all sentences: they are the article's news, not its background."""
    rows = embeddings[list(picked)] if len(picked) else embeddings
    if not len(rows):
        return ()
    mean = rows.mean(axis=0)
    norm = float(np.linalg.norm(mean))
    return tuple(float(x) for x in (mean / norm if norm else mean))
