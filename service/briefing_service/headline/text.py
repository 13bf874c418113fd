"""The kept-token clause and rendering kept tokens as a headline: quotes, articles, capitals, and the spaces a
page lost. Nothing here decides what to cut."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from briefing_service.headline.words import (
    CLOSE_Q,
    DQUOTES,
    OPEN_Q,
    QUANT_ENTS,
    QUANT_NOUNS,
    SEPARATORS,
    SQUOTES,
    SUBJ,
)

A_AN = re.compile(r"\b([Aa])(n?) ([A-Za-z]+)")
_GLUED_QUOTE = re.compile(r"(\b[a-z]+)(['‘](?!(?:s|t|re|ll|ve|d|m)\b)[a-z]{2,})")
# Anchored at a word start: unanchored, a run of letters is retried from every position (quadratic on a
# 50,000-letter "word").
_GLUED_WORDS = re.compile(r"(?<![a-z])([a-z]{4,})([A-Z][a-z]{3,})(?![.\w])")
# Spelling decides "a"/"an" except for these sound-led starts ("an hour", "a university", "a one-off").
_AN_CONSONANT_LETTER = ("hour", "honest", "honou", "heir")
_A_VOWEL_LETTER = ("uni", "use", "usu", "one", "once", "eu", "ur")


def fix_article(m: re.Match[str]) -> str:
    word = m.group(3).lower()
    vowel_sound = (word[0] in "aeiou" and not word.startswith(_A_VOWEL_LETTER)) or word.startswith(
        _AN_CONSONANT_LETTER
    )
    if len(word) == 1 or m.group(3).isupper():
        return m.group(0)  # initials and acronyms ("an FBI agent", "a UN report") are read aloud: leave them
    return f"{m.group(1)}{'n' if vowel_sound else ''} {m.group(3)}"


class Clause:
    """The tokens currently kept from one sentence, plus pronoun resolution learned from the attribution."""

    def __init__(self, span: Span, root: Token, speaker: Token | None) -> None:
        self.doc: Doc = span.doc
        self.lo, self.hi = span.start, span.end
        self.root = root
        self.keep: set[int] = {t.i for t in root.subtree if self.lo <= t.i < self.hi}
        self.replace: dict[int, str] = {}
        self.prefix = ""
        self.speaker = speaker
        # Set when headline_style rewrote the main verb ("denies", a bare passive "jailed"): the verb group is
        # then a headline's finite predicate even though the token's own tag is VBN.
        self.headlinese = False
        self.styled: set[int] = set()  # tokens headline_style removed (auxiliaries): restored to re-parse
        # Tokens the always-on cuts removed (attribution, appositives, parentheticals, fronted adverbials):
        # material a headline never carries, so the check does not ask the rule book about them.
        self.stripped: set[int] = set()
        # The sentence's named entities, looked up once (Doc.ents builds new spans on every access).
        self.ents: list[Span] = list(span.ents)
        self.relaxed = False  # the rule book's second, looser reading (roles.cut_allowed)

    def tokens(self) -> list[Token]:
        return [self.doc[i] for i in sorted(self.keep)]

    def drop(self, lo: int, hi: int, with_cc: bool = False) -> None:
        """Delete tokens lo..hi (inclusive) and the commas/dashes that only bracketed them."""
        kept = sorted(self.keep)
        removed = {i for i in kept if lo <= i <= hi}
        if not removed:
            return
        rest = [i for i in kept if i not in removed]
        before = [i for i in rest if i < lo]
        after = [i for i in rest if i > hi]
        if with_cc:  # a dropped conjunct takes its "and"/"but" (and the comma before that) with it
            while before and self.doc[before[-1]].dep_ in ("cc", "preconj"):
                removed.add(before.pop())
        prev_sep = bool(before) and self.doc[before[-1]].text in SEPARATORS
        next_sep = bool(after) and self.doc[after[0]].text in SEPARATORS
        if prev_sep:
            removed.add(before[-1])
            if next_sep:  # "X, who ..., said": both commas bracketed the deleted phrase
                removed.add(after[0])
        elif next_sep and not before:  # fronted "While ..., X": the comma closed the deleted phrase
            removed.add(after[0])
        self.keep -= removed

    def drop_subtree(self, tok: Token, with_cc: bool = False) -> None:
        self.drop(tok.left_edge.i, tok.right_edge.i, with_cc)

    def words(self) -> int:
        return len(render(self).split())


def subject(tok: Token) -> Token | None:
    """The subject nearest the verb: where the small model also hangs a dateline on the verb as a subject
    ("HOBART — Labour won ...": HOBART and Labour both nsubj), the real one is the closer."""
    subjects = [c for c in tok.children if c.dep_ in SUBJ]
    return min(subjects, key=lambda c: abs(c.i - tok.i)) if subjects else None


def render(clause: Clause, headline_style: bool = True, upto: int | None = None) -> str:
    """Join kept tokens with their original whitespace, normalizing quotes and headline punctuation."""
    toks = clause.tokens()
    if upto is not None:
        toks = [t for t in toks if t.i <= upto]
    drop = _unbalanced_quotes(toks) | _orphan_commas(clause, toks)
    toks = [t for t in toks if t.i not in drop]
    if headline_style and toks:
        first = next((t for t in toks if not t.is_punct), None)
        if first is not None and _article_droppable(first, leading=True):
            toks = [t for t in toks if t.i != first.i]
        toks = [t for t in toks if not _article_droppable(t, leading=False)]
        # "an astonishing 6,000 metres" without its adjective: the article belonged to the adjective
        toks = [
            t
            for t, nxt in zip(toks, [*toks[1:], None], strict=True)
            if not (t.lower_ in ("a", "an") and t.dep_ == "det" and nxt is not None and nxt.like_num)
        ]
    parts: list[str] = [clause.prefix + " "] if clause.prefix else []
    prev: Token | None = None
    in_quote = False
    for t in toks:
        closing = t.text in DQUOTES and in_quote
        in_quote ^= t.text in DQUOTES
        if prev is not None:
            gap = clause.doc[prev.i : t.i]
            # A closing quote whose words were cut closes on the word kept before it: 'Going Clear'.
            spaced = not closing and any(g.whitespace_ for g in gap)
            parts.append(prev.whitespace_ if t.i == prev.i + 1 else (" " if spaced else ""))
        parts.append("'" if t.text in DQUOTES else clause.replace.get(t.i, t.text))
        prev = t
    text = re.sub(r"\s+", " ", "".join(parts))
    text = A_AN.sub(fix_article, text)  # a deleted adjective can leave "a illness" / "an league"
    text = re.sub(r"^\s*\([A-Z][A-Za-z .]{0,20}\)\s*", "", text)  # wire-service tag: "(CNN)Blues legend"
    text = re.sub(r"\s+([,.;:!?%)\]])", r"\1", text)
    text = re.sub(r"([(\[])\s+", r"\1", text)
    text = re.sub(r"^[\s,;:.\-–—]+|[\s,;:.\-–—!]+$", "", text)
    text = re.sub(r"[,;:.!]+(['’])$", r"\1", text)  # "... 'totalitarian.'" -> "... 'totalitarian'"
    # The page lost a space: "by'stoking division'", "four straight winsSebastian Kehl".
    text = _GLUED_QUOTE.sub(r"\1 \2", text)
    text = _GLUED_WORDS.sub(r"\1 \2", text)
    text = re.sub(r"(?<![a-z])([a-z]{2,})\.(\d)", r"\1 .\2", text)  # "a loaded.38-caliber revolver"
    m = re.search(r"[^\W\d_]", text)
    # "99th qualifier", "45-year-old fan": a headline that opens with a number keeps its letters as they are
    if m and headline_style and not any(ch.isdigit() for ch in text[: m.start()]):
        text = text[: m.start()] + text[m.start()].upper() + text[m.start() + 1 :]
    return text


def _orphan_commas(clause: Clause, toks: list[Token]) -> set[int]:
    """A comma left between the subject and its verb by two separate cuts ("Terry Martin, 48, pictured in a
    mugshot, shot ..." -> "Terry Martin, shot"): English never puts one there."""
    subj = subject(clause.root)
    if subj is None:
        return set()
    verb_group = {clause.root.i} | {c.i for c in clause.root.children if c.dep_ in ("aux", "auxpass", "neg")}
    out: set[int] = set()
    for prev, tok, nxt in zip(toks, toks[1:], toks[2:], strict=False):
        if tok.text == "," and nxt.i in verb_group and subj.left_edge.i <= prev.i <= subj.right_edge.i:
            out.add(tok.i)
    return out


def _unbalanced_quotes(toks: list[Token]) -> set[int]:
    """Quote marks and brackets orphaned by deletions, plus a quote pair that merely wraps the headline."""
    stack: list[int] = []
    drop: set[int] = set()
    opened: list[int] = []
    for t in toks:
        if t.text in ("(", "["):
            opened.append(t.i)
        elif t.text in (")", "]"):
            if opened:
                opened.pop()
            else:
                drop.add(t.i)
        elif opened and (")" in t.text or "]" in t.text):
            opened.pop()  # a wire tag glued to the next word is one token: "(" + "CNN)Blues"
    drop.update(opened)
    pairs: list[tuple[int, int]] = []
    singles: list[int] = []
    for t in toks:
        if t.text in SQUOTES and t.dep_ != "case":  # straight/curly single quotes used as quote marks
            if singles and t.text != "‘":
                pairs.append((singles.pop(), t.i))
            elif t.text != "’":
                singles.append(t.i)
            else:
                drop.add(t.i)
        elif t.text in OPEN_Q or (t.text in ('"', "‟") and not stack):
            stack.append(t.i)
        elif t.text in CLOSE_Q or t.text in ('"', "‟"):
            if stack:
                pairs.append((stack.pop(), t.i))
            else:
                drop.add(t.i)
    drop.update(singles)
    drop.update(stack)
    words = [t.i for t in toks if not t.is_punct or t.text in DQUOTES | SQUOTES]
    if words and (words[0], words[-1]) in pairs:
        drop.update((words[0], words[-1]))
    return drop


def quoted(t: Token) -> bool:
    """Inside a quotation on the same line: the speaker's words keep their articles."""
    depth = 0
    for u in t.doc[max(0, t.i - 30) : t.i]:
        if u.text in OPEN_Q or u.text == "‘":
            depth += 1
        elif u.text in CLOSE_Q or (u.text == "’" and depth > 0):
            depth -= 1
        elif u.text in ('"', "'") and u.dep_ != "case":  # a straight quote opens or closes: it toggles
            depth = depth - 1 if depth > 0 else depth + 1
    return depth > 0


_KEEP_THE = frozenset({"same", "last", "first", "next", "only", "other", "former", "latest", "late"})


def _article_droppable(t: Token, leading: bool) -> bool:
    if t.dep_ != "det" or t.ent_iob_ != "O" or t.lower_ not in ("a", "an", "the"):
        return False
    head = t.head
    if leading:
        return head.pos_ in ("NOUN", "ADJ", "PROPN")
    # Headlines drop articles ("Man dies in road accident"), but not inside a quotation, not before a
    # superlative, number or "same"/"last" ("the 27th best", "the same spot"), not on a quantity noun ("a
    # number of"), not "the" of a phrase its "of" defines ("the point of view"), and "the" only on a subject or
    # object ("in the brain", "from the inside" read wrong without it).
    nxt = t.doc[t.i + 1] if t.i + 1 < len(t.doc) else t
    prev = t.doc[t.i - 1] if t.i > 0 else t
    roles = (
        ("nsubj", "nsubjpass", "dobj")
        if t.lower_ == "the"
        else ("nsubj", "nsubjpass", "dobj", "pobj", "conj")
    )
    return (
        head.pos_ == "NOUN"
        and head.dep_ in roles
        and head.i > t.i
        and prev.lower_ != "of"  # "one hell of a show"
        and nxt.tag_ not in ("JJS", "RBS", "CD")
        and nxt.lower_ not in _KEEP_THE
        and head.lemma_.lower() not in QUANT_NOUNS
        and head.ent_type_ not in QUANT_ENTS
        and not (t.lower_ == "the" and any(c.dep_ == "prep" and c.lower_ == "of" for c in head.children))
        and not quoted(t)
    )
