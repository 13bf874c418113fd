"""The subtrees a compression may delete when the headline is too long, least important first."""

from __future__ import annotations

from spacy.tokens import Token

from briefing_service.headline.frame import in_quote_map
from briefing_service.headline.text import Clause, subject
from briefing_service.headline.words import (
    COMPARATIVES,
    FIXED_ADJ,
    FIXED_PP,
    PARTITIVE,
    TIME_ENTS,
    TIME_WORDS,
)


def optional_levels(clause: Clause) -> list[list[Token]]:
    """Subtrees that may go when the headline is too long, least important level first."""
    levels: list[list[Token]] = [[], [], [], []]
    quotes = in_quote_map(clause)
    root = clause.root
    for t in clause.tokens():
        if t.i == root.i:
            continue
        lo, hi = t.left_edge.i, t.right_edge.i
        if any(a < lo <= b or a <= hi < b for a, b in quotes):
            continue  # never cut inside a quotation: it is the speaker's wording
        doc = clause.doc
        if (
            (hi + 1 < len(doc) and not doc[hi].whitespace_ and not doc[hi + 1].is_punct)
            or (hi + 1 < len(doc) and not doc[hi].whitespace_ and doc[hi + 1].text in ("-", "–"))
            or (lo > 0 and not doc[lo - 1].whitespace_ and doc[lo - 1].text in ("-", "–"))
            or (lo > 0 and not doc[lo - 1].whitespace_ and not doc[lo - 1].is_punct)  # "6-1" -> "6"
        ):
            continue  # half of a hyphenated word ("high-level"): removing it leaves "-level"
        dep, head = t.dep_, t.head
        if t.tag_ in ("WRB", "WDT", "WP") or dep == "mark" or t.lower_ == "than":
            continue  # "when" or "than" alone: the clause or comparison it opens would be left without it
        is_time = t.ent_type_ in TIME_ENTS or any(
            c.ent_type_ in TIME_ENTS and c.dep_ == "pobj" for c in t.children
        )
        # Subjectless ccomp under a non-reporting verb is the small model's guess for a participle.
        participial = subject(t) is None and (
            t.tag_ in ("VBG", "VBN") or (dep == "ccomp" and not any(c.tag_ == "TO" for c in t.children))
        )
        on_verb = head.pos_ in ("VERB", "AUX")
        clausal = (
            dep == "advcl"
            or (dep in ("acl", "ccomp") and participial)
            or (dep == "conj" and t.pos_ in ("VERB", "AUX") and subject(t) is not None)
            # "... reminded X about Y and urged them to learn": a second verb phrase on the same subject
            or (dep == "conj" and t.pos_ == "VERB" and head.i == root.i and t.i > root.i)
        )
        timing = on_verb and dep in ("prep", "npadvmod", "advmod") and (is_time or t.lower_ in TIME_WORDS)
        if clausal or timing:
            levels[0].append(t)
        elif dep in ("prep", "agent", "npadvmod", "advmod") and on_verb:
            essential = head.lemma_ == "be" and not any(c.dep_ in ("attr", "acomp") for c in head.children)
            if not essential and t.lower_ not in ("not", "never", "no"):
                levels[1].append(t)
        elif dep == "relcl" and head.dep_ in ("nsubj", "nsubjpass"):
            levels[1].append(t)  # describes the subject; the news is in the main predicate
        elif dep == "prep" and head.pos_ in ("NOUN", "PROPN", "ADJ", "PRON", "NUM"):
            # "in conjunction with", "in front of": the inner PP completes a fixed multiword preposition;
            # "16 of the 35 seats", "an average of 26 months": without it the number or noun says nothing.
            fixed = head.dep_ == "pobj" and head.lemma_.lower() in FIXED_PP
            partitive = t.lower_ == "of" and (head.pos_ == "NUM" or head.lemma_.lower() in PARTITIVE)
            if not (fixed or partitive):
                levels[1].append(t)
        elif dep in ("acl", "relcl"):
            levels[2].append(t)  # "the man who will present ...": often the only content of the object
        elif (
            dep == "amod"
            and t.ent_iob_ == "O"
            and t.tag_ == "JJ"
            and t.lower_ not in FIXED_ADJ
            and not t.like_num
        ) or (  # "the 27th best country" without "27th" says the opposite
            dep == "advmod" and head.pos_ == "ADJ" and t.i < head.i and t.lower_ not in COMPARATIVES
        ):  # "more powerful than": without "more", the "than" that follows is ungrammatical
            levels[3].append(t)
    return [sorted(level, key=lambda t: -t.i) for level in levels]  # rightmost first: tails carry least
