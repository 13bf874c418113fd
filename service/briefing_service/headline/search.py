"""The richest headline one sentence allows: a small beam search over the deletions the rule book permits.

Every candidate is the sentence's parse with whole subtrees removed (cuts.py proposes only cuts roles.py
allows), rewritten in headline style (style.py: "has denied" -> "denies", "has been jailed" -> "jailed") and
checked (check.py) before it may win. Among those that fit ``max_words`` the one keeping the most *content
value* wins: a word's part of speech (names and numbers most, then nouns and verbs; function words nothing)
times how often the article repeats it, so the article's topic words survive and, when in doubt, more is kept.
The search starts twice, from the reported statement and from the whole sentence with its speaker.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Span

from briefing_service.headline.check import problem
from briefing_service.headline.cuts import optional_subtrees
from briefing_service.headline.frame import find_clause, in_quote_map, pronoun_fix, strip_tails
from briefing_service.headline.style import headline_tense, reduce_relatives
from briefing_service.headline.text import Clause, render
from briefing_service.headline.words import CHROME

_GLUED_TAG = re.compile(r"^\(?[A-Z]{2,}\)\w")  # a wire tag glued to the next word: one token, "CNN)Rescuers"

_POS_VALUE = {"PROPN": 1.0, "NUM": 1.0, "NOUN": 0.8, "VERB": 0.7, "ADJ": 0.5, "ADV": 0.2}
_REPEAT_BONUS = 0.3  # per use of the word in the article, up to _MAX_REPEATS
_MAX_REPEATS = 3
_BEAM = 6
_MAX_DELETIONS = 8
# Longer "sentences" are run-ons or glued captions, and bound the search's cost (a 120-token sentence took
# 0.9 s before these bounds).
MAX_SEARCH_TOKENS = 80
_HYPHEN_SLACK = 4  # "40-metre" is three tokens and one word


@dataclass(frozen=True)
class Found:
    text: str
    value: float  # content value kept, the search's objective
    news_value: float  # the part of it inside the reported statement (the speaker not counted)


def article_counts(sentences: Sequence[Span], limit: int = 20) -> Counter[str]:
    """Lemma counts of the content words in the first ``limit`` sentences: what the article keeps repeating
    (the headline sentence counts too, so every word there has at least one)."""
    counts: Counter[str] = Counter()
    for sent in sentences[:limit]:
        for t in sent:
            if t.is_alpha and not t.is_stop:
                counts[t.lemma_.lower()] += 1
    return counts


def _values(span: Span, counts: Counter[str]) -> dict[int, float]:
    out: dict[int, float] = {}
    for t in span:
        # Dates and times are context, not news: "on Tuesday" never earns its words in a headline.
        if t.is_punct or t.is_space or (t.is_stop and not t.like_num) or t.pos_ == "AUX":
            continue  # ("one", "six" are stop words to spaCy, and numbers to a reader)
        if t.ent_type_ in ("DATE", "TIME"):
            continue
        base = 1.0 if t.like_num else _POS_VALUE.get(t.pos_, 0.1)
        repeats = min(_MAX_REPEATS, counts.get(t.lemma_.lower(), 0))
        out[t.i] = base * (1 + _REPEAT_BONUS * repeats)
    return out


def _clone(clause: Clause) -> Clause:
    new = Clause.__new__(Clause)
    new.__dict__.update(clause.__dict__)
    new.keep = set(clause.keep)
    new.replace = dict(clause.replace)
    new.styled = set(clause.styled)
    new.stripped = set(clause.stripped)
    return new


def _starts(span: Span) -> list[Clause]:
    """The clauses the search starts from: the reported statement with the attribution peeled off, and the
    whole sentence with its speaker ("Gordon Brown warns Scottish nationalists want ..."); the one that keeps
    more content value wins, so a named speaker stays when the budget allows."""
    peeled = find_clause(span)
    out = [peeled]
    if peeled.root.i != span.root.i:
        whole = Clause(span, span.root, None)
        statement = max((t.i for t in span.root.children if t.dep_ == "ccomp"), default=span.end)
        for t in span.root.children:
            if t.dep_ == "ccomp":
                whole.keep -= {m.i for m in t.children if m.dep_ == "mark" and m.lower_ == "that"}
            elif t.i > statement and t.left_edge.i > 0 and span.doc[t.left_edge.i - 1].text == ",":
                # "..., a development that could reshape ...": a comment on the statement that the parser
                # hung on the reporting verb; never part of what was said.
                before = set(whole.keep)
                whole.drop_subtree(t)
                whole.stripped |= before - whole.keep
        out.append(whole)
    for clause in out:
        strip_tails(clause)  # appositives, comma-relatives, participial tails: never headline material
        pronoun_fix(clause)
        headline_tense(clause, in_quote_map(clause))
        reduce_relatives(clause)
    return out


def searchable(span: Span) -> bool:
    if len(span) == 0 or len(span) > MAX_SEARCH_TOKENS or CHROME.search(span.text):
        return False
    # "Kathmandu, Nepal (CNN)Rescuers ...": the dateline stayed and the parse hangs off it
    return not any(
        _GLUED_TAG.match(t.text) and any(u.is_alpha for u in span[: t.i - span.start]) for t in span[:10]
    )


class SentenceSearch:
    """The searches over one sentence: its start clauses and word values are built once and shared by the
    searches at different budgets."""

    def __init__(self, span: Span, counts: Counter[str], relaxed: bool = False) -> None:
        self.span = span
        self.ok = searchable(span)
        self.values = _values(span, counts) if self.ok else {}
        self.starts = _starts(span) if self.ok else []
        for clause in self.starts:
            clause.relaxed = relaxed
        self.statement = {t.i for t in self.starts[0].root.subtree} if self.starts else set()

    def news_value(self) -> float:
        """What the statement is worth (attribution peeled): the ceiling of any headline's news_value."""
        return sum(self.values.get(i, 0.0) for i in self.statement)

    def best(self, max_words: int, min_words: int, named_subject: bool = True) -> Found | None:
        """The fitting, checked compression that keeps the most content value, or None."""
        best: Found | None = None
        for clause in self.starts:
            found = _search(clause, self.values, self.statement, max_words, min_words, named_subject)
            if found is not None and (best is None or found.value > best.value):
                best = found
        return best


def best_headline(span: Span, max_words: int, counts: Counter[str], min_words: int) -> Found | None:
    """The fitting, checked compression of ``span`` that keeps the most content value, or None."""
    return SentenceSearch(span, counts).best(max_words, min_words)


def _search(
    clause: Clause,
    values: dict[int, float],
    statement: set[int],
    max_words: int,
    min_words: int,
    named_subject: bool = True,
) -> Found | None:
    deletable = optional_subtrees(clause)

    def value(c: Clause) -> float:
        return sum(values.get(i, 0.0) for i in c.keep)

    best: Found | None = None

    def consider(c: Clause) -> bool:
        """Score ``c`` as a finished candidate if it fits; True when it fits (then it is never cut further)."""
        nonlocal best
        # Rendering is the cost; a state with more kept word tokens than the budget allows cannot fit (a
        # rendered word is one or more tokens), so it is not rendered at all.
        if sum(1 for i in c.keep if not c.doc[i].is_punct) > max_words + _HYPHEN_SLACK:
            return False
        text = render(c)
        if len(text.split()) > max_words:
            return False
        v = value(c)
        shorter = (
            best is not None and v == best.value and len(text) < len(best.text)
        )  # same content, fewer words
        if (best is None or v > best.value or shorter) and problem(
            c, text, max_words, min_words, named_subject
        ) is None:
            best = Found(text, v, sum(values.get(i, 0.0) for i in c.keep if i in statement))
        return True

    # The beam holds states still too long. Every child is checked as soon as it is made, so one big cut
    # that fits (the relative clause that carries half the words) is found even when it would never survive
    # the beam's preference for many small cuts.
    beam, seen = ([] if consider(clause) else [clause]), {frozenset(clause.keep)}
    for _ in range(_MAX_DELETIONS):
        grown: list[Clause] = []
        for c in beam:
            for t in deletable:
                if t.i not in c.keep:
                    continue
                nxt = _clone(c)
                nxt.drop_subtree(t, with_cc=t.dep_ == "conj")
                key = frozenset(nxt.keep)
                if key in seen:
                    continue
                seen.add(key)
                if not consider(nxt):
                    grown.append(nxt)
        if not grown:
            break
        beam = sorted(grown, key=value, reverse=True)[:_BEAM]
    return best
