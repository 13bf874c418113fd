"""The names a story is about: what an informative headline mentions."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from spacy.tokens import Span

_NAMED = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "EVENT", "WORK_OF_ART", "PRODUCT", "LOC"})
MIN_MENTIONS = 2  # named twice in the opening sentences: the story is about it
TOP_NAMES = 3
OPENING = 10


def salient_names(sentences: Sequence[Span]) -> frozenset[str]:
    """The words of the names the opening sentences repeat most ("Obama", "Arsenal"), at most three."""
    counts: Counter[str] = Counter()
    for sent in sentences[:OPENING]:
        for e in sent.ents:
            if e.label_ in _NAMED:  # each word of a name counts: "Redfield Academy" ... "Redfield"
                counts.update({t.text for t in e if t.is_alpha and t.text[:1].isupper() and not t.is_stop})
    return frozenset(n for n, c in counts.most_common(TOP_NAMES) if c >= MIN_MENTIONS)


def names_one(text: str, names: frozenset[str]) -> bool:
    words = set(re.findall(r"[\w'’-]+", text))
    words |= {w.split("'")[0].split("’")[0] for w in words}  # "Obama's"
    return bool(words & names)


# Verbs that describe a state or an opinion, not an event: with nobody named, the sentence sets a scene ("Claws
# are out in one household", "Middle school can be a difficult time", "Procedure takes place today").
_SCENE_VERBS = frozenset(
    "be have seem look feel think believe know want love hope appear remain become".split()
)
_EVENT_CLAUSE = re.compile(r"\b(?:after|when|as|because|before|while|following)\b")
_PRONOUN_OBJECT = re.compile(r"\b(?:it|this|that) all\b|\b(?:captured|shows?|showed|reveals?|revealed) it\b")


def vague(text: str, sent: Span) -> bool:
    """A headline that names nobody and reports no event: a state or an opinion with a common-noun subject
    ("Woman thinks ...", "Claws are out ...", "Procedure takes place today"), an object that points at the
    next sentence ("One company has captured it all"), or a quote credited to a job ("Rapper: ...")."""
    words = text.split()
    if len(words) < 2 or any(w[:1].isupper() or w[:1].isdigit() for w in words[1:]):
        return False  # a name or a number is news enough
    first = words[0].rstrip(":").split("'")[0].split("’")[0]
    if any(first in e.text.split() for e in sent.ents):
        return False  # "Nike appears to ...", "Florida mother ..."
    if words[0].endswith(":") or _PRONOUN_OBJECT.search(text):
        return True
    if _EVENT_CLAUSE.search(text):
        return False  # "... is in hospital after she was mugged": the clause is the event
    root = sent.root  # the sentence's own verb: "Father says he felt helpless" reports, it is not a scene
    lemma = root.lemma_.lower()
    if lemma == "take":
        return any(c.lower_ == "place" for c in root.children)
    return lemma in _SCENE_VERBS
