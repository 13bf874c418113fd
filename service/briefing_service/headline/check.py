"""Soundness checks for a compressed headline: the parse configurations that make a deletion unsafe.

Deleting whole subtrees keeps a compression grammatical only when the parse is right. The small model's
typical mistakes show up as a few tell-tale shapes, and a compression that keeps one of them next to a
deletion reads as garbage ("David Cameron launches attack on Labour MPs 'bleating' more than a million people
turn", where "turned" was parsed as a conjunct of "launched" with no "and"). These checks reject such
candidates; the search then takes the next best one. They only ever reject, so a correct parse loses nothing
but the odd candidate.
"""

from __future__ import annotations

from itertools import pairwise

from spacy.tokens import Token

from briefing_service.headline.text import Clause, subject
from briefing_service.headline.words import CHROME, DANGLING, FINITE, MIN_WORDS, PRONOUNS, SUBJ

_CONNECTORS = frozenset({",", ";", "-", "–", "—", "--", ":"})
# Dependents that complete a verb: when a verb had one and the compression removed them all, the verb is
# left hanging ("when they embarked", "as his two boys remain", "the current season draws").
_LINKING = frozenset({"look", "seem", "appear", "become", "remain", "sound", "feel", "prove", "stay"})
_COMPLEMENTS = frozenset({"prep", "dobj", "attr", "acomp", "agent", "dative", "oprd", "prt"})


def _bare_conjunct(clause: Clause, t: Token) -> bool:
    """A conjunct with neither a coordinator nor a comma before it among the kept words: the parser joined
    two clauses that the text joins some other way (or not at all), and the compression cut the joint."""
    lo, hi = min(t.head.i, t.i), max(t.head.i, t.i)
    between = [t.doc[i] for i in range(lo + 1, hi) if i in clause.keep]
    return not any(u.dep_ in ("cc", "preconj") or u.text in _CONNECTORS for u in between)


def _stranded(clause: Clause, verb: Token) -> bool:
    """A verb closing a subordinate clause that lost every complement it had ("... when they embarked" from
    "embarked upon a game", "as his two boys remain", "a league table looking"). A main verb or an infinitive
    without its optional phrase ("too tired to perform") still reads as a statement, so only clauses opened by
    a conjunction or a wh-word, and participles modifying a noun, count."""
    opened = any(
        c.dep_ in ("mark", "advmod") and c.tag_ in ("IN", "WRB") and c.i < verb.i for c in verb.children
    )
    participle = verb.dep_ in ("acl", "advcl") and verb.tag_ in ("VBG", "VBN")  # "a league table looking"
    opened = opened or verb.dep_ == "relcl"  # "machine that looks", "landlord who was convicted"
    # "..., but the reigning champions looked": a second clause with its own subject
    conjunct = verb.dep_ == "conj" and any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)
    if verb.lemma_ in _LINKING:  # "... machine that looks" (as outdated as a Commodore 64)
        right = [c for c in verb.children if c.i > verb.i and not c.is_punct]
        return bool(right) and not any(c.i in clause.keep for c in right)
    if not (opened or participle or conjunct):
        return False
    wanted = _COMPLEMENTS | {"xcomp"} if participle else _COMPLEMENTS  # "footage emerged appearing"
    right = [c for c in verb.children if c.i > verb.i and c.dep_ in wanted]
    return bool(right) and not any(c.i in clause.keep for c in right)


def _stranded_adjective(clause: Clause, adj: Token) -> bool:
    """A predicate adjective cut off from its complement changes meaning: "are 'very close' [to sealing a
    trade deal]" says the two capitals are near each other; "is set [to launch]", "is due [to]" likewise."""
    right = [c for c in adj.children if c.i > adj.i and c.dep_ in ("prep", "xcomp", "ccomp")]
    return bool(right) and not any(c.i in clause.keep for c in right)


def _split_objects(clause: Clause, verb: Token) -> bool:
    """Two objects with a deleted phrase between them: "saved him [from a badger] the size of a large pig".
    Side by side ("emailing students a link", "beats Hoffenheim 2-0") they are a real double object."""
    objects = sorted((c for c in verb.children if c.dep_ == "dobj" and c.i in clause.keep), key=lambda c: c.i)
    for a, b in pairwise(objects):
        if any(i not in clause.keep for i in range(a.right_edge.i + 1, b.left_edge.i)):
            return True
    return False


def sound(clause: Clause) -> bool:
    """False when the kept words contain a shape that signals a misparse cut open, or a hanging verb."""
    for i in clause.keep:
        t = clause.doc[i]
        joined = t.head.i in clause.keep and t.head.i != t.i
        if joined and t.dep_ == "conj" and t.pos_ in ("VERB", "AUX") and _bare_conjunct(clause, t):
            return False
        if t.pos_ == "VERB" and _stranded(clause, t):
            return False
        if t.dep_ == "acomp" and _stranded_adjective(clause, t):
            return False
        if _split_objects(clause, t):
            return False
    return True


def is_good(clause: Clause, text: str, max_words: int) -> bool:
    root = clause.root
    n = len(text.split())
    if not MIN_WORDS <= n <= max_words or CHROME.search(text):
        return False
    subj = subject(root)
    if subj is None or subj.i not in clause.keep:
        return False
    kids = [c for c in root.children if c.i in clause.keep]
    first = next((t for t in clause.tokens() if not t.is_punct), None)
    if first is None or first.lower_ in ("that", "which", "who", "whether", "if"):
        return False  # a subordinate clause left over from a misparse, not a statement
    if any(c.dep_ == "mark" and c.lower_ != "that" for c in root.children):
        return False  # "While optimism prevails, ..." misparsed as the main clause: not a statement
    if sum(c.dep_ in SUBJ for c in kids) > 1 or any(
        c.dep_ in ("ccomp", "parataxis") and c.i < subj.i for c in kids
    ):
        return False  # two subjects or a clause before the subject: the parse is wrong, do not trust it
    finite = (
        clause.headlinese
        or root.tag_ in FINITE
        or any(
            c.dep_ in ("aux", "auxpass") and c.i in clause.keep and (c.tag_ in FINITE or c.tag_ == "TO")
            for c in root.children
        )
    )
    last = next((t for t in reversed(clause.tokens()) if not t.is_punct), None)
    return (
        finite
        and last is not None
        and last.dep_ not in DANGLING - {"advmod", "nummod", "compound"}
        and sound(clause)
    )


def weak_subject(clause: Clause) -> bool:
    subj = subject(clause.root)
    return subj is not None and subj.lower_ in PRONOUNS and subj.i not in clause.replace and not clause.prefix
