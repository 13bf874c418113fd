"""What BuildBriefing does before the briefing assembly: its size limits, unique article ids, and each
summarized article as the assembly's ArticleDigest. Transport-free."""

from __future__ import annotations

from dataclasses import dataclass

from briefing_assembly import ArticleDigest

from briefing_service.domain import Article, Summary
from briefing_service.errors import BriefingTooLarge
from briefing_service.limits import BRIEFING_MAX_ARTICLES, BRIEFING_MAX_CHARS


@dataclass(frozen=True)
class BriefingLimits:
    max_articles: int = BRIEFING_MAX_ARTICLES
    max_total_chars: int = BRIEFING_MAX_CHARS

    def check(self, articles: int, total_chars: int) -> None:
        if articles > self.max_articles:
            raise BriefingTooLarge(
                f"briefing has more than {self.max_articles:,} articles; max {self.max_articles:,} per "
                "BuildBriefing call (use `briefing build`, which has no limit)",
                metadata={"limit": self.max_articles, "received": articles, "unit": "articles"},
            )
        if total_chars > self.max_total_chars:
            raise BriefingTooLarge(
                f"briefing text is {total_chars:,} chars so far; max {self.max_total_chars:,} per call",
                metadata={"limit": self.max_total_chars, "received": total_chars, "unit": "chars"},
            )


def unique_ids(ids: list[str]) -> list[str]:
    """Empty ids become "a1", "a2", … by position; a repeated id gets "~2", "~3", … appended."""
    out: list[str] = []
    seen: set[str] = set()
    for n, raw in enumerate(ids, 1):
        base = raw or f"a{n}"
        candidate, k = base, 1
        while candidate in seen:
            k += 1
            candidate = f"{base}~{k}"
        seen.add(candidate)
        out.append(candidate)
    return out


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
