"""Headlinese: the tense and voice rules editors apply when a lead sentence becomes a headline.

A headline reports a past event in the present tense ("Greece has denied ..." -> "Greece denies ..."), drops
the auxiliaries of a passive or progressive ("Man has been jailed" -> "Man jailed", "Boy is recovering" ->
"Boy recovering") and reduces a relative clause to its participle ("landlord who was convicted of" ->
"landlord convicted of"). Each rule only rewrites the form of one verb or removes auxiliaries and a relative
pronoun, so the result is the same parse with fewer words; Daily Mail URL slugs, the nearest thing to an
editor's headline we have, use exactly these forms ("greece-denies", "man-dies", "brown-warns").

The rules edit a ``Clause`` (kept tokens plus per-token replacement text); the deletion search runs after.
"""

from __future__ import annotations

from spacy.tokens import Token

from briefing_service.headline.roles import time_phrase
from briefing_service.headline.text import Clause, quoted, subject

_HAVE = frozenset({"has", "have", "had", "'s", "'ve", "'d"})
_BE = frozenset({"is", "are", "was", "were", "be", "been", "being", "am", "'s", "'re", "'m"})
_PLURAL_PRONOUNS = frozenset({"we", "they", "you"})
# Base form = past form: the lemmatizer returns the word itself and that is right.
_SAME_PAST = frozenset(
    "put cut hit set let quit spread hurt cost shut bet burst cast beat bid broadcast cast fit hit split "
    "upset read".split()
)
_IRREGULAR_3SG = {"be": "is", "have": "has", "do": "does", "go": "goes"}
_HOW_MANY = frozenset(
    "cent percent majority minority number half third quarter rest lot lots most share".split()
)
_STAYS_PUT = frozenset("long always already just still ever never yet since".split())
_PAST_TIME = frozenset(
    "yesterday last ago earlier previous night monday tuesday wednesday thursday friday saturday sunday "
    "january february march april may june july august september october november december".split()
)
_RELATIVE = frozenset({"who", "that", "which"})


def third_person(lemma: str) -> str:
    """'deny' -> 'denies', 'warn' -> 'warns', 'push' -> 'pushes'."""
    if lemma in _IRREGULAR_3SG:
        return _IRREGULAR_3SG[lemma]
    if lemma.endswith(("s", "sh", "ch", "x", "z", "o")) and not lemma.endswith(("ss", "oo")):
        return lemma + "es"
    if lemma.endswith("ss"):
        return lemma + "es"
    if len(lemma) > 1 and lemma.endswith("y") and lemma[-2] not in "aeiou":
        return lemma[:-1] + "ies"
    return lemma + "s"


def present_form(verb: Token, plural: bool, first_person: bool = False) -> str | None:
    """The present-tense form of ``verb`` agreeing with its subject, or None when the lemma is not usable."""
    lemma = verb.lemma_.lower()
    if not lemma.isalpha() or (lemma == verb.lower_ and verb.tag_ == "VBD" and lemma not in _SAME_PAST):
        return None  # the lemmatizer gave up ("eased" -> "eased"): "easeds" would be worse than the past
    if lemma == "be":
        form = "am" if first_person else ("are" if plural else "is")
    elif plural or first_person:
        form = lemma
    else:
        form = third_person(lemma)
    return form[0].upper() + form[1:] if verb.text[:1].isupper() else form


def _plural(verb: Token, auxes: list[Token]) -> tuple[bool, bool]:
    """(plural, first person) for the subject of ``verb``: a finite auxiliary says it, else the subject."""
    for a in auxes:
        if a.lower_ in ("has", "is", "was", "'s"):
            return False, False
        if a.lower_ in ("have", "are", "were", "'ve", "'re"):
            subj = subject(verb)
            return True, subj is not None and subj.lower_ == "i"
        if a.lower_ in ("am", "'m"):
            return False, True
    subj = subject(verb)
    if subj is None:
        return False, False
    if subj.lower_ == "i":
        return False, True
    # "Island Greens", "Rangers": a team or party named in the plural takes a plural verb; places ("Wales",
    # "Paris") and people do not.
    named_plural = (
        subj.tag_ == "NNP"
        and subj.lower_.endswith("s")
        and not subj.lower_.endswith(("ss", "us", "is"))
        and subj.ent_type_ not in ("GPE", "LOC", "PERSON", "FAC")
    )
    # "20 per cent of women", "the majority of voters": the "of" phrase says how many.
    of_plural = subj.lemma_.lower() in _HOW_MANY and any(
        c.dep_ == "prep" and c.lower_ == "of" and any(g.tag_ in ("NNS", "NNPS") for g in c.children)
        for c in subj.children
    )
    plural = (
        named_plural
        or of_plural
        or subj.tag_ in ("NNS", "NNPS")
        or subj.lower_ in _PLURAL_PRONOUNS
        or any(c.dep_ == "conj" for c in subj.children)
        or verb.lower_ == "were"
    )
    return plural, False


def _retense(clause: Clause, verb: Token, plural: bool | None = None, bare: bool = True) -> bool:
    """Rewrite one finite verb group in headline tense; True when it changed. ``plural`` is inherited by a
    conjunct that shares its subject ("Manchester City have apologised and promised")."""
    if verb.i not in clause.keep:
        return False
    kids = list(verb.children)
    auxes = [c for c in kids if c.dep_ == "aux" and c.i in clause.keep]
    passive = [c for c in kids if c.dep_ == "auxpass" and c.i in clause.keep]
    negated = any(c.dep_ == "neg" for c in kids)
    if any(a.tag_ == "MD" or a.lower_ in ("to", "do", "does", "did") for a in auxes):
        return False  # "will", "could", "is to", do-support: the modality is the news, leave it alone
    if any(a.text[:1] in ("'", "’") for a in auxes + passive):
        return False  # "It's well known": the contraction cannot be dropped or re-tensed on its own
    if any(a.lower_ == "had" for a in auxes):
        return False  # past perfect is backstory ("two months had passed"), not the news
    if verb.lemma_ == "use" and any(c.dep_ == "xcomp" for c in kids):
        return False  # "used to lead a fast-paced life" is a finished habit, not "uses to"
    if any(c.lower_ == "since" and c.dep_ in ("prep", "mark") for c in kids) or any(
        g.lower_ == "since" for c in kids if c.dep_ == "advcl" for g in c.children
    ):
        return False  # "has scored three goals since returning": the perfect is the point
    first_aux = min((a.i for a in auxes + passive), default=verb.i)
    if any(verb.doc[i].lower_ in _STAYS_PUT and i in clause.keep for i in range(first_aux + 1, verb.i)):
        return False  # "have long been home" -> "long are home": the adverb needs its auxiliary
    subj = subject(verb)
    if plural is None:
        plural, first = _plural(verb, auxes + passive)
    else:
        first = False
    if passive or (verb.tag_ == "VBG" and auxes and all(a.lower_ in _BE | _HAVE for a in auxes)):
        if not bare or (subj is not None and subj.pos_ in ("PRON", "DET")):
            return False  # "Some are fighting" -> "Some fighting": a bare participle needs a noun subject
        # "has been jailed" -> "jailed"; "is recovering" -> "recovering": the bare participle is headlinese
        if verb.tag_ not in ("VBN", "VBG", "VBD") or not all(
            a.lower_ in _BE | _HAVE for a in auxes + passive
        ):
            return False
        clause.keep -= {a.i for a in auxes + passive}
        clause.styled |= {a.i for a in auxes + passive}
        return True
    if negated:
        return False  # "did not pay" -> "does not pay" needs do-support: keep the original wording
    if verb.tag_ == "VBN" and auxes and all(a.lower_ in _HAVE for a in auxes):
        form = present_form(verb, plural, first)  # "has denied" -> "denies"
    elif verb.tag_ in ("VBD", "VBN") and not auxes:  # a root VBN with a subject and no auxiliary is a
        # past tense the tagger misread ("A snowstorm and icy roads caught Colorado drivers")
        form = present_form(verb, plural, first)  # "eased past" -> "eases past"
    else:
        return False
    if form is None:
        return False
    clause.keep -= {a.i for a in auxes}
    clause.styled |= {a.i for a in auxes}
    clause.replace[verb.i] = form
    return True


def _backstory(clause: Clause) -> bool:
    """The clause dates itself in a finished past: "ten years ago", "over 10 years", "in the 1990s"."""
    for e in clause.ents:
        if e.label_ != "DATE" or e.start < clause.lo or e.end > clause.hi or e.start not in clause.keep:
            continue
        low = e.text.lower()
        first = e.doc[e.start - 1].lower_ if e.start > 0 else ""
        anchor = e.root.head if e.root.dep_ != "pobj" else e.root.head.head
        if anchor.i != clause.root.i:
            continue  # "near the site of a disaster 60 years ago": the news itself is today's
        if "ago" in low or low.endswith("0s") or (first == "over" and low.endswith(("years", "decades"))):
            return True
    return False


def headline_tense(clause: Clause, quote_spans: list[tuple[int, int]]) -> None:
    """Present tense / bare participle for the main verb and the verbs conjoined with it. All or nothing:
    "Man died and his brother is ..." must not become "Man dies and ... was"."""
    root = clause.root
    if any(a <= root.i <= b for a, b in quote_spans) or quoted(root):
        return  # a quotation keeps the speaker's tense
    if _backstory(clause):
        return  # "competed in 152 races over 10 years": a finished past, not today's news
    saved = (set(clause.keep), dict(clause.replace), set(clause.styled))
    if not _retense(clause, root):
        _future(clause)
        return
    root_plural, _ = _plural(root, [c for c in root.children if c.dep_ in ("aux", "auxpass")])
    bare_passive = root.i not in clause.replace  # "were shot and killed" -> "shot and killed"
    for conj in (c for c in root.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")):
        if conj.i not in clause.keep:
            continue
        own_subject = subject(conj) is not None
        if bare_passive and not own_subject and conj.tag_ == "VBN":
            continue  # the shared auxiliary went; the second participle reads right as it is
        # A conjunct with its own subject keeps its auxiliaries: "... but he is offering" must not lose "is".
        changed = _retense(clause, conj, None if own_subject else root_plural, bare=not own_subject)
        if not changed and conj.tag_ in ("VBD", "VBN") and not own_subject:
            clause.keep, clause.replace, clause.styled = (
                saved  # one verb stays past: keep the sentence's own tenses
            )
            return
    clause.headlinese = True
    _same_time_clauses(clause)
    _drop_past_time(clause)


# Subordinators of a clause that happens at the same time as the main verb: it takes the headline's tense too.
# "after", "before", "since" order two events in time and may keep the past.
SAME_TIME = frozenset({"as", "when", "while", "whilst"})


def _same_time_clauses(clause: Clause) -> None:
    """ "X plays crucial part as he thwarted ...": once the main verb is in the headline present, a clause that
    happens at the same time follows it ("as he thwarts"); where it cannot, the check rejects the mix."""
    for adv in (c for c in clause.root.children if c.dep_ == "advcl" and c.i in clause.keep):
        if same_time_past(adv) and subject(adv) is not None:
            _retense(clause, adv, bare=False)


def same_time_past(adv: Token) -> bool:
    """A past-tense clause opened by "as", "when" or "while" (a mark, or "when" parsed as an adverb)."""
    opener = {m.lower_ for m in adv.children if m.dep_ in ("mark", "advmod") and m.i < adv.i}
    return adv.tag_ == "VBD" and bool(opener & SAME_TIME)


def _drop_past_time(clause: Clause) -> None:
    """ "Ed Miliband yesterday leaves door open": once the verb is in the headline present, a past time phrase
    on it contradicts the tense, so it goes (a headline rarely carries the day anyway)."""
    for c in list(clause.root.children):
        if c.i in clause.keep and c.dep_ in ("npadvmod", "advmod", "prep") and time_phrase(c):
            if not any(u.lower_ in _PAST_TIME for u in c.subtree):
                continue  # "this year", "today": the present holds
            before = set(clause.keep)
            clause.drop_subtree(c)
            clause.stripped |= before - clause.keep


def _future(clause: Clause) -> None:
    """'Ian Wright will present ...' -> 'Ian Wright to present ...'; 'Prince Charles is to name ...' ->
    'Prince Charles to name ...': the headline future."""
    root = clause.root
    kids = [c for c in root.children if c.i in clause.keep]
    subj = subject(root)
    if any(c.dep_ == "neg" for c in kids) or (subj is not None and subj.pos_ == "PRON"):
        return  # "It is to give ..." -> "It to give" is no headline
    will = [c for c in kids if c.dep_ == "aux" and c.lower_ in ("will", "'ll")]
    if will and root.tag_ == "VB" and all(c.dep_ != "aux" or c in will for c in kids):
        clause.replace[will[0].i] = "to"
        clause.headlinese = True
        return
    to_clause = [c for c in kids if c.dep_ == "xcomp" and any(a.lower_ == "to" for a in c.children)]
    complements = ("attr", "acomp", "dobj", "aux", "auxpass")
    if (
        root.lemma_ == "be"
        and root.tag_ in ("VBZ", "VBP")
        and to_clause
        and not any(c.dep_ in complements for c in kids)
    ):
        clause.keep.discard(root.i)
        clause.styled.add(root.i)
        clause.headlinese = True


def reduce_relatives(clause: Clause) -> None:
    """'who was convicted of' -> 'convicted of', 'that have been spotted' -> 'spotted', 'who is running' ->
    'running': a passive or progressive relative clause loses its pronoun and auxiliaries."""
    for rel in [t for t in clause.tokens() if t.dep_ == "relcl"]:
        kids = list(rel.children)
        pronoun = next((c for c in kids if c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in _RELATIVE), None)
        if pronoun is None or pronoun.i not in clause.keep or any(c.dep_ == "neg" for c in kids):
            continue
        if any(c.dep_ == "conj" and c.pos_ in ("VERB", "AUX") for c in kids):
            continue  # "who was convicted ... and was not drunk": the second verb still needs the pronoun
        auxes = [c for c in kids if c.dep_ in ("aux", "auxpass") and c.i in clause.keep]
        if not auxes or not all(a.lower_ in _BE | _HAVE for a in auxes):
            continue
        passive = any(a.dep_ == "auxpass" for a in auxes) and rel.tag_ == "VBN"
        progressive = rel.tag_ == "VBG" and any(a.lower_ in _BE for a in auxes)
        if passive or progressive:
            clause.keep -= {pronoun.i, *(a.i for a in auxes)}
            clause.styled |= {pronoun.i, *(a.i for a in auxes)}
