"""Between the article and the tagger: each encoded sentence's words, their first word piece's states, and the
tagger's spans back on spaCy's tokens."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from spacy.tokens import Doc, Span, Token

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
    return Tagged(pooled(spans), covered, tagger.margin)


def pooled(spans: dict[int, list[tuple[Span, Found]]]) -> dict[int, list[tuple[Span, Found]]]:
    """The same name typed alike through the article: each mention gets the class probabilities averaged
    over every mention of that name ("Lazio have agreed …" is unsure, "Lazio coach …" is not)."""
    by_name: dict[str, list[Found]] = defaultdict(list)
    for found in spans.values():
        for span, f in found:
            if f.probs:
                by_name[span.text.lower()].append(f)
    mean = {name: np.mean([f.probs for f in fs], axis=0) for name, fs in by_name.items() if len(fs) > 1}
    if not mean:
        return spans
    out: dict[int, list[tuple[Span, Found]]] = {}
    for key, found in spans.items():
        out[key] = []
        for span, f in found:
            probs = mean.get(span.text.lower()) if f.probs else None
            if probs is not None:
                f = f._replace(label=CLASSES[int(np.argmax(probs))], probs=tuple(float(p) for p in probs))
            out[key].append((span, f))
    return out
