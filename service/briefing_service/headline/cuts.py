"""The subtrees a compression may delete: every cut the rule book (roles.py) allows that also keeps the
sentence's surface intact (a quotation, a hyphenated word and a name are never cut into)."""

from __future__ import annotations

from spacy.tokens import Span, Token

from briefing_service.headline.frame import in_quote_map
from briefing_service.headline.roles import cut_allowed
from briefing_service.headline.text import Clause

_HYPHENS = ("-", "–")


def _splits_word(t: Token) -> bool:
    """Half of a hyphenated or glued word ("high-level", "6-1"): removing it leaves "-level"."""
    doc, lo, hi = t.doc, t.left_edge.i, t.right_edge.i
    glued_right = hi + 1 < len(doc) and not doc[hi].whitespace_
    glued_left = lo > 0 and not doc[lo - 1].whitespace_
    return (glued_right and (not doc[hi + 1].is_punct or doc[hi + 1].text in _HYPHENS)) or (
        glued_left and (not doc[lo - 1].is_punct or doc[lo - 1].text in _HYPHENS)
    )


def _splits_name(t: Token, ents: list[Span]) -> bool:
    """The subtree takes part of a named entity and leaves the rest ("National Institutes [of Health]")."""
    lo, hi = t.left_edge.i, t.right_edge.i
    return any(
        (e.start < lo < e.end) or (e.start <= hi < e.end - 1) for e in ents if e.start <= hi and e.end > lo
    )


def optional_subtrees(clause: Clause) -> list[Token]:
    """Roots of the subtrees the search may delete (each with its head kept), rightmost first."""
    quotes = in_quote_map(clause)
    out: list[Token] = []
    for t in clause.tokens():
        if t.i == clause.root.i or t.head.i not in clause.keep or not cut_allowed(t, clause.relaxed):
            continue
        lo, hi = t.left_edge.i, t.right_edge.i
        if any(a < lo <= b or a <= hi < b for a, b in quotes):
            continue  # never cut inside a quotation: it is the speaker's wording
        if _splits_word(t) or _splits_name(t, clause.ents):
            continue
        out.append(t)
    return sorted(out, key=lambda t: -t.i)
