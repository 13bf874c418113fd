"""Headlines made without compression: the whole sentence as written when it is short enough, and, when
nothing else is left, its longest prefix that ends on a complete phrase."""

from __future__ import annotations

import re

from spacy.tokens import Span

from briefing_service.headline.check import JUNK, open_quote, unanchored_pronoun, weak_subject
from briefing_service.headline.frame import find_clause, strip_tails
from briefing_service.headline.text import Clause, render, subject
from briefing_service.headline.words import CHROME, DANGLING, MAX_FALLBACK_TOKENS


def whole_sentence(span: Span, max_words: int, min_words: int) -> str | None:
    """The sentence as written (no trailing full stop) when it fits, names its subject and carries no junk."""
    clause = Clause(span, span.root, None)
    clause.keep = {t.i for t in span if not t.is_space}
    text = re.sub(r"\s*\([^()]*\)", "", render(clause, headline_style=False))  # "(pictured ...)"
    if not min_words <= len(text.split()) <= max_words or CHROME.search(text) or JUNK.search(text):
        return None
    whole = Clause(span, span.root, None)
    whole.keep = set(clause.keep)
    if subject(span.root) is None or weak_subject(whole) or text.rstrip().endswith("?"):
        return None
    if unanchored_pronoun(whole) is not None:  # "Witnesses described him as calm": who?
        return None
    # A quotation cut from its paragraph ("... at the moment,' Sawyer told CNN. '") is not a statement.
    if open_quote(text) or not text[:1].isupper():
        return None
    last = next((t for t in reversed(span) if not t.is_punct and not t.is_space), None)
    if (
        last is None
        or last.tag_ in ("IN", "TO", "DT", "CC", "WDT", "WP", "WRB", "PRP$")
        or last.dep_ == "dep"
    ):
        return None  # "A Boston woman has been indicted with": the segmenter cut the sentence short
    return text


def phrase_cut(span: Span, max_words: int) -> str:
    """Longest prefix of the (tail-stripped) clause that ends on a complete subtree, <= max_words."""
    if len(span) <= MAX_FALLBACK_TOKENS:
        clause = find_clause(span)
        strip_tails(clause)
    else:
        clause = Clause(span, span.root, None)
        clause.keep = set(range(span.start, span.end))
    kept = clause.tokens()
    chunk_end: dict[int, int] = {}
    for group in (*span.noun_chunks, *span.ents):
        for t in group:
            chunk_end[t.i] = max(chunk_end.get(t.i, -1), group.end - 1)
    best = ""
    for pos, t in enumerate(kept[: max_words * 4]):
        nxt = kept[pos + 1].i if pos + 1 < len(kept) else span.end
        complete = t.right_edge.i < nxt and chunk_end.get(t.i, t.i) == t.i
        if t.is_punct or not complete or t.dep_ in DANGLING or t.i < clause.root.i:
            continue
        text = render(clause, upto=t.i)
        if len(text.split()) > max_words:
            break
        if not open_quote(text):
            best = text
    return best
