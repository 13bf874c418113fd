"""The statement inside a sentence: attribution peeled off ("X said that <clause>"), a pronoun subject given
back its speaker's name, and the tails a headline never carries (appositives, comma relatives, parentheticals,
fronted adverbials, participial tails) cut whatever the length."""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from briefing_service.headline.roles import protected, time_phrase
from briefing_service.headline.text import Clause, render, subject
from briefing_service.headline.words import (
    CLOSE_Q,
    FRONTED,
    INSTITUTION,
    OPEN_Q,
    PRONOUNS,
    REPORTING,
    SEPARATORS,
    SUBJ,
)


def _extraposed(root: Token) -> Token:
    """ "It was little wonder that Casciaro felt ...", "It emerged that ...": with an empty "it" subject the
    news is the that-clause (its own subject, within two steps of the verb)."""
    subj = subject(root)
    if subj is None or subj.lower_ != "it":
        return root
    near = [c for c in root.children] + [
        g for c in root.children if c.dep_ in ("attr", "acomp") for g in c.children
    ]
    for c in near:
        if (
            c.dep_ in ("ccomp", "acl", "csubj")
            and subject(c) is not None
            and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
        ):
            return c
    return root


def find_clause(span: Span) -> Clause:
    """Peel reporting frames: "X announced that <clause>", "<clause>, X said" -> <clause>."""
    root, speaker = span.root, None
    for _ in range(3):  # nested reports ("A said B told them that ...") are rare; bound the walk anyway
        if root.lemma_.lower() not in REPORTING:
            break
        ccomp = next((c for c in root.children if c.dep_ == "ccomp" and subject(c) is not None), None)
        if ccomp is None:
            break
        mark = next((c for c in ccomp.children if c.dep_ == "mark"), None)
        if mark is not None and mark.lower_ != "that":  # "whether"/"if" clauses are not statements of fact
            break
        speaker = subject(root) or speaker
        root = ccomp
    root = _extraposed(root)
    clause = Clause(span, root, speaker)
    for c in root.children:
        if c.dep_ == "mark" and c.lower_ == "that":
            clause.keep.discard(c.i)
    return clause


def pronoun_fix(clause: Clause) -> None:
    """Put the dropped speaker back for a subject pronoun: "Apple said it will ..." -> "Apple will ..."."""
    subj, sp = subject(clause.root), clause.speaker
    if subj is None or sp is None or subj.i not in clause.keep or sp.lower_ in PRONOUNS:
        return
    word = subj.lower_
    plural = sp.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in sp.children)
    ok = {
        "it": not plural and (sp.ent_type_ in ("ORG", "GPE", "NORP") or sp.lemma_.lower() in INSTITUTION),
        "he": not plural and (sp.ent_type_ == "PERSON" or sp.pos_ == "PROPN"),
        "she": not plural and (sp.ent_type_ == "PERSON" or sp.pos_ == "PROPN"),
        "they": plural,
    }
    lo = sp.left_edge.i
    # "Former world No 1 Caroline Wozniacki says": words the parser hung on the verb right before the name
    # (no comma between) belong to it.
    while (
        lo > 0
        and (prev := sp.doc[lo - 1]).head.i == sp.head.i
        and prev.dep_ in ("npadvmod", "amod", "compound")
    ):
        lo = prev.left_edge.i
    spk = Clause(sp.doc[lo : sp.right_edge.i + 1], sp, None)
    spk.keep = set(range(lo, sp.right_edge.i + 1))
    strip_tails(spk)
    name = render(spk, headline_style=False)
    name = re.sub(r"^(?:[Tt]he|[Aa]n?) (?=[a-z])", "", name)
    if not name or len(name.split()) > 6:
        return
    if ok.get(word, False):
        clause.replace[subj.i] = name
    elif word in ("i", "we"):  # first-person quote: headline convention "Speaker: We are close"
        clause.prefix = name + ":"


def in_quote_map(clause: Clause) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    stack: list[int] = []
    for t in clause.tokens():
        if t.text in OPEN_Q or (t.text == '"' and not stack):
            stack.append(t.i)
        elif (t.text in CLOSE_Q or t.text == '"') and stack:
            spans.append((stack.pop(), t.i))
    return spans


def _fronted(t: Token) -> bool:
    """A scene-setter before the subject ("On Tuesday,", "While ..., ", "However,"). A bare noun or adverb
    with no comma after it is more likely part of the subject the parser split off ("Former world No 1
    Caroline Wozniacki": "world" hung on the verb)."""
    if t.dep_ not in FRONTED or protected(t):
        return False
    comma_after = t.right_edge.i + 1 < len(t.doc) and t.doc[t.right_edge.i + 1].text in SEPARATORS
    return t.dep_ not in ("npadvmod", "advmod", "dep") or comma_after or time_phrase(t)


def strip_tails(clause: Clause) -> None:
    """Always-on cuts: material a headline never carries, whatever the length."""
    before = set(clause.keep)
    _strip(clause)
    clause.stripped |= before - clause.keep


def _strip(clause: Clause) -> None:
    doc = clause.doc
    subj = subject(clause.root)
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
        elif (
            t.text in ("—", "–", "--") or (t.text == "-" and t.whitespace_ and doc[t.i - 1].whitespace_)
        ) and i > 0:
            close = next(
                (u for u in toks[i + 1 :] if u.text == t.text and (u.text != "-" or u.whitespace_)), None
            )
            if close is not None and t.i in clause.keep:
                clause.drop(t.i, close.i)
    for t in clause.tokens():
        if t.i not in clause.keep or t.i == clause.root.i:
            continue
        comma_before = t.left_edge.i > 0 and doc[t.left_edge.i - 1].text in SEPARATORS | {"("}
        dep = t.dep_
        comma_after = t.right_edge.i + 1 < len(doc) and doc[t.right_edge.i + 1].text in SEPARATORS
        # "Connor Chambers, now aged 18, of Oxley, was ...": whatever commas bracket after a noun describes it
        # in passing (age, home town, job); a headline names the person and goes on.
        bracketed = (
            comma_before
            and comma_after
            and t.i > t.head.i
            and t.head.pos_ in ("NOUN", "PROPN")
            and dep in ("amod", "prep", "acl", "appos", "relcl", "npadvmod", "nummod")
        )
        drop = (
            bracketed
            or dep in ("parataxis", "intj", "discourse", "meta")
            or (dep == "prep" and t.lower_ == "according")
            or (dep in ("appos", "relcl", "acl") and comma_before)
            or (dep == "advcl" and (t.i < t.head.i or comma_before))
            or (t.head.i == clause.root.i and subj is not None and t.i < subj.i and _fronted(t))
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
            and not any(c.dep_ in ("aux", "auxpass") or (c.dep_ in SUBJ and c.i > t.i) for c in t.children)
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
