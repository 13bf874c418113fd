"""Entity types the bundled articles once showed wrong, on invented text through the real pipeline: a
dateline is a place, a possessive full name is the person its surname names, a lone title or a unit is not
a name, an institution read as a location is a facility."""

from __future__ import annotations

import pytest
from briefing_service.domain import Article, SummaryOptions

TEXTS = [
    "DUNMORROW — Ottilie Brannagh's Harbour Workers Union won the vote on Sunday, ending a long strike. "
    "Brannagh told members the deal would protect jobs. Brannagh said she would meet the Governor next week.",
    "Forecasters said the water reached 14 degrees Celsius on Sunday, the warmest day of the year.",
    "A nurse at St. Orrin's Memorial Hospital in Dunmorrow said staff were relieved by the news.",
    "VELSKA, Norland — Port officials said on Sunday that the strike was over and ships could sail.",
]


@pytest.fixture(scope="module")
def typed(pipeline: object) -> dict[str, str]:
    items = [(Article(text=t, id=str(i)), SummaryOptions()) for i, t in enumerate(TEXTS)]
    out: dict[str, str] = {}
    for result in pipeline.summarize_batch(items):  # type: ignore[attr-defined]
        for e in result.entities:
            out[e.text] = e.type
            out.update(dict.fromkeys(e.aliases, e.type))
    return out


def test_dateline_is_a_place(typed: dict[str, str]) -> None:
    assert typed["DUNMORROW"] == "GPE"
    assert typed["VELSKA"] == "GPE"


def test_possessive_full_name_is_the_person_its_surname_names(typed: dict[str, str]) -> None:
    assert typed["Ottilie Brannagh"] == "PERSON"
    assert typed["Brannagh"] == "PERSON"
    assert typed["Harbour Workers Union"] == "ORG"


def test_lone_title_and_unit_are_not_names(typed: dict[str, str]) -> None:
    assert "Governor" not in typed
    assert "Celsius" not in typed


def test_institution_is_an_organisation_or_a_facility(typed: dict[str, str]) -> None:
    hospital = next(name for name in typed if "Memorial Hospital" in name)
    assert typed[hospital] in ("ORG", "FAC")
