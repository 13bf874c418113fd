"""Size limits of one BuildBriefing call (constructor defaults of the servicer; documented in the .proto)."""

from __future__ import annotations

from dataclasses import dataclass

from briefing_service.errors import InvalidArticle


@dataclass(frozen=True)
class BriefingLimits:
    max_articles: int = 500
    max_total_chars: int = 20_000_000

    def check(self, articles: int, total_chars: int) -> None:
        if articles > self.max_articles:
            raise InvalidArticle(
                f"briefing has more than {self.max_articles:,} articles; max {self.max_articles:,} per "
                "BuildBriefing call (use `briefing build`, which has no limit)"
            )
        if total_chars > self.max_total_chars:
            raise InvalidArticle(
                f"briefing text is {total_chars:,} chars so far; max {self.max_total_chars:,} per call"
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
