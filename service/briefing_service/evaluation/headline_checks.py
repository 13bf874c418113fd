"""Automatic headline checks for `make eval`: what a reader would reject on sight, countable without a judge.

Deliberately independent of headline/ (its own patterns, not the stage's): a check that reused the code under
test would pass whatever that code does. Blind reading (../shared/eval/JUDGING.md) judges the rest.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

# Source tags, datelines, bylines and page furniture.
JUNK = re.compile(
    r"\((?:CNN|AP|AFP|Reuters|EW\.com|Mashable|CNET|PEOPLE\.com|[A-Z][A-Za-z]+ Reporter)\)"
    r"|\b(?:PUBLISHED|UPDATED)\s*:|\bLast updated\b|\bDaily Mail Reporter\b|\bfor (?:MailOnline|Daily Mail)\b"
    r"|^By\s+[A-Z]|^[A-Z][A-Z .,]{2,}\s*(?:\([A-Za-z .]+\))?\s*--|\s\|\s|©"
)
# A headline that ends on one of these was cut off before its phrase ended (words that can close an English
# sentence, such as "in", "by", "was" or "had", are left out: "until fans stepped in", "no slacking to be had").
OPEN_ENDINGS = frozenset(
    """a an the and or but nor of to than which whose whom when where while if because although though unless
    whether his their its our my your very will would can could should may might must""".split()
)
BUCKETS = ((0, 8), (9, 14), (15, 20), (21, 10_000))


_QUOTE = re.compile(r"(?:(?<=^)|(?<=\s))['‘\"“](?=\w)|(?<=[\w.,!?])['’\"”](?=\s|$|[,.;:!?])")


def ends_open(headline: str) -> bool:
    words = re.findall(r"[\w']+", headline)
    return bool(words) and words[-1].lower() in OPEN_ENDINGS


def unbalanced_quotes(headline: str) -> bool:
    """A quotation opened and not closed; a mark after a word with none open is an apostrophe."""
    depth = 0
    for m in _QUOTE.finditer(headline):
        if m.start() == 0 or headline[m.start() - 1].isspace():
            depth += 1
        elif depth:
            depth -= 1
    return depth > 0


def headline_checks(headlines: Sequence[str]) -> dict[str, Any]:
    """Length histogram and the counts of junk, open endings, empty headlines and unbalanced quotes."""
    words = [len(h.split()) for h in headlines]
    hist = {
        f"{lo}-{hi}" if hi < 10_000 else f">{lo - 1}": sum(lo <= n <= hi for n in words) for lo, hi in BUCKETS
    }
    return {
        "articles": len(headlines),
        "length_histogram": hist,
        "at_most_14": sum(n <= 14 for n in words),
        "over_20": sum(n > 20 for n in words),
        "junk": sum(bool(JUNK.search(h)) for h in headlines),
        "ends_open": sum(ends_open(h) for h in headlines),
        "empty": sum(not h.strip() for h in headlines),
        "unbalanced_quotes": sum(unbalanced_quotes(h) for h in headlines),
        "examples": {
            "junk": [h for h in headlines if JUNK.search(h)][:3],
            "ends_open": [h for h in headlines if ends_open(h)][:3],
            "unbalanced_quotes": [h for h in headlines if unbalanced_quotes(h)][:3],
        },
    }
