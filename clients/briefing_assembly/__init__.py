"""The briefing assembly: many article summaries into one document — stories, entities, timeline, appendix.

Transport-free and model-free (numpy only). It ships with the client distribution, so the CLI's
`briefing build` (summaries over SummarizeStream, the briefing built locally) and the server's BuildBriefing
run the same code.
"""

from briefing_assembly.build import build_briefing
from briefing_assembly.model import (
    AppendixEntry,
    ArticleDigest,
    ArticleError,
    Briefing,
    CitedPoint,
    Entity,
    EntityRow,
    KeyPoint,
    Mention,
    Story,
    TimelineEntry,
)

__all__ = [
    "AppendixEntry",
    "ArticleDigest",
    "ArticleError",
    "Briefing",
    "CitedPoint",
    "Entity",
    "EntityRow",
    "KeyPoint",
    "Mention",
    "Story",
    "TimelineEntry",
    "build_briefing",
]
