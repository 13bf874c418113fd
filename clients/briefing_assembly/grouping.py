"""Stories: articles grouped by embedding similarity plus shared entities (average-linkage clustering).

similarity(a, b) = EMBEDDING_WEIGHT · cos(doc vectors) + ENTITY_WEIGHT · idf-weighted Jaccard of the entities
they name. The document vector is the server's mean of the article's key-point embeddings (MiniLM), carried in
SummarizeResponse.embedding; without it (an older server) a TF-IDF cosine over headline and key points stands
in. Entities are weighted by rarity so "Spain" in many stories links less than "Sierra Bermeja" in two.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

from briefing_assembly.entities import EntityIndex
from briefing_assembly.model import ArticleDigest

EMBEDDING_WEIGHT = 0.6
ENTITY_WEIGHT = 0.4
# Calibrated on the bundled examples and tests/data/briefing: same-event pairs score 0.55–0.8, different events
# on one topic 0.3–0.45, unrelated news below 0.25.
STORY_THRESHOLD = 0.45

_WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.casefold()) if len(w) > 2]


def lexical_similarity(texts: Sequence[str]) -> np.ndarray:
    """TF-IDF cosine between texts (the fallback when the server sent no embeddings)."""
    counts = [Counter(words(t)) for t in texts]
    df: Counter[str] = Counter()
    for c in counts:
        df.update(c.keys())
    n = len(texts)
    vocab = {w: i for i, w in enumerate(df)}
    matrix = np.zeros((n, len(vocab)), dtype=np.float64)
    for row, c in enumerate(counts):
        for w, tf in c.items():
            matrix[row, vocab[w]] = (1 + math.log(tf)) * math.log(1 + n / df[w])
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    matrix /= np.where(norms == 0, 1.0, norms)
    return matrix @ matrix.T


def embedding_similarity(digests: Sequence[ArticleDigest]) -> np.ndarray:
    if digests and all(d.embedding for d in digests) and len({len(d.embedding) for d in digests}) == 1:
        vectors = np.asarray([d.embedding for d in digests], dtype=np.float64)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        vectors /= np.where(norms == 0, 1.0, norms)
        return np.clip(vectors @ vectors.T, 0.0, 1.0)
    texts = [" ".join([d.headline, *(k.text for k in d.key_points)]) for d in digests]
    return lexical_similarity(texts)


def entity_similarity(index: EntityIndex) -> np.ndarray:
    n = len(index.per_article)
    df: Counter[int] = Counter()
    for ents in index.per_article:
        df.update(ents.keys())
    idf = {g: math.log(1 + n / c) for g, c in df.items()}
    sets = [set(e) for e in index.per_article]
    out = np.zeros((n, n), dtype=np.float64)
    for i in range(n):
        for j in range(i + 1, n):
            union = sets[i] | sets[j]
            if not union:
                continue
            shared = sum(idf[g] for g in sets[i] & sets[j])
            out[i, j] = out[j, i] = shared / sum(idf[g] for g in union)
    return out


def similarity(digests: Sequence[ArticleDigest], index: EntityIndex) -> np.ndarray:
    sim = EMBEDDING_WEIGHT * embedding_similarity(digests) + ENTITY_WEIGHT * entity_similarity(index)
    np.fill_diagonal(sim, 1.0)
    return sim


def cluster(sim: np.ndarray, threshold: float = STORY_THRESHOLD) -> list[list[int]]:
    """Average-linkage agglomerative clustering: merge the closest pair of groups while it is >= threshold.

    Average linkage, not single: a chain of pairwise-similar articles (rate cut → bank → election) does not
    become one story unless the groups are similar on average. Groups come back in input order."""
    n = len(sim)
    scores = sim.astype(np.float64).copy()
    np.fill_diagonal(scores, -np.inf)
    sizes = np.ones(n)
    members: list[list[int]] = [[i] for i in range(n)]
    alive = np.ones(n, dtype=bool)
    while n > 1:
        i, j = np.unravel_index(int(np.argmax(scores)), scores.shape)
        if scores[i, j] < threshold:
            break
        i, j = min(i, j), max(i, j)
        merged = (sizes[i] * scores[i] + sizes[j] * scores[j]) / (sizes[i] + sizes[j])
        scores[i, :] = merged
        scores[:, i] = merged
        scores[i, i] = -np.inf
        scores[j, :] = -np.inf
        scores[:, j] = -np.inf
        sizes[i] += sizes[j]
        members[i] += members[j]
        alive[j] = False
    return [sorted(members[i]) for i in range(len(members)) if alive[i]]
