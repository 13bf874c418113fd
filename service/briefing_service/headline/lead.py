"""Lead-sentence headline: the richest short compression of the article's opening sentences.

A news headline is the lead sentence's who-did-what with the names and numbers kept (Daily Mail URL slugs,
the closest thing to a reference we have, are mostly the lead's content words). The older path in headline.py
cuts subtrees in a fixed order until the sentence fits, which often throws away the object and keeps the
time phrase, or overshoots to five words. Here the same deletable subtrees (``optional_levels``) are searched
with a small beam: every candidate is still a whole-subtree deletion of the parse (never a cut mid-phrase),
rewritten in headline style first (headline_style.py: "has denied" -> "denies", "has been jailed" ->
"jailed"), checked for the shapes of a misparse cut open (headline_check.py), and the one that fits
``max_words`` and keeps the most *content value* wins. Content value is a word's part of speech (names and
numbers most, then nouns and verbs; function words nothing) times how often the article repeats it, so the
article's topic words survive. The search starts twice, from the reported statement and from the whole
sentence with its speaker, and runs over the first three sentences until one compresses to a clause with a
named subject. About 7 ms per article (the 143 dev articles, measured in the eval harness).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from spacy.tokens import Span

from briefing_service.headline.check import is_good, weak_subject
from briefing_service.headline.cuts import optional_levels
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
# Longer openings are run-ons or glued captions; the search is left to the old path there, which also bounds
# its cost (measured: a 120-token sentence took 0.9 s before the bounds below).
_MAX_LEAD_TOKENS = 80
_HYPHEN_SLACK = 4  # "40-metre" is three tokens and one word
_MIN_LEAD_WORDS = 6  # shorter opening "sentences" are kickers or bylines ("Arsenal defender")
_LEAD_SENTENCES = 3  # the opening sentence first; the next two when it does not compress to a named clause


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
        if t.is_punct or t.is_space or t.is_stop or t.pos_ == "AUX" or t.ent_type_ in ("DATE", "TIME"):
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
                whole.drop_subtree(t)
        out.append(whole)
    for clause in out:
        strip_tails(clause)  # appositives, comma-relatives, participial tails: never headline material
        pronoun_fix(clause)
        headline_tense(clause, in_quote_map(clause))
        reduce_relatives(clause)
    return out


def best_compression(span: Span, max_words: int, counts: Counter[str]) -> tuple[str, float, bool] | None:
    """(headline, content value, strong) for the best fitting compression of ``span``, or None.

    ``strong`` is False when the subject is an unresolved pronoun ("He said it would ...")."""
    if len(span) == 0 or len(span) > _MAX_LEAD_TOKENS or CHROME.search(span.text):
        return None
    if any(_GLUED_TAG.match(t.text) and any(u.is_alpha for u in span[: t.i - span.start]) for t in span[:10]):
        return None  # "Kathmandu, Nepal (CNN)Rescuers ...": the dateline stayed and the parse hangs off it
    found = best_clause(span, max_words, counts)
    return None if found is None else found[:3]


def best_clause(span: Span, max_words: int, counts: Counter[str]) -> tuple[str, float, bool, Clause] | None:
    values = _values(span, counts)
    best: tuple[str, float, bool, Clause] | None = None
    for clause in _starts(span):
        found = _search(clause, values, max_words)
        if found is not None and (best is None or found[1] > best[1]):
            best = found
    return best


def _search(
    clause: Clause, values: dict[int, float], max_words: int
) -> tuple[str, float, bool, Clause] | None:
    deletable = [t for level in optional_levels(clause) for t in level]

    def value(c: Clause) -> float:
        return sum(values.get(i, 0.0) for i in c.keep)

    best: tuple[str, float, bool, Clause] | None = None

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
        shorter = best is not None and v == best[1] and len(text) < len(best[0])  # same content, fewer words
        if (best is None or v > best[1] or shorter) and is_good(c, text, max_words):
            best = (text, v, not weak_subject(c), c)
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


def lead_headline(lead: Sequence[Span], max_words: int, counts: Counter[str]) -> str | None:
    """Headline from the article's opening sentences (document order), or None when none compresses into a
    clause with a named (non-pronoun) subject."""
    tried = 0
    for sent in lead:
        if sum(1 for t in sent if t.is_alpha or t.like_num) < _MIN_LEAD_WORDS:
            continue
        result = best_compression(sent, max_words, counts)
        if result is not None and result[2]:
            return result[0]
        tried += 1
        if tried >= _LEAD_SENTENCES:
            break
    return None
