"""Entity table: normalization, merging, type filter, salience, robustness.

Most tests set entity spans by hand on a tokenizer-only Doc, so they pin this module's logic rather than the
statistical model's guesses; the real model runs in the robustness and sample-page tests.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pytest
from briefing_service.domain import Entity
from briefing_service.entities.table import DEFAULT_EXCLUDED_TYPES, build_entity_table
from briefing_service.parsing.blocks import ParsedBlock
from spacy.language import Language

# ../shared beside the repository (optional; the test skips without it).
SAMPLE = Path(__file__).resolve().parents[3] / "shared" / "samples" / "scraped_page_us_pakistan.txt"
CHROME = "Monday, Jan 05, 2026\n\nHome > World\n\n"


def _paragraphs(text: str) -> list[tuple[str, int]]:
    """Paragraphs split on blank lines, each with its offset into ``text``."""
    return [(m.group(0), m.start()) for m in re.finditer(r"\S(?:.*?\S)?(?=\n[ \t]*\n|\s*\Z)", text, re.S)]


def _manual(nlp: Language, text: str, ents: Sequence[Sequence[tuple[str, str]]]) -> list[ParsedBlock]:
    """Blocks over ``text``'s paragraphs, with the i-th paragraph's entities set to ``ents[i]``.

    Each (surface, label) pair is found left to right, so repeated surfaces take successive occurrences.
    """
    blocks = []
    for (para, offset), para_ents in zip(_paragraphs(text), ents, strict=True):
        doc = nlp.make_doc(para)
        spans, pos = [], 0
        for surface, label in para_ents:
            start = para.index(surface, pos)
            span = doc.char_span(start, start + len(surface), label=label)
            assert span is not None, f"{surface!r} does not align with tokens"
            spans.append(span)
            pos = start + len(surface)
        doc.ents = spans
        blocks.append(ParsedBlock(doc=doc, offset=offset))
    return blocks


def _by_text(entities: list[Entity]) -> dict[str, Entity]:
    return {e.text: e for e in entities}


def _check_offsets(entities: list[Entity], text: str) -> None:
    for entity in entities:
        assert entity.count == len(entity.mentions)
        assert 0.0 <= entity.salience <= 1.0
        for m in entity.mentions:
            assert text[m.start : m.end] == m.text


def test_offsets_index_the_submitted_text(nlp: Language) -> None:
    text = CHROME + "Elena Varga met Tomas Brandt in Zembla.\n\n\nLater Varga flew home to Zembla."
    blocks = _manual(
        nlp,
        text,
        [
            [("Jan 05, 2026", "DATE")],
            [],
            [("Elena Varga", "PERSON"), ("Tomas Brandt", "PERSON"), ("Zembla", "GPE")],
            [("Varga", "PERSON"), ("Zembla", "GPE")],
        ],
    )[2:]  # the chrome never reaches the entity table
    entities = build_entity_table(blocks, text=text)
    _check_offsets(entities, text)
    table = _by_text(entities)
    assert set(table) == {"Elena Varga", "Tomas Brandt", "Zembla"}
    zembla = table["Zembla"]
    assert [m.start for m in zembla.mentions] == [m.start() for m in re.finditer("Zembla", text)]


def test_normalization_article_possessive_brackets_whitespace(nlp: Language) -> None:
    text = (
        "The board of the Northwind\nTraders Guild said it needs (just) days.\n\n"
        "Northwind Traders Guild’s chair agreed with the Northwind Traders Guild."
    )
    blocks = _manual(
        nlp,
        text,
        [
            [("the Northwind\nTraders Guild", "ORG"), ("just) days", "DATE")],
            [("Northwind Traders Guild’s", "ORG"), ("the Northwind Traders Guild", "ORG")],
        ],
    )
    entities = build_entity_table(blocks, text=text)
    _check_offsets(entities, text)
    table = _by_text(entities)
    guild = table["Northwind Traders Guild"]
    assert guild.type == "ORG"
    assert guild.count == 3
    assert guild.aliases == ()  # the wrapped line is the same surface form
    assert guild.mentions[0].text == "Northwind\nTraders Guild"  # leading "the" dropped, start moved
    assert guild.mentions[0].start == text.index("Northwind")
    assert guild.mentions[1].text == "Northwind Traders Guild"  # possessive dropped
    assert table["days"].mentions[0].start == text.index("days")
    assert not any(e.text.lower().startswith("the ") for e in entities)


def test_percent_and_abbreviation_periods_survive(nlp: Language) -> None:
    text = "Shares of Quillon Inc. rose 5% in Orsino."
    blocks = _manual(nlp, text, [[("Quillon Inc.", "ORG"), ("5%", "PERCENT"), ("Orsino.", "GPE")]])
    assert {e.text for e in build_entity_table(blocks, text=text)} == {"Quillon Inc.", "5%", "Orsino"}


def test_mentions_reduced_to_nothing_are_dropped(nlp: Language) -> None:
    text = "He said “ — ” and left."
    doc = nlp.make_doc(text)
    span = doc.char_span(text.index("“"), text.index("”") + 1, label="ORG")
    assert span is not None
    doc.ents = [span]
    assert build_entity_table([ParsedBlock(doc, 0)], text=text) == []


def test_identical_names_merge_with_majority_type(nlp: Language) -> None:
    text = "Avalon grew. AVALON Avalon\n\nOrsino left Orsino."
    blocks = _manual(
        nlp,
        text,
        [
            [("Avalon", "GPE"), ("AVALON", "ORG"), ("Avalon", "GPE")],
            [("Orsino", "ORG"), ("Orsino", "GPE")],
        ],
    )
    table = _by_text(build_entity_table(blocks, text=text))
    assert table["Avalon"].type == "GPE"
    assert table["Avalon"].count == 3
    assert table["Avalon"].aliases == ("AVALON",)  # case-insensitive key, canonical = most frequent form
    assert table["Orsino"].type == "ORG"  # tie: the first mention decides


def test_short_person_forms_merge_into_full_name(nlp: Language) -> None:
    text = "Elena Varga spoke.\n\nVarga, said Elena, was right. Marco Quill agreed with Quill’s aide."
    blocks = _manual(
        nlp,
        text,
        [
            [("Elena Varga", "PERSON")],
            [("Varga", "GPE"), ("Elena", "PERSON"), ("Marco Quill", "PERSON"), ("Quill’s", "ORG")],
        ],
    )
    entities = build_entity_table(blocks, text=text)
    _check_offsets(entities, text)
    table = _by_text(entities)
    assert set(table) == {"Elena Varga", "Marco Quill"}
    varga = table["Elena Varga"]
    assert (varga.type, varga.count, varga.aliases) == ("PERSON", 3, ("Varga", "Elena"))
    assert table["Marco Quill"].aliases == ("Quill",)


def test_ambiguous_surname_is_not_merged(nlp: Language) -> None:
    text = "Elena Varga and Tomas Varga met. Varga left."
    blocks = _manual(nlp, text, [[("Elena Varga", "PERSON"), ("Tomas Varga", "PERSON"), ("Varga", "PERSON")]])
    table = _by_text(build_entity_table(blocks, text=text))
    assert set(table) == {"Elena Varga", "Tomas Varga", "Varga"}
    assert table["Elena Varga"].count == 1 and table["Tomas Varga"].count == 1


def test_place_and_debris_do_not_join_a_person(nlp: Language) -> None:
    # A GPE matching a "person's" first word is a place-led name misread as a person; lowercase debris
    # inside a malformed PERSON span never becomes a short form.
    text = "Zembla Pork rose. Prices in Zembla fell. Quill - police said the police left."
    blocks = _manual(
        nlp,
        text,
        [[("Zembla Pork", "PERSON"), ("Zembla", "GPE"), ("Quill - police", "PERSON"), ("police", "ORG")]],
    )
    table = _by_text(build_entity_table(blocks, text=text))
    assert table["Zembla"].type == "GPE" and table["Zembla Pork"].aliases == ()
    assert table["police"].count == 1 and table["Quill - police"].count == 1


def test_missed_person_mentions_are_recovered(nlp: Language) -> None:
    # NER tagged the full name once and missed the bare surname; a surname inside another span stays there.
    text = "Elena Varga arrived. Later Varga spoke at Varga Hall."
    blocks = _manual(nlp, text, [[("Elena Varga", "PERSON"), ("Varga Hall", "FAC")]])
    table = _by_text(build_entity_table(blocks, text=text))
    varga = table["Elena Varga"]
    assert varga.count == 2
    assert varga.mentions[1].start == text.index("Later Varga") + len("Later ")
    assert table["Varga Hall"].count == 1


def test_org_fragment_merges_but_gpe_stays(nlp: Language) -> None:
    text = "The Zembla Maritime Authority and the Authority of Zembla met in Zembla."
    blocks = _manual(
        nlp,
        text,
        [[("Zembla Maritime Authority", "ORG"), ("Authority", "ORG"), ("Zembla", "GPE"), ("Zembla", "GPE")]],
    )
    table = _by_text(build_entity_table(blocks, text=text))
    assert set(table) == {"Zembla Maritime Authority", "Zembla"}
    assert table["Zembla Maritime Authority"].aliases == ("Authority",)
    assert table["Zembla"].type == "GPE" and table["Zembla"].count == 2


def test_dotted_acronym_forms_unify(nlp: Language) -> None:
    text = "The U.S. and the US and the US agreed."
    blocks = _manual(nlp, text, [[("U.S.", "GPE"), ("US", "GPE"), ("US", "GPE")]])
    (us,) = build_entity_table(blocks, text=text)
    assert (us.text, us.count, us.aliases) == ("US", 3, ("U.S.",))


def test_type_filter(nlp: Language) -> None:
    text = "Elena Varga saw 26 ships on the third day in Zembla."
    blocks = _manual(
        nlp,
        text,
        [[("Elena Varga", "PERSON"), ("26", "CARDINAL"), ("third", "ORDINAL"), ("Zembla", "GPE")]],
    )
    assert frozenset({"CARDINAL", "ORDINAL"}) == DEFAULT_EXCLUDED_TYPES
    default = {e.type for e in build_entity_table(blocks, text=text)}
    assert default == {"PERSON", "GPE"}
    only_cardinal = build_entity_table(blocks, text=text, types=frozenset({"CARDINAL"}))
    assert [(e.text, e.type) for e in only_cardinal] == [("26", "CARDINAL")]
    only_person = build_entity_table(blocks, text=text, types=frozenset({"PERSON"}))
    assert [e.text for e in only_person] == ["Elena Varga"]


def test_salience_order_and_boosts(nlp: Language) -> None:
    text = "Zembla and Avalon and Orsino met. Zembla won.\n\nThen Avalon and Orsino left."
    ents = [[("Zembla", "GPE"), ("Avalon", "GPE"), ("Orsino", "GPE"), ("Zembla", "GPE")], [("Avalon", "GPE")]]
    blocks = _manual(nlp, text, [*ents[:1], [*ents[1], ("Orsino", "GPE")]])
    plain = build_entity_table(blocks, text=text)
    assert [e.text for e in plain] == ["Zembla", "Avalon", "Orsino"]  # count first, then earliness
    assert [e.salience for e in plain] == sorted((e.salience for e in plain), reverse=True)
    assert plain[0].salience == round(plain[0].salience, 4)

    base = _by_text(plain)["Orsino"].salience
    second = text.rindex("Orsino")
    boosted = _by_text(
        build_entity_table(
            blocks, text=text, headline="Orsino talks end", key_point_spans=[(second - 5, second + 10)]
        )
    )
    assert boosted["Orsino"].salience > base
    assert boosted["Avalon"].salience == _by_text(plain)["Avalon"].salience
    assert _by_text(build_entity_table(blocks, text=text, headline="orsino"))["Orsino"].salience == base


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n  ",
        "🎉🎉 Launch day! 🚀 Apple 🍎 and Google 🤖 shipped in Paris 🇫🇷.",
        "北京和上海的天气很好。 東京 Tokyo、Zürich and Kraków.",
        "\n".join(f"Word{i % 97}" if i % 3 else "Paris" for i in range(10_000)),
    ],
)
def test_model_output_never_raises(nlp: Language, text: str) -> None:
    blocks = [ParsedBlock(nlp(para), offset) for para, offset in _paragraphs(text)]
    entities = build_entity_table(blocks, text=text, headline=text[:80], key_point_spans=[(0, len(text))])
    _check_offsets(entities, text)


def test_odd_calls_never_raise(nlp: Language) -> None:
    assert build_entity_table([], text="") == []
    assert build_entity_table([], text="Anything", headline="x", types=frozenset({"PERSON"})) == []
    # A block whose offset does not match the text: its mentions are skipped, never mis-placed.
    doc = nlp("Elena Varga visited Paris.")
    assert build_entity_table([ParsedBlock(doc, 5)], text="short", key_point_spans=[(3, 1)]) == []


def test_sample_page(nlp: Language) -> None:
    if not SAMPLE.exists():
        pytest.skip(f"{SAMPLE} is missing")
    text = SAMPLE.read_text(encoding="utf-8")
    # Body paragraphs only: page chrome (date, breadcrumb, bullets, title, "image") is short or unpunctuated.
    body = [(p, o) for p, o in _paragraphs(text) if len(p.split()) >= 12 and p.rstrip()[-1] in '.!?”"']
    assert len(body) >= 5
    blocks = [ParsedBlock(nlp(p), o) for p, o in body]
    headline = next(line for line in text.splitlines()[3:] if line.strip() and "•" not in line).strip()
    entities = build_entity_table(blocks, text=text, headline=headline)
    _check_offsets(entities, text)
    table = _by_text(entities)

    dar = table["Ishaq Dar"]
    assert dar.type == "PERSON" and dar.count >= 3 and "Dar" in dar.aliases
    rubio = table["Marco Rubio"]
    assert rubio.type == "PERSON" and rubio.count >= 2 and "Rubio" in rubio.aliases
    for name in ("Pakistan", "India", "Washington"):
        assert table[name].type == "GPE", name
    assert table["Atlantic Council"].type == "ORG"
    assert not {"Dar", "Rubio", "State", "the Atlantic Council"} & set(table)
    assert entities[0].text == "Pakistan"
