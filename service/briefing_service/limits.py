"""The service's documented limits and defaults, defined once. The settings' defaults, the pipeline, request
validation, the .proto comments and the docs all state these numbers (a test checks the .proto and README)."""

from __future__ import annotations

MAX_ARTICLE_CHARS = 200_000  # per article (--max-article-chars)
HEADLINE_MAX_WORDS = 14  # where a well-formed headline that short exists
HEADLINE_CEILING_WORDS = 20  # never longer: a longer correct headline beats a short broken one
DEFAULT_KEY_POINTS = 5  # SummarizeOptions.max_key_points 0 (unset)
MAX_KEY_POINTS = 20
MAX_STREAM_ARTICLES = 10_000  # per SummarizeStream call (--max-stream-articles)
BRIEFING_MAX_ARTICLES = 500  # per BuildBriefing call (--briefing-max-articles)
BRIEFING_MAX_CHARS = 20_000_000  # text per BuildBriefing call (--briefing-max-chars)
