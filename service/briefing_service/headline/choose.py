"""Headline writer: compress one ranked sentence into a short, grammatical headline.

Compression only ever deletes whole dependency subtrees of the spaCy parse, so whatever survives is still a
phrase structure the parser saw: we never cut a sentence mid-phrase. Attribution ("X said that ...") is
peeled off first, then tails that headlines never carry (appositives, relative and participial clauses,
parentheticals, fronted adverbials), then optional modifiers in order of importance until it fits.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from spacy.tokens import Doc, Span, Token

from briefing_service.headline.check import sound
from briefing_service.headline.text import (
    _CHROME,
    _CLOSE_Q,
    _COMPARATIVES,
    _DANGLING,
    _FINITE,
    _FIXED_ADJ,
    _FIXED_PP,
    _FRONTED,
    _INSTITUTION,
    _MAX_COMPRESS_TOKENS,
    _MAX_FALLBACK_TOKENS,
    _MIN_WORDS,
    _OPEN_Q,
    _PARTITIVE,
    _PRONOUNS,
    _REPORTING,
    _SEPARATORS,
    _SUBJ,
    _TIME_ENTS,
    _TIME_WORDS,
    _Clause,
    _render,
    _subject,
    _subspans,
)

__all__ = ["choose_headline", "compress_sentence"]


def _find_clause(span: Span) -> _Clause:
    """Peel reporting frames: "X announced that <clause>", "<clause>, X said" -> <clause>."""
    root, speaker = span.root, None
    for _ in range(3):  # nested reports ("A said B told them that ...") are rare; bound the walk anyway
        if root.lemma_.lower() not in _REPORTING:
            break
        ccomp = next((c for c in root.children if c.dep_ == "ccomp" and _subject(c) is not None), None)
        if ccomp is None:
            break
        mark = next((c for c in ccomp.children if c.dep_ == "mark"), None)
        if mark is not None and mark.lower_ != "that":  # "whether"/"if" clauses are not statements of fact
            break
        speaker = _subject(root) or speaker
        root = ccomp
    clause = _Clause(span, root, speaker)
    for c in root.children:
        if c.dep_ == "mark" and c.lower_ == "that":
            clause.keep.discard(c.i)
    return clause


def _pronoun_fix(clause: _Clause) -> None:
    """Put the dropped speaker back for a subject pronoun: "Apple said it will ..." -> "Apple will ..."."""
    subj, sp = _subject(clause.root), clause.speaker
    if subj is None or sp is None or subj.i not in clause.keep or sp.lower_ in _PRONOUNS:
        return
    word = subj.lower_
    plural = sp.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in sp.children)
    ok = {
        "it": not plural and (sp.ent_type_ in ("ORG", "GPE", "NORP") or sp.lemma_.lower() in _INSTITUTION),
        "he": not plural and (sp.ent_type_ == "PERSON" or sp.pos_ == "PROPN"),
        "she": not plural and (sp.ent_type_ == "PERSON" or sp.pos_ == "PROPN"),
        "they": plural,
    }
    spk = _Clause(sp.doc[sp.left_edge.i : sp.right_edge.i + 1], sp, None)
    _strip_tails(spk)
    name = _render(spk, headline_style=False)
    name = re.sub(r"^(?:[Tt]he|[Aa]n?) (?=[a-z])", "", name)
    if not name or len(name.split()) > 6:
        return
    if ok.get(word, False):
        clause.replace[subj.i] = name
    elif word in ("i", "we"):  # first-person quote: headline convention "Speaker: We are close"
        clause.prefix = name + ":"


def _in_quote_map(clause: _Clause) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    stack: list[int] = []
    for t in clause.tokens():
        if t.text in _OPEN_Q or (t.text == '"' and not stack):
            stack.append(t.i)
        elif (t.text in _CLOSE_Q or t.text == '"') and stack:
            spans.append((stack.pop(), t.i))
    return spans


def _strip_tails(clause: _Clause) -> None:
    """Always-on cuts: material a headline never carries, whatever the length."""
    doc = clause.doc
    subj = _subject(clause.root)
    # Caption kicker: "Wanted: Police in Maryland have ..." -> drop the verbless label before the colon.
    toks = clause.tokens()
    colon = next((k for k, t in enumerate(toks[:5]) if t.text == ":"), None)
    if (
        colon is not None
        and toks[colon].i < clause.root.i
        and not any(t.pos_ in ("VERB", "AUX") for t in toks[:colon])
    ):
        clause.drop(toks[0].i, toks[colon].i)
    # Parentheticals: brackets and paired dashes, removed as whole spans regardless of the parse.
    toks = clause.tokens()
    for i, t in enumerate(toks):
        if t.text in ("(", "["):
            close = next((u for u in toks[i + 1 :] if u.text in (")", "]")), None)
            if close is not None:
                clause.drop(t.i, close.i)
        elif t.text in ("—", "–", "--") and i > 0:
            close = next((u for u in toks[i + 1 :] if u.text == t.text), None)
            if close is not None and t.i in clause.keep:
                clause.drop(t.i, close.i)
    for t in clause.tokens():
        if t.i not in clause.keep or t.i == clause.root.i:
            continue
        comma_before = t.left_edge.i > 0 and doc[t.left_edge.i - 1].text in _SEPARATORS | {"("}
        dep = t.dep_
        drop = (
            dep in ("parataxis", "intj", "discourse", "meta")
            or (dep == "prep" and t.lower_ == "according")
            or (dep in ("appos", "relcl", "acl") and comma_before)
            or (dep == "advcl" and (t.i < t.head.i or comma_before))
            or (t.head.i == clause.root.i and subj is not None and t.i < subj.i and dep in _FRONTED)
            or (t.head.i == clause.root.i and dep in ("cc", "mark") and t.i == min(clause.keep))
        )
        # Participial tail after a comma (", emphasizing ...", ", focused on ..."): the small model often
        # attaches it as ccomp/conj with the preceding noun as its "subject", so cut from the comma rightward.
        tail_verb = t.tag_ in ("VBG", "VBN") or (t.tag_ == "VBD" and dep in ("ccomp", "conj", "advcl", "acl"))
        if (
            not drop
            and tail_verb
            and t.i > clause.root.i
            and doc[t.i - 1].text == ","
            and not any(c.dep_ in ("aux", "auxpass") or (c.dep_ in _SUBJ and c.i > t.i) for c in t.children)
        ):
            clause.drop(t.i, t.right_edge.i)
            continue
        # Trailing summary appositive parsed as a second object: "..., a development that could ...".
        if not drop and comma_before and t.pos_ == "NOUN" and dep in ("dobj", "npadvmod", "attr", "conj"):
            twin = any(c.dep_ == dep and c.i < t.i for c in t.head.children) or dep == "npadvmod"
            has_clause = any(c.dep_ in ("relcl", "acl") for c in t.children)
            ing_tail = t.left_edge.lower_.endswith("ing")  # ", surprising analysts" tagged as amod + dobj
            drop = twin and (has_clause or ing_tail) and t.right_edge.i >= max(clause.keep) - 1
            # A second object after a comma is a comment on the first: "cut its rate ..., its second
            # reduction since the summer, as ..." (the parse gives "cut" two objects).
            drop = drop or (twin and dep == "dobj")
        if drop:
            clause.drop_subtree(t)


def _optional_levels(clause: _Clause) -> list[list[Token]]:
    """Subtrees that may go when the headline is too long, least important level first."""
    levels: list[list[Token]] = [[], [], [], []]
    quotes = _in_quote_map(clause)
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
        is_time = t.ent_type_ in _TIME_ENTS or any(
            c.ent_type_ in _TIME_ENTS and c.dep_ == "pobj" for c in t.children
        )
        # Subjectless ccomp under a non-reporting verb is the small model's guess for a participle.
        participial = _subject(t) is None and (
            t.tag_ in ("VBG", "VBN") or (dep == "ccomp" and not any(c.tag_ == "TO" for c in t.children))
        )
        on_verb = head.pos_ in ("VERB", "AUX")
        clausal = (
            dep == "advcl"
            or (dep in ("acl", "ccomp") and participial)
            or (dep == "conj" and t.pos_ in ("VERB", "AUX") and _subject(t) is not None)
            # "... reminded X about Y and urged them to learn": a second verb phrase on the same subject
            or (dep == "conj" and t.pos_ == "VERB" and head.i == root.i and t.i > root.i)
        )
        timing = on_verb and dep in ("prep", "npadvmod", "advmod") and (is_time or t.lower_ in _TIME_WORDS)
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
            fixed = head.dep_ == "pobj" and head.lemma_.lower() in _FIXED_PP
            partitive = t.lower_ == "of" and (head.pos_ == "NUM" or head.lemma_.lower() in _PARTITIVE)
            if not (fixed or partitive):
                levels[1].append(t)
        elif dep in ("acl", "relcl"):
            levels[2].append(t)  # "the man who will present ...": often the only content of the object
        elif (
            dep == "amod"
            and t.ent_iob_ == "O"
            and t.tag_ == "JJ"
            and t.lower_ not in _FIXED_ADJ
            and not t.like_num
        ) or (  # "the 27th best country" without "27th" says the opposite
            dep == "advmod" and head.pos_ == "ADJ" and t.i < head.i and t.lower_ not in _COMPARATIVES
        ):  # "more powerful than": without "more", the "than" that follows is ungrammatical
            levels[3].append(t)
    return [sorted(level, key=lambda t: -t.i) for level in levels]  # rightmost first: tails carry least


def _is_good(clause: _Clause, text: str, max_words: int) -> bool:
    root = clause.root
    n = len(text.split())
    if not _MIN_WORDS <= n <= max_words or _CHROME.search(text):
        return False
    subj = _subject(root)
    if subj is None or subj.i not in clause.keep:
        return False
    kids = [c for c in root.children if c.i in clause.keep]
    first = next((t for t in clause.tokens() if not t.is_punct), None)
    if first is None or first.lower_ in ("that", "which", "who", "whether", "if"):
        return False  # a subordinate clause left over from a misparse, not a statement
    if any(c.dep_ == "mark" and c.lower_ != "that" for c in root.children):
        return False  # "While optimism prevails, ..." misparsed as the main clause: not a statement
    if sum(c.dep_ in _SUBJ for c in kids) > 1 or any(
        c.dep_ in ("ccomp", "parataxis") and c.i < subj.i for c in kids
    ):
        return False  # two subjects or a clause before the subject: the parse is wrong, do not trust it
    finite = (
        clause.headlinese
        or root.tag_ in _FINITE
        or any(
            c.dep_ in ("aux", "auxpass") and c.i in clause.keep and (c.tag_ in _FINITE or c.tag_ == "TO")
            for c in root.children
        )
    )
    last = next((t for t in reversed(clause.tokens()) if not t.is_punct), None)
    return (
        finite
        and last is not None
        and last.dep_ not in _DANGLING - {"advmod", "nummod", "compound"}
        and sound(clause)
    )


def _weak_subject(clause: _Clause) -> bool:
    subj = _subject(clause.root)
    return (
        subj is not None and subj.lower_ in _PRONOUNS and subj.i not in clause.replace and not clause.prefix
    )


def _compress(span: Span, max_words: int) -> tuple[str, bool] | None:
    weak: tuple[str, bool] | None = None
    for part in _subspans(span) if len(span) <= _MAX_COMPRESS_TOKENS * 2 else []:
        result = _compress_one(part, max_words)
        if result is not None and result[1]:
            return result
        weak = weak or result
    return weak


def _compress_one(span: Span, max_words: int) -> tuple[str, bool] | None:
    """(headline, strong) or None; strong means the subject is not an unresolved pronoun."""
    if len(span) == 0 or len(span) > _MAX_COMPRESS_TOKENS or _CHROME.search(span.text):
        return None
    clause = _find_clause(span)
    _strip_tails(clause)
    _pronoun_fix(clause)
    levels = _optional_levels(clause)
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
    text = _render(clause)
    if not _is_good(clause, text, max_words):
        return None
    return text, not _weak_subject(clause)


def _removal_size(clause: _Clause, tok: Token) -> int:
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
        result = _compress(sent, max(1, max_words))
    except Exception:  # a parser quirk must never take the service down; the caller falls back
        return None
    return result[0] if result else None


def _phrase_cut(span: Span, max_words: int) -> str:
    """Longest prefix of the (tail-stripped) clause that ends on a complete subtree, <= max_words."""
    if len(span) <= _MAX_FALLBACK_TOKENS:
        clause = _find_clause(span)
        _strip_tails(clause)
    else:
        clause = _Clause(span, span.root, None)
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
        if t.is_punct or not complete or t.dep_ in _DANGLING or t.i < clause.root.i:
            continue
        text = _render(clause, upto=t.i)
        if len(text.split()) > max_words:
            break
        best = text
    return best


def _words_cut(text: str, max_words: int) -> str:
    return re.sub(r"[\s,;:.\-–—]+$", "", " ".join(text.split()[:max_words]))


def choose_headline(
    candidates: Sequence[Span], max_words: int = 14, fallback: str = "", lead: Sequence[Span] = ()
) -> str:
    """Best headline; never raises. ``lead`` (the article's sentences in document order) is tried first, see
    headline_lead.py; then the ranked ``candidates`` (best first) are compressed in order."""
    max_words = max(1, max_words)
    pool: list[Span] = []
    try:
        if lead:
            from briefing_service.headline.lead import article_counts, lead_headline

            found = lead_headline(lead, max_words, article_counts(lead))
            if found:
                return found
        for c in list(candidates)[:5]:
            s = c[:] if isinstance(c, Doc) else c
            if isinstance(s, Span) and len(s) > 0:
                pool.append(s)
        results = [_compress(s, max_words) for s in pool]
        for want_strong in (True, False):  # a named subject beats "He said it would ..." further down
            for r in results:
                if r is not None and (r[1] or not want_strong):
                    return r[0]
        for s in sorted(pool, key=len):
            if _CHROME.search(s.text):
                continue
            cut = _phrase_cut(s, max_words)
            if len(cut.split()) >= _MIN_WORDS:
                return cut
    except Exception:  # robustness over polish: fall through to the caller's fallback text
        pass
    return _words_cut(fallback if isinstance(fallback, str) else "", max_words)
