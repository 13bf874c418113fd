"""The entity tagger: a small BiLSTM over the MiniLM word-piece states the key points already computed.

spaCy's small model leans on the surface form: a club named after a city is typed GPE, an unfamiliar name
ORG, and its spans run over dashes and prepositions. This head reads, for every word of a sentence, the
MiniLM states of its first word piece (a middle layer and the last, from the pass that embeds the sentence
for the key points: no second encoder pass), what the uncased model cannot see (the word's capitalisation and
shape), spaCy's own part of speech and entity tag, and how the article writes the same word elsewhere; a
one-layer BiLSTM carries context across the sentence and a linear layer scores BIO tags over CoNLL's four
classes (PER, ORG, LOC, MISC). Tags are decoded with the BIO constraints (no I- after O or after another
class). Trained on CoNLL-2003 train only (`make ner-model`, evaluation/ner_train.py); about 1 M weights.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np
import torch
from torch import nn

WEIGHTS = Path(__file__).parent / "data" / "ner_tagger.npz"

CLASSES = ("PER", "ORG", "LOC", "MISC")
TAGS = ("O", *(f"{p}-{c}" for c in CLASSES for p in ("B", "I")))

# spaCy en_core_web_sm's label sets, so the ids never depend on which words a batch held.
POS = tuple("ADJ ADP ADV AUX CCONJ DET INTJ NOUN NUM PART PRON PROPN PUNCT SCONJ SPACE SYM VERB X".split())
PTB_TAGS = tuple(
    "$ '' , -LRB- -RRB- . : ADD AFX CC CD DT EX FW HYPH IN JJ JJR JJS LS MD NFP NN NNP NNPS NNS PDT POS PRP "
    "PRP$ RB RBR RBS RP SYM TO UH VB VBD VBG VBN VBP VBZ WDT WP WP$ WRB XX _SP ``".split()
)
SPACY_LABELS = tuple(
    "CARDINAL DATE EVENT FAC GPE LANGUAGE LAW LOC MONEY NORP ORDINAL ORG PERCENT PERSON PRODUCT QUANTITY "
    "TIME WORK_OF_ART".split()
)
ENT_TAGS = ("O", *(f"{p}-{lab}" for lab in SPACY_LABELS for p in ("B", "I")))
SHAPE_BUCKETS = 64

_SHAPE_FEATURES = 14


@dataclass(frozen=True)
class Word:
    """What the tagger reads of one spaCy token besides its MiniLM states."""

    text: str
    pos: str
    tag: str
    ent: str  # spaCy's IOB tag with its label ("B-GPE"), or "O"
    sent_start: bool


def word_shape(word: str) -> str:
    """Collapsed shape: "Japan" -> "Xx", "JAPAN" -> "X", "1996-12-06" -> "d-d-d", "U.S." -> "X.X."."""
    out: list[str] = []
    for ch in word:
        c = "X" if ch.isupper() else "x" if ch.isalpha() else "d" if ch.isdigit() else ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)[:8]


def _shape_bucket(word: str) -> int:
    # zlib.crc32 would do; a small stable hash of the shape keeps it independent of PYTHONHASHSEED.
    h = 0
    for ch in word_shape(word):
        h = (h * 131 + ord(ch)) % 1_000_003
    return 1 + h % (SHAPE_BUCKETS - 1)


_INNER_CAP = re.compile(r"[a-z][A-Z]")


# Every distinct (form, bucket) once: the cached words share them. A full cache (65,536 words, which random
# strings fill: make chaos's hostile rounds) held 34.7 MiB with a tuple of ten floats a word, 8.8 sharing them.
_FORMS: dict[tuple[tuple[float, ...], int], tuple[tuple[float, ...], int]] = {}


@lru_cache(maxsize=1 << 16)
def _word_form(t: str) -> tuple[tuple[float, ...], int]:
    """What the word's own characters say (capitalisation and shape), and its shape bucket: the same
    words come back in every article, so this is computed once per word (a bounded cache)."""
    first_upper = t[:1].isupper()
    form = (
        float(first_upper),
        float(t.isupper() and len(t) > 1),
        float(t.islower()),
        float(t.isalpha() and first_upper and t[1:].islower()),
        float(any(c.isdigit() for c in t)),
        float(not any(c.isalnum() for c in t)),
        float("." in t),
        float("-" in t),
        float(len(t) == 1),
        float(_INNER_CAP.search(t) is not None),
    )
    pair = (form, _shape_bucket(t))
    return _FORMS.setdefault(pair, pair)


def _shouting(words: Sequence[Word]) -> bool:
    letters = "".join(filter(str.isalpha, "".join(w.text for w in words)))
    return len(letters) >= 4 and sum(map(str.isupper, letters)) >= 0.8 * len(letters)


def document_counts(sentences: Sequence[Sequence[Word]]) -> tuple[Counter[str], Counter[str], Counter[str]]:
    """Per lower-cased word: uses capitalised inside a (not all-caps) sentence, uses in lower case, all uses."""
    title: Counter[str] = Counter()
    lower: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for words in sentences:
        shouting = _shouting(words)
        for w in words:
            low = w.text.lower()
            total[low] += 1
            if not shouting and not w.sent_start and w.text[:1].isupper():
                title[low] += 1
            elif w.text.islower():
                lower[low] += 1
    return title, lower, total


@dataclass(frozen=True)
class Inputs:
    """One sentence's tagger inputs: dense features and categorical ids, a row per word."""

    dense: np.ndarray  # (n, states + _SHAPE_FEATURES) float32
    ids: np.ndarray  # (n, 4) int64: POS, tag, spaCy entity tag, shape bucket


def sentence_inputs(
    words: Sequence[Word],
    states: np.ndarray,
    counts: tuple[Counter[str], Counter[str], Counter[str]],
) -> Inputs:
    """``states``: (len(words), dim) MiniLM states of each word's first piece (zeros for a word without one)."""
    title, lower, total = counts
    shouting = float(_shouting(words))
    rows: list[tuple[float, ...]] = []
    ids: list[tuple[int, int, int, int]] = []
    for w in words:
        form, bucket = _word_form(w.text)
        low = w.text.lower()
        n = total[low]
        # How often the article writes this word capitalised inside a sentence, and in lower case.
        rows.append(
            (*form, float(w.sent_start), shouting, title[low] / n if n else 0.0, lower[low] / n if n else 0.0)
        )
        ids.append((_POS_ID.get(w.pos, 0), _TAG_ID.get(w.tag, 0), _ENT_ID.get(w.ent, 0), bucket))
    shape = np.array(rows, dtype=np.float32).reshape(len(words), _SHAPE_FEATURES)
    return Inputs(
        np.concatenate([states.astype(np.float32), shape], axis=1),
        np.array(ids, dtype=np.int64).reshape(len(words), 4),
    )


# 1-based positions (0: a value the table lacks).
_POS_ID = {v: i + 1 for i, v in enumerate(POS)}
_TAG_ID = {v: i + 1 for i, v in enumerate(PTB_TAGS)}
_ENT_ID = {v: i + 1 for i, v in enumerate(ENT_TAGS)}


class TaggerNet(nn.Module):
    def __init__(self, state_dim: int, hidden: int = 64, project: int = 128, dropout: float = 0.0) -> None:
        super().__init__()
        self.config = {"state_dim": state_dim, "hidden": hidden, "project": project}
        self.pos = nn.Embedding(len(POS) + 1, 16)
        self.tag = nn.Embedding(len(PTB_TAGS) + 1, 16)
        self.ent = nn.Embedding(len(ENT_TAGS) + 1, 16)
        self.shape = nn.Embedding(SHAPE_BUCKETS, 16)
        self.dropout = nn.Dropout(dropout)
        self.project = nn.Linear(state_dim + _SHAPE_FEATURES + 4 * 16, project)
        self.lstm = nn.LSTM(project, hidden, batch_first=True, bidirectional=True)
        self.out = nn.Linear(2 * hidden, len(TAGS))

    def forward(self, dense: torch.Tensor, ids: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """(batch, length, features) in, (batch, length, tags) scores out; rows past ``lengths`` are padding."""
        x = torch.cat(
            [
                dense,
                self.pos(ids[..., 0]),
                self.tag(ids[..., 1]),
                self.ent(ids[..., 2]),
                self.shape(ids[..., 3]),
            ],
            dim=-1,
        )
        x = torch.relu(self.project(self.dropout(x)))
        packed = nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        y, _ = self.lstm(packed)
        y, _ = nn.utils.rnn.pad_packed_sequence(y, batch_first=True, total_length=dense.shape[1])
        return self.out(self.dropout(y))


def _allowed() -> np.ndarray:
    """allowed[i, j]: tag j may follow tag i (BIO: I-X only after B-X or I-X)."""
    n = len(TAGS)
    ok = np.ones((n + 1, n), dtype=bool)  # row n: the sentence start
    for j, tag in enumerate(TAGS):
        if tag.startswith("I-"):
            for i in range(n + 1):
                ok[i, j] = i < n and TAGS[i][2:] == tag[2:]
    return ok


_ALLOWED = _allowed()


def viterbi(log_probs: np.ndarray) -> list[int]:
    """The best tag sequence under the BIO constraints, from (length, tags) log-probabilities."""
    return viterbi_batch(log_probs[None], [len(log_probs)])[0]


def viterbi_batch(log_probs: np.ndarray, lengths: Sequence[int]) -> list[list[int]]:
    """`viterbi` for a padded (batch, length, tags) array at once: one numpy step per position."""
    batch, n, k = log_probs.shape
    if n == 0 or batch == 0:
        return [[] for _ in range(batch)]
    penalty = np.where(_ALLOWED, 0.0, -1e9)
    score = log_probs[:, 0] + penalty[k]
    back = np.zeros((batch, n, k), dtype=np.int64)
    lengths_arr = np.asarray(lengths)
    for t in range(1, n):
        cand = score[:, :, None] + penalty[None, :k]
        back[:, t] = cand.argmax(axis=1)
        step = cand.max(axis=1) + log_probs[:, t]
        live = (lengths_arr > t)[:, None]
        score = np.where(live, step, score)
    out: list[list[int]] = []
    for b, length in enumerate(lengths):
        if length == 0:
            out.append([])
            continue
        best = [int(score[b].argmax())]
        for t in range(length - 1, 0, -1):
            best.append(int(back[b, t, best[-1]]))
        out.append(best[::-1])
    return out


class Found(NamedTuple):
    """An entity the tagger found: words ``start:end`` of its sentence, its class, and each class's mean
    probability over those words (B- and I- together), in CLASSES order."""

    start: int
    end: int
    label: str
    probs: tuple[float, ...] = ()


def spans_of(tags: Sequence[int], probs: np.ndarray | None = None) -> list[Found]:
    """The entities of a decoded BIO sequence; ``probs`` (words, tags) gives each its class probabilities."""
    out: list[Found] = []
    for i, t in enumerate(tags):
        tag = TAGS[t]
        if tag.startswith("B-"):
            out.append(Found(i, i + 1, tag[2:]))
        elif tag.startswith("I-") and out and out[-1].end == i and out[-1].label == tag[2:]:
            out[-1] = out[-1]._replace(end=i + 1)
    if probs is None:
        return out
    per_class = probs[:, 1:].reshape(len(probs), len(CLASSES), 2).sum(axis=2)
    return [f._replace(probs=tuple(float(x) for x in per_class[f.start : f.end].mean(axis=0))) for f in out]


class Tagger:
    def __init__(self, net: TaggerNet, margin: float = 0.0) -> None:
        self.net = net.eval()
        # How much likelier the tagger's class must be than spaCy's for a name spaCy also found to change
        # type: CoNLL is one newswire of 1996 (its "Liverpool" is the club), so away from it spaCy's reading
        # is kept unless the tagger is clearly surer (evaluation/ner_train.py chooses it on valid).
        self.margin = margin

    @classmethod
    def load(cls, path: Path = WEIGHTS) -> Tagger:
        with np.load(path, allow_pickle=False) as z:
            config = {k[len("config/") :]: int(z[k]) for k in z.files if k.startswith("config/")}
            state = {
                k[len("state/") :]: torch.from_numpy(z[k].astype(np.float32))
                for k in z.files
                if k.startswith("state/")
            }
            margin = float(z["margin"]) if "margin" in z.files else 0.0
        net = TaggerNet(**config)
        net.load_state_dict(state)
        return cls(net, margin)

    def save(self, path: Path) -> None:
        # fp16 halves the file; the weights are read back as fp32.
        arrays = {
            f"state/{k}": v.detach().numpy().astype(np.float16) for k, v in self.net.state_dict().items()
        }
        arrays.update({f"config/{k}": np.int64(v) for k, v in self.net.config.items()})
        arrays["margin"] = np.float64(self.margin)
        np.savez_compressed(path, **arrays)

    def tag(self, sentences: Sequence[Inputs]) -> list[list[Found]]:
        """Each sentence's entity word ranges. One article's sentences run as one padded batch: an article
        gets the same tags alone or beside any other (its batch is its own sentences)."""
        live = [s for s in sentences if len(s.ids)]
        decoded: list[list[Found]] = []
        if live:
            dense, ids, lengths = pad(live)
            with torch.inference_mode():
                log_probs = torch.log_softmax(self.net(dense, ids, lengths), dim=-1).numpy()
            paths = viterbi_batch(log_probs, [len(s.ids) for s in live])
            probs = np.exp(log_probs)
            decoded = [spans_of(path, probs[r, : len(path)]) for r, path in enumerate(paths)]
        found = iter(decoded)
        return [next(found) if len(s.ids) else [] for s in sentences]


def pad(inputs: Sequence[Inputs]) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Sentences as one zero-padded batch: dense features, ids and lengths."""
    n = max(len(s.ids) for s in inputs)
    dense = np.zeros((len(inputs), n, inputs[0].dense.shape[1]), dtype=np.float32)
    ids = np.zeros((len(inputs), n, inputs[0].ids.shape[1]), dtype=np.int64)
    for r, s in enumerate(inputs):
        dense[r, : len(s.ids)] = s.dense
        ids[r, : len(s.ids)] = s.ids
    return torch.from_numpy(dense), torch.from_numpy(ids), torch.tensor([len(s.ids) for s in inputs])


@cache
def default_tagger() -> Tagger | None:
    """The committed model, or None where it was never trained (spaCy's entities are then kept)."""
    return Tagger.load() if WEIGHTS.exists() else None
