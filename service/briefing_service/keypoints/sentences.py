"""What the key-point scorer knows about one sentence besides its embedding: read once from the parse.

Kept small and plain (no spaCy objects) so the evaluation can keep it after spaCy's strings are freed and the
training code sees exactly what the server sees."""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Span

# Ranking looks at the first sentences only: news is front-loaded, and it bounds the encoder cost of a
# 200,000-char article to what a normal one costs.
MAX_RANKED_SENTENCES = 150

# Verbs that report speech or a finding: a sentence built on one ("..., police said") states a reported fact.
_REPORTING = frozenset(
    "say tell announce report state claim add confirm reveal warn insist accuse deny admit allege".split()
)
# Names the article is about: people, organisations, places, nationalities and groups, events, works, laws.
_NAME_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "WORK_OF_ART", "LAW", "PRODUCT"}
)
_VERB_TAGS = frozenset({"VERB", "AUX"})
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class SentenceInfo:
    text: str
    words: int  # alphabetic or numeric tokens
    names: tuple[str, ...]  # the names it mentions (lower case, spaces normalised), in order
    reporting: bool  # its main verb, or a verb of its, reports speech ("said", "told")
    has_verb: bool = True  # it has a verb at all: a heading or a photo label ("Mr X on his plans.") has none


def _name_key(text: str) -> str:
    key = _SPACE.sub(" ", text.strip().lower())
    return key[:-2] if key.endswith("'s") or key.endswith("’s") else key


def sentence_info(span: Span, text: str, words: int) -> SentenceInfo:
    """``span``: the sentence's parse; ``text``/``words``: the segmenter's (dateline cut off)."""
    names = tuple(_name_key(e.text) for e in span.ents if e.label_ in _NAME_LABELS)
    reporting = any(t.pos_ == "VERB" and t.lemma_.lower() in _REPORTING for t in span)
    has_verb = any(t.pos_ in _VERB_TAGS for t in span)
    return SentenceInfo(
        text=text, words=words, names=tuple(n for n in names if n), reporting=reporting, has_verb=has_verb
    )
