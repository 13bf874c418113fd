"""Page chrome detection: find the article body inside scraped text.

Scrapers hand us the page as text: a date line, a breadcrumb ("Home > Top Stories > ..."), section bullets,
the page title, "image" placeholders, then the body. None of that may reach the headline, key points or
entity table, and the body offsets must still index the submitted text, so this module returns spans of the
original string rather than a cleaned copy.

Works on paragraphs (blocks separated by blank lines) because scraped bodies are often hard-wrapped: a line
such as "Beyond ceasefire diplomacy, Friday's talks also" is not chrome when the rest of its paragraph is prose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefing_service.text.inline_chrome import chrome_spans

_BULLET = re.compile(r"^\s*[•·▪►‣◦*–—-]\s+")
_BREADCRUMB_SEP = re.compile(r"\s(?:>|»|›|/|\|)\s")
_TERMINAL = re.compile(r"[.!?…][\"”’')\]]*\s*$")
_WORD = re.compile(r"\w+", re.UNICODE)
_MEDIA_WORDS = frozenset(
    """image images photo photos picture video videos advertisement ad ads share comments comment related
    subscribe login menu search close gallery listen print email whatsapp facebook twitter linkedin""".split()
)
_MEDIA_PHRASES = frozenset(
    {
        "read more",
        "related stories",
        "sign up",
        "log in",
        "follow us",
        "getty images",
        "copy link",
        "skip to content",
        "share this",
        "share this article",
        "share this story",
        "advertisement continues below",
    }
)
_DATE_TOKENS = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun
    january february march april may june july august september october november december jan feb mar apr jun
    jul aug sep sept oct nov dec am pm a.m. p.m. gmt utc bst est edt pst pdt ist at on updated published
    last modified posted""".split()
)
# A paragraph shorter than this with no sentence-final punctuation is a title or section label, not prose.
_MIN_PROSE_WORDS = 8
_LONG_PROSE_WORDS = 25


@dataclass(frozen=True)
class BodyBlock:
    """A paragraph of article body, or the part of one between inline chrome (text/inline_chrome.py):
    ``text[start:end]`` of the submitted text, trimmed of whitespace."""

    start: int
    end: int


@dataclass(frozen=True)
class ChromeResult:
    blocks: tuple[BodyBlock, ...]
    chrome_lines: int  # non-blank lines skipped as page chrome
    title: str  # the most title-like chrome line (the page headline), "" if none
    inline_chrome: int = 0  # spans cut out of body paragraphs (source tags, bylines, UI prompts, credits)


def _words(line: str) -> list[str]:
    return _WORD.findall(line)


def _is_date_line(line: str) -> bool:
    words = line.replace(",", " ").replace("|", " ").split()
    if not words or len(words) > 10:
        return False
    has_date_word = False
    for word in words:
        w = word.lower().strip(".:")
        if w in _DATE_TOKENS:
            has_date_word = True
        elif not re.fullmatch(r"\d{1,4}(?:[:/.-]\d{1,4}){0,2}(?:st|nd|rd|th)?", w):
            return False
    return has_date_word or bool(re.fullmatch(r"\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}", line.strip()))


def _is_breadcrumb(line: str) -> bool:
    parts = _BREADCRUMB_SEP.split(line.strip())
    if len(parts) < 2:
        return False
    # A breadcrumb is a chain of short labels; prose with a "/" or "|" has long parts and verbs.
    return all(0 < len(_words(p)) <= 12 for p in parts) and not _TERMINAL.search(line)


def _is_media_or_ui(line: str) -> bool:
    normalized = " ".join(_words(line.lower()))
    if not normalized:
        return line.strip() != ""  # a line of symbols only ("***", "---")
    if normalized in _MEDIA_WORDS or normalized in _MEDIA_PHRASES:
        return True
    first = normalized.split()[0]
    # "Image: Reuters", "Photo credit ...", "Video 02:31" style captions and credits.
    return first in {"image", "photo", "video", "picture", "advertisement"} and len(normalized.split()) <= 6


def _is_byline(line: str) -> bool:
    words = line.split()
    return 2 <= len(words) <= 6 and words[0].lower() == "by" and not _TERMINAL.search(line)


def is_strong_chrome(line: str) -> bool:
    """Lines that are chrome wherever they stand: dates, breadcrumbs, short bullets, media and UI labels."""
    if _BULLET.match(line) and len(_words(line)) <= 6:
        return True
    return _is_date_line(line) or _is_breadcrumb(line) or _is_media_or_ui(line) or _is_byline(line)


def _is_prose(text: str) -> bool:
    n = len(_words(text))
    return n >= _LONG_PROSE_WORDS or (n >= _MIN_PROSE_WORDS and bool(_TERMINAL.search(text)))


def _lines_with_offsets(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.splitlines(keepends=True):
        out.append((pos, line.rstrip("\r\n")))
        pos += len(line)
    return out


# Left at the edges of a piece between two chrome spans: blanks, and the separators scraped pages join them with.
_LEADING_JUNK = " \t\r\n.|·•-–—:;,"
_TRAILING_JUNK = " \t\r\n|·•-–—:;,"


def _cut_inline_chrome(text: str, blocks: list[BodyBlock]) -> tuple[list[BodyBlock], int]:
    """Body blocks with inline chrome cut out: each block splits into the pieces between its chrome spans."""
    out: list[BodyBlock] = []
    cut = 0
    for i, block in enumerate(blocks):
        spans = chrome_spans(text, block.start, block.end, opening=i == 0)
        cut += len(spans)
        pos = block.start
        for s, e in [*spans, (block.end, block.end)]:
            piece = text[pos:s]
            lead = len(piece) - len(piece.lstrip(_LEADING_JUNK)) if pos > block.start else 0
            body = piece[lead:].rstrip(_TRAILING_JUNK) if s < block.end else piece[lead:]
            if any(c.isalnum() for c in body):
                out.append(BodyBlock(pos + lead, pos + lead + len(body)))
            pos = e
    return out, cut


def find_body(text: str) -> ChromeResult:
    """Split ``text`` into body paragraphs, skipping page chrome. Never returns an empty body for text that
    has any words: when nothing looks like prose the whole text is one block (short notes are articles too)."""
    blocks: list[BodyBlock] = []
    chrome_lines = 0
    title = ""
    run: list[tuple[int, str]] = []  # consecutive non-chrome lines of the current paragraph

    def flush() -> None:
        nonlocal chrome_lines, title
        if not run:
            return
        start = run[0][0] + (len(run[0][1]) - len(run[0][1].lstrip()))
        last_offset, last_line = run[-1]
        end = last_offset + len(last_line.rstrip())
        joined = " ".join(line.strip() for _, line in run)
        if _is_prose(joined):
            blocks.append(BodyBlock(start, end))
        else:
            chrome_lines += len(run)
            # The page title is usually the longest non-prose line before the body.
            if not blocks and len(_words(joined)) > len(_words(title)):
                title = joined
        run.clear()

    for offset, line in _lines_with_offsets(text):
        if not line.strip():
            flush()
        elif is_strong_chrome(line):
            flush()
            chrome_lines += 1
        else:
            run.append((offset, line))
    flush()

    if not blocks and text.strip():
        start = len(text) - len(text.lstrip())
        blocks = [BodyBlock(start, len(text.rstrip()))]
        chrome_lines, title = 0, ""
    body, inline = _cut_inline_chrome(text, blocks)
    if not body:  # nothing but chrome: keep the text rather than summarize nothing
        body, inline = blocks, 0
    return ChromeResult(tuple(body), chrome_lines, title, inline)
