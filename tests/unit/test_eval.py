"""`make eval` code: loaders and scores on small synthetic inputs; the real data only where ../shared is."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from briefing_service.evaluation.__main__ import main
from briefing_service.evaluation.data import ConllSentence, load_cnndm, load_conll, url_slug_words
from briefing_service.evaluation.ner import token_tags as _token_tags
from briefing_service.evaluation.scoring import (
    Rouge,
    anchor_lines,
    seqeval_scores,
    slug_tokens,
    unigram_f1,
)

SHARED_EVAL = Path(__file__).resolve().parents[2].parent / "shared" / "eval"


def test_slug_words_from_daily_mail_urls_only() -> None:
    dm = "http://web.archive.org/web/1id_/http://www.dailymail.co.uk/news/article-1/Council-s-budget-wins-vote.html"
    assert url_slug_words(dm) == ["Council", "s", "budget", "wins", "vote"]
    assert url_slug_words("http://edition.cnn.com/2015/04/01/world/story/index.html") is None


def test_slug_rouge_drops_stopwords_and_case() -> None:
    assert slug_tokens("The Council's budget WINS a vote") == ["council", "budget", "wins", "vote"]
    assert unigram_f1(["council", "budget"], ["council", "budget", "wins", "vote"]) == pytest.approx(2 / 3)
    assert unigram_f1([], ["x"]) == 0.0


def test_rouge_and_anchor_lines() -> None:
    rouge = Rouge()
    same = rouge.mean(["the cat sat .\nit slept ."], ["the cat sat .\nit slept ."])
    assert same == {"rouge1": 100.0, "rouge2": 100.0, "rougeLsum": 100.0}
    assert anchor_lines("first one . second one .") == "first one .\nsecond one ."


def test_conll_loader_and_token_tags(tmp_path: Path) -> None:
    path = tmp_path / "c.txt"
    path.write_text(
        "-DOCSTART- -X- -X- O\n\nAna NNP B-NP B-PER\nOrtiz NNP I-NP I-PER\nwon VBD B-VP O\n\n"
        "-DOCSTART- -X- -X- O\n\nZembla NNP B-NP B-LOC\n"
    )
    docs = load_conll(path)
    assert [[s.tokens for s in d] for d in docs] == [[("Ana", "Ortiz", "won")], [("Zembla",)]]
    sentence = ConllSentence(("Ana", "Ortiz", "won"), ("B-PER", "I-PER", "O"))
    assert _token_tags(sentence, [(10, 19, "PER")], offset=10) == ["B-PER", "I-PER", "O"]
    scores = seqeval_scores([["B-PER", "I-PER", "O"]], [["B-PER", "I-PER", "O"]])
    assert scores["f1"] == 1.0 and scores["f1_PER"] == 1.0


def test_cnndm_loader(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    row = {"id": "a", "article": "Text.", "highlights": "H.", "url": "u", "anchor_bertsumext": "x ."}
    path.write_text(json.dumps(row) + "\n")
    (record,) = load_cnndm(path)
    assert record.anchors == {"anchor_bertsumext": "x ."} and record.highlights == "H."


def test_eval_skips_cleanly_without_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--cnndm", str(tmp_path / "no.jsonl"), "--conll", str(tmp_path / "no.txt")]) == 0
    assert "eval skipped" in capsys.readouterr().out


def test_eval_runs_the_real_pipeline_on_shared_data(pipeline: object) -> None:
    if not (SHARED_EVAL / "cnndm_dev.jsonl").exists() or not (SHARED_EVAL / "conll2003_test.txt").exists():
        pytest.skip("../shared/eval not present")
    from briefing_service.evaluation.parts import eval_key_points_and_headlines, eval_ner

    records = load_cnndm(SHARED_EVAL / "cnndm_dev.jsonl")[:3]
    out = eval_key_points_and_headlines(pipeline, records)  # type: ignore[arg-type]
    systems = out["key_points"]["systems"]
    assert set(systems) >= {"briefing key points (top 3)", "Lead-3 (same splitter)", "anchor_bertsumext"}
    assert out["headline"]["headline_words_max_all"] <= 20  # 14 where a checked headline fits, never over 20
    checks = out["headline"]["checks"]
    assert checks["articles"] == 3 and checks["junk"] == 0 and checks["over_20"] == 0
    ner = eval_ner(pipeline, load_conll(SHARED_EVAL / "conll2003_test.txt")[:2])  # type: ignore[arg-type]
    assert 0.0 < ner["f1"] <= 1.0


def test_eval_cross_validates_the_ranker_constants(pipeline: object) -> None:
    """The recorded ranking inputs re-rank to exactly what the pipeline listed: the shipped grid point's
    in-sample R1 is the key-point row's, so the held-out figure beside it is comparable."""
    if not (SHARED_EVAL / "cnndm_dev.jsonl").exists():
        pytest.skip("../shared/eval not present")
    from briefing_service.evaluation.parts import eval_key_points_and_headlines
    from briefing_service.evaluation.ranker_cv import FOLDS, RecordingPipeline, grid

    recording = RecordingPipeline(pipeline.nlp, pipeline.encoder)  # type: ignore[attr-defined]
    records = load_cnndm(SHARED_EVAL / "cnndm_dev.jsonl")[:FOLDS]
    kp = eval_key_points_and_headlines(recording, records)["key_points"]
    cv = kp["cross_validation"]
    assert set(recording.recorded) == {r.id for r in records}
    assert (
        cv["folds"] == FOLDS
        and cv["grid_points"] == len(grid(recording.weights)) == 240
        and len(cv["chosen_per_fold"]) == FOLDS
    )
    # Equal but for the order floats are summed in (rouge-score's mean vs numpy's).
    assert cv["shipped_in_sample_rouge1"] == pytest.approx(
        kp["systems"]["briefing key points (top 3)"]["rouge1"], abs=0.011
    )
    assert 0.0 < cv["held_out_rouge1"] <= 100.0


def test_headline_checks_count_what_a_reader_rejects_on_sight() -> None:
    from briefing_service.evaluation.headline_checks import headline_checks

    checks = headline_checks(
        [
            "(CNN)Council approves new budget",
            "PUBLISHED: 10:31 EST, 3 March 2015 Council approves budget",
            "Singer sued by actress whose",
            "Council approves the budget for the new stadium in the harbour district after a long and bitter row",
            "Council approves 'new budget",
            "Council approves new budget",
        ]
    )
    assert (checks["junk"], checks["ends_open"], checks["unbalanced_quotes"], checks["over_20"]) == (
        2,
        1,
        1,
        0,
    )
    assert checks["length_histogram"] == {"0-8": 4, "9-14": 1, "15-20": 1, ">20": 0}
    assert checks["at_most_14"] == 5
