"""Key points are article text: whole sentences with exact offsets, never a caption, byline, dateline, photo
credit or site prompt, never cut at a title, an initial or "U.S.", and none repeats another. The article is
made up, written the way the pages the issue quotes run captions and chrome into the story."""

from __future__ import annotations

import re

from briefing_service.domain import Article, Summary, SummaryOptions
from briefing_service.limits import MAX_KEY_POINTS

ARTICLE = (
    "By . Jane Roe . PUBLISHED: . 09:14 EST, 4 May 2014 . | . UPDATED: . 10:02 EST, 4 May 2014 . "
    "Lumora City (CNN) -- The U.S. Navy will close its repair yard at Lumora City next year, moving 1,200 "
    "jobs to a base on the east coast, the defence ministry said on Tuesday. "
    "Scroll down for video "
    "Quiet quay: Workers leave the yard at the end of a shift on Monday evening (pictured) "
    "The yard has repaired frigates and supply ships for the fleet since 1952. "
    "Harbour police spokesman Sgt. Ana Ortiz said officers would patrol the gates while the yard emptied. "
    "Union leader Tom J. Reed called the decision a betrayal of a town that had served the navy for decades. "
    "'We were told the work would stay here until at least 2030,' Reed said. "
    "The ministry said the east coast base was closer to the fleet's new training grounds. "
    "Local shops that depend on the yard's workers fear they will lose half of their trade. "
    "The council will ask the U.S. Congress to fund a new use for the dry docks before the yard shuts. "
    "Picture: Valmora Photo Agency "
    "Follow @janeroe on Twitter."
)
JUNK = (
    "By .",
    "Jane Roe",
    "PUBLISHED",
    "UPDATED",
    "CNN",
    "--",
    "Scroll",
    "Quiet quay",
    "(pictured)",
    "Picture",
    "Valmora Photo",
    "Follow",
    "@",
)
# A whole sentence starts with a capital, a digit or an opening quote and ends at sentence-final punctuation
# (perhaps inside closing quotes or brackets).
WHOLE = re.compile(r"""^['"‘“]?[A-Z0-9].*[.!?]['"’”)]?$""", re.S)


def _key_points(pipeline: object, k: int) -> list[str]:
    (summary,) = pipeline.summarize_batch(  # type: ignore[attr-defined]
        [(Article(text=ARTICLE, id="yard"), SummaryOptions(max_key_points=k, include_entities=False))]
    )
    assert isinstance(summary, Summary)
    for p in summary.key_points:
        assert ARTICLE[p.start : p.end] == p.text
    return [p.text for p in summary.key_points]


def _assert_article_text(texts: list[str]) -> None:
    for text in texts:
        assert WHOLE.match(text), text
        assert not any(j in text for j in JUNK), text
        assert not text.endswith(("Sgt.", "J.", "U.S.")), text
    assert len(set(texts)) == len(texts)


def test_key_points_are_whole_sentences_without_chrome(pipeline: object) -> None:
    texts = _key_points(pipeline, 5)
    assert len(texts) == 5
    _assert_article_text(texts)
    assert any(t.startswith("The U.S. Navy will close its repair yard") for t in texts), texts


def test_page_text_is_listed_after_every_sentence_of_the_story_when_all_are_asked_for(
    pipeline: object,
) -> None:
    # Demoted, not dropped (a short article may have nothing else): the glued caption comes after every whole
    # sentence of the story, so any shorter list is clean.
    texts = _key_points(pipeline, MAX_KEY_POINTS)
    clean = [t for t in texts if not any(j in t for j in JUNK)]
    assert len(clean) >= 5
    assert texts[: len(clean)] == clean, texts
    _assert_article_text(clean)


# A tabloid-style page: a caption with a label and a picture note that restates the lead, a heading over a
# quote, a prompt to stay on the site, all inside the body text.
TABLOID = (
    "A surgeon who left a clamp inside a patient has been struck off by a medical tribunal in Farrow. "
    "Struck off: Dr Vell Ardan (pictured outside the hearing) has been banned from practising medicine. "
    "The tribunal heard that the clamp was found during a scan eight months after the operation. "
    "Dr Ardan on his years at the clinic. "
    "'I gave that hospital the best part of my working life,' he told the panel on Monday. "
    "The patient, a retired teacher of 61, needed a second operation and spent three weeks in hospital. "
    "Hospital managers apologised and said checklists were now signed by two nurses after every operation. "
    "Stick with MailOnline for more on this story. "
    "The tribunal said Dr Ardan had failed to count instruments on at least two other occasions."
)


def test_captions_headings_and_prompts_come_after_the_story(pipeline: object) -> None:
    (summary,) = pipeline.summarize_batch(  # type: ignore[attr-defined]
        [(Article(text=TABLOID, id="tribunal"), SummaryOptions(max_key_points=MAX_KEY_POINTS))]
    )
    assert isinstance(summary, Summary)
    texts = [p.text for p in summary.key_points]
    assert all(TABLOID[p.start : p.end] == p.text for p in summary.key_points)
    page = [t for t in texts if t.startswith(("Dr Vell Ardan (pictured", "Dr Ardan on", "Stick with"))]
    # The heading may be left out as a repeat of the sentence naming Dr Ardan; whatever is listed comes last.
    assert len(page) >= 2 and texts[-len(page) :] == page, "\n".join(texts)
    scores = [p.score for p in summary.key_points]
    assert scores == sorted(scores, reverse=True)
