"""What the key-point ranker sees for an article, prepared outside the server for training.

The same public steps the pipeline runs for a plain-text article: its sentences as ``parsing.body_sentences``
finds them (page chrome cut, one parse per body block, the news sentence boundaries), and the MiniLM embeddings of the first ``MAX_RANKED_SENTENCES`` at the server's precision. A test checks that
the key points ranked from these inputs are the ones the pipeline returns.

Embeddings are cached on disk by sentence text (a sentence's embedding never depends on its batch-mates,
models/encoder.py), so re-preparing after a change to cleaning or boundaries encodes only the new sentences.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from briefing_service.keypoints import MAX_RANKED_SENTENCES, SentenceInfo, sentence_info
from briefing_service.parsing import body_sentences

if TYPE_CHECKING:
    from spacy.language import Language

    from briefing_service.models import SentenceEncoder


@dataclass(frozen=True)
class RankingInput:
    """One article as the ranker sees it, kept after spaCy's strings are freed."""

    id: str
    source: str
    sentences: tuple[SentenceInfo, ...]
    embeddings: np.ndarray  # one unit row per sentence

    def text(self, i: int) -> str:
        return self.sentences[i].text


class EmbeddingCache:
    """Sentence embeddings by text (SHA-1), one pickle file; ``None`` path: memory only."""

    def __init__(self, encoder: SentenceEncoder, path: Path | None = None) -> None:
        self.encoder = encoder
        self.path = path
        self.rows: dict[bytes, np.ndarray] = {}
        if path is not None and path.exists():
            with path.open("rb") as f:
                self.rows = pickle.load(f)
        self.added = 0

    @staticmethod
    def key(text: str) -> bytes:
        return hashlib.sha1(text.encode("utf-8", "surrogatepass")).digest()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if self.key(t) not in self.rows))
        if missing:
            for t, row in zip(missing, self.encoder.encode(missing), strict=True):
                self.rows[self.key(t)] = np.asarray(row, dtype=np.float32)
            self.added += len(missing)
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([self.rows[self.key(t)] for t in texts])

    def save(self) -> None:
        if self.path is not None and self.added:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            with tmp.open("wb") as f:
                pickle.dump(self.rows, f, protocol=pickle.HIGHEST_PROTOCOL)
            tmp.replace(self.path)
            self.added = 0


def article_sentences(nlp: Language, texts: Sequence[str], batch: int = 32) -> list[list[str]]:
    """Each text's sentences (their text) as the pipeline finds them: what Lead-3 takes its three from."""
    out: list[list[str]] = []
    for lo in range(0, len(texts), batch):
        out += [[s.text for s in sents] for sents in body_sentences(nlp, texts[lo : lo + batch])]
    return out


def prepare(
    nlp: Language, cache: EmbeddingCache, articles: Sequence[tuple[str, str]], batch: int = 32
) -> list[RankingInput]:
    """``articles``: (id, text) pairs; returns their ranking inputs in order."""
    out: list[RankingInput] = []
    for lo in range(0, len(articles), batch):
        part = articles[lo : lo + batch]
        found = [sents[:MAX_RANKED_SENTENCES] for sents in body_sentences(nlp, [text for _, text in part])]
        embeddings = cache.encode([s.text for sents in found for s in sents])
        pos = 0
        for (article_id, text), sents in zip(part, found, strict=True):
            out.append(
                RankingInput(
                    id=article_id,
                    source=text,
                    sentences=tuple(sentence_info(s.span, s.text, s.words) for s in sents),
                    embeddings=embeddings[pos : pos + len(sents)],
                )
            )
            pos += len(sents)
    cache.save()
    return out
