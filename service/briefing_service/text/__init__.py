"""Text cleaning: the main text of an HTML page, the page chrome (date lines, breadcrumbs, section links,
placeholders) around an article's body, and the chrome inside its paragraphs (source tags, bylines, time
stamps, UI prompts, photo credits).

trafilatura is imported on first use: the spaCy process imports the chrome rules, not the HTML extractor."""

from __future__ import annotations

from typing import TYPE_CHECKING

from briefing_service.lazy_exports import lazy_exports
from briefing_service.text.chrome import ChromeResult, find_body, is_strong_chrome
from briefing_service.text.inline_chrome import chrome_spans

if TYPE_CHECKING:
    from briefing_service.text.html_text import extract_main_text

__all__ = ["ChromeResult", "chrome_spans", "extract_main_text", "find_body", "is_strong_chrome"]
__getattr__ = lazy_exports(__name__, {"extract_main_text": "briefing_service.text.html_text"})
