"""The key-point scorer's features: one row per sentence, from what the pipeline already has.

Every feature is about news writing in general, not about particular articles:

- where the sentence stands: a smooth position prior (decaying exponentials at a few scales and the relative
  position) and a mark for each of the three lead slots, because news puts its main facts first but not only
  in the first sentence;
- what it says: the MiniLM sentence embedding itself (the kind of sentence: a statement of news, a quote, a
  caption, a call to share), its cosine to the article's mean (centrality), to the opening sentence and to the
  first three, and those cosines times the position prior (a sentence far down that restates the opening is
  worth less than one near the top that does);
- how it is written: its length, whether it ends as a sentence ends (captions run together do not), whether it
  opens with a quotation, carries one, is attributed ("said", "told"), is in the first person, asks a question,
  carries a number or points at a picture ("(left)", "pictured");
- who it is about: how much of the article's naming (its most mentioned people, organisations and places) the
  sentence carries.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

from briefing_service.keypoints.sentences import SentenceInfo

# A sentence ends with a stop, question or exclamation mark, perhaps inside closing quotes or brackets.
_ENDS_AS_SENTENCE = re.compile(r"""[.!?…](?:\s*['"’”»›)\]])*(?:\[\d+\])?$""")
_OPENING_QUOTES = frozenset("\"'“‘«‹„")
_DOUBLE_QUOTES = frozenset('"“”«»„')
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I've|I'd|we|We|my|My|our|Our|me|us)\b")
_PICTURE = re.compile(
    r"\((?:left|right|centre|center|pictured|above|below|top|bottom|inset|far left|far right|second left|"
    r"second right)\)|\bpictured\b|\babove\b|\bbelow\b",
    re.IGNORECASE,
)
LEAD_SLOTS = 3
POSITION_SCALES = (1.0, 3.0, 10.0, 30.0)  # sentences
_POSITIONS = (*(f"position_exp{int(s)}" for s in POSITION_SCALES), "position_relative")
_COSINES = ("cosine_mean", "cosine_mean_z", "cosine_first", "cosine_lead3")
TOP_NAMES = 3

FEATURE_NAMES: tuple[str, ...] = (
    *(f"lead_slot_{k}" for k in range(LEAD_SLOTS)),
    *_POSITIONS,
    *_COSINES,
    *(f"{c}_x_{p}" for p in _POSITIONS for c in _COSINES),
    "log_words",
    "short",
    "long",
    "ends_as_sentence",
    "opens_with_quote",
    "has_quote",
    "reporting",
    "first_person",
    "question",
    "number",
    "picture",
    "name_salience",
    "top_name",
    "top_names",
    "first_names",
    "name_count",
    *(f"embedding_{d}" for d in range(384)),
)


def ends_as_sentence(text: str) -> bool:
    return bool(_ENDS_AS_SENTENCE.search(text.rstrip()))


def opens_with_quote(text: str) -> bool:
    return text.lstrip()[:1] in _OPENING_QUOTES


def _unit(v: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(v))
    return v / norm if norm > 0 else v


def sentence_features(embeddings: np.ndarray, sentences: Sequence[SentenceInfo]) -> np.ndarray:
    """(n, len(FEATURE_NAMES)) float32, in document order; ``embeddings``: the n sentences' unit rows."""
    n = len(sentences)
    if n == 0:
        return np.zeros((0, len(FEATURE_NAMES)), dtype=np.float32)
    e = np.asarray(embeddings, dtype=np.float32)
    i = np.arange(n, dtype=np.float32)
    centrality = e @ _unit(e.mean(axis=0))
    spread = float(centrality.std())
    words = np.array([s.words for s in sentences], dtype=np.float32)
    texts = [s.text for s in sentences]
    counts = Counter(name for s in sentences for name in set(s.names))
    total = sum(counts.values()) or 1
    top = [name for name, _ in counts.most_common(TOP_NAMES)]
    first_names = set(sentences[0].names)
    named = [set(s.names) for s in sentences]
    positions = np.stack([*(np.exp(-i / scale) for scale in POSITION_SCALES), i / max(n - 1, 1)], axis=1)
    cosines = np.stack(
        [
            centrality,
            (centrality - centrality.mean()) / (spread + 1e-6),
            e @ e[0],
            e @ _unit(e[:LEAD_SLOTS].mean(axis=0)),
        ],
        axis=1,
    )
    lead_slots = (i[:, None] == np.arange(LEAD_SLOTS)[None, :]).astype(np.float32)
    crossed = (positions[:, :, None] * cosines[:, None, :]).reshape(n, -1)  # position-major, as named
    columns = [
        np.log1p(words),
        words < 8,
        np.minimum(words, 80) / 80,
        [ends_as_sentence(t) for t in texts],
        [opens_with_quote(t) for t in texts],
        [any(c in _DOUBLE_QUOTES for c in t) for t in texts],
        [s.reporting for s in sentences],
        [bool(_FIRST_PERSON.search(t)) for t in texts],
        [t.rstrip().rstrip("'\"’”").endswith("?") for t in texts],
        [any(c.isdigit() for c in t) for t in texts],
        [bool(_PICTURE.search(t)) for t in texts],
        [sum(counts[name] for name in names) / total for names in named],
        [bool(top) and top[0] in names for names in named],
        [sum(name in names for name in top) / TOP_NAMES for names in named],
        [len(first_names & names) / (len(first_names) or 1) for names in named],
        [min(len(names), 5) / 5 for names in named],
    ]
    rest = np.stack([np.asarray(c, dtype=np.float32) for c in columns], axis=1)
    return np.hstack([lead_slots, positions, cosines, crossed, rest, e]).astype(np.float32)
