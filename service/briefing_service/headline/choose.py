"""The headline entry point: the lead search first, then the ranked sentences, then the caller's fallback."""

from __future__ import annotations

import re
from collections.abc import Sequence

from spacy.tokens import Doc, Span

from briefing_service.headline.compress import compress_ranked, phrase_cut
from briefing_service.headline.lead import article_counts, lead_headline
from briefing_service.headline.words import CHROME, MIN_WORDS


def _words_cut(text: str, max_words: int) -> str:
    return re.sub(r"[\s,;:.\-–—]+$", "", " ".join(text.split()[:max_words]))


def choose_headline(
    candidates: Sequence[Span], max_words: int = 14, fallback: str = "", lead: Sequence[Span] = ()
) -> str:
    """Best headline; never raises. ``lead`` (the article's sentences in document order) is tried first, see
    headline_lead.py; then the ranked ``candidates`` (best first) are compressed in order."""
    max_words = max(1, max_words)
    pool: list[Span] = []
    try:
        if lead:
            found = lead_headline(lead, max_words, article_counts(lead))
            if found:
                return found
        for c in list(candidates)[:5]:
            s = c[:] if isinstance(c, Doc) else c
            if isinstance(s, Span) and len(s) > 0:
                pool.append(s)
        results = [compress_ranked(s, max_words) for s in pool]
        for want_strong in (True, False):  # a named subject beats "He said it would ..." further down
            for r in results:
                if r is not None and (r[1] or not want_strong):
                    return r[0]
        for s in sorted(pool, key=len):
            if CHROME.search(s.text):
                continue
            cut = phrase_cut(s, max_words)
            if len(cut.split()) >= MIN_WORDS:
                return cut
    except Exception:  # robustness over polish: fall through to the caller's fallback text
        pass
    return _words_cut(fallback if isinstance(fallback, str) else "", max_words)
