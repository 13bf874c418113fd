"""Transport-free data types shared by the pipeline and its components.

Offsets everywhere are Python string indices (Unicode code points) into the text the caller submitted,
so ``text[start:end]`` always reproduces the quoted span.

KeyPoint, Mention and Entity are defined once, by the briefing assembly (client distribution), which both
the CLI and BuildBriefing build briefings with: a Summary's parts go into a briefing as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum

from briefing_assembly.model import Entity, KeyPoint, Mention

from briefing_service.limits import DEFAULT_KEY_POINTS

__all__ = [
    "Article",
    "ContentType",
    "Entity",
    "KeyPoint",
    "Mention",
    "ModelInfo",
    "Span",
    "Summary",
    "SummaryOptions",
]


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

    max_key_points: int = DEFAULT_KEY_POINTS
    entity_types: frozenset[str] = frozenset()  # empty: the default set
    include_entities: bool = True


@dataclass(frozen=True)
class Span:
    start: int
    end: int


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
