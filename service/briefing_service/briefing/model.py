"""Data types of the briefing: what goes in (one digest per summarized article) and what comes out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from briefing_service.domain import Article, Entity, KeyPoint, Summary


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


def digest_of(article: Article, summary: Summary) -> ArticleDigest:
    """The briefing's view of one summarized article (offsets index source_text when the server made one)."""
    return ArticleDigest(
        id=article.id or summary.article_id,
        text=summary.source_text or article.text,
        headline=summary.headline,
        key_points=summary.key_points,
        entities=summary.entities,
        embedding=summary.embedding,
        title=article.title,
        source=article.source,
        url=article.url,
        published_at=article.published_at,
    )
