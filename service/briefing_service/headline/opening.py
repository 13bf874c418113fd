"""Which sentence carries the news. Usually the first; but a feature or teaser opening ("It's amazing what
...", "If your name is Nigel ...", "Ever wondered ...?") sets a scene and the news follows, and a kicker or
byline line is not a sentence at all."""

from __future__ import annotations

import re
from collections.abc import Sequence

from spacy.tokens import Span, Token

from briefing_service.headline.frame import find_clause
from briefing_service.headline.text import subject
from briefing_service.headline.words import CHROME, PRONOUNS

MIN_LEAD_WORDS = 6  # shorter opening "sentences" are kickers or bylines ("Arsenal defender")
LEAD_SENTENCES = 3  # the news is in the first three sentences or it is not in the lead at all
_TEASER_START = re.compile(
    r"^(?:If |Imagine|Ever |Have you|Forget |Move over|Picture |Meet |Remember |Think |Spare a thought|"
    r"When it comes to|It'?s not every day|It is not every day|Who says|What do |How do |Why do |You )"
)


def teaser(span: Span) -> bool:
    """A scene-setting opening: a question, or the stock openings of a feature."""
    text = span.text.strip()
    return text.endswith("?") or bool(_TEASER_START.match(text))


def news_sentences(lead: Sequence[Span]) -> list[Span]:
    """The opening sentences worth compressing, in the order to try them: teasers and kickers left out (unless
    nothing else is there)."""
    real = [
        s
        for s in lead[: LEAD_SENTENCES + 2]
        if sum(1 for t in s if t.is_alpha or t.like_num) >= MIN_LEAD_WORDS and not CHROME.search(s.text)
    ][:LEAD_SENTENCES]
    news = [s for s in real if not teaser(s) and not _pronoun_subject(s)]
    return news or real


def _pronoun_subject(span: Span) -> bool:
    """ "He joined the show three months ago.", "There are no two teams ...": the sentence names nobody."""

    def weak(root: Token) -> bool:
        subj = subject(root)
        return subj is not None and (subj.dep_ == "expl" or subj.lower_ in PRONOUNS)

    # "Renters have paid £100m ..., it was revealed today": the frame's "it" is not the sentence's subject.
    return weak(span.root) and weak(find_clause(span).root)
