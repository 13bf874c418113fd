"""Text cleaning: the main text of an HTML page, and the page chrome (date lines, breadcrumbs, section links,
placeholders) around an article's body."""

from briefing_service.text.chrome import ChromeResult, find_body, is_strong_chrome
from briefing_service.text.html_text import extract_main_text

__all__ = ["ChromeResult", "extract_main_text", "find_body", "is_strong_chrome"]
