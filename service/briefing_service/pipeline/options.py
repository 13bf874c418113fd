"""Request validation: turns raw request values into domain objects or raises a domain error whose message
says what was received and what is allowed."""

from __future__ import annotations

from collections.abc import Iterable

from briefing_service.domain import Article, SummaryOptions
from briefing_service.errors import ArticleTooLarge, InvalidArticle, InvalidOptions
from briefing_service.limits import DEFAULT_KEY_POINTS, MAX_KEY_POINTS

# The 18 OntoNotes labels en_core_web_sm predicts.
ONTONOTES_LABELS = frozenset(
    [
        "CARDINAL",
        "DATE",
        "EVENT",
        "FAC",
        "GPE",
        "LANGUAGE",
        "LAW",
        "LOC",
        "MONEY",
        "NORP",
        "ORDINAL",
        "ORG",
        "PERCENT",
        "PERSON",
        "PRODUCT",
        "QUANTITY",
        "TIME",
        "WORK_OF_ART",
    ]
)


def make_options(
    max_key_points: int = 0, entity_types: Iterable[str] = (), exclude_entities: bool = False
) -> SummaryOptions:
    """Build options from proto3-style values: 0 and empty mean the defaults."""
    if max_key_points == 0:
        max_key_points = DEFAULT_KEY_POINTS
    if not 1 <= max_key_points <= MAX_KEY_POINTS:
        raise InvalidOptions(
            f"max_key_points is {max_key_points}; allowed 1..{MAX_KEY_POINTS} (0 means {DEFAULT_KEY_POINTS})",
            field="options.max_key_points",
            metadata={"received": max_key_points, "min": 1, "max": MAX_KEY_POINTS},
        )
    types = frozenset(t.strip().upper() for t in entity_types if t.strip())
    unknown = sorted(types - ONTONOTES_LABELS)
    if unknown:
        raise InvalidOptions(
            f"entity_types has unknown label(s) {', '.join(unknown)}; allowed: {', '.join(sorted(ONTONOTES_LABELS))}",
            field="options.entity_types",
            metadata={"unknown": ",".join(unknown)},
        )
    return SummaryOptions(
        max_key_points=max_key_points, entity_types=types, include_entities=not exclude_entities
    )


def validate_article(article: Article, max_chars: int) -> None:
    n = len(article.text)
    if n > max_chars:
        raise ArticleTooLarge(n, max_chars)
    if not article.text.strip():
        what = "empty" if n == 0 else f"whitespace only ({n:,} chars)"
        raise InvalidArticle(
            f"article text is {what}; send 1 to {max_chars:,} chars of text",
            field="article.text",
            metadata={"received": n, "limit": max_chars},
        )
