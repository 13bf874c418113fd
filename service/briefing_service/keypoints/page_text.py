"""Sentences that are the page talking about itself rather than the story: a photo caption run into the body,
a site prompt, a heading or a piece of a cut sentence. They are listed after every other sentence (demoted,
never dropped: a short article may have nothing else to offer), in their own score order, so the list stays
one fixed order and ``max_key_points=k`` is still its first k.

The signs are how news pages write captions and chrome, not any one article:

- a picture note in brackets, the way tabloid pages caption a photo inside the text: "(pictured)",
  "(pictured left with her son)", "(above)", "(left)", "(centre)", "(inset)", "(file photo)",
  "(artist's impression)", "(stock image)", or "pictured" set off by a comma, dash or bracket
  ("Ms Roe, pictured with her son, ...");
- a short label and a colon opening a caption ("Struck off: Dr Roe was ...", "Pictured: ..."), unless the
  label reports speech ("He said: ...") or a quotation follows it;
- a prompt to the reader ("Scroll down for video", "click here", "stick with MailOnline Sport", "follow us");
- no verb at all (a heading: "Mr Roe on his leadership qualities.", a list line, a cut-off piece) or no end
  as a sentence ends (a caption glued to the sentence after it, a sentence the page cut in two).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from briefing_service.keypoints.features import ends_as_sentence
from briefing_service.keypoints.sentences import SentenceInfo

_PICTURE_NOTE = re.compile(
    r"\((?:pictured|photo|picture|file|above|below|left|right|centre|center|inset|top|bottom|far|second|"
    r"third|main|clockwise|front|back|middle|seen|shown|both|artist|stock)\b[^()]{0,60}\)"
    r"|\((?:l|r|c|l-r)\)"
    r"|(?:^|[,(\-–—]\s*)pictured\b",
    re.IGNORECASE,
)
# A caption's label: at most four words from the sentence's start to a colon, then no quotation.
_LABEL = re.compile(r"""^['"‘“]?[A-Z0-9][^\s:]*(?:\s+[^\s:]+){0,3}:\s+(?!['"‘“])""")
_SPEECH_LABEL = re.compile(
    r"""^[^:]*\b(?:said|says|say|added|adds|told|tells|wrote|writes|explained|insisted|stated|tweeted|
    continued|revealed|claimed|warned|commented|posted|admitted|asked|asks|replied|reads|concluded|declared|
    announced|noted|argued|recalled|saying|is|was|are|were|include|includes|including)\b[^:]*:""",
    re.IGNORECASE | re.VERBOSE,
)
_PROMPT = re.compile(
    r"stick with MailOnline|click here|scroll down|follow (?:us|@)|like us on facebook|download the app|"
    r"watch the video",
    re.IGNORECASE,
)


def is_page_text(sentence: SentenceInfo) -> bool:
    """The sentence reads as a caption, a prompt, a heading or a cut-off piece, not as the story's text."""
    text = sentence.text
    return (
        bool(_PICTURE_NOTE.search(text))
        or bool(_LABEL.match(text) and not _SPEECH_LABEL.match(text))
        or bool(_PROMPT.search(text))
        or not sentence.has_verb
        or not ends_as_sentence(text)
    )


def demote_page_text(scores: np.ndarray, sentences: Sequence[SentenceInfo]) -> np.ndarray:
    """The listing scores: a page-text sentence's score scaled below the lowest score of any other sentence
    (its order among the demoted kept), every other score unchanged. Still in (0, 1), still one per
    sentence in document order."""
    demoted = np.array([is_page_text(s) for s in sentences], dtype=bool)
    if not demoted.any() or demoted.all():
        return scores
    floor = float(scores[~demoted].min())
    out = scores.astype(np.float32).copy()
    out[demoted] = scores[demoted] * np.float32(0.5 * floor)
    return out
