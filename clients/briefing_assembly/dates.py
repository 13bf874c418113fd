"""Resolving DATE and TIME mentions ("Friday", "May 7", "next month") to calendar dates.

The reference is the article's publication date: news writes dates relative to the day it is published. A result
is ISO 8601 at the precision the words carry — a day ("2026-05-08"), an ISO week ("2026-W19"), a month
("2026-05") or a year ("2026") — and None when the words do not name one calendar date ("the 1990s", "2 p.m."
without a day, anything relative when the publication date is unknown).

A bare weekday is ambiguous ("on Friday" may be last or next Friday); the sentence decides: a future cue
("will", "is due to", "scheduled", …) means the next one, otherwise the most recent one, as in reported news.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {
    name: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for name in names
}
WEEKDAYS = {
    d: i for i, d in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
}
NUMBERS = {
    w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve".split())
}
NUMBERS.update({"a": 1, "an": 1, "a couple of": 2, "several": 3})
_UNITS = {"day": "day", "week": "week", "month": "month", "year": "year"}

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?P<weekday>" + "|".join(WEEKDAYS) + r")"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:1[89]|20)\d\d)"
_PART_OF_DAY = r"(?:\s+(?:morning|afternoon|evening|night|midday|noon))?"

FUTURE_CUES = re.compile(
    r"\b(will|won't|shall|is due|are due|is set to|are set to|is expected to|are expected to|scheduled|"
    r"plans? to|planned|upcoming|next|until|by then|deadline)\b",
    re.IGNORECASE,
)

# Words around a date that do not change which date it is.
_NOISE = re.compile(
    r"^(?:the\s+|on\s+|by\s+|since\s+|from\s+|until\s+|early\s+|late\s+|mid-?\s*|as of\s+|"
    r"as (?:early|late|soon) as\s+|no later than\s+|before\s+|after\s+)+|"
    r"(?:,?\s+(?:local time|gmt|utc))$"
)
_CLOCK = re.compile(
    r"^(?:about\s+|around\s+|shortly (?:after|before)\s+|just (?:after|before)\s+)?"
    r"(?:\d{1,2}(?::\d\d)?\s*(?:a\.m\.|p\.m\.|am\b|pm\b)|\d{1,2}:\d\d|noon|midnight|midday)\s*(?:on\s+)?"
)


# Mentions NER labels DATE/TIME that are not points in time: durations ("nine days", "for months"), ages
# ("22-year-old", "71"), ordinals of a span ("fourth day") and bare parts of a day ("evening", "dusk").
_AMOUNT = r"(?:\d[\d,.]*|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|few|many|a few|"
_AMOUNT += r"the past|the last|the next|first|second|third|fourth|fifth|final)"
_DURATION = re.compile(
    rf"^(?:(?:about|some|nearly|almost|more than|over|under|less than|at least|up to|for|ending|within|the)\s+)*"
    rf"(?:{_AMOUNT}[\s-]+)*(?:{_AMOUNT}[\s-]*)?"
    r"(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|centuries|century|nights?)"
    r"(?:[\s-]+old|[\s-]+long)?$|^\d{1,3}$|^[\d.,]+[\s-]*(?:year|month|week|day)s?[\s-]old$"
)
_BARE_PART_OF_DAY = re.compile(
    r"^(?:(?:the|this|that|early|late|by|at|in the|during the|throughout the|into the)\s+)*"
    r"(?:morning|afternoon|evening|night|nightfall|dusk|dawn|overnight|first light|daybreak|midday|noon|"
    r"midnight|weekend|season|summer|winter|spring|autumn|fall|the day|day)$"
)


def is_point_in_time(mention: str) -> bool:
    """False for durations, ages and bare parts of a day: they belong in no timeline."""
    text = " ".join(mention.casefold().replace("’", "'").split())
    return not (_DURATION.match(text) or _BARE_PART_OF_DAY.match(text))


@dataclass(frozen=True)
class ResolvedDate:
    iso: str | None  # ISO 8601 at `granularity`, or None when not resolvable
    granularity: str  # "day", "week", "month", "year", or "" when unresolved
    start: date | None  # first day of the period: the sort key


UNRESOLVED = ResolvedDate(None, "", None)


def _day(d: date) -> ResolvedDate:
    return ResolvedDate(d.isoformat(), "day", d)


def _week(d: date) -> ResolvedDate:
    year, week, _ = d.isocalendar()
    monday = d - timedelta(days=d.weekday())
    return ResolvedDate(f"{year}-W{week:02d}", "week", monday)


def _month(year: int, month: int) -> ResolvedDate:
    return ResolvedDate(f"{year:04d}-{month:02d}", "month", date(year, month, 1))


def _year(year: int) -> ResolvedDate:
    return ResolvedDate(f"{year:04d}", "year", date(year, 1, 1))


def _shift_months(d: date, months: int) -> tuple[int, int]:
    index = d.year * 12 + d.month - 1 + months
    return index // 12, index % 12 + 1


def _nearest_year(month: int, day: int, ref: date) -> date | None:
    """The year that puts month/day closest to the reference date (a date without a year in news is near)."""
    best: date | None = None
    for year in (ref.year - 1, ref.year, ref.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if best is None or abs((candidate - ref).days) < abs((best - ref).days):
            best = candidate
    return best


def _weekday(target: int, ref: date, qualifier: str, future: bool) -> date:
    if qualifier == "next" or (not qualifier and future) or (qualifier == "this" and future):
        ahead = (target - ref.weekday()) % 7
        if qualifier == "next" and ahead == 0:
            ahead = 7
        return ref + timedelta(days=ahead)
    back = (ref.weekday() - target) % 7
    if qualifier == "last" and back == 0:
        back = 7
    return ref - timedelta(days=back)


def _number(word: str) -> int | None:
    return int(word) if word.isdigit() else NUMBERS.get(word)


def _offset(amount: int, unit: str, ref: date) -> ResolvedDate:
    if unit == "day":
        return _day(ref + timedelta(days=amount))
    if unit == "week":
        return _week(ref + timedelta(weeks=amount))
    if unit == "month":
        return _month(*_shift_months(ref, amount))
    return _year(ref.year + amount)


def clean(mention: str) -> str:
    text = " ".join(mention.casefold().replace("’", "'").split())
    text = _CLOCK.sub("", text)  # "2 p.m. on October 24" -> "october 24"; "10 a.m." -> ""
    previous = None
    while previous != text:
        previous = text
        text = _NOISE.sub("", text).strip(" ,.")
    return text


def resolve(mention: str, published: date | None, context: str = "") -> ResolvedDate:
    """Resolve one DATE/TIME mention against the publication date; UNRESOLVED when it names no calendar date."""
    text = clean(mention)
    if not text:
        return UNRESOLVED
    absolute = _absolute(text, published)
    if absolute is not None:
        return absolute
    if published is None:
        return UNRESOLVED
    return _relative(text, published, future=bool(FUTURE_CUES.search(context)))


def _absolute(text: str, ref: date | None) -> ResolvedDate | None:
    if m := re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)", text):
        try:
            return _day(date(int(m[1]), int(m[2]), int(m[3])))
        except ValueError:
            return UNRESOLVED
    patterns = (
        rf"(?:{_WEEKDAY},?\s+)?{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?",
        rf"(?:{_WEEKDAY},?\s+)?{_DAY}\s+(?:of\s+)?{_MONTH},?(?:\s+{_YEAR})?",
    )
    for pattern in patterns:
        if m := re.fullmatch(pattern, text):
            month, day = MONTHS[m["month"]], int(m["day"])
            if m["year"]:
                try:
                    return _day(date(int(m["year"]), month, day))
                except ValueError:
                    return UNRESOLVED
            if ref is None:
                return UNRESOLVED
            found = _nearest_year(month, day, ref)
            return _day(found) if found else UNRESOLVED
    if m := re.fullmatch(rf"{_MONTH},?\s+{_YEAR}", text):
        return _month(int(m["year"]), MONTHS[m["month"]])
    if m := re.fullmatch(rf"(?:in\s+)?{_YEAR}", text):
        return _year(int(m["year"]))
    return None


def _relative(text: str, ref: date, future: bool) -> ResolvedDate:
    simple = {
        "today": 0,
        "tonight": 0,
        "this morning": 0,
        "this afternoon": 0,
        "this evening": 0,
        "yesterday": -1,
        "last night": -1,
        "yesterday morning": -1,
        "yesterday afternoon": -1,
        "yesterday evening": -1,
        "tomorrow": 1,
        "tomorrow morning": 1,
        "tomorrow afternoon": 1,
        "tomorrow evening": 1,
        "the day before yesterday": -2,
        "the day after tomorrow": 2,
    }
    if text in simple:
        return _day(ref + timedelta(days=simple[text]))
    if m := re.fullmatch(
        rf"(?:(?P<q>last|next|this|this coming|this past)\s+)?{_WEEKDAY}{_PART_OF_DAY}", text
    ):
        qualifier = (m["q"] or "").replace("this coming", "next").replace("this past", "last")
        return _day(_weekday(WEEKDAYS[m["weekday"]], ref, qualifier, future))
    if m := re.fullmatch(
        r"(?:(last|next|this|the past|the coming|earlier this|later this)\s+)(week|month|year)", text
    ):
        step = {"last": -1, "the past": -1, "next": 1, "the coming": 1}.get(m[1], 0)
        return _offset(step, m[2], ref)
    if m := re.fullmatch(r"(?:(?:in|within)\s+)?(?:(?:last|next|this)\s+)?(?:the\s+)?" + _MONTH, text):
        month = MONTHS[m["month"]]
        year = ref.year
        if "next" in text or (future and month < ref.month):
            year += 1 if month <= ref.month else 0
        elif "last" in text or (not future and month > ref.month):
            year -= 1 if month >= ref.month else 0
        return _month(year, month)
    if m := re.fullmatch(
        r"(\d+|[a-z]+(?: couple of)?) (day|week|month|year)s? (ago|earlier|later|from now)", text
    ):
        amount = _number(m[1])
        if amount is not None:
            return _offset(-amount if m[3] in ("ago", "earlier") else amount, m[2], ref)
    if m := re.fullmatch(
        r"(?:in|within) (\d+|[a-z]+(?: couple of)?) (day|week|month|year)s?(?: time)?", text
    ):
        amount = _number(m[1])
        if amount is not None:
            return _offset(amount, m[2], ref)
    return UNRESOLVED
