"""The briefing: many article summaries into one document — stories, entities, timeline, appendix.

Transport-free and model-free (numpy only), so the server's BuildBriefing and the CLI's `briefing build`
run the same code: the CLI gets the summaries over SummarizeStream and builds the briefing locally.
"""

from briefing_service.briefing.build import build_briefing
from briefing_service.briefing.model import (
    AppendixEntry,
    ArticleDigest,
    ArticleError,
    Briefing,
    CitedPoint,
    EntityRow,
    Story,
    TimelineEntry,
    digest_of,
)

__all__ = [
    "AppendixEntry",
    "ArticleDigest",
    "ArticleError",
    "Briefing",
    "CitedPoint",
    "EntityRow",
    "Story",
    "TimelineEntry",
    "build_briefing",
    "digest_of",
]
