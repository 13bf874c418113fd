"""A small trained span re-typer over spaCy's name mentions (and capitalised runs spaCy missed).

spaCy's small model leans on the surface form: a club named after a city is typed GPE, a capitalised
headline word becomes a PERSON. This component looks at each candidate span with its context (neighbouring
words and their shapes, the line it sits in, how the same string is typed elsewhere in the document) and
predicts its coarse class — PER, ORG, LOC, MISC, or O (not a name) — with a multinomial logistic regression
trained on CoNLL-2003 train only (``python -m briefing_service.evaluation.ner_train``, ``make ner-model``).
The coarse class is mapped back to an OntoNotes label, keeping spaCy's finer label whenever it agrees
(GPE vs LOC vs FAC, NORP vs EVENT…), so the entity table keeps the types the briefing needs.

Inference is numpy only: feature strings are looked up in the stored vocabulary and the weight rows summed;
a few microseconds per mention.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from spacy.tokens import Doc, Span

from briefing_service.parsing.boundaries import place_dateline_end
from briefing_service.parsing.segmenter import _shouting

WEIGHTS = Path(__file__).parent / "data" / "ner_retyper.npz"

# spaCy labels the re-typer judges; value labels (DATE, MONEY, …) pass through untouched.
NAME_LABELS = frozenset(
    {"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"}
)
# The label spaCy's span is given as a feature when the span is a recall candidate spaCy did not tag.
MISSED = "NONE"
COARSE = {
    "PERSON": "PER",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "NORP": "MISC",
    "EVENT": "MISC",
    "PRODUCT": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
    "LANGUAGE": "MISC",
}
# When the predicted class disagrees with spaCy's label, the OntoNotes label it becomes.
_DEFAULT_FINE = {"PER": "PERSON", "ORG": "ORG", "LOC": "GPE"}
_DEMONYM = re.compile(r"[A-Z][a-z]+(?:an|ian|ese|ish|ic|i|ch)s?$")

_DIGITS = re.compile(r"\d")
# An elided particle glued to a capitalised word: the end of a name such as "AS Côte d'Azur", "Giro d'Italia"
# or "Jeanne d'Arc", which the small model leaves outside the entity (it tagged "AS Côte").
_PARTICLE_TAIL = re.compile(r"[dDlL]['’][A-ZÀ-Þ]\w+$")


def _shape(word: str) -> str:
    """Collapsed word shape: "Japan" → "Xx", "JAPAN" → "X", "1996-12-06" → "d-d-d", "U.S." → "X.X."."""
    out: list[str] = []
    for ch in word:
        c = "X" if ch.isupper() else "x" if ch.isalpha() else "d" if ch.isdigit() else ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)[:8]


def _bucket(n: int, edges: Sequence[int]) -> str:
    for e in edges:
        if n <= e:
            return str(e)
    return f">{edges[-1]}"


@dataclass(frozen=True)
class _Line:
    """What the features need of a whole block, computed once per doc rather than once per span."""

    shouting: bool
    digits: int
    chars: int
    tokens: int

    @classmethod
    def of(cls, doc: Doc) -> _Line:
        text = doc.text  # Doc.text joins every token on each access
        return cls(_shouting(text), len(_DIGITS.findall(text)), len(text), len(doc))


@dataclass(frozen=True)
class Candidate:
    """A span to type: spaCy's own entity (``label`` its label) or a missed capitalised run (``MISSED``)."""

    span: Span
    label: str
    line: _Line

    @classmethod
    def of(cls, span: Span, label: str) -> Candidate:
        return cls(span, label, _Line.of(span.doc))


def tagged(doc: Doc) -> bool:
    """The doc went through the tagger (``Doc.has_annotation`` scans every token; the first one tells)."""
    return len(doc) > 0 and doc[0].tag != 0


def missed_runs(doc: Doc, shouting: bool | None = None, ents: Sequence[Span] | None = None) -> list[Span]:
    """Maximal runs of capitalised words that overlap none of spaCy's entities: the recall candidates
    ("Bolton", "Derby" in a results table the model left untagged). Not a run that touches an entity (a
    title such as "Premier" before a name is not a name of its own), and at the start of a sentence only
    a proper noun ("Helicopters arrived" is capitalised by position alone), and not a lone word before a
    lowercase one."""
    if (_shouting(doc.text) if shouting is None else shouting) or not tagged(doc):
        return []  # an all-caps line capitalises everything; its entities come from the recased parse
    n = len(doc)
    taken = [False] * (n + 2)  # token k is cell k + 1; one spare cell each side for "touches"
    names: list[bool] = [False] * (n + 2)  # touching a name (not a number: "Bolton 2") disqualifies a run
    # A capitalised word right after a measure is its unit ("31 degrees Celsius"), not a name; a plain
    # count before a name ("Bolton 2 Leeds 1") is not a measure, so only QUANTITY counts here.
    measure: list[bool] = [False] * (n + 2)
    for ent in doc.ents if ents is None else ents:
        taken[ent.start + 1 : ent.end + 1] = [True] * len(ent)
        if ent.label_ in NAME_LABELS:
            names[ent.start + 1 : ent.end + 1] = [True] * len(ent)
        elif ent.label_ == "QUANTITY":
            measure[ent.start + 1 : ent.end + 1] = [True] * len(ent)
    caps = [t.is_alpha and t.text[:1].isupper() for t in doc]
    runs: list[Span] = []
    i = 0
    while i < n:
        if taken[i + 1] or not caps[i]:
            i += 1
            continue
        tok = doc[i]
        if i == 0:  # a dateline spaCy left untagged (and tagged as an adjective): "OSTERVALE — …"
            j = next((k for k in range(n) if taken[k + 1] or not caps[k]), n)
            if dateline(doc[0:j]):
                runs.append(doc[0:j])
                i = j
                continue
        if tok.pos_ not in (("PROPN",) if tok.is_sent_start else ("PROPN", "ADJ", "NOUN")):
            i += 1
            continue
        j = i + 1
        while j < n and not taken[j + 1] and caps[j]:
            j += 1
        # One capitalised word opening a sentence and followed by a lowercase word is usually a title or a
        # common noun ("Deputy governor …"); one followed by a score or nothing ("Bolton 3") is a name.
        opener = tok.is_sent_start and j == i + 1 and j < n and doc[j].is_lower and doc[j].is_alpha
        if not names[i] and not names[j + 1] and not opener and not measure[i]:
            runs.append(doc[i:j])
        i = j
    return runs


def core(span: Span) -> Span:
    """The span without a trailing possessive ("Claire Donnelly's" → "Claire Donnelly"). CoNLL is
    tokenised with the possessive outside every name, so the model never saw a name ending in "'s": its
    shape, suffix and last-word features would describe the clitic instead of the name."""
    end = span.end
    while end - span.start > 1 and span.doc[end - 1].tag_ == "POS":
        end -= 1
    return span.doc[span.start : end]


def _features(
    cand: Candidate, info: _Line, doc_labels: dict[str, Counter[str]], doc_counts: Counter[str]
) -> list[str]:
    span, label = core(cand.span), cand.label
    doc = span.doc
    words = [t.text for t in span]
    low = span.text.lower()
    digits, toks, shout = info.digits, info.tokens, info.shouting
    sent_start = span.start == 0 or bool(span[0].is_sent_start)
    prev1 = doc[span.start - 1] if span.start > 0 else None
    prev2 = doc[span.start - 2] if span.start > 1 else None
    next1 = doc[span.end] if span.end < len(doc) else None
    next2 = doc[span.end + 1] if span.end + 1 < len(doc) else None
    p1 = prev1.lower_ if prev1 is not None else "<s>"
    n1 = next1.lower_ if next1 is not None else "</s>"
    n1s = _shape(next1.text) if next1 is not None else "</s>"
    f = [
        f"lab={label}",
        f"full={low}",
        f"len={min(len(span), 4)}",
        f"shape={'_'.join(_shape(w) for w in words)[:24]}",
        f"lab|shout={label}|{shout}",
        f"sentstart={sent_start}",
        f"lab|sentstart={label}|{sent_start}",
        f"linetoks={_bucket(toks, (2, 4, 8, 16, 32))}",
        f"digitshare={_bucket(int(10 * digits / max(info.chars, 1)), (0, 1, 2, 4))}",
        f"lab|digitline={label}|{digits > 2 and toks < 16}",
        f"p1={p1}",
        f"p2={prev2.lower_ if prev2 is not None else '<s>'}",
        f"n1={n1}",
        f"n2={next2.lower_ if next2 is not None else '</s>'}",
        f"p1s={_shape(prev1.text) if prev1 is not None else '<s>'}",
        f"n1s={n1s}",
        f"lab|n1s={label}|{n1s}",
        f"lab|p1={label}|{p1}",
        f"p1n1={p1}|{n1}",
        f"suf3={words[-1][-3:].lower()}",
        f"pos={'_'.join(t.pos_ for t in span)[:30]}",
        f"dep={span.root.dep_}",
        f"head={span.root.head.lemma_.lower()}",
        f"count={_bucket(doc_counts[low], (1, 2, 4))}",
    ]
    f.extend(f"w={w.lower()}" for w in words)
    f.append(f"first={words[0].lower()}")
    f.append(f"last={words[-1].lower()}")
    for other, n in doc_labels.get(low, Counter()).items():
        f.append(f"doclab={other}")
        f.append(f"lab|doclab={label}|{other}")
        if n > 1:
            f.append(f"doclab2={other}")
    if shout:
        f.extend(f"shout|w={w.lower()}" for w in words)
    return f


def _with_first_names(doc: Doc, ent: Span, titles: frozenset[str]) -> Span:
    """A one-word entity grown leftwards over the capitalised proper noun spaCy left out ("striker Emeka
    [Nwosu]"): the small model often tags only the surname of an unfamiliar name. A name already two words
    long keeps its start ("Englishman [Callum Reid]"); never over a sentence opener, a word in another
    entity, or a title ("Governor [Marsh]": CoNLL keeps titles outside names)."""
    if len(ent) != 1 or ent.start == 0:
        return ent
    first = doc[ent.start - 1]  # one word only: a first name, not a run of capitalised words
    if first.ent_iob_ != "O" or first.pos_ != "PROPN" or first.is_sent_start or not _name_word(first.text):
        return ent
    return ent if first.text.lower() in titles else doc[ent.start - 1 : ent.end]


def _with_particle_tail(doc: Doc, ent: Span) -> Span:
    """An entity grown rightwards over an elided particle and its name ("AS Côte [d'Azur]"), unless that word
    belongs to another entity."""
    if ent.end >= len(doc):
        return ent
    after = doc[ent.end]
    if after.ent_iob_ != "O" or not _PARTICLE_TAIL.match(after.text):
        return ent
    return doc[ent.start : ent.end + 1]


def candidates(
    docs: Iterable[Doc], recall: bool = True, titles: frozenset[str] = frozenset()
) -> list[Candidate]:
    """The spans to judge. A doc without a tagged parse (entities set by hand on a tokenizer-only doc) has
    none of the features the model was trained on, so its labels are kept as they are."""
    out: list[Candidate] = []
    for doc in docs:
        if not tagged(doc):
            continue
        line = _Line.of(doc)
        ents = doc.ents  # a fresh tuple of Spans on each access
        out.extend(
            Candidate(_with_particle_tail(doc, _with_first_names(doc, e, titles)), e.label_, line)
            for e in ents
            if e.label_ in NAME_LABELS
        )
        if recall:
            runs = missed_runs(doc, line.shouting, ents)
            out.extend(Candidate(_with_particle_tail(doc, s), MISSED, line) for s in runs)
    return out


def document_features(cands: Sequence[Candidate]) -> list[list[str]]:
    """Feature strings for every candidate of one document (document-level features need them all)."""
    doc_labels: dict[str, Counter[str]] = defaultdict(Counter)
    doc_counts: Counter[str] = Counter()
    for c in cands:
        low = core(c.span).text.lower()
        doc_counts[low] += 1
        doc_labels[low][c.label] += 1
    return [_features(c, c.line, doc_labels, doc_counts) for c in cands]


@dataclass(frozen=True)
class Retyper:
    vocab: dict[str, int]
    weights: np.ndarray  # (features, classes)
    bias: np.ndarray  # (classes,)
    classes: tuple[str, ...]
    drop_threshold: float  # an O probability above which a spaCy mention is dropped
    add_threshold: float  # a name probability above which a missed run is added
    # How much likelier the new class must be than spaCy's own for its label to change: CoNLL is one
    # newswire of 1996, so away from it spaCy's reading is kept unless the model is clearly surer.
    margin: float = 0.0
    # Capitalised words that CoNLL train writes just before a person's name and outside it ("Premier",
    # "Governor"): a title, never a name on its own (``ner_train.title_words``).
    titles: frozenset[str] = frozenset()

    @classmethod
    def load(cls, path: Path = WEIGHTS) -> Retyper:
        with np.load(path, allow_pickle=False) as z:
            names = [str(s) for s in z["features"]]
            return cls(
                vocab={n: i for i, n in enumerate(names)},
                weights=z["weights"].astype(np.float32),
                bias=z["bias"].astype(np.float32),
                classes=tuple(str(c) for c in z["classes"]),
                drop_threshold=float(z["drop_threshold"]),
                add_threshold=float(z["add_threshold"]),
                margin=float(z["margin"]) if "margin" in z else 0.0,
                titles=frozenset(str(t) for t in z["titles"]) if "titles" in z else frozenset(),
            )

    def probabilities(self, feature_lists: Sequence[Sequence[str]]) -> np.ndarray:
        scores = np.tile(self.bias, (len(feature_lists), 1))
        for row, feats in enumerate(feature_lists):
            idx = [self.vocab[f] for f in feats if f in self.vocab]
            if idx:
                scores[row] += self.weights[idx].sum(axis=0)
        scores -= scores.max(axis=1, keepdims=True)
        p = np.exp(scores)
        return np.asarray(p / p.sum(axis=1, keepdims=True))

    def retype(self, cands: Sequence[Candidate]) -> list[str | None]:
        """The OntoNotes label for each candidate, or None to drop it (or not add it)."""
        if not cands:
            return []
        probs = self.probabilities(document_features(cands))
        o = self.classes.index("O")
        out: list[str | None] = []
        for cand, p in zip(cands, probs, strict=True):
            best = int(np.argmax(np.where(np.arange(len(p)) == o, -1.0, p)))
            if dateline(cand.span):
                out.append("GPE")
            elif cand.label == MISSED:
                keep = 1.0 - p[o] >= self.add_threshold and not self.is_title(cand.span)
                out.append(fine_label(self.classes[best], cand) if keep else None)
            elif p[o] >= self.drop_threshold:
                out.append(None)
            elif p[best] - p[self.classes.index(COARSE[cand.label])] < self.margin:
                out.append(cand.label)
            else:
                out.append(fine_label(self.classes[best], cand))
        return surnames_consistent(cands, out)

    def is_title(self, span: Span) -> bool:
        """A lone capitalised title word ("the Governor"): CoNLL writes titles outside the names they precede."""
        return len(span) == 1 and span.text.lower() in self.titles


def dateline(span: Span) -> bool:
    """An all-caps name inside the newspaper dateline that opens its block ("DENVER —", "MÁLAGA, Spain
    (Agency) —"; the segmenter's pattern, boundaries.place_dateline_end): the place the story was filed
    from. CoNLL's datelines ("LONDON 1996-08-30") are followed by the date, not a dash."""
    if span.start != 0 or not any(ch.isalpha() for ch in span.text) or not span.text.isupper():
        return False
    return span.end_char <= place_dateline_end(span.doc.text)


def _name_word(word: str) -> bool:
    """Capitalised and not all caps: how a person's name is written ("AS Monaco" is not a person)."""
    return word.isalpha() and word[:1].isupper() and not word.isupper()


def surnames_consistent(cands: Sequence[Candidate], labels: list[str | None]) -> list[str | None]:
    """Document-level consistency for person names: a two- or three-word name ending in a word the
    document uses on its own as a PERSON ("Donnelly said …") is that person's full name ("Claire
    Donnelly's party"), whatever its own mention looked like."""
    surnames = {
        core(c.span).text
        for c, lab in zip(cands, labels, strict=True)
        if lab == "PERSON" and len(core(c.span)) == 1
    }
    if not surnames:
        return labels
    out = list(labels)
    for k, (c, lab) in enumerate(zip(cands, labels, strict=True)):
        name = core(c.span)
        if lab is None or lab == "PERSON" or not 2 <= len(name) <= 3:
            continue
        if name[-1].text in surnames and all(_name_word(t.text) for t in name):
            out[k] = "PERSON"
    return out


def fine_label(coarse: str, cand: Candidate) -> str:
    """An OntoNotes label for a predicted CoNLL class: spaCy's own when it agrees, else the usual one."""
    if COARSE.get(cand.label) == coarse:
        return cand.label
    if coarse == "MISC":
        return "NORP" if len(cand.span) == 1 and _DEMONYM.match(cand.span.text) else "EVENT"
    if coarse == "LOC" and cand.label == "ORG" and len(core(cand.span)) > 1:
        # An organisation's name read as a location is its building or site ("University Hospital"):
        # OntoNotes FAC. CoNLL has one LOC class, so this never changes its score.
        return "FAC"
    return _DEFAULT_FINE[coarse]


@cache
def default_retyper() -> Retyper | None:
    """The committed model, or None where it was never trained (spaCy's labels are then kept)."""
    return Retyper.load() if WEIGHTS.exists() else None
