"""The learned key-point scorer: a logistic regression over ``features.FEATURE_NAMES``, so a sentence's score
is one dot product and a logistic: the chance that the sentence belongs to a reference summary's closest set
of article sentences (its greedy ROUGE oracle).

Trained by ``make keypoint-model`` (evaluation/keypoint_train.py) on ``cnndm_llm_train.jsonl``: 1,000
CNN/DailyMail articles with GPT-4 and GPT-3.5 reference summaries (Liu et al. 2023, SumLLM), which are
licensed CC BY-NC 4.0, research use only; the weights in data/keypoint_scorer.npz are derived from them and
carry the same terms. The file holds the weights with the standardisation folded in, the feature names they
belong to, and the cross-validation figures printed when it was trained.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from briefing_service.keypoints.features import FEATURE_NAMES

SCORER_PATH = Path(__file__).resolve().parent / "data" / "keypoint_scorer.npz"


@dataclass(frozen=True)
class KeyPointScorer:
    coef: np.ndarray  # one weight per feature of FEATURE_NAMES
    intercept: float
    repeat_share: float  # ranker.key_point_order's repeat rule, chosen with the weights
    about: dict[str, Any]  # how it was trained and what cross-validation measured

    def scores(self, features: np.ndarray) -> np.ndarray:
        """One score in (0, 1) per row of ``features``."""
        z = features.astype(np.float32) @ self.coef + np.float32(self.intercept)
        return (1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))).astype(np.float32)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as f:
            np.savez(
                f,
                coef=self.coef.astype(np.float32),
                intercept=np.float32(self.intercept),
                repeat_share=np.float32(self.repeat_share),
                feature_names=np.array(FEATURE_NAMES),
                about=np.array(json.dumps(self.about, sort_keys=True)),
            )


@lru_cache(maxsize=4)
def load_scorer(path: Path = SCORER_PATH) -> KeyPointScorer:
    with np.load(path) as data:
        names = tuple(str(n) for n in data["feature_names"])
        if names != FEATURE_NAMES:
            raise ValueError(
                f"{path} was trained on other features than keypoints/features.py computes; retrain it"
            )
        return KeyPointScorer(
            coef=data["coef"].astype(np.float32),
            intercept=float(data["intercept"]),
            repeat_share=float(data["repeat_share"]),
            about=json.loads(str(data["about"])),
        )
