"""Scores: ROUGE for key points (rouge-score), slug ROUGE-1 for headlines, seqeval for NER."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from briefing_service.entities import COARSE

# Function words dropped from both headline and slug before ROUGE-1: slugs keep some and drop others
# ("Let-s-not-fly"), so they would only add noise. "s" is the remnant of an apostrophe ("Clinton-s").
STOPWORDS = frozenset(
    """a an the and or but of to in on at for by with from as is are was were be been being has have had
    it its this that these those he she they his her their him them we our you your i my me s t after
    into over about up out off than then so not no will would can could""".split()
)


def slug_tokens(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in STOPWORDS]


def unigram_f1(candidate: Sequence[str], reference: Sequence[str]) -> float:
    if not candidate or not reference:
        return 0.0
    overlap = sum((Counter(candidate) & Counter(reference)).values())
    if overlap == 0:
        return 0.0
    p, r = overlap / len(candidate), overlap / len(reference)
    return 2 * p * r / (p + r)


class Rouge:
    """Mean ROUGE-1/2/Lsum F1 x 100 with rouge-score and the Porter stemmer; one summary sentence a line."""

    TYPES = ("rouge1", "rouge2", "rougeLsum")

    def __init__(self, types: Sequence[str] = TYPES) -> None:
        from rouge_score import rouge_scorer

        self.types = tuple(types)
        self._scorer = rouge_scorer.RougeScorer(list(self.types), use_stemmer=True)

    def f1(self, prediction: str, reference: str) -> float:
        """The first type's F1 (0-1) for one pair."""
        return float(self._scorer.score(reference, prediction)[self.types[0]].fmeasure)

    def mean(self, predictions: Sequence[str], references: Sequence[str]) -> dict[str, float]:
        totals = dict.fromkeys(self.types, 0.0)
        for pred, ref in zip(predictions, references, strict=True):
            scores = self._scorer.score(ref, pred)
            for t in self.types:
                totals[t] += scores[t].fmeasure
        n = max(len(predictions), 1)
        return {t: round(100 * v / n, 2) for t, v in totals.items()}


_ANCHOR_SENT = re.compile(r"(?<=[.!?])\s+(?=\S)")


def anchor_lines(text: str) -> str:
    """The stored anchors are PTB-tokenized running text; one sentence a line for ROUGE-Lsum."""
    return "\n".join(s.strip() for s in _ANCHOR_SENT.split(text.strip()) if s.strip())


# OntoNotes -> CoNLL-2003 (the mapping the issue fixes); labels not listed are dropped.
ONTONOTES_TO_CONLL = COARSE  # the same table the entity tagger's classes are matched with


def seqeval_scores(gold: list[list[str]], pred: list[list[str]]) -> dict[str, float]:
    """Entity-level micro P/R/F1 and per-type F1 (seqeval, IOB2)."""
    from seqeval.metrics import classification_report, f1_score, precision_score, recall_score

    out = {
        "precision": round(float(precision_score(gold, pred)), 4),
        "recall": round(float(recall_score(gold, pred)), 4),
        "f1": round(float(f1_score(gold, pred)), 4),
    }
    report = classification_report(gold, pred, output_dict=True, zero_division=0)
    for label in ("PER", "ORG", "LOC", "MISC"):
        if label in report:
            out[f"f1_{label}"] = round(float(report[label]["f1-score"]), 4)
    return out
