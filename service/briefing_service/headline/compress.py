"""Greedy compression of one ranked sentence: cut optional subtrees, rightmost and least important first,
until it fits; the path for sentences the lead search did not settle."""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from briefing_service.headline.check import is_good, weak_subject
from briefing_service.headline.cuts import optional_levels
from briefing_service.headline.frame import find_clause, pronoun_fix, strip_tails
from briefing_service.headline.text import Clause, render, subspans
from briefing_service.headline.words import CHROME, DANGLING, MAX_COMPRESS_TOKENS, MAX_FALLBACK_TOKENS


def compress_ranked(span: Span, max_words: int) -> tuple[str, bool] | None:
    weak: tuple[str, bool] | None = None
    for part in subspans(span) if len(span) <= MAX_COMPRESS_TOKENS * 2 else []:
        result = _compress_one(part, max_words)
        if result is not None and result[1]:
            return result
        weak = weak or result
    return weak


def _compress_one(span: Span, max_words: int) -> tuple[str, bool] | None:
    """(headline, strong) or None; strong means the subject is not an unresolved pronoun."""
    if len(span) == 0 or len(span) > MAX_COMPRESS_TOKENS or CHROME.search(span.text):
        return None
    clause = find_clause(span)
    strip_tails(clause)
    pronoun_fix(clause)
    levels = optional_levels(clause)
    for tok in (t for level in levels for t in level):  # rightmost first: a sentence's tail carries least
        if clause.words() <= max_words:
            break
        if tok.i not in clause.keep:
            continue
        # Do not overshoot: if a smaller cut anywhere (even a less preferred one) already fits, take it.
        size = _removal_size(clause, tok)
        best = min(
            (c for level in levels for c in level if c.i in clause.keep and _removal_size(clause, c) < size),
            key=lambda c: (_removal_size(clause, c), -c.i),
            default=None,
        )
        fits = [c for c in [best] if c is not None and clause.words() - _removal_size(clause, c) <= max_words]
        clause.drop_subtree(fits[0] if fits else tok, with_cc=(fits[0] if fits else tok).dep_ == "conj")
    text = render(clause)
    if not is_good(clause, text, max_words):
        return None
    return text, not weak_subject(clause)


def _removal_size(clause: Clause, tok: Token) -> int:
    """Kept tokens a subtree cut would remove (a cheap proxy for words, no re-render)."""
    return sum(
        1
        for i in range(tok.left_edge.i, tok.right_edge.i + 1)
        if i in clause.keep and not clause.doc[i].is_punct
    )


def compress_sentence(sent: Span, max_words: int = 14) -> str | None:
    """Compress one sentence into a headline of <= max_words words, or None if it cannot be done cleanly."""
    try:
        if isinstance(sent, Doc):
            sent = sent[:]
        result = compress_ranked(sent, max(1, max_words))
    except Exception:  # a parser quirk must never take the service down; the caller falls back
        return None
    return result[0] if result else None


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
        best = text
    return best
