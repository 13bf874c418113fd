"""Main-text extraction from HTML pages with trafilatura (boilerplate removal is its whole job)."""

from __future__ import annotations

from dataclasses import dataclass

import trafilatura


@dataclass(frozen=True)
class ExtractedPage:
    text: str
    title: str
    date: str  # ISO date when the page states one, else ""


def extract_main_text(html: str) -> ExtractedPage:
    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True) or ""
    if not text.strip():
        # Short pages fall under trafilatura's precision threshold; recall mode still drops navigation.
        text = trafilatura.extract(html, include_comments=False, favor_recall=True) or ""
    meta = trafilatura.extract_metadata(html)
    title = (meta.title or "") if meta else ""
    date = (meta.date or "") if meta else ""
    return ExtractedPage(text=text, title=title, date=date)
