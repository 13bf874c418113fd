"""Resolving DATE/TIME mentions against the publication date."""

from __future__ import annotations

from datetime import date

import pytest
from briefing_assembly.dates import is_point_in_time, resolve

WEDNESDAY = date(2026, 5, 6)


@pytest.mark.parametrize(
    ("mention", "context", "iso", "granularity"),
    [
        ("Friday", "Talks will resume on Friday.", "2026-05-08", "day"),
        ("Friday", "The council met on Friday.", "2026-05-01", "day"),
        ("last Friday", "", "2026-05-01", "day"),
        ("next Wednesday", "", "2026-05-13", "day"),
        ("Wednesday", "", "2026-05-06", "day"),
        ("Saturday afternoon", "", "2026-05-02", "day"),
        ("May 7", "", "2026-05-07", "day"),
        ("the 7th of May", "", "2026-05-07", "day"),
        ("December 30", "", "2025-12-30", "day"),  # nearer than 2026-12-30
        ("2 p.m. on October 24, 2025", "", "2025-10-24", "day"),
        ("Sept. 3", "", "2026-09-03", "day"),
        ("yesterday", "", "2026-05-05", "day"),
        ("tomorrow", "", "2026-05-07", "day"),
        ("three days ago", "", "2026-05-03", "day"),
        ("next month", "", "2026-06", "month"),
        ("last month", "", "2026-04", "month"),
        ("last week", "", "2026-W18", "week"),
        ("next year", "", "2027", "year"),
        ("earlier this year", "", "2026", "year"),
        ("in March", "", "2026-03", "month"),
        ("March 2024", "", "2024-03", "month"),
        ("2011", "", "2011", "year"),
        ("2026-05-01", "", "2026-05-01", "day"),
    ],
)
def test_resolves_against_the_publication_date(
    mention: str, context: str, iso: str, granularity: str
) -> None:
    resolved = resolve(mention, WEDNESDAY, context)
    assert (resolved.iso, resolved.granularity) == (iso, granularity)


@pytest.mark.parametrize("mention", ["the 1990s", "10 a.m.", "the next two years", "spring", "decades"])
def test_what_names_no_calendar_date_stays_unresolved(mention: str) -> None:
    assert resolve(mention, WEDNESDAY).iso is None


def test_relative_dates_need_a_publication_date_but_absolute_ones_do_not() -> None:
    assert resolve("Friday", None).iso is None
    assert resolve("May 7", None).iso is None
    assert resolve("May 7, 2026", None).iso == "2026-05-07"


@pytest.mark.parametrize(
    ("mention", "expected"),
    [
        ("nine days", False),
        ("22-year-old", False),
        ("fourth day", False),
        ("evening", False),
        ("71", False),
        ("last week", True),
        ("2011", True),
        ("Friday", True),
        ("last night", True),
    ],
)
def test_durations_ages_and_parts_of_a_day_are_not_timeline_points(mention: str, expected: bool) -> None:
    assert is_point_in_time(mention) is expected
