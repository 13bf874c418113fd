"""Data types of the briefing: what goes in (one digest per summarized article) and what comes out.

KeyPoint, Mention and Entity are the summary's own value types: the server's pipeline uses these same classes
(briefing_service.domain re-exports them), so a summary goes into a briefing without conversion. Offsets are
Python string indices (code points) into the text the article's offsets index; ``text[start:end]`` reproduces
the span.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


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
class ArticleDigest:
    """One summarized article: its metadata, the text its offsets index, and its summary."""

    id: str
    text: str  # the text key point and mention offsets index (the extracted text for HTML input)
    headline: str
    key_points: tuple[KeyPoint, ...]
    entities: tuple[Entity, ...]
    embedding: tuple[float, ...] = ()  # unit document vector; empty: stories are grouped lexically
    title: str = ""
    source: str = ""
    url: str = ""
    published_at: datetime | None = None


@dataclass(frozen=True)
class ArticleError:
    """An input that is not in the briefing, and why."""

    source: str
    reason: str


@dataclass(frozen=True)
class CitedPoint:
    """A key point of a story, quoted exactly: article text[start:end] of article `article_id`."""

    text: str
    article_id: str
    start: int
    end: int
    score: float


@dataclass(frozen=True)
class Story:
    id: str  # "s1", "s2", … in rank order
    headline: str
    score: float  # coverage + entity salience; stories come highest first
    article_ids: tuple[str, ...]  # most central article first
    key_points: tuple[CitedPoint, ...]
    entities: tuple[str, ...]  # canonical names of the story's most salient entities


@dataclass(frozen=True)
class EntityRow:
    """One entity across all articles, its names merged ("Dar" in one article, "Ishaq Dar" in another)."""

    text: str  # canonical name
    type: str  # OntoNotes label
    article_count: int
    mention_count: int
    salience: float  # summed over articles
    aliases: tuple[str, ...]
    article_ids: tuple[str, ...]
    story_ids: tuple[str, ...]


@dataclass(frozen=True)
class TimelineEntry:
    date: str | None  # ISO 8601 at `granularity` ("2026-05-08", "2026-W19", "2026-05", "2026"), or None
    granularity: str  # "day", "week", "month", "year"; "" when unresolved
    text: str  # the sentence the date belongs to
    mention: str  # the date as written, e.g. "Friday"
    story_id: str
    article_id: str
    start: int  # the mention's offsets in the article text
    end: int


@dataclass(frozen=True)
class AppendixEntry:
    """The per-article appendix row."""

    article_id: str
    title: str
    source: str
    url: str
    published_at: datetime | None
    headline: str
    key_points: tuple[KeyPoint, ...]
    entities: tuple[Entity, ...]
    story_id: str


@dataclass(frozen=True)
class Briefing:
    generated_at: datetime
    stories: tuple[Story, ...]
    entities: tuple[EntityRow, ...]
    timeline: tuple[TimelineEntry, ...]
    articles: tuple[AppendixEntry, ...]
    errors: tuple[ArticleError, ...] = ()
