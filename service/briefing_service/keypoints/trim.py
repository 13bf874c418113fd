"""Trim the tail of a long key point at a clause boundary.

A news sentence of more than ``MAX_WORDS`` words usually carries its news in the first clause and trails
circumstance after it: ", while also leaping to the politician's defense", ", according to People's Daily
Online", ", including an extra £334million for its part in ...". Key points are read (and compared with
editors' highlights) as short statements, so such a sentence ends at the last seam that keeps at most
``MAX_WORDS`` words. Only the end moves, so the key point is still one contiguous slice of the source
(``text[start:end]``), and the cut is made only where the parse says the words kept form a whole:

- at a seam: a comma, dash or semicolon;
- no word kept depends on a word dropped, and the sentence's root is kept;
- every dropped phrase hangs off the kept part as an adjunct (an adverbial or relative clause, a
  prepositional phrase, an apposition, a coordinated *verb*): never an object or complement, and never one
  item of a list of names ("Philipp Lahm, Arjen Robben and Franck Ribery");
- quotation marks and brackets kept are balanced.

Measured on the dev file (README "Quality"): key points R1 +0.42, on both halves of the articles (even +0.58,
odd +0.26). Cutting also before a coordinated verb without a seam ("... awoke ✂ and then ...") or before an
adverbial subordinator ("... on Wednesday ✂ as he began ...") was measured and left out: the first helped
one half only (+0.23 / -0.04), the second hurt both (-0.03 / -0.27). Sentences of ``MAX_WORDS`` or fewer are
never touched.
"""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

MAX_WORDS = 30  # longer sentences are trimmed to at most this many words where the parse allows
MIN_WORDS = 10  # a trimmed key point keeps at least this many words
_SEAMS = frozenset({",", ";", "-", "--", "–", "—"})
# Dependents that may be left out of a sentence without leaving it incomplete.
_ADJUNCTS = frozenset("advcl relcl acl conj prep npadvmod appos parataxis advmod punct cc dep mark".split())
_VERBAL = frozenset({"VERB", "AUX"})
_SINGLE_OPEN = re.compile(r"(?:^|[\s(])['‘]\w")
_SINGLE_CLOSE = re.compile(r"\w[.,!?]?['’](?=\s|$|[.,;:!?)])")


def _words(tokens: Span) -> int:
    return sum(1 for t in tokens if t.is_alpha or t.like_num)


def _opens_clause(span: Span, j: int) -> bool:
    """Token j can start the dropped tail: it follows a seam (comma, dash or semicolon)."""
    return span[j - 1].text in _SEAMS


def _balanced(text: str) -> bool:
    """No quotation or bracket left open. Single quotes double as apostrophes ("McCoy’s", "fans' "), so
    those count as opening only at a word's start and as closing only after a word, before a space or stop."""
    if text.count('"') % 2 or text.count("“") != text.count("”") or text.count("(") != text.count(")"):
        return False
    return len(_SINGLE_OPEN.findall(text)) <= len(_SINGLE_CLOSE.findall(text))


def _droppable(token: Token) -> bool:
    if token.dep_ not in _ADJUNCTS:
        return False
    # A conjunct that is no verb is an item of a list: "... down to the club, council or police".
    return token.dep_ != "conj" or token.pos_ in _VERBAL


def _cut_points(span: Span) -> list[int]:
    """Token indices k (into ``span``) where ``span[:k]`` can stand as the whole sentence."""
    first, n = span.start, len(span)
    end = n
    while end > 0 and (span[end - 1].is_punct or span[end - 1].is_space):
        end -= 1
    cuts: list[int] = []
    for j in range(2, end):
        if not _opens_clause(span, j):
            continue
        if not first <= span.root.i < first + j:
            continue
        if any(not first <= t.head.i < first + j for t in span[:j] if t.head.i != t.i):
            continue  # a kept word depends on a dropped one
        if not all(_droppable(t) for t in span[j:end] if first <= t.head.i < first + j):
            continue
        k = j
        while k > 0 and (span[k - 1].text in _SEAMS or span[k - 1].is_space or span[k - 1].pos_ == "CCONJ"):
            k -= 1
        if _balanced(span[:k].text):
            cuts.append(k)
    return cuts


def trimmed_length(span: Span, max_words: int = MAX_WORDS, min_words: int = MIN_WORDS) -> int | None:
    """Characters of ``span``'s text to keep (from its start), or None to keep the whole sentence.

    The longest cut that keeps at most ``max_words`` words wins; when every cut keeps more, the shortest one
    that does (still at least ``min_words`` words)."""
    if _words(span) <= max_words:
        return None
    cuts = [k for k in _cut_points(span) if _words(span[:k]) >= min_words]
    if not cuts:
        return None
    short = [k for k in cuts if _words(span[:k]) <= max_words]
    k = max(short) if short else min(cuts)
    last = span[k - 1]
    return last.idx + len(last.text) - span.start_char


def key_point_bounds(span: Span, start: int, end: int) -> tuple[int, int]:
    """Source offsets of a sentence's key point: ``start``/``end`` are the sentence's own offsets into the
    source (the span may start earlier than ``start`` when a dateline is cut inside a token, "CNN)They"), so
    the new end is counted back from the span's end, which is the sentence's end."""
    keep = trimmed_length(span)
    if keep is None:
        return start, end
    # The sentence's text ends where the span's text ends, trailing whitespace aside.
    span_end = len(span.text.rstrip())
    new_end = end - (span_end - keep)
    return (start, new_end) if start < new_end < end else (start, end)
