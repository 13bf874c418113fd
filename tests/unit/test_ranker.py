"""The key-point ranker on hand-made inputs: the learned scorer's file, the features, and the listing rules
(best first, no repeats, fragments left out, the first k of any longer list)."""

from __future__ import annotations

import numpy as np
import pytest
from briefing_service.keypoints import (
    FEATURE_NAMES,
    SentenceInfo,
    demote_page_text,
    is_page_text,
    key_point_order,
    load_scorer,
    rank_key_points,
    sentence_features,
)
from briefing_service.keypoints.features import ends_as_sentence, opens_with_quote


def _unit(rows: list[list[float]] | np.ndarray) -> np.ndarray:
    m = np.array(rows, dtype=np.float32)
    return m / np.linalg.norm(m, axis=1, keepdims=True)


def _info(
    text: str, names: tuple[str, ...] = (), reporting: bool = False, has_verb: bool = True
) -> SentenceInfo:
    return SentenceInfo(
        text=text, words=len(text.split()), names=names, reporting=reporting, has_verb=has_verb
    )


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


def test_the_shipped_scorer_matches_the_features() -> None:
    scorer = load_scorer()
    assert scorer.coef.shape == (len(FEATURE_NAMES),)
    assert "CC BY-NC" in scorer.about["license"]
    assert scorer.about["cv"]["rouge1"] > scorer.about["cv"]["lead3_rouge1"]


def test_features_are_one_row_per_sentence_in_document_order() -> None:
    rng = np.random.default_rng(0)
    emb = _unit(rng.normal(size=(5, 384)))
    infos = [
        _info(f"Sentence number {i} says something about the council vote.", ("council",)) for i in range(5)
    ]
    x = sentence_features(emb, infos)
    assert x.shape == (5, len(FEATURE_NAMES)) and x.dtype == np.float32
    first = FEATURE_NAMES.index("position_exp3")
    assert list(x[:, first]) == sorted(x[:, first], reverse=True)  # the smooth prior falls with position
    assert np.allclose(x[:, FEATURE_NAMES.index("embedding_0") :], emb)
    assert sentence_features(np.zeros((0, 384), dtype=np.float32), []).shape == (0, len(FEATURE_NAMES))


def test_listing_is_by_score_and_skips_repeats_and_fragments() -> None:
    emb = _unit([[1, 0, 0], [1, 0.05, 0], [0, 1, 0], [0, 0, 1], [0.2, 0.2, 1]])
    infos = [
        _info("The council approved the new library budget on Tuesday night."),
        _info("Councillors approved the library budget after a long debate."),  # the same, cosine 0.999
        _info("The mayor said opening hours would be extended across the city."),
        _info("Opening hours would be extended, the mayor said on Wednesday."),  # shares "the mayor said"
        _info("Click here."),  # a fragment
    ]
    scores = np.array([0.9, 0.8, 0.7, 0.6, 0.95], dtype=np.float32)
    assert key_point_order(scores, emb, infos) == [0, 2]
    # Ties go to the earlier sentence.
    assert key_point_order(np.full(5, 0.5, dtype=np.float32), emb, infos) == [0, 2]


def test_fewer_key_points_are_the_first_of_more() -> None:
    rng = np.random.default_rng(7)
    for trial in range(50):
        n = int(rng.integers(1, 40))
        emb = _unit(rng.normal(size=(n, 384)) + rng.normal(size=384))  # a shared topic: some near repeats
        words = ["budget", "council", "mayor", "library", "vote", "city", "road", "debate", "night"]
        # Some end as sentences end and some do not, so some are demoted as page text.
        infos = [
            _info(" ".join(rng.choice(words, size=int(rng.integers(2, 25)))) + str(rng.choice(["", "."])))
            for _ in range(n)
        ]
        full_scores, full = rank_key_points(emb, infos, 20)
        for k in range(1, len(full)):
            scores, picked = rank_key_points(emb, infos, k)
            assert picked == full[:k], trial
            assert np.array_equal(scores, full_scores)
        assert [full_scores[i] for i in full] == sorted((full_scores[i] for i in full), reverse=True)


def test_no_sentences_no_key_points() -> None:
    scores, picked = rank_key_points(np.zeros((0, 384), dtype=np.float32), [], 3)
    assert scores.shape == (0,) and picked == []


@pytest.mark.parametrize(
    ("text", "page"),
    [
        ("The council approved the new library budget on Tuesday night.", False),
        ("Mayor Ana Vell said the library would open on Sundays from June.", False),
        ("The mayor was pictured at the opening of the library on Sunday.", False),  # a story about a photo
        ("He said: The vote was never in doubt.", False),
        ("Councillor Tom Reed (pictured) voted against the budget.", True),
        ("Ana Vell (left) and Tom Reed (right) clashed over the budget.", True),
        ("The reading room will be rebuilt by the spring (file photo).", True),
        ("Ana Vell, pictured with her son, opened the new wing.", True),
        ("Budget row: Councillors argued for three hours before the vote.", True),
        ("Pictured: The library's new reading room.", True),
        ("Scroll down for video of the opening.", True),
        ("Click here to read the full budget.", True),
        ("Councillors leave the chamber after the vote", True),  # a caption glued to the next sentence
    ],
)
def test_page_text(text: str, page: bool) -> None:
    assert is_page_text(_info(text)) is page


def test_a_heading_without_a_verb_is_page_text() -> None:
    assert is_page_text(_info("Mayor Ana Vell on her plans for the city.", has_verb=False))


def test_page_text_is_listed_after_the_story_in_its_own_order() -> None:
    emb = _unit(np.eye(5))
    infos = [
        _info("Councillor Tom Reed (pictured) voted against the new library budget."),
        _info("The council approved the new library budget on Tuesday night."),
        _info("Scroll down for video of the council meeting."),
        _info("The mayor said opening hours would be extended across the city."),
        _info("Shops near the library expect more trade at weekends."),
    ]
    raw = np.array([0.9, 0.8, 0.7, 0.3, 0.2], dtype=np.float32)
    scores = demote_page_text(raw, infos)
    assert key_point_order(scores, emb, infos) == [1, 3, 4, 0, 2]
    assert np.array_equal(scores[[1, 3, 4]], raw[[1, 3, 4]])
    assert 0 < scores[2] < scores[0] < scores[4]
    # Only page text: nothing else to list, so nothing moves.
    only = [infos[0], infos[2]]
    assert np.array_equal(demote_page_text(raw[[0, 2]], only), raw[[0, 2]])
