"""Between the article and the tagger: each encoded sentence's words, their first word piece's states, and the
tagger's spans back on spaCy's tokens."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from spacy.tokens import Doc, Span, Token

from briefing_service.entities.naming import is_sport_report
from briefing_service.entities.tagger import (
    CLASSES,
    Found,
    Inputs,
    Tagger,
    Word,
    document_counts,
    sentence_inputs,
)
from briefing_service.models import TokenStates
from briefing_service.parsing.blocks import ParsedBlock
from briefing_service.parsing.segmenter import Sentence


@dataclass(frozen=True)
class SentenceWords:
    """The words (non-space tokens) of one encoded sentence, all from one block's doc."""

    doc: Doc
    tokens: list[Token]
    words: list[Word]
    starts: np.ndarray  # each word's first character in the submitted text
    ends: np.ndarray


def _word(t: Token, first: bool) -> Word:
    iob = t.ent_iob_
    return Word(t.text, t.pos_, t.tag_, "O" if iob in ("O", "") else f"{iob}-{t.ent_type_}", first)


def sentence_words(sentence: Sentence, offset: int) -> SentenceWords:
    """The tokens of ``sentence`` inside its trimmed text (a dateline cut off the first sentence is not
    part of it), ``offset`` being its block's offset in the submitted text."""
    tokens = [
        t
        for t in sentence.span
        if not t.is_space and sentence.start <= offset + t.idx and offset + t.idx + len(t) <= sentence.end
    ]
    words = [_word(t, i == 0) for i, t in enumerate(tokens)]
    starts = np.array([offset + t.idx for t in tokens], dtype=np.int64)
    ends = starts + np.array([len(t) for t in tokens], dtype=np.int64)
    return SentenceWords(sentence.span.doc, tokens, words, starts, ends)


def first_piece_states(words: SentenceWords, sentence_start: int, states: TokenStates) -> np.ndarray | None:
    """(words, dim) states of each word's first word piece; None where a word has none (the sentence was
    cut at the encoder's length limit, or the tokenizer dropped a character): the tagger then leaves it."""
    if len(states.offsets) == 0:
        return None if len(words.tokens) else np.zeros((0, states.states.shape[1]), dtype=np.float32)
    piece_starts = states.offsets[:, 0].astype(np.int64) + sentence_start
    piece_ends = states.offsets[:, 1].astype(np.int64) + sentence_start
    # The first piece ending after the word's start; it must also begin before the word's end.
    idx = np.searchsorted(piece_ends, words.starts, side="right")
    if len(idx) and (idx.max() >= len(piece_starts) or np.any(piece_starts[idx] >= words.ends)):
        return None
    return states.states[idx]


@dataclass(frozen=True)
class Tagged:
    """The tagger's reading of an article: entity spans (CoNLL class) per doc, and the tokens it read."""

    spans: dict[int, list[tuple[Span, Found]]]  # by id(doc)
    covered: dict[int, list[tuple[int, int]]]  # by id(doc): token ranges of the sentences it read
    margin: float = 0.0  # Tagger.margin


def tag_article(
    tagger: Tagger,
    blocks: Sequence[ParsedBlock],
    sentences: Sequence[Sentence],
    states: Sequence[TokenStates],
) -> Tagged:
    """Tag the first ``len(states)`` sentences (those the encoder ran over)."""
    offsets = {id(b.doc): b.offset for b in blocks}
    read: list[tuple[SentenceWords, np.ndarray]] = []
    for sentence, state in zip(sentences, states, strict=False):
        offset = offsets.get(id(sentence.span.doc))
        if offset is None:
            continue
        words = sentence_words(sentence, offset)
        first = first_piece_states(words, sentence.start, state)
        if first is not None and words.tokens:
            read.append((words, first))
    counts = document_counts([w.words for w, _ in read])
    inputs: list[Inputs] = [sentence_inputs(w.words, first, counts) for w, first in read]
    spans: dict[int, list[tuple[Span, Found]]] = {}
    covered: dict[int, list[tuple[int, int]]] = {}
    for (words, _), found in zip(read, tagger.tag(inputs), strict=True):
        key = id(words.doc)
        covered.setdefault(key, []).append((words.tokens[0].i, words.tokens[-1].i + 1))
        for f in found:
            span = words.doc[words.tokens[f.start].i : words.tokens[f.end - 1].i + 1]
            spans.setdefault(key, []).append((span, f))
    sport = is_sport_report(w.text for words, _ in read for w in words.words)
    return Tagged(pooled(spans, sport), covered, tagger.margin)


def pooled(
    spans: dict[int, list[tuple[Span, Found]]], sport: bool = True
) -> dict[int, list[tuple[Span, Found]]]:
    """The same name typed alike through the article: each mention gets the class probabilities averaged
    over every mention of that name ("Lazio have agreed …" is unsure, "Lazio coach …" is not); then what
    the article as a whole says of a name (`_article_class`)."""
    by_name: dict[str, list[tuple[Span, Found]]] = defaultdict(list)
    for found in spans.values():
        for span, f in found:
            if f.probs:
                by_name[span.text.lower()].append((span, f))
    persons = {
        t.lower_
        for mentions in by_name.values()
        for span, f in mentions
        if f.label == "PER" and len(span) > 1
        for t in span
    }
    fixed: dict[str, tuple[float, ...]] = {}
    for name, mentions in by_name.items():
        probs = np.mean([f.probs for _, f in mentions], axis=0)
        cls = _article_class(name, mentions, CLASSES[int(np.argmax(probs))], sport, persons)
        if cls is not None:
            probs = np.eye(len(CLASSES))[CLASSES.index(cls)]
        if len(mentions) > 1 or cls is not None:
            fixed[name] = tuple(float(p) for p in probs)
    if not fixed:
        return spans
    out: dict[int, list[tuple[Span, Found]]] = {}
    for key, found in spans.items():
        out[key] = []
        for span, f in found:
            probs = fixed.get(span.text.lower()) if f.probs else None
            if probs is not None:
                f = f._replace(label=CLASSES[int(np.argmax(probs))], probs=probs)
            out[key].append((span, f))
    return out


def _spacy_labels(span: Span) -> list[str]:
    return [e.label_ for e in span.doc.ents if e.start < span.end and span.start < e.end]


def _article_class(
    name: str, mentions: list[tuple[Span, Found]], pooled_class: str, sport: bool, persons: set[str]
) -> str | None:
    """The class the article settles for a name, where its mentions' pooled reading is not enough (None):
    outside a sports report a town is a town, though CoNLL's towns are often their clubs ("Liverpool will
    borrow the rest"): a name spaCy reads as a place somewhere is a place. A lone word read as a person
    that no person's full name in the article contains, and that spaCy reads as another kind of name, is
    that ("His side host Millwall"): news names a person in full first."""
    labels = [lab for span, _ in mentions for lab in _spacy_labels(span)]
    if not sport and pooled_class == "ORG" and "GPE" in labels:
        return "LOC"
    if pooled_class == "PER" and " " not in name and name not in persons:
        others = [lab for lab in labels if lab in _OTHER_NAME]
        if others and "PERSON" not in labels:
            return _OTHER_NAME[max(set(others), key=others.count)]
    return None


_OTHER_NAME = {"ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC", "NORP": "MISC"}
