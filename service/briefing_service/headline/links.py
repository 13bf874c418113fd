"""What a kept word needs the headline to keep with it: a pronoun something to point at, an object the state or
the infinitive its verb gave it, a second clause the comma that tells it from a list of nouns."""

from __future__ import annotations

from spacy.tokens import Token

from briefing_service.headline.roles import time_phrase
from briefing_service.headline.text import Clause
from briefing_service.headline.words import LINKING, SUBJ

_SINGULAR_PERSONAL = frozenset("he him his she her hers".split())
_PLURAL_PERSONAL = frozenset("they them their theirs".split())
_NOT_PEOPLE = frozenset({"GPE", "LOC", "NORP", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"})
_OBJECTS = frozenset({"dobj", "dative"})
_FEMININE = frozenset("she her hers".split())
# A common noun that names a sex cannot be the referent of the other sex's pronoun ("Wife reveals his ...").
_FEMALE_NOUNS = frozenset(
    "woman women girl wife mother mum mom daughter sister grandmother gran actress queen princess bride "
    "girlfriend widow lady niece aunt".split()
)
_MALE_NOUNS = frozenset(
    "man men boy husband father dad son brother grandfather king prince groom boyfriend widower nephew uncle "
    "gentleman".split()
)


def _antecedent(clause: Clause, pron: Token, present: set[int]) -> bool:
    """Whether the kept words before a third-person pronoun offer something it can point at. "he", "his",
    "him" need a person-like singular (a name that is not a place or a body, or a singular common noun);
    "they", "their" any noun. An object pronoun never points at its own verb's subject ("Witnesses describe
    him": not the witnesses), which would be "himself"."""
    singular = pron.lower_ in _SINGULAR_PERSONAL
    barred = set()
    if pron.dep_ in _OBJECTS or (pron.dep_ == "pobj" and pron.head.head.pos_ in ("VERB", "AUX")):
        verb = pron.head if pron.dep_ in _OBJECTS else pron.head.head
        barred = {t.i for c in verb.children if c.dep_ in SUBJ for t in c.subtree}
    for i in sorted(present):
        if i >= pron.i:
            break
        t = clause.doc[i]
        if i in barred:
            continue
        if t.pos_ == "PRON" and (t.lower_ in _SINGULAR_PERSONAL) == singular:
            return True  # "he ... his": the first one was checked already
        if t.pos_ not in ("NOUN", "PROPN"):
            continue
        if not singular:
            return True
        # The small NER often calls a person's name an organisation; an acronym ("FIA") is one.
        if t.pos_ == "PROPN" and t.ent_type_ not in _NOT_PEOPLE and not (t.ent_type_ == "ORG" and t.is_upper):
            return True
        wrong_sex = _MALE_NOUNS if pron.lower_ in _FEMININE else _FEMALE_NOUNS
        if t.tag_ == "NN" and t.ent_type_ not in _NOT_PEOPLE and t.lower_ not in wrong_sex:
            return True
    return False


def unanchored_pronoun(clause: Clause) -> str | None:
    """ "FIA appoints doctors to test him", "... his obsession": a pronoun whose referent was cut or lies in
    another sentence points at nothing the headline names."""
    present = clause.keep | clause.styled
    for i in sorted(clause.keep):
        t = clause.doc[i]
        if t.pos_ != "PRON" and t.tag_ != "PRP$":
            continue
        if t.lower_ not in _SINGULAR_PERSONAL | _PLURAL_PERSONAL or i in clause.replace:
            continue
        if not _antecedent(clause, t, present):
            return t.text
    return None


# Verbs whose object is followed by what happens to it: "has authorities [on alert]", "leaves fans [in tears]",
# "keeps him [out of the side]"; without it the verb says something else (possession, departure).
_STATE_VERBS = frozenset("have leave keep hold put".split())
# "makes her [look younger]", "gets it [done]", "found him [guilty]": the object's predicate.
_CAUSATIVES = frozenset("make get find render drive let see watch hear call".split())
# "challenges X [to do Y]", "urges voters [to back ...]": the object is there for the infinitive.
_CONTROL = frozenset(
    "challenge urge ask force persuade encourage allow invite tell order help want expect dare push lead prompt "
    "inspire pressure beg require enable permit convince teach train warn advise remind cause trigger".split()
)


def time_or_place_only(prep: Token) -> bool:
    """ "on Tuesday", "in 2014": a when-phrase after the object never completes the verb."""
    objs = [c for c in prep.children if c.dep_ == "pobj"]
    return bool(objs) and all(o.ent_type_ in ("DATE", "TIME") or time_phrase(o) for o in objs)


def lost_object_predicate(clause: Clause, verb: Token) -> bool:
    """The object's predicate was cut and the verb changed its sense: "Harsh winter has authorities in a
    village" (on alert), "makes him look" (ten years younger), "challenges rivals" (to match the offer)."""
    obj = next((c for c in verb.children if c.dep_ == "dobj" and c.i in clause.keep), None)
    if obj is None or verb.pos_ != "VERB":
        return False
    lemma = verb.lemma_.lower()
    if lemma in _STATE_VERBS:
        wanted = {"prep", "acomp", "oprd", "xcomp", "ccomp", "advmod"}
    elif lemma in _CAUSATIVES:
        wanted = {"acomp", "oprd", "xcomp", "ccomp"}
    elif lemma in _CONTROL:
        wanted = {"xcomp", "advcl", "ccomp"}
    else:
        return False
    after = [c for c in verb.children if c.i > obj.i and c.dep_ in wanted]
    if any(c.i in clause.keep for c in after):
        return False  # "has stars in his eyes [on the front page]": the predicate is there
    for c in after:
        infinitive = any(a.dep_ == "aux" and a.tag_ == "TO" for a in c.children)
        if c.dep_ in ("advcl", "xcomp") and lemma in _CONTROL and not infinitive:
            continue  # only the infinitive ("to back the plan") is the object's
        if c.dep_ == "prep" and time_or_place_only(c):
            continue
        return True
    # "makes him look [younger]": the object's own clause kept its verb but lost the predicate
    return any(
        x.i in clause.keep
        and x.lemma_ in LINKING
        and any(k.dep_ in ("acomp", "attr", "oprd") and k.i not in clause.keep for k in x.children)
        for x in verb.children
        if x.dep_ in ("ccomp", "xcomp")
    )


def noun_splice(clause: Clause, present: set[int]) -> str | None:
    """ "Discovery made by Dr Lee and the mushroom has now been named": a second clause joined by a bare "and"
    right after a noun reads as "Dr Lee and the mushroom" until its verb; news style puts a comma there."""
    for t in clause.tokens():
        if t.dep_ != "conj" or t.pos_ not in ("VERB", "AUX") or t.head.i not in present:
            continue
        subj = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass") and c.i in present), None)
        if subj is None:
            continue
        cc = max((i for i in present if i < subj.left_edge.i), default=None)
        if cc is None or clause.doc[cc].dep_ != "cc" or clause.doc[cc].lower_ not in ("and", "&"):
            continue
        before = max((i for i in present if i < cc), default=None)
        if before is not None and clause.doc[before].pos_ in ("NOUN", "PROPN", "NUM", "PRON"):
            return "two clauses spliced after a noun"
    return None
