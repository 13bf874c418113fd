"""Page chrome detection keeps the body and returns offsets into the original text."""

from __future__ import annotations

from briefing_service.text.chrome import find_body, is_strong_chrome

PAGE = """Tuesday, Oct 14, 2025

Home > Science > Comet Seen From Two Continents
  • Science
  • Space

Comet Seen From Two Continents

image

Amateur astronomers in Chile and Namibia photographed the same bright comet on Monday night, the first
sighting confirmed from two continents since the object was found in March.

The comet will be visible to the naked eye for about ten more days, the observatory said in a statement.

Share this article
"""


def test_body_blocks_and_title() -> None:
    result = find_body(PAGE)
    bodies = [PAGE[b.start : b.end] for b in result.blocks]
    assert len(bodies) == 2
    assert bodies[0].startswith("Amateur astronomers") and bodies[0].endswith("found in March.")
    assert "\n" in bodies[0]  # a hard-wrapped paragraph stays one block
    assert bodies[1].startswith("The comet will be visible")
    assert result.title == "Comet Seen From Two Continents"
    # date, breadcrumb, 2 bullets, title, image, share line
    assert result.chrome_lines == 7


def test_strong_chrome_lines() -> None:
    for line in (
        "Sunday, Aug 03, 2025",
        "Home > Top Stories > Talks",
        "  • World",
        "image",
        "By Jane Roe",
        "Updated 10:42 GMT",
        "Related stories",
    ):
        assert is_strong_chrome(line), line
    for line in (
        "The talks resumed on Friday.",
        "Dar said the deal was close / final.",
        "Beyond diplomacy, talks",
    ):
        assert not is_strong_chrome(line), line


def test_plain_article_is_all_body() -> None:
    text = "The bridge reopened on Monday after repairs. Traffic returned to normal by noon."
    result = find_body(text)
    assert [(b.start, b.end) for b in result.blocks] == [(0, len(text))]
    assert result.chrome_lines == 0


def test_text_with_no_prose_is_still_summarizable() -> None:
    text = "  Short note\nanother line  "
    result = find_body(text)
    assert len(result.blocks) == 1
    block = result.blocks[0]
    assert text[block.start : block.end] == "Short note\nanother line"
