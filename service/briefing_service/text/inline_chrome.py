"""Page chrome inside a paragraph: source tags, bylines, time stamps, UI prompts and photo credits.

Wire copy and newspaper sites put these in the running text, not on lines of their own: "(CNN)The port ...",
"LONDON, England (Reuters) -- ...", "By . Jane Doe . PUBLISHED: . 10:12 EST, 3 May 2013 . | . UPDATED: ...",
"... on camera. Scroll down for video ...", "Picture: Getty Images", "Follow @jdoe on Twitter", "CNN's Jane Doe
contributed to this report." None of it is the story, and left in it reaches the headline ("(Hollywood
Reporter)Stan ..."), the key points and the entity table ("Getty Images" as an organisation).

``chrome_spans`` finds such spans by how news pages are built, not by outlet: a parenthesised source or a
byline can only open the article; a time stamp, a UI prompt or a credit is recognised wherever it stands by
its own wording. The caller cuts the paragraph around the spans, so what remains is still a slice of the
submitted text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# A capitalised word of a place or source name: "LONDON", "Hong", "EW.com", "O'Hare", "Rio de Janeiro".
_CAP = r"[A-ZÀ-Þ][\w.'’&-]*"
_NAME = rf"{_CAP}(?:\s+(?:{_CAP}|de|del|da|di|von|van|la|le|of|the|and))*"
# "(CNN)", "(The Hollywood Reporter)", "(EW.com)": one to five words, the first capitalised.
_SOURCE = rf"\(\s*(?P<source>{_CAP}(?:\s+{_CAP}){{0,4}})\s*\)"
# Agencies whose tag needs no dash or glued text to be recognised ("WASHINGTON (AP) Officials said ...").
_AGENCIES = frozenset({"CNN", "AP", "Reuters", "AFP", "UPI", "PA", "EFE", "Xinhua", "Bloomberg", "dpa"})
# At the article's opening: an optional place ("LONDON, England", "Hong Kong"), a source in parentheses,
# then a dash, or the story glued straight on ("(CNN)The ..."), or a plain space for a known agency.
_SOURCE_TAG = re.compile(
    rf"(?:{_NAME}(?:\s*,\s*{_NAME}){{0,2}}\s*)?{_SOURCE}"
    r"(?P<after>\s*(?:--|[—–]|-(?=\s))\s*|(?=[A-ZÀ-Þ\"“‘'0-9])|\s+)"
)
# "By . Jane Doe . ", "By Jane Doe and John Roe for MailOnline . ", "By Daily Mail Reporter |": a byline at the
# opening, ended by the separator scraped pages put after it (" . ", "|", a line break) or by a time stamp.
_BYLINE = re.compile(
    rf"By\s*\.?\s+{_NAME}(?:\s*,\s*{_NAME})?(?:\s+(?:and|for|in)\s+{_NAME}){{0,3}}"
    r"(?=\s+\.(?:\s|$)|\s*\||\s*\n|\s*$|\s+(?:PUBLISHED|UPDATED|Published|Updated|Last updated)\b|\s*\()"
)
# "PUBLISHED: . 10:12 EST, 3 May 2013", "UPDATED: 09:08, 4 May 2013", "Last updated at 4:15 PM on 24th January
# 2012": the label, then a time or date that runs to a year within a few words.
_TIMESTAMP = re.compile(
    r"(?:\b(?:PUBLISHED|UPDATED|LAST UPDATED)\b\s*:?|\b(?:Published|Updated|Last updated)\s*:|\bLast updated at\b)"
    r"\s*\.?\s*(?=[0-9A-Z])[^|\n]{0,48}?\b(?:19|20)\d\d\b"
)
# UI prompts: "Scroll down for video", "Scroll down to see more pictures.", "Watch the video below",
# "Click here for the full story.", "READ MORE: <linked headline>". Capitalised (a prompt opens its own line on
# the page), and each runs to the end of its sentence or, glued to the next sentence, to its last fixed word.
# A prompt ends at its full stop, at the end of the line, or where the next sentence starts glued on.
_PROMPT_END = r"(?:\s*[.:!]|(?=\s*$|\s*\n|\s+[A-ZÀ-Þ\"“‘']))"
_UI_PROMPT = re.compile(
    r"(?:\bScroll\s+[Dd]own|\bSCROLL\s+DOWN)\s+(?:for|to|FOR|TO)\b(?:\s+(?:the|a|more|our|VIDEO|THE))*"
    rf"\s+(?:videos?|VIDEOS?)\b{_PROMPT_END}"
    r"|(?:\bScroll\s+[Dd]own|\bSCROLL\s+DOWN)\s+(?:for|to|FOR|TO)\b[^.!?\n]{0,100}[.!?]"
    rf"|\b(?:Watch|WATCH)\s+(?:the\s+|THE\s+)?(?:video|VIDEO)(?:\s+(?:below|above|here|BELOW|ABOVE|HERE))?\b{_PROMPT_END}"
    r"|\b(?:Click|CLICK)\s+(?:here|HERE)\s+(?:to|for|TO|FOR)\b[^.!?\n]{0,100}(?:[.!?]|$)"
    r"|\b(?:READ\s+MORE|Read\s+more|SEE\s+ALSO|RELATED)\s*(?:from\s+[^:.\n]{1,40})?:[^.!?\n]{0,120}(?:[.!?]|$)"
)
# "Follow @jdoe on Twitter", "Follow us on Instagram", "Follow Jane Doe on Twitter @jdoe".
_FOLLOW = re.compile(
    r"\bFollow\s+(?:@{1,2}\w+(?:\s+on\s+(?:Twitter|Instagram|Facebook))?"
    rf"|(?:us|me|{_CAP}(?:\s+{_CAP}){{0,3}})\s+on\s+(?:Twitter|Instagram|Facebook)(?:\s*:?\s*(?:at\s+)?@{{1,2}}\w+)?)"
    r"\s*[.!]?"
)
# Picture agencies and sources a credit names; a credit with one of these needs no full stop after it.
_AGENCY = (
    r"(?:Getty(?:\s+Images)?|AP(?:\s+Photo)?|PA(?:\s+Wire)?|Reuters|AFP|EPA|Rex(?:\s+Features|/Shutterstock)?|"
    r"Shutterstock|Alamy|Corbis|Splash(?:\s+News)?|Barcroft(?:\s+Media)?|Caters(?:\s+News(?:\s+Agency)?)?|"
    r"SWNS|Solent(?:\s+News)?|Ross\s+Parry|Mercury\s+Press|Press\s+Association|Associated\s+Press|WENN|"
    r"FameFlynet|Instagram|Twitter|Facebook|YouTube|Handout|Wikimedia(?:\s+Commons)?|Flickr|NASA)"
)
_CREDIT_LABEL = (
    r"(?:[Pp]ictures?|[Pp]hotos?|[Pp]hotograph|[Ii]mages?|PICTURES?|PHOTOS?|IMAGES?)(?:\s+[Cc]redits?)?"
)
# "Picture: Getty Images", "(Photo: AP)", "Photo credit: Jane Doe/Valmora Times." A label, then agencies, or a
# short name that ends its sentence (so "Image: Osama Bin Laden holds ..." is a caption, not a credit).
_CREDIT = re.compile(
    rf"\(\s*(?:{_CREDIT_LABEL}|[Cc]redit)\s*:\s*[^()\n]{{1,60}}\)"
    rf"|\b(?:{_CREDIT_LABEL}|Credit|CREDIT)\s*:\s*"
    rf"(?:{_AGENCY}(?:\s*(?:/|&|,|and|via)\s*{_AGENCY})*\b\s*\.?"
    rf"|{_CAP}(?:\s*(?:/|&|via)?\s*{_CAP}){{0,4}}\s*(?:\.(?=\s|$)|(?=\n|$)))"
)
# "CNN's Jane Doe contributed to this report." from the start of its sentence.
_CONTRIBUTED = re.compile(
    r"(?:(?<=[.!?\"”’])\s+|^)(?P<span>[^.!?\n]{0,150}\bcontributed\s+(?:to\s+)?(?:this\s+)?(?:report|story|"
    r"article)(?:ing)?\s*\.)"
)
# An agency photo caption: "FILE - In this March 5, 2015 file photo, ...", "FILE - From left, ...", "In this
# photo provided by the police, ...". The whole sentence describes a picture the text no longer has.
_PICTURE = r"(?:file\s+)?(?:photo|photograph|picture|image|sketch|frame\s+grab|video\s+image)s?\b"
_AGENCY_CAPTION = re.compile(
    r"(?:(?<=[.!?\"”’])\s+|^)(?P<span>(?:FILE\s*[-–—]\s*In\s+this\s+[^.!?\n]{0,60}?\b"
    rf"{_PICTURE}|In\s+this\s+[^.!?\n]{{0,60}}?\b{_PICTURE}\s+(?:taken|provided|released|made|shot|obtained|"
    r"posted)\b)[^.!?\n]{0,250}[.!?])"
    r"|(?:(?<=[.!?\"”’])\s+|^)(?P<file>FILE\s*[-–—]\s*[A-Z][^\n]{0,300}?[.!?](?=\s|$))"
)
_OPENING_MAX_CHARS = 300  # a source tag or byline after this is quoted in the story, not its opening
# What joins chrome to chrome in scraped pages: " . ", " | ", dashes and blanks.
_SEPARATORS = " \t\r\n.|·•-–—"


def _skip_separators(text: str, pos: int, end: int) -> int:
    while pos < end and text[pos] in _SEPARATORS:
        pos += 1
    return pos


def _source_tag_end(text: str, pos: int, end: int) -> int | None:
    m = _SOURCE_TAG.match(text, pos, end)
    if m is None:
        return None
    glued_or_dashed = not m.group("after").isspace()
    if not (glued_or_dashed or m.group("source") in _AGENCIES):
        return None
    return m.end()


def opening_chrome_end(text: str, start: int, end: int) -> int:
    """Where the story begins in ``text[start:end]``, the article's first paragraph: after any run of bylines,
    time stamps and a source tag or dateline ("By . Jane Doe . PUBLISHED: ... | UPDATED: ... (CNN) -- ").
    ``start`` when it opens with none of them."""
    pos = start
    while pos < min(end, start + _OPENING_MAX_CHARS):
        at = _skip_separators(text, pos, end) if pos > start else pos
        for pattern in (_BYLINE, _TIMESTAMP):
            m = pattern.match(text, at, end)
            if m:
                pos = m.end()
                break
        else:
            tag_end = _source_tag_end(text, at, end)
            if tag_end is None:
                break
            pos = tag_end
    if pos == start:
        return start
    rest = _skip_separators(text, pos, end)
    # Never swallow the paragraph: a byline with no story after it is left for the line rules to judge.
    return rest if rest < end and any(c.isalpha() for c in text[rest:end]) else start


# Each pattern with the words one of its matches must contain: a plain substring test rules most paragraphs
# out far faster than the pattern could (find_body runs on every article).
_UI_WORDS = (
    "Scroll",
    "SCROLL",
    "Watch the",
    "Watch video",
    "WATCH",
    "Click here",
    "CLICK HERE",
    "READ",
    "Read more",
)
_INLINE = (
    (("PUBLISHED", "UPDATED", "Published", "Updated", "Last updated"), _TIMESTAMP, 0),
    ((*_UI_WORDS, "SEE ALSO", "RELATED"), _UI_PROMPT, 0),
    (("Follow",), _FOLLOW, 0),
    (("icture", "hoto", "mage", "redit", "ICTURE", "HOTO", "MAGE", "REDIT"), _CREDIT, 0),
    (("contribut",), _CONTRIBUTED, "span"),
    (("In this", "FILE"), _AGENCY_CAPTION, None),
)
# A credit's label is right before its colon: find the colons first, they are few.
_CREDIT_COLON = re.compile(r"(?:icture|hoto|mage|redit|ICTURE|HOTO|MAGE|REDIT)s?\s*:")


def _inline_spans(paragraph: str) -> Iterator[tuple[int, int]]:
    for words, pattern, group in _INLINE:
        if not any(w in paragraph for w in words):
            continue
        if pattern is _CREDIT and _CREDIT_COLON.search(paragraph) is None:
            continue
        for m in pattern.finditer(paragraph):
            g = group if group is not None else ("span" if m.group("span") else "file")
            yield m.start(g), m.end(g)


def chrome_spans(text: str, start: int, end: int, opening: bool) -> list[tuple[int, int]]:
    """Spans of ``text[start:end]`` (one paragraph) that are page chrome, sorted and disjoint. ``opening``:
    the paragraph opens the article, where bylines and source tags are looked for too."""
    spans = [(start + s, start + e) for s, e in _inline_spans(text[start:end])]
    if opening:
        story = opening_chrome_end(text, start, end)
        if story > start:
            spans.insert(0, (start, story))
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged
