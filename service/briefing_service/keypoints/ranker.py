"""Sentence ranking and key-point selection.

Every sentence gets the learned scorer's score (scorer.py over features.py); a sentence that reads as a caption,
a site prompt, a heading or a cut-off piece has its score put below every other one (page_text.py). Key points
are then listed greedily, best score first, skipping any sentence that repeats one already listed. The order is worked out
for the whole article, independently of how many key points were asked for, and ``max_key_points=k`` is its
first k: a caller who asks for fewer gets the top of the same list, in the same order with the same scores.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from briefing_service.keypoints.features import sentence_features
from briefing_service.keypoints.page_text import demote_page_text
from briefing_service.keypoints.scorer import KeyPointScorer, load_scorer
from briefing_service.keypoints.sentences import SentenceInfo

# A sentence repeats a listed one when their embeddings are this close (a standfirst and the lead it restates,
# a caption that repeats a paragraph) ...
NEAR_DUPLICATE = 0.9
# ... or when this share of its content words is already in one listed sentence (the same fact restated in
# other order or with a detail added). The scorer file carries the share chosen with its weights by
# `make keypoint-model`'s cross-validation; this is the default for direct calls.
REPEAT_SHARE = 0.4
MIN_WORDS = 4  # shorter pieces are fragments or labels, never key points
_WORD = re.compile(r"[^\W_]+")
# Words that say nothing about content: a shared "the ... said" makes no repeat.
_FUNCTION_WORDS = frozenset(
    """a an the and or but of to in on at for by with from as is are was were be been has have had it its this
    that he she they his her their i we you said says will would""".split()
)


def content_words(text: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(text.lower()) if w not in _FUNCTION_WORDS)


def key_point_order(
    scores: np.ndarray,
    embeddings: np.ndarray,
    sentences: Sequence[SentenceInfo],
    limit: int | None = None,
    *,
    repeat_share: float = REPEAT_SHARE,
) -> list[int]:
    """The sentences that may be key points, best first: greedy by score (ties: the earlier sentence), one that
    repeats a sentence already listed left out. Greedy, so stopping at ``limit`` gives the first ``limit`` of
    the whole list: the order never depends on how many key points are wanted."""
    listed: list[int] = []
    words: list[frozenset[str]] = []
    for i in np.argsort(-scores, kind="stable"):
        i = int(i)
        if sentences[i].words < MIN_WORDS:
            continue
        if listed and float((embeddings[listed] @ embeddings[i]).max()) >= NEAR_DUPLICATE:
            continue
        own = content_words(sentences[i].text)
        if own and any(len(own & w) >= repeat_share * len(own) for w in words):
            continue
        listed.append(i)
        words.append(own)
        if limit is not None and len(listed) >= limit:
            break
    return listed


def rank_key_points(
    embeddings: np.ndarray,
    sentences: Sequence[SentenceInfo],
    k: int,
    scorer: KeyPointScorer | None = None,
) -> tuple[np.ndarray, list[int]]:
    """Every sentence's listing score (document order; page text demoted, see page_text.py) and the first
    ``k`` key points (sentence indices), best first."""
    if not len(sentences):
        return np.zeros(0, dtype=np.float32), []
    scorer = scorer or load_scorer()
    scores = demote_page_text(scorer.scores(sentence_features(embeddings, sentences)), sentences)
    if k <= 0:
        return scores, []
    return scores, key_point_order(scores, embeddings, sentences, limit=k, repeat_share=scorer.repeat_share)


def document_vector(embeddings: np.ndarray, picked: Sequence[int]) -> tuple[float, ...]:
    """Unit mean of the key points' embeddings: what the article says, in MiniLM space, for grouping articles
    into stories. Key points, not all sentences: they are the article's news, not its background."""
    rows = embeddings[list(picked)] if len(picked) else embeddings
    if not len(rows):
        return ()
    mean = rows.mean(axis=0)
    norm = float(np.linalg.norm(mean))
    return tuple(float(x) for x in (mean / norm if norm else mean))
