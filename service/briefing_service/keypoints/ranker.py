"""Sentence ranking and key-point selection.

Score = a lead-position prior (news puts the main facts first) blended with centrality (cosine similarity to
the article's mean embedding: sentences that say what the whole article says). Key points are then picked with
maximal marginal relevance, and a sentence that says what a picked one says (cosine >= ``near_duplicate``) is
never listed beside it: MMR alone let a page's standfirst and the lead sentence it repeats both through.
A sentence that opens with a quotation ("'I could not be happier,' he said.") is scored down: a key point is
the reporter's statement of the news, and a quote read out of its article rarely is one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

# A sentence ends with a stop, question or exclamation mark, perhaps inside closing quotes or brackets. A colon
# or semicolon does not end one: a long piece ending so is a cut sentence or a caption label, scored down too.
_ENDS_AS_SENTENCE = re.compile(r"""[.!?…](?:\s*['"’”»›)\]])*(?:\[\d+\])?$""")
# Opening quotation marks, straight and typographic (a straight single quote too: pages quote with it).
_OPENING_QUOTES = frozenset("\"'“‘«‹„")


@dataclass(frozen=True)
class RankerWeights:
    position: float = 0.55
    centrality: float = 0.45
    position_decay: float = 4.0  # sentences; the prior halves roughly every 2.8 sentences
    min_words: int = 5  # shorter sentences are fragments, captions or datelines
    mmr_lambda: float = 0.7  # relevance vs novelty
    # A piece of this many words that does not end as a sentence ends is mostly picture captions run together
    # (pages set several in a row without full stops); its score is scaled by run_on_factor.
    run_on_words: int = 25
    run_on_factor: float = 0.7
    near_duplicate: float = 0.9  # cosine at which a sentence repeats one already picked
    quote_factor: float = 0.7  # score scale of a sentence that opens with a quotation


def _minmax(values: np.ndarray) -> np.ndarray:
    lo, hi = float(values.min()), float(values.max())
    if hi - lo < 1e-9:
        return np.ones_like(values)
    return (values - lo) / (hi - lo)


def ends_as_sentence(text: str) -> bool:
    return bool(_ENDS_AS_SENTENCE.search(text.rstrip()))


def opens_with_quote(text: str) -> bool:
    return text.lstrip()[:1] in _OPENING_QUOTES


def score_sentences(
    embeddings: np.ndarray,
    word_counts: Sequence[int],
    weights: RankerWeights | None = None,
    ends: Sequence[bool] | None = None,
    quotes: Sequence[bool] | None = None,
) -> np.ndarray:
    """Return one score in [0, 1] per sentence (row of ``embeddings``), in document order. ``ends``: whether
    each sentence ends as a sentence ends (``ends_as_sentence``); None counts every one as ending so.
    ``quotes``: whether each opens with a quotation (``opens_with_quote``); None counts none as opening so."""
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
    if ends is not None:
        run_on = np.array([not e and c >= w.run_on_words for e, c in zip(ends, word_counts, strict=True)])
        scores = np.where(run_on, scores * w.run_on_factor, scores)
    if quotes is not None:
        scores = np.where(np.array(quotes, dtype=bool), scores * w.quote_factor, scores)
    return np.clip(scores, 0.0, 1.0).astype(np.float32)


def select_key_points(
    scores: np.ndarray, embeddings: np.ndarray, k: int, weights: RankerWeights | None = None
) -> list[int]:
    """Pick up to ``k`` sentence indices by MMR, best first; none that repeats one already picked."""
    w = weights or RankerWeights()
    remaining = list(range(len(scores)))
    chosen: list[int] = []
    while remaining and len(chosen) < k:
        if chosen:
            redundancy = (embeddings[remaining] @ embeddings[chosen].T).max(axis=1)
            novel = redundancy < w.near_duplicate
            remaining = [r for r, keep in zip(remaining, novel, strict=True) if keep]
            redundancy = redundancy[novel]
            if not remaining:
                break
        else:
            redundancy = np.zeros(len(remaining))
        mmr = w.mmr_lambda * scores[remaining] - (1 - w.mmr_lambda) * redundancy
        best = remaining[int(np.argmax(mmr))]
        chosen.append(best)
        remaining.remove(best)
    return chosen


def rank_key_points(
    embeddings: np.ndarray,
    texts: Sequence[str],
    word_counts: Sequence[int],
    k: int,
    weights: RankerWeights | None = None,
) -> tuple[np.ndarray, list[int]]:
    """Every sentence's score and up to ``k`` key points picked (indices), highest score first: MMR decides
    which sentences, the response lists them by their own score, as the API promises."""
    scores = score_sentences(
        embeddings,
        word_counts,
        weights,
        ends=[ends_as_sentence(t) for t in texts],
        quotes=[opens_with_quote(t) for t in texts],
    )
    picked = select_key_points(scores, embeddings, k, weights)
    return scores, sorted(picked, key=lambda i: -float(scores[i]))


def document_vector(embeddings: np.ndarray, picked: Sequence[int]) -> tuple[float, ...]:
    """Unit mean of the key points' embeddings: what the article says, in MiniLM space, for grouping articles
    into stories. Key points, not all sentences: they are the article's news, not its background."""
    rows = embeddings[list(picked)] if len(picked) else embeddings
    if not len(rows):
        return ()
    mean = rows.mean(axis=0)
    norm = float(np.linalg.norm(mean))
    return tuple(float(x) for x in (mean / norm if norm else mean))
