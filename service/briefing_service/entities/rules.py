"""NER post-processing over spaCy's mentions: general rules for the small model's recurring mistakes.

Each rule works on one document's mentions and the parse; none names a particular entity.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from spacy.tokens import Span

from briefing_service.entities.naming import SERVICE_HEADS

# "Lashkar-e-Taiba", "Jaish-e-Mohammed", "Hizb-ut-Tahrir": a lowercase infix between capitalised parts is
# the naming pattern of organisations and movements, not of a person's name.
_INFIX_NAME = re.compile(r"^[A-Z][a-z]+(?:-(?:e|ul|ut|al|i|o)-[A-Z][a-z]+)+$")


_COUNTRY_CODE = re.compile(r"[A-Z]{2,3}|(?:[A-Z]\.){2,3}")


def keeps_leading_the(ent: Span) -> bool:
    """A capitalised "The" inside a sentence is part of the name ("groups like The Resistance Front"); at
    the start of a sentence the capital says nothing, and lowercase "the" is never part of it."""
    first = ent[0]
    return first.text == "The" and not first.is_sent_start and len(ent) > 1


def relabel(ent: Span, label: str) -> str:
    """The label a mention should carry, fixing patterns the small model gets wrong."""
    if label == "PERSON" and len(ent) <= 5 and _INFIX_NAME.match(ent.text.replace(" ", "")):
        return "ORG"
    return label


def leading_place(ent: Span, label: str, places: Counter[str]) -> int:
    """Tokens at the start of an ORG that are a country code named on its own elsewhere in the document
    ("US State Department" where "US" is a GPE): the place is its own entity, the rest the organisation.
    Returns how many tokens to split off (0 = none)."""
    lead = 1 if ent[0].lower_ == "the" else 0
    if label != "ORG" or len(ent) - lead < 3:
        return 0
    first, rest = ent[lead], ent[lead + 1 :]
    # Only a country code ("US", "UK", "U.S."): "Zembla Maritime Authority" is one name, "US State
    # Department" is the State Department of the US.
    acronym = _COUNTRY_CODE.fullmatch(first.text) is not None
    if rest[-1].text in SERVICE_HEADS:
        return 0  # "US Navy", "UK Border Force": the country's code is part of a service's name
    if acronym and places[first.text] >= 1 and all(t.text[:1].isupper() for t in rest):
        return lead + 1
    return 0


def place_names(ents: Sequence[Span], labels: Sequence[str]) -> Counter[str]:
    return Counter(
        e.text for e, lab in zip(ents, labels, strict=True) if lab in ("GPE", "LOC") and len(e) == 1
    )
