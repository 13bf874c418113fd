"""Chrome inside paragraphs (source tags, bylines, time stamps, UI prompts, photo credits) never reaches a
sentence, and every sentence left is still an exact slice of the submitted text. All texts are made up."""

from __future__ import annotations

import pytest
from briefing_service.domain import Article, Summary, SummaryOptions
from briefing_service.parsing.segmenter import body_sentences
from briefing_service.text.chrome import find_body
from spacy.language import Language

PIER = "The harbour board voted on Monday to close the old ferry pier."
MAY = "It will reopen in May."


def _sentences(nlp: Language, text: str) -> list[str]:
    (sents,) = body_sentences(nlp, [text])
    for s in sents:
        assert text[s.start : s.end] == s.text  # offsets index the text the caller sent
    return [s.text for s in sents]


@pytest.mark.parametrize(
    "text",
    [
        f"(CNN){PIER} {MAY}",  # a source tag glued to the story
        f"(Valmora Gazette) -- {PIER} {MAY}",  # any source, then a dash
        f"PORTSEA, Lumora (Reuters) -- {PIER} {MAY}",  # place, country, agency, dash
        f"PORTSEA (AP) {PIER} {MAY}",  # an agency needs no dash
        f"By . Jane Roe . PUBLISHED: . 10:12 EST, 3 May 2013 . | . UPDATED: . 11:40 EST, 3 May 2013 . {PIER} {MAY}",
        f"By Jane Roe and Tom Reed for Valmora Online . {PIER} {MAY}",
        f"Last updated at 4:15 PM on 24th January 2012 . {PIER} {MAY}",
        f"By . Jane Roe . (CNN) -- {PIER} {MAY}",
    ],
)
def test_opening_chrome_is_cut(nlp: Language, text: str) -> None:
    assert _sentences(nlp, text) == [PIER, MAY]


@pytest.mark.parametrize(
    "chrome",
    [
        "Scroll down for video",  # glued to the next sentence, no full stop
        "Scroll down to see the full timetable.",
        "Watch the video below.",
        "Picture: Getty Images",
        "(Photo: AP)",
        "Photo credit: Jane Roe/Valmora Times.",
        "Follow @janeroe on Twitter.",
        "Follow Jane Roe on Twitter @janeroe",
        "Click here for the full timetable.",
        "READ MORE: Why are the old piers closing?",
        "UPDATED: 11:40 EST, 3 May 2013",
    ],
)
def test_chrome_inside_the_text_is_cut(nlp: Language, chrome: str) -> None:
    # Scrapers join a prompt or credit that stood on a line of its own to the sentences around it.
    text = f"{PIER} {chrome} {MAY}"
    assert _sentences(nlp, text) == [PIER, MAY]
    assert find_body(text).inline_chrome == 1


def test_contributor_line_is_cut(nlp: Language) -> None:
    text = f"{PIER} {MAY} Valmora Gazette's Jane Roe contributed to this report."
    assert _sentences(nlp, text) == [PIER, MAY]


@pytest.mark.parametrize(
    "text",
    [
        "Valmora Rovers (Lumora) beat the visitors 3-1 on Sunday.",  # no dash, not glued, not an agency
        "By the time the pier closed, nobody was left on it.",  # "By" opening a sentence
        "Watch the video of the launch on the board's website, the mayor said.",
        "The board said it would publish the updated timetable in 2013.",
        "Fans who scroll down the page will find the full timetable.",
    ],
)
def test_prose_that_looks_like_chrome_is_kept(nlp: Language, text: str) -> None:
    assert _sentences(nlp, text) == [text]
    assert find_body(text).inline_chrome == 0


def test_an_article_of_nothing_but_chrome_is_kept() -> None:
    text = "By . Jane Roe . Picture: Getty Images"
    assert find_body(text).blocks  # never an empty body for text with words


ARTICLE = (
    "PORTSEA, Lumora (CNN) -- By . Jane Roe . The harbour board of Portsea voted on Monday to close the old "
    "ferry pier after engineers found cracks in its main supports. Scroll down for video "
    "The pier, built in 1902, carried more than a million passengers a year before the new terminal opened. "
    "Picture: Getty Images "
    "Board chairman Tom Reed said the ferries would use the new terminal from Tuesday. "
    "Engineers will decide in May whether the pier can be repaired or must be pulled down. "
    "Follow @janeroe on Twitter."
)
JUNK = ("CNN", "Reuters", "Jane Roe", "By .", "Scroll", "Getty", "Picture", "Follow", "@", "--")


def test_headline_and_key_points_carry_no_chrome(pipeline: object) -> None:
    (summary,) = pipeline.summarize_batch(  # type: ignore[attr-defined]
        [(Article(text=ARTICLE, id="pier"), SummaryOptions(max_key_points=5, include_entities=True))]
    )
    assert isinstance(summary, Summary)
    assert summary.headline and summary.key_points
    texts = [summary.headline, *(k.text for k in summary.key_points)]
    assert not [t for t in texts if any(j in t for j in JUNK)], texts
    for k in summary.key_points:
        assert ARTICLE[k.start : k.end] == k.text
    assert not {e.text for e in summary.entities} & {"CNN", "Getty Images", "Jane Roe"}
