"""`make keypoint-model`: train the key-point scorer (keypoints/data/keypoint_scorer.npz).

Data: ``cnndm_llm_train.jsonl`` only (1,000 CNN/DailyMail training articles with GPT-4 and GPT-3.5 summaries;
CC BY-NC 4.0, research use). The report sets (``cnndm_llm_val.jsonl``, ``cnndm_dev.jsonl``) are never read here.

Labels: each article's greedy ROUGE oracle against a reference summary: sentences are added one at a time while
ROUGE-1 + ROUGE-2 F1 of the set still rises (rouge-score's tokenizer and stemmer). Every feature row is the one
the server computes (keypoint_data.prepare runs the pipeline's own steps; keypoints.sentence_features).

Model: logistic regression (scikit-learn, lbfgs: deterministic) on standardised features; the standardisation
is folded into the weights so the server needs numpy only. The regularisation strength and the repeat rule's
share (``keypoints.key_point_order``) are chosen by 5-fold cross-validation over articles (article i in fold
i % 5), scoring what the server would list, the top three key points, by ROUGE-1 F1 against both references
(the best mean wins), beside Lead-3 on the same articles. The CV figures are printed and stored in the file.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from briefing_service.evaluation.keypoint_data import EmbeddingCache, RankingInput, prepare
from briefing_service.keypoints import SCORER_PATH, KeyPointScorer, key_point_order, sentence_features

FOLDS = 5
C_GRID = (0.01, 0.03, 0.1)
REPEAT_SHARES = (0.3, 0.4, 0.5)
KEY_POINTS = 3
REFERENCES = ("summary_gpt4", "summary_gpt3")  # each article's oracle against both: two label sets
LICENSE = (
    "trained on cnndm_llm_train.jsonl (SumLLM, Liu et al. 2023), CC BY-NC 4.0: research use only; "
    "the article text remains (c) CNN / Daily Mail"
)


class RougeTokens:
    """ROUGE-1/2 F1 on token lists from rouge-score's own tokenizer and Porter stemmer (what `make eval`
    scores with), counted here so the oracle search and the CV grid are cheap."""

    def __init__(self) -> None:
        from rouge_score import rouge_scorer

        self._tokenizer = rouge_scorer.RougeScorer(["rouge1"], use_stemmer=True)._tokenizer
        self._memo: dict[str, tuple[str, ...]] = {}

    def tokens(self, text: str) -> tuple[str, ...]:
        got = self._memo.get(text)
        if got is None:
            got = self._memo[text] = tuple(self._tokenizer.tokenize(text))
        return got

    @staticmethod
    def grams(tokens: Sequence[str], n: int) -> Counter[tuple[str, ...]]:
        return Counter(zip(*(tokens[i:] for i in range(n)), strict=False))

    @staticmethod
    def f1(candidate: Counter[tuple[str, ...]], reference: Counter[tuple[str, ...]]) -> float:
        overlap = sum((candidate & reference).values())
        if not overlap:
            return 0.0
        p, r = overlap / sum(candidate.values()), overlap / sum(reference.values())
        return 2 * p * r / (p + r)

    def scores(self, pieces: Sequence[str], reference: Reference) -> tuple[float, float]:
        tokens = [t for p in pieces for t in self.tokens(p)]
        return self.f1(self.grams(tokens, 1), reference.unigrams), self.f1(
            self.grams(tokens, 2), reference.bigrams
        )


@dataclass(frozen=True)
class Reference:
    unigrams: Counter[tuple[str, ...]]
    bigrams: Counter[tuple[str, ...]]

    @classmethod
    def of(cls, rouge: RougeTokens, text: str) -> Reference:
        tokens = rouge.tokens(text)
        return cls(rouge.grams(tokens, 1), rouge.grams(tokens, 2))


def greedy_oracle(rouge: RougeTokens, texts: Sequence[str], reference: Reference, most: int = 5) -> list[int]:
    """Sentence indices added one at a time while ROUGE-1 + ROUGE-2 F1 of the set (in document order) rises."""
    chosen: list[int] = []
    best = 0.0
    while len(chosen) < most:
        pick = None
        for i in range(len(texts)):
            if i in chosen:
                continue
            value = sum(rouge.scores([texts[j] for j in sorted([*chosen, i])], reference))
            if value > best + 1e-9:
                best, pick = value, i
        if pick is None:
            break
        chosen.append(pick)
    return chosen


def fit(x: np.ndarray, y: np.ndarray, c: float) -> tuple[np.ndarray, float]:
    """Logistic regression on standardised columns; returns weights and intercept on the raw columns."""
    from sklearn.linear_model import LogisticRegression

    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-8] = 1.0
    model = LogisticRegression(C=c, max_iter=5000, random_state=0).fit((x - mean) / scale, y)
    coef = model.coef_[0] / scale
    return coef.astype(np.float32), float(model.intercept_[0] - coef @ mean)


@dataclass
class TrainingSet:
    inputs: list[RankingInput]
    features: list[np.ndarray]
    labels: list[list[np.ndarray]]  # per article, one 0/1 row per reference
    references: list[list[Reference]]  # per article, one per field of REFERENCES


def training_set(rouge: RougeTokens, inputs: list[RankingInput], rows: list[dict[str, str]]) -> TrainingSet:
    features, labels, references = [], [], []
    for x, row in zip(inputs, rows, strict=True):
        texts = [s.text for s in x.sentences]
        features.append(sentence_features(x.embeddings, x.sentences).astype(np.float64))
        refs = [Reference.of(rouge, row[field]) for field in REFERENCES]
        per_ref = []
        for ref in refs:
            y = np.zeros(len(texts))
            y[greedy_oracle(rouge, texts, ref)] = 1.0
            per_ref.append(y)
        labels.append(per_ref)
        references.append(refs)
    return TrainingSet(inputs, features, labels, references)


def stack(ts: TrainingSet, articles: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    xs = [ts.features[j] for j in articles for _ in ts.labels[j]]
    ys = [y for j in articles for y in ts.labels[j]]
    return np.vstack(xs), np.concatenate(ys)


def r1_per_reference(rouge: RougeTokens, ts: TrainingSet, j: int, picked: Sequence[int]) -> np.ndarray:
    x = ts.inputs[j]
    pieces = [x.text(i) for i in picked]
    return np.array([rouge.scores(pieces, ref)[0] for ref in ts.references[j]])


def cross_validate(rouge: RougeTokens, ts: TrainingSet, c: float) -> dict[float, np.ndarray]:
    """Mean R1 x 100 per reference of the held-out top three, for each repeat share."""
    fold = np.arange(len(ts.inputs)) % FOLDS
    r1 = {share: np.zeros((len(ts.inputs), len(REFERENCES))) for share in REPEAT_SHARES}
    for k in range(FOLDS):
        coef, intercept = fit(*stack(ts, [int(j) for j in np.flatnonzero(fold != k)]), c)
        for j in (int(i) for i in np.flatnonzero(fold == k)):
            x = ts.inputs[j]
            scores = (ts.features[j] @ coef + intercept).astype(np.float32)
            for share in REPEAT_SHARES:
                picked = key_point_order(scores, x.embeddings, x.sentences, KEY_POINTS, repeat_share=share)
                r1[share][j] = r1_per_reference(rouge, ts, j, picked)
    return {share: 100 * v.mean(axis=0) for share, v in r1.items()}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="keypoint-model", description=__doc__)
    p.add_argument("--train", type=Path, default=Path("../shared/eval/cnndm_llm_train.jsonl"))
    p.add_argument("--out", type=Path, default=SCORER_PATH)
    p.add_argument("--cache", type=Path, default=None, help="an embedding cache file (by sentence text)")
    args = p.parse_args(argv)
    if not args.train.exists():
        print(f"keypoint-model skipped: {args.train} not found (the data lives in ../shared, optional)")
        return 0
    from threadpoolctl import threadpool_limits

    from briefing_service.models import MiniLMEncoder
    from briefing_service.parsing import load_spacy
    from briefing_service.settings import Settings

    t0 = time.perf_counter()
    rows = [json.loads(line) for line in args.train.read_text(encoding="utf-8").splitlines() if line.strip()]
    encoder = MiniLMEncoder(precision=Settings().encoder_precision)
    cache = EmbeddingCache(encoder, args.cache)
    inputs = prepare(load_spacy(), cache, [(r["id"], r["article"]) for r in rows])
    keep = [j for j, x in enumerate(inputs) if x.sentences]
    rouge = RougeTokens()
    ts = training_set(rouge, [inputs[j] for j in keep], [rows[j] for j in keep])
    print(
        f"{len(ts.inputs)} articles, {sum(len(f) for f in ts.features)} sentences, encoder {encoder.version}"
    )
    lead3 = 100 * np.mean(
        [
            r1_per_reference(rouge, ts, j, range(min(KEY_POINTS, len(x.sentences))))
            for j, x in enumerate(ts.inputs)
        ],
        axis=0,
    )
    refs = " / ".join(REFERENCES)
    print(f"R1 vs {refs}; {FOLDS}-fold CV over articles (article i in fold i % {FOLDS})")
    print(f"  Lead-3                       {lead3[0]:.2f} / {lead3[1]:.2f}")
    cv: dict[tuple[float, float], np.ndarray] = {}
    # One thread: the same sums in the same order on every run, so the same weights.
    with threadpool_limits(1):
        for c in C_GRID:
            for share, r1 in cross_validate(rouge, ts, c).items():
                cv[(c, share)] = r1
                gain = float((r1 - lead3).mean())
                print(
                    f"  C={c:<5} repeat share {share}:  {r1[0]:.2f} / {r1[1]:.2f}  (mean {gain:+.2f} over Lead-3)",
                    flush=True,
                )
        best = max(cv, key=lambda key: (float(cv[key].mean()), key))
        coef, intercept = fit(*stack(ts, range(len(ts.inputs))), best[0])
    c, share = best
    about = {
        "model": f"logistic regression, C={c}",
        "trained_on": f"cnndm_llm_train ({len(ts.inputs)} articles; greedy oracle labels vs {' and '.join(REFERENCES)})",
        "license": LICENSE,
        "encoder": encoder.version,
        "cv": {
            "folds": FOLDS,
            "references": list(REFERENCES),
            "rouge1": [round(float(v), 2) for v in cv[best]],
            "lead3_rouge1": [round(float(v), 2) for v in lead3],
        },
    }
    KeyPointScorer(coef=coef, intercept=intercept, repeat_share=share, about=about).save(args.out)
    print(
        f"chose C={c}, repeat share {share}: CV R1 {cv[best][0]:.2f} / {cv[best][1]:.2f}, Lead-3 {lead3[0]:.2f} / "
        f"{lead3[1]:.2f}; wrote {args.out} ({time.perf_counter() - t0:.0f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
