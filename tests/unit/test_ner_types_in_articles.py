"""Entity types the bundled articles showed wrong with the re-typer (issue #3), on invented text: a
dateline is a place, a possessive full name is the person its surname names, a lone title or a unit is
not a name, an institution read as a location is a facility, a surname spaCy tagged alone gets its first
name back."""

from __future__ import annotations

import pytest
from briefing_service.entities.retyper import candidates, default_retyper
from briefing_service.entities.table import resolve_mentions
from briefing_service.parsing.segmenter import parse_texts, with_offsets
from spacy.language import Language
from spacy.tokens import Span

TEXTS = [
    "DUNMORROW — Ottilie Brannagh's Harbour Workers Union won the vote on Sunday, ending a long strike.",
    "Brannagh told members the deal would protect jobs. Brannagh said she would meet the Governor next week.",
    "Forecasters said the water reached 14 degrees Celsius on Sunday.",
    "A nurse at St. Orrin's Memorial Hospital in Dunmorrow said staff were relieved.",
    "VELSKA, Norland — Port officials said on Sunday that the strike was over.",
]


@pytest.fixture(scope="module")
def typed(nlp: Language) -> dict[str, str]:
    blocks = parse_texts(nlp, TEXTS)
    offsets = [sum(len(t) + 1 for t in TEXTS[:i]) for i in range(len(TEXTS))]
    mentions = resolve_mentions(with_offsets(blocks, offsets), "\n".join(TEXTS))
    return {m.text: label for m, label in mentions}


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


def test_institution_read_as_a_location_is_a_facility(typed: dict[str, str]) -> None:
    assert typed["Memorial Hospital"] == "FAC"


def test_surname_tagged_alone_gets_its_first_name(nlp: Language) -> None:
    model = default_retyper()
    assert model is not None
    doc = parse_texts(nlp, ["The club signed Ghanaian winger Kwabe Oduya from a rival on Monday."])[0].doc
    start = [t.text for t in doc].index("Oduya")
    doc.ents = [Span(doc, start, start + 1, label="NORP")]  # what the small model does with such names
    (cand,) = candidates([doc], recall=False, titles=model.titles)
    assert cand.span.text == "Kwabe Oduya"
    titled = parse_texts(nlp, ["The board thanked Governor Oduya on Monday."])[0].doc
    start = [t.text for t in titled].index("Oduya")
    titled.ents = [Span(titled, start, start + 1, label="PERSON")]
    (cand,) = candidates([titled], recall=False, titles=model.titles)
    assert cand.span.text == "Oduya"  # a title is not a first name


def test_a_name_ending_in_an_elided_particle_keeps_it(nlp: Language) -> None:
    """The small model tags "AS Côte" and leaves "d'Azur" out (the bundled transfer article showed it)."""
    doc = parse_texts(nlp, ["The striker joins from French club AS Côte d'Azur for a fee of €85 million."])[
        0
    ].doc
    words = [t.text for t in doc]
    start, end = words.index("AS"), words.index("d'Azur")
    doc.ents = [Span(doc, start, end, label="PERSON")]  # "AS Côte", as the small model tags it
    (cand,) = candidates([doc], recall=False)
    assert cand.span.text == "AS Côte d'Azur"
    doc.ents = [Span(doc, start, end, label="ORG"), Span(doc, end, end + 1, label="GPE")]
    assert [c.span.text for c in candidates([doc], recall=False)] == ["AS Côte", "d'Azur"]  # another entity's
