"""`make eval` code: loaders and scores on small synthetic inputs; the real data only where ../shared is."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from briefing_service.evaluation.__main__ import main
from briefing_service.evaluation.data import (
    ConllSentence,
    load_cnndm,
    load_conll,
    load_llm_summaries,
    summary_lines,
    url_slug_words,
)
from briefing_service.evaluation.ner import token_tags as _token_tags
from briefing_service.evaluation.report import key_point_lines
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
    missing = ["--llm-val", str(tmp_path / "no-val.jsonl"), "--cnndm", str(tmp_path / "no.jsonl")]
    assert main([*missing, "--conll", str(tmp_path / "no.txt")]) == 0
    assert "eval skipped" in capsys.readouterr().out


def test_eval_runs_the_real_pipeline_on_shared_data(pipeline: object) -> None:
    if not (SHARED_EVAL / "cnndm_dev.jsonl").exists() or not (SHARED_EVAL / "conll2003_test.txt").exists():
        pytest.skip("../shared/eval not present")
    from briefing_service.evaluation.parts import eval_key_points_and_headlines, eval_ner

    records = load_cnndm(SHARED_EVAL / "cnndm_dev.jsonl")[:3]
    out = eval_key_points_and_headlines(pipeline, records)  # type: ignore[arg-type]
    systems = out["key_points"]["systems"]
    assert set(systems) >= {
        "briefing key points (top 3)",
        "Lead-3 (same splitter)",
        "BertSumExt (stored outputs)",
    }
    assert out["headline"]["headline_words_max_all"] <= 20  # 14 where a checked headline fits, never over 20
    checks = out["headline"]["checks"]
    assert checks["articles"] == 3 and checks["junk"] == 0 and checks["over_20"] == 0
    ner = eval_ner(pipeline, load_conll(SHARED_EVAL / "conll2003_test.txt")[:2])  # type: ignore[arg-type]
    assert 0.0 < ner["f1"] <= 1.0


def test_llm_summaries_are_scored_one_sentence_a_line(tmp_path: Path) -> None:
    assert summary_lines(
        'The mayor said "No." Then the U.S. envoy left. Dr. Ana Ortiz won 3.5 points! Why?'
    ) == ('The mayor said "No."\nThen the U.S. envoy left.\nDr. Ana Ortiz won 3.5 points!\nWhy?')
    path = tmp_path / "v.jsonl"
    rows = [
        {"id": "a", "article": "Text one.", "summary_chatgpt": "First. Second.", "summary_gpt4": ""},
        {"id": "b", "article": "Text two.", "summary_chatgpt": "", "summary_gpt4": "Only GPT-4."},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    (record,) = load_llm_summaries(path, "summary_chatgpt")
    assert record.id == "a" and record.highlights == "First.\nSecond." and record.anchors == {}


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


def test_the_key_point_table_shows_both_report_sets_side_by_side() -> None:
    def one(articles: int, reference: str, anchors: bool) -> dict[str, object]:
        systems = {
            "briefing key points (top 3)": {"rouge1": 44.0, "rouge2": 20.0, "rougeLsum": 40.0},
            "Lead-3 (same splitter)": {"rouge1": 42.5, "rouge2": 19.0, "rougeLsum": 38.0},
        }
        if anchors:
            systems["BertSumExt (stored outputs)"] = {"rouge1": 43.25, "rouge2": 20.4, "rougeLsum": 40.18}
        return {"articles": articles, "reference": reference, "systems": systems, "r1_over_lead3": 1.5}

    scorer = {
        "model": "logistic regression, C=0.03",
        "trained_on": "cnndm_llm_train",
        "cv": {"folds": 5, "references": ["gpt4"], "rouge1": [56.0], "lead3_rouge1": [55.0]},
    }
    lines = key_point_lines({"val": one(999, "ChatGPT", False), "dev": one(143, "highlights", True)}, scorer)
    text = "\n".join(lines)
    assert "val: 999, ChatGPT" in text and "dev: 143, highlights" in text
    bert = next(line for line in lines if line.lstrip().startswith("BertSumExt"))
    assert "—" in bert and "43.25" in bert  # no anchor on val, the stored one on dev
    assert text.count("+1.50") == 2 and "gpt4 56.00 (55.00)" in text
