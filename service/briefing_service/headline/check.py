"""The candidate check: nothing becomes a headline before it passes.

What a reader rejects on sight, as rules on the parse of the kept words:
- every cut point (a word removed while its head stayed) is a cut the rule book allows (roles.py): the main
  verb keeps its object, complement and particle; negation, modality, aspect and quantity words stay; an
  "of" phrase stays with its noun;
- a clause goes whole or stays whole: a kept finite clause keeps its subject, a kept "and" its conjunct, a name
  is never cut in half, a cut never joins different things ("kicking a deputy [in the face] and thigh") or
  hangs a kept phrase on the wrong word ("the five years he spent [imprisoned ...] meeting the Pope");
- the subject names something: no pronoun, "There", "These images", "His country";
- nothing dangles at the end: no preposition, article, conjunction, relative word, or "said" with nothing
  said; the sentence was not cut short by the page;
- a finite verb, no source junk, no unclosed quotation, and none of the shapes that mark a misparse cut open
  ("David Cameron launches attack on Labour MPs 'bleating' more than a million people turn", where "turned"
  was parsed as a conjunct of "launched" with no "and").
The checks only ever reject: the search then takes the next best candidate, and a correct parse loses nothing
but the odd candidate.
"""

from __future__ import annotations

import re
from itertools import pairwise

from spacy.tokens import Token

from briefing_service.headline.links import lost_object_predicate, noun_splice, unanchored_pronoun
from briefing_service.headline.roles import cut_allowed
from briefing_service.headline.style import same_time_past
from briefing_service.headline.text import Clause, subject
from briefing_service.headline.words import (
    CHROME,
    DANGLING,
    DEMONSTRATIVES,
    FINITE,
    LINKING,
    MIN_WORDS,
    PRONOUNS,
    REPORTING,
    SUBJ,
)

_CONNECTORS = frozenset({",", ";", "-", "–", "—", "--", ":"})
# Dependents that complete a verb: when a verb had one and the compression removed them all, the verb is
# left hanging ("when they embarked", "as his two boys remain", "the current season draws").
_COMPLEMENTS = frozenset({"prep", "dobj", "attr", "acomp", "agent", "dative", "oprd", "prt"})


def _bare_conjunct(clause: Clause, t: Token) -> bool:
    """A conjunct with neither a coordinator nor a comma before it among the kept words: the parser joined
    two clauses that the text joins some other way (or not at all), and the compression cut the joint."""
    lo, hi = min(t.head.i, t.i), max(t.head.i, t.i)
    between = [t.doc[i] for i in range(lo + 1, hi) if i in clause.keep]
    # The joint must belong to these two: an "and" inside "'sloppy and careless'" joins nothing here.
    joint = any(u.dep_ in ("cc", "preconj") and u.head.i in (t.i, t.head.i) for u in between)
    comma = t.left_edge.i - 1 in clause.keep and t.doc[t.left_edge.i - 1].text in _CONNECTORS
    return not (joint or comma)


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
    if verb.lemma_ in LINKING and any(
        c.dep_ in ("acomp", "attr", "oprd") and c.i > verb.i and c.i not in clause.keep for c in verb.children
    ):
        return True  # "make the room look [twice its size]": a linking verb is nothing without its predicate
    if verb.lemma_ in LINKING:  # "... machine that looks" (as outdated as a Commodore 64)
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
        if t.i in clause.keep and lost_object_predicate(clause, t):
            return False
    return True


# A headline never ends waiting for more: a preposition, an article, a conjunction, a relative word.
_OPEN_TAGS = frozenset({"IN", "TO", "DT", "CC", "WDT", "WP", "WP$", "WRB", "PRP$", "POS", "PDT", "HYPH"})
# Source tags, datelines and page furniture that must never reach a reader (a last guard; text/ and parsing/
# remove them from the article itself).
JUNK = re.compile(
    r"\((?:CNN|AP|Reuters|AFP|EW\.com|Mashable|CNET|[A-Z][A-Za-z]+ Reporter)\)|\b(?:PUBLISHED|UPDATED):|"
    r"\bLast updated\b|\bBy \. |\bfor MailOnline\b|\bDaily Mail Reporter\b|^[A-Z]{2,}[A-Z ,.]*\s*(?:\(\w+\))?\s*--",
)


# Verbs that announce what follows: at the very end, with nothing after them, the sentence was cut short.
_SAYS = REPORTING | {"show", "mean", "prove", "demonstrate", "indicate", "ask", "wonder"}
_QUOTE_MARK = re.compile(r"(?:(?<=^)|(?<=\s))['‘\"“](?=\w)|(?<=[\w.,!?])['’\"”](?=\s|$|[,.;:!?])")


def open_quote(text: str) -> bool:
    """A quotation opened and never closed. A mark after a word with nothing open is an apostrophe
    ("Netherlands' Queen"), not a closing quote."""
    depth = 0
    for m in _QUOTE_MARK.finditer(text):
        before = text[m.start() - 1] if m.start() else " "
        if before.isspace():
            depth += 1
        elif depth:
            depth -= 1
    return depth > 0


_DANGLING_MARK = re.compile(r"(?:\s[-–—]+|[-–—]{2,}|\s[?!])\s*[?!.]?\s*$|[-–—]\s*[?!]")
_POSSESSIVE = frozenset({"his", "her", "their", "its", "my", "our", "your"})


def weak_subject(clause: Clause) -> bool:
    """The subject points at something the headline does not name: "He", "They", "These images", "There"."""
    subj = subject(clause.root)
    if subj is None or subj.i in clause.replace or clause.prefix:
        return False
    if subj.dep_ == "expl" or subj.lower_ in PRONOUNS:
        return True
    # "These images", "His country": the noun is only identified by what came before
    return any(
        (c.dep_ == "det" and c.lower_ in DEMONSTRATIVES) or (c.dep_ == "poss" and c.lower_ in _POSSESSIVE)
        for c in subj.children
    )


# Words that promise a phrase after them: "thanks [to]", "due [to]", "ahead [of]".
_NEEDS_MORE = frozenset("thanks due according ahead prior instead because such".split())
_THIRD_PERSON = frozenset("he him his she her hers they them their theirs".split())


def _orphan_pronoun(clause: Clause) -> str | None:
    """ "[Eden Hazard admits] campaign may have left him too tired": with the speaker peeled off, a pronoun
    in the statement has nothing left to point at."""
    speaker = clause.speaker
    if (
        speaker is None
        or speaker.i in clause.keep
        or speaker.lower_ in PRONOUNS
        or clause.replace
        or clause.prefix
    ):
        return None  # kept, or put back in the subject's place ("Hamilton is feeling ... his career")
    for i in clause.keep:
        t = clause.doc[i]
        if t.lower_ in _THIRD_PERSON and t.pos_ == "PRON" and i not in clause.replace:
            return t.text
    return None


def _cut_points(clause: Clause) -> list[Token]:
    """Words the compression removed while their head stayed: each must be a cut the rule book allows."""
    present = clause.keep | clause.styled
    out = []
    for i in range(clause.lo, clause.hi):
        t = clause.doc[i]
        if i in present or i in clause.stripped or t.is_punct or t.is_space:
            continue
        if t.head.i in present and t.head.i != t.i:
            out.append(t)
    return out


_EMBEDDED = frozenset({"relcl", "acl", "advcl", "ccomp", "xcomp", "pcomp"})


_NOMINAL = ("NOUN", "PROPN", "NUM")


def _nouns_run_together(clause: Clause, cut: Token, present: set[int]) -> bool:
    """ "a road accident [in north west] China - eight months after", "the hairstyle [she models ...] Veep was
    inspired": the words either side of the cut are two nouns that belong to different phrases."""
    before = max((i for i in present if i < cut.left_edge.i), default=None)
    after = min((i for i in present if i > cut.right_edge.i), default=None)
    if before is None or after is None:
        return False
    a, b = clause.doc[before], clause.doc[after]
    if a.pos_ not in _NOMINAL or b.pos_ not in _NOMINAL:
        return False
    return b.head.i != a.i and a.head.i != b.i and b.head.i != a.head.i


def _inside_coordination(cut: Token, present: set[int]) -> bool:
    """ "kicking a deputy [in the face] and thigh": the parser joined "thigh" to "deputy"; cut the phrase
    between them and the headline says so. A cut between two kept conjuncts must be the first one's own."""
    lo, hi = cut.left_edge.i, cut.right_edge.i
    for tok in cut.doc[max(0, lo - 12) : lo]:
        if tok.i not in present:
            continue
        for c in tok.children:
            if c.dep_ != "conj" or c.i <= hi or c.i not in present:
                continue
            # The cut may be the first conjunct's own phrase ("men [from Texas] and women"), but not when the
            # parser joined a noun to a verb ("kicking ... [in the face] and thigh").
            own = any(a.i == tok.i for a in cut.ancestors)
            same_kind = (c.pos_ in ("VERB", "AUX")) == (tok.pos_ in ("VERB", "AUX"))
            if not (own and same_kind):
                return True
    return False


def _reattached(clause: Clause, cut: Token, present: set[int]) -> bool:
    """A cut that leaves a phrase of the main clause right after the end of an embedded one: "the five years he
    spent [imprisoned in Cuba ...] meeting Pope Francis" now says he spent them meeting the Pope."""
    before = max((i for i in present if i < cut.left_edge.i and not clause.doc[i].is_punct), default=None)
    after = min((i for i in present if i > cut.right_edge.i and not clause.doc[i].is_punct), default=None)
    if before is None or after is None:
        return False
    nxt = clause.doc[after]
    if nxt.dep_ not in ("prep", "advcl", "acl", "npadvmod", "conj") or nxt.left_edge.i != nxt.i:
        return False
    node = clause.doc[before]
    while node.i != node.head.i and node.i != nxt.head.i:
        if node.dep_ in _EMBEDDED and nxt.head.i in {a.i for a in node.ancestors}:
            return True
        node = node.head
    return False


def _cut_problem(clause: Clause) -> str | None:
    root = clause.root
    present = clause.keep | clause.styled
    for t in _cut_points(clause):
        if t.dep_ == "mark" and t.lower_ == "that" and t.head.dep_ in ("ccomp", "ROOT"):
            continue  # "said that X" -> "X": the complementizer may go with the frame
        if t.dep_ in ("cc", "preconj", "punct") and not any(
            c.dep_ == "conj" and c.i in present and c.i > t.i for c in t.head.children
        ):
            continue  # the "and" went with the conjunct it joined
        if not cut_allowed(t, clause.relaxed):
            return f"cut {t.dep_} '{t.text}' from '{t.head.text}'"
        after = clause.doc[t.right_edge.i + 1] if t.right_edge.i + 1 < clause.hi else None
        cut_phrase = t.dep_ in ("prep", "agent", "npadvmod", "advmod")
        if (
            cut_phrase
            and after is not None
            and after.i in present
            and after.dep_ == "prep"
            and after.head.i == t.head.i
            and not any(c.dep_ == "pcomp" for c in after.children)  # "barred [by a judge] from travelling"
        ):
            # "died [after the split] from golfer X": the parser hung the second phrase on the verb, but it
            # may belong to the noun just cut; alone it says something else.
            return f"'{after.text}' phrase loses its anchor"
        nxt = min((i for i in present if i > t.right_edge.i), default=None)
        if nxt is not None and clause.doc[nxt].text == "," and t.dep_ not in ("conj", "cc", "advcl", "relcl"):
            after_comma = min((i for i in present if i > nxt), default=None)
            if after_comma is not None and clause.doc[after_comma].pos_ in ("PROPN", "NOUN"):
                return "a comma now joins what the cut separated"  # "markings[ in X], Kincardineshire should"
        if _nouns_run_together(clause, t, present):
            return "two noun phrases now run together"
        if _inside_coordination(t, present):
            return "a cut inside 'X and Y' joins different things"
        if _reattached(clause, t, present):
            return "a kept phrase now reads as part of the clause before it"
    for t in clause.tokens():
        if (
            t.tag_ in ("VBD", "VBP", "VBZ")
            and t.dep_ in ("advcl", "ccomp", "acl", "relcl", "parataxis", "dep")
            and not any(c.dep_ in SUBJ and c.i in present for c in t.children)
            and t.i not in clause.replace
        ):
            return (
                f"'{t.text}' has no subject"  # "... paying £140 per day [to train ... as families] hire help"
            )
        conjuncts = [c for c in t.head.children if c.dep_ == "conj" and c.i > t.i]
        if t.dep_ == "cc" and conjuncts and not any(c.i in present for c in conjuncts):
            return f"'{t.text}' joins nothing"
        if (
            t.head.i == root.i
            and root.i in clause.replace
            and t.dep_ in ("conj", "dep")
            and t.tag_ == "VBD"
            and t.i not in clause.replace
            and subject(t) is None
        ):
            return "tenses mixed"  # "steals £90,000, then pretended ..."
    if clause.headlinese:
        for adv in (c for c in root.children if c.dep_ == "advcl" and c.i in clause.keep):
            if same_time_past(adv) and adv.i not in clause.replace:
                return "tenses mixed"  # "customer is disgusted when she discovered ..."
    spliced = noun_splice(clause, present)
    if spliced:
        return spliced
    for e in clause.ents:
        kept = [t.i in present for t in e if not t.is_punct]
        if any(kept) and not all(kept) and not all(t.i in clause.stripped for t in e if t.i not in present):
            return f"name cut: '{e.text}'"
    return None


def problem(
    clause: Clause, text: str, max_words: int, min_words: int = MIN_WORDS, named_subject: bool = True
) -> str | None:
    """Why this candidate may not be a headline, or None when it passes every check. ``named_subject=False``
    lets a pronoun subject through: the last resort before a bare cut, well-formed if not informative."""
    root = clause.root
    n = len(text.split())
    if not min_words <= n <= max_words:
        return f"{n} words"
    if CHROME.search(text) or JUNK.search(text):
        return "junk"
    if _DANGLING_MARK.search(text):
        return "dangling mark"  # "... critters -?": the cut left the punctuation of what it removed
    if open_quote(text):
        return "unbalanced quotes"  # "idea 'mad and voiced fears": the closing mark went with a cut
    subj = subject(root)
    if subj is None or subj.i not in clause.keep | set(clause.replace):
        return "no subject"
    if named_subject and weak_subject(clause):
        return f"subject '{subj.text}' names nothing"
    orphan = _orphan_pronoun(clause)
    if named_subject and orphan is not None:
        return f"'{orphan}' points at the speaker who was cut"
    unanchored = unanchored_pronoun(clause) if named_subject else None
    if unanchored is not None:
        return f"'{unanchored}' points at nothing the headline names"
    kids = [c for c in root.children if c.i in clause.keep]
    first = next((t for t in clause.tokens() if not t.is_punct), None)
    if first is None or first.lower_ in ("that", "which", "who", "whether", "if"):
        return "subordinate clause"  # left over from a misparse, not a statement
    if any(c.dep_ == "mark" and c.lower_ != "that" for c in root.children):
        return "subordinate main clause"  # "While optimism prevails, ..." misparsed as the main clause
    if any(
        sum(c.dep_ in SUBJ and c.i in clause.keep for c in t.children) > 1
        for t in clause.tokens()
        if t.pos_ in ("VERB", "AUX")
    ):
        return "two subjects"  # "the hairstyle ... Veep was inspired": the parse is wrong, do not trust it
    if sum(c.dep_ in SUBJ for c in kids) > 1 or any(
        c.dep_ in ("ccomp", "parataxis") and c.i < subj.i for c in kids
    ):
        return "two subjects"  # or a clause before the subject: the parse is wrong, do not trust it
    finite = (
        clause.headlinese
        or root.tag_ in FINITE
        or any(
            c.dep_ in ("aux", "auxpass") and c.i in clause.keep and (c.tag_ in FINITE or c.tag_ == "TO")
            for c in root.children
        )
    )
    if not finite:
        return "no finite verb"
    words = [t for t in clause.tokens() if not t.is_punct]
    last = words[-1] if words else None
    final = clause.doc[clause.hi - 1] if clause.hi > clause.lo else None
    if last is not None and final is not None and last.i == final.i and not final.is_punct:
        return "sentence cut short"  # no full stop: the segmenter or the page broke the sentence here
    if (
        last is None
        or last.tag_ in _OPEN_TAGS
        or last.dep_ in (DANGLING | {"dep"}) - {"advmod", "nummod", "compound"}
        or last.lower_ in _NEEDS_MORE
    ):
        return "ends open"
    if last.dep_ == "advmod" and len(words) > 1 and clause.doc[last.i - 1].text in (",", ";"):
        return "ends open"  # "... gambling habit, then": the clause it opened was cut
    if (
        last.pos_ == "VERB"
        and last.lemma_.lower() in _SAYS
        and not any(
            c.dep_ in ("dobj", "ccomp", "xcomp", "attr", "oprd") and c.i in clause.keep for c in last.children
        )
    ):
        return "ends open"  # "... however statistics from the last 10 years show"
    cut = _cut_problem(clause)
    if cut is not None:
        return cut
    if not sound(clause):
        return "misparse cut open"
    return None
