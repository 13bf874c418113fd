"""The ranker's rules on hand-made embeddings: run-on caption pieces, near-duplicate key points and
sentences that open with a quotation."""

from __future__ import annotations

import numpy as np
import pytest
from briefing_service.keypoints.ranker import (
    RankerWeights,
    ends_as_sentence,
    opens_with_quote,
    rank_key_points,
    score_sentences,
    select_key_points,
)


def _unit(rows: list[list[float]]) -> np.ndarray:
    m = np.array(rows, dtype=np.float32)
    return m / np.linalg.norm(m, axis=1, keepdims=True)


@pytest.mark.parametrize(
    ("text", "ends"),
    [
        ("The council approved the budget.", True),
        ("'We will appeal,' she said.'", True),
        ('He asked: "Why now?"', True),
        ("The vote was close (AP).", True),
        ("Fans holding flares on the roof Russia head coach Fabio Capello scratches his head", False),
        ("Pensioner Terry said the badger burst through a hedge (stock image)", False),
        ("Goalkeeper:", False),
        ("Il a dit: «Non.»", True),
        ("The rate rose 5%.[1]", True),
    ],
)
def test_ends_as_sentence(text: str, ends: bool) -> None:
    assert ends_as_sentence(text) is ends


def test_a_long_piece_without_a_full_stop_is_scored_down() -> None:
    emb = _unit([[1, 0, 0], [1, 0, 0], [1, 0, 0]])
    w = RankerWeights()
    plain = score_sentences(emb, [30, 30, 30], w)
    runs = score_sentences(emb, [30, 30, 10], w, ends=[True, False, False])
    assert runs[0] == plain[0]
    assert runs[1] == pytest.approx(plain[1] * w.run_on_factor)  # 30 words, no stop: captions run together
    assert runs[2] == plain[2]  # short: a cut sentence or a label, left to the other rules


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        ("'I could not be happier with him,' O'Neill said.", True),
        ("“We will appeal,” she said.", True),
        ('"Why now?" he asked.', True),
        ("  ‘I was relieved,’ said Casey.", True),
        ("O'Neill said he could not be happier.", False),
        ("Casey said: 'I was relieved.'", False),
    ],
)
def test_opens_with_quote(text: str, quote: bool) -> None:
    assert opens_with_quote(text) is quote


def test_a_sentence_opening_with_a_quotation_is_scored_down() -> None:
    emb = _unit([[1, 0, 0], [1, 0, 0]])
    w = RankerWeights()
    plain = score_sentences(emb, [20, 20], w)
    scored = score_sentences(emb, [20, 20], w, quotes=[False, True])
    assert scored[0] == plain[0]
    assert scored[1] == pytest.approx(plain[1] * w.quote_factor)
    # Through rank_key_points: of two equal statements the reporter's is listed, not the quote, although the
    # quote comes first (identical embeddings, so only position and the quote rule tell them apart).
    texts = ["'The fund is closed,' the minister said.", "The minister said the fund is closed."]
    _, picked = rank_key_points(emb, texts, [20, 20], 1)
    assert picked == [1]


def test_near_duplicates_are_never_listed_together() -> None:
    # Sentence 1 repeats sentence 0 (cosine 0.995); MMR alone would take it second on its score.
    emb = _unit([[1, 0, 0], [1, 0.1, 0], [0.3, 1, 0], [0.3, 0, 1]])
    scores = np.array([1.0, 0.95, 0.3, 0.2], dtype=np.float32)
    assert select_key_points(scores, emb, 2, RankerWeights(near_duplicate=1.01)) == [0, 1]
    assert select_key_points(scores, emb, 2) == [0, 2]
    # When every sentence left repeats a picked one, fewer key points are listed, not a repeat.
    assert select_key_points(scores[:2], emb[:2], 2) == [0]


def test_rank_key_points_lists_the_picked_by_score() -> None:
    emb = _unit([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]])
    texts = ["One.", "Two.", "Three.", "Four."]
    scores, picked = rank_key_points(emb, texts, [8, 8, 8, 8], 3)
    assert len(picked) == 3 and len(set(picked)) == 3
    assert [float(scores[i]) for i in picked] == sorted((float(scores[i]) for i in picked), reverse=True)
