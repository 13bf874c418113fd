"""Transport-free data types shared by the pipeline and its components.

Offsets everywhere are Python string indices (Unicode code points) into the text the caller submitted,
so ``text[start:end]`` always reproduces the quoted span.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum


class ContentType(Enum):
    PLAIN_TEXT = "text/plain"
    HTML = "text/html"


@dataclass(frozen=True)
class Article:
    """One article as submitted."""

    text: str
    id: str = ""
    title: str = ""
    url: str = ""
    source: str = ""
    published_at: datetime | None = None
    content_type: ContentType = ContentType.PLAIN_TEXT


@dataclass(frozen=True)
class SummaryOptions:
    """Validated per-call options (the pipeline never sees proto3 zero values)."""

    max_key_points: int = 5
    entity_types: frozenset[str] = frozenset()  # empty: the default set
    include_entities: bool = True


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True)
class KeyPoint:
    text: str
    score: float
    start: int
    end: int


@dataclass(frozen=True)
class Mention:
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Entity:
    text: str  # canonical name, e.g. "Ishaq Dar"
    type: str  # OntoNotes label, e.g. "PERSON"
    count: int  # all mentions, alias mentions included
    salience: float  # 0..1
    aliases: tuple[str, ...] = ()
    mentions: tuple[Mention, ...] = ()


@dataclass(frozen=True)
class ModelInfo:
    summarizer: str
    summarizer_version: str
    encoder: str
    encoder_version: str
    ner: str
    ner_version: str
    engine: str  # "extractive" or "abstractive"


@dataclass(frozen=True)
class Summary:
    article_id: str
    headline: str
    key_points: tuple[KeyPoint, ...]
    entities: tuple[Entity, ...]
    model: ModelInfo
    content_sha256: str
    abstract: str = ""
    source_text: str = ""  # the text offsets index, returned only when it differs from the input (HTML)
    warnings: tuple[str, ...] = field(default_factory=tuple)
    # Unit document vector (mean of the key points' sentence embeddings): what briefings group stories by.
    embedding: tuple[float, ...] = ()
