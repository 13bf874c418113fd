"""What a word does for its head, and so whether a headline may cut it (with its whole subtree) and keep the head.

One rule book for both sides: the search proposes only cuts this module allows (cuts.py), and the candidate check
(check.py) verifies every cut point in the final headline against it, including the cuts made before the
search. A cut is allowed only where the head still reads complete without the phrase: an adjunct (when, where,
why), a descriptive modifier, a whole second clause. Objects, complements, particles, subjects and the words
that carry negation, modality, time and quantity are never cut on their own.
"""

from __future__ import annotations

from spacy.tokens import Token

from briefing_service.headline.words import (
    ADJUNCT_PREPS,
    AFTER_OBJECT_ADJUNCT_PREPS,
    ASPECT,
    COMPLEX_PREPS,
    CONDITIONAL_MARKS,
    FIXED_PP,
    HEDGES,
    INCIDENTAL_ADJ,
    INTENSIFIERS,
    LIGHT_ADVERBS,
    NEGATION,
    PARTITIVE,
    PLACE_TIME_ENTS,
    PROTECTED_ADJ,
    QUANTITY,
    TIME_ENTS,
    TIME_WORDS,
    VERB_OBJECT_PREP,
)

# A head is incomplete without these: the verb's object, complement and particle ("hits back at", "finds himself
# in more bother"), a clause's subject and auxiliaries, a preposition's object, a noun's determiner and numbers.
ARGUMENTS = frozenset(
    "dobj dative iobj attr acomp oprd prt xcomp ccomp csubj csubjpass nsubj nsubjpass expl aux auxpass neg "
    "pobj pcomp case poss nummod quantmod compound nmod predet mark det".split()
)
_VERBAL = ("VERB", "AUX")
_COMPLETES = frozenset("dobj dative attr acomp oprd ccomp xcomp prep agent".split())
_NOMINAL = ("NOUN", "PROPN", "PRON", "NUM")


def protected(t: Token) -> bool:
    """Negation, modality, time (aspect) and quantity words: they go only with the phrase they belong to."""
    low, dep = t.lower_, t.dep_
    if dep == "neg" or low in NEGATION or t.tag_ == "MD":
        return True
    if low in HEDGES and dep in ("advmod", "quantmod", "npadvmod"):
        return True
    if low in ASPECT and dep in ("advmod", "npadvmod"):
        return True
    if dep in ("nummod", "quantmod") or (
        t.like_num and dep not in ("pobj", "dobj", "nsubj", "nsubjpass", "attr")
    ):
        return True
    if low in QUANTITY and dep in ("det", "amod", "advmod", "quantmod", "predet", "nummod"):
        return True
    return dep == "amod" and protected_adjective(t)


def protected_adjective(t: Token) -> bool:
    """'former', 'alleged', 'first', comparatives and superlatives, 'unarmed', 'non-league': they change what
    the noun refers to or whether it is true, not how it is described."""
    low = t.lower_
    return (
        t.lemma_.lower() in PROTECTED_ADJ
        or low in PROTECTED_ADJ
        or t.tag_ in ("JJR", "JJS")
        or t.like_num
        or t.ent_type_ in ("ORDINAL", "CARDINAL", "NORP")
        or (low.startswith(("un", "non", "anti", "ex-", "pro-")) and len(low) > 5)
    )


def _counts(t: Token) -> bool:
    """A number that is an amount, not a date: "ten years", "three weeks" (but "1986", "August 3")."""
    year = t.text.isdigit() and len(t.text) == 4
    day = t.text.isdigit() and t.head.ent_type_ == "DATE" and t.i > t.head.i
    return t.like_num and not (t.ent_type_ == "DATE" and (year or day))


def time_phrase(t: Token) -> bool:
    """'on Tuesday', 'last year', 'yesterday', 'earlier this month': when, not what. A duration with a number
    ("more than ten years") is a quantity, and stays."""
    if t.lower_ in ASPECT or any(_counts(u) or u.lower_ in QUANTITY for u in t.subtree if u.i != t.i):
        return False
    if t.ent_type_ in TIME_ENTS or t.lower_ in TIME_WORDS:
        return True
    return t.dep_ == "prep" and any(c.dep_ == "pobj" and c.ent_type_ in TIME_ENTS for c in t.children)


def _place_or_time_object(prep: Token) -> bool:
    return any(c.dep_ == "pobj" and c.ent_type_ in PLACE_TIME_ENTS for c in prep.children)


def _after_number(t: Token) -> bool:
    """'one in six', 'three of the ten': the phrase completes the number before it."""
    prev = t.doc[t.left_edge.i - 1] if t.left_edge.i > 0 else None
    return prev is not None and (prev.like_num or prev.tag_ == "CD")


def adjunct_pp(prep: Token) -> bool:
    """A prepositional phrase its head reads complete without: on a verb, a time or place phrase, one opened
    by an adjunct preposition ("after", "despite", "during") or the passive's agent; on a noun, a place or
    time phrase ("a school in Kent"). 'of' phrases, the first phrase a verb takes ("accused of", "barred
    from", "hits back at") and the inner phrase of "in front of" are the head's own."""
    head, low = prep.head, prep.lower_
    if _after_number(prep) or any(c.dep_ == "pobj" and c.lower_ in NEGATION for c in prep.children):
        return False
    if head.lemma_.lower() in ("spend", "pass"):
        return False  # "spent the night [before his arrest wandering ...]": how the time went is the point
    if head.pos_ in _VERBAL:
        if time_phrase(prep) or low in ADJUNCT_PREPS:
            return True
        if low in ("in", "at", "on", "from", "near", "across") and _place_or_time_object(prep):
            return True
        return _after_object(prep)
    if head.pos_ == "ADJ":  # "insulting because of the designs"
        return time_phrase(prep) or low in ADJUNCT_PREPS
    if head.pos_ in _NOMINAL:
        if low == "of" or head.lemma_.lower() in PARTITIVE or head.lemma_.lower() in FIXED_PP:
            return False
        return time_phrase(prep) or _place_or_time_object(prep)
    return False


def _after_object(prep: Token) -> bool:
    """ "fined the school £10,000 for the breach", "won the title in Beijing": after a noun object, a phrase
    with "for", "in", "at" or "over" says why or where, unless the verb wants it ("blamed X for"). A pronoun
    object ("left her in debt", "finds himself in bother") leaves a verb that is not finished yet; with no
    object at all ("hits back at critics") the phrase is the verb's own."""
    head, low = prep.head, prep.lower_
    if low not in AFTER_OBJECT_ADJUNCT_PREPS or (head.lemma_.lower(), low) in VERB_OBJECT_PREP:
        return False
    objects = [c for c in head.children if c.dep_ in ("dobj", "dative") and c.i < prep.i]
    if any(o.pos_ == "PRON" for o in objects):
        return False
    # A passive's subject is its object, but its first phrase is still its own ("dominated over whether
    # ...", "sentenced to four years"); a second one says why ("sentenced to four years [for stealing]").
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in head.children) or (
        head.tag_ == "VBN" and head.dep_ in ("acl", "relcl")
    )
    completed = any(c.dep_ in ("prep", "oprd", "attr", "acomp") and c.i < prep.i for c in head.children)
    if not objects and not (passive and completed):
        return False
    if any(_counts(u) for u in prep.subtree):
        return False  # "jailed for 25 years": how long is the news
    return all(o.right_edge.i < prep.i for o in objects)


def _unmarked_subject(t: Token) -> bool:
    """ "guilty of raping three more women prompting her father ...": a clause the parser gave a subject from
    the words before it, with no comma, "and" or conjunction to open it; cutting it takes the object of the
    verb before."""
    if not any(c.dep_ in ("nsubj", "nsubjpass") and c.i < t.i for c in t.children):
        return False
    prev = t.doc[t.left_edge.i - 1] if t.left_edge.i > 0 else None
    first = t.left_edge  # "when he refused", "after it emerged": a subordinator opens it
    opened = first.tag_ in ("IN", "WRB", "WDT", "WP", "CC") or (prev is not None and prev.is_punct)
    return not opened and prev is not None and prev.dep_ != "cc"


def _relaxed_cut(t: Token) -> bool:
    """Phrases that usually describe (where, how, who) but may complete a verb: cut only when the strict rules
    left no headline within 20 words."""
    if t.dep_ == "prep":
        return (
            t.lower_ != "of"
            and t.head.pos_ != "ADP"  # "more powerful than [at any stage]": the object of "than" stays
            and not _after_number(t)
            and not any(_counts(u) or u.lower_ in NEGATION for u in t.subtree)
            and (t.head.lemma_.lower(), t.lower_) not in VERB_OBJECT_PREP
            and t.head.lemma_.lower() not in PARTITIVE
        )
    if t.dep_ in ("relcl", "acl"):
        # On the subject the clause says who ("A New York woman [running a scheme] pleads not guilty"); on an
        # object it says which ("avoid the kind of mistakes [which ...]") and stays.
        complement = any(c.dep_ in ("aux", "mark") for c in t.children) and t.dep_ == "acl"
        return t.head.dep_ in ("nsubj", "nsubjpass") and not complement
    return False


def _trailing_aside(t: Token) -> bool:
    """ "... as the convicted killer – complete with fake blood and kit.": a modifier set off by a dash or comma
    that runs to the end of the sentence is an aside, whatever the parser hung it on."""
    if t.dep_ not in ("amod", "prep", "acl", "appos", "npadvmod", "advmod") or t.left_edge.i == 0:
        return False
    doc = t.doc
    words_after = [u for u in doc[t.right_edge.i + 1 : t.sent.end] if not u.is_punct]
    return doc[t.left_edge.i - 1].text in (",", "–", "—", "-", "--") and not words_after


def cut_allowed(t: Token, relaxed: bool = False) -> bool:
    """May ``t`` (with its subtree) be cut while its head stays? Never for an argument or a protected word.

    ``relaxed``: the second try on the opening sentence when nothing else fits 20 words: any prepositional
    phrase but an "of" phrase, a number's, a preposition's object or one with a number or a negation in it, and
    the clause describing the subject ("A New York woman [running a scheme] pleads not guilty"), may go too."""
    dep, head = t.dep_, t.head
    if dep in ARGUMENTS or protected(t) or head.i == t.i:
        return False
    if _trailing_aside(t):
        return True
    if relaxed and _relaxed_cut(t):
        return True
    if dep == "agent":
        return False  # "set to be dominated [by ...]": who did it is often the news, and the verb's sense
    if dep == "prep":
        return adjunct_pp(t)
    if dep in ("advcl", "acl", "conj") and _unmarked_subject(t):
        return False
    if dep == "advcl":
        marks = {c.lower_ for c in t.children if c.dep_ == "mark"}
        if t.tag_ in ("VBD", "VBP", "VBZ") and t.left_edge.tag_ not in ("IN", "WRB", "WDT", "WP"):
            return False  # a finite clause with no "when"/"after" is the parser's guess, not a subordinate
        # "it would be fatal for the Tories to give ...", "is set to": an infinitive after a predicate
        # adjective or a copula completes it.
        infinitive = any(c.dep_ == "aux" and c.tag_ == "TO" for c in t.children)
        predicate = head.lemma_ == "be" or head.pos_ == "ADJ" or any(c.dep_ == "acomp" for c in head.children)
        # "a collision sent the vehicle teetering", "left him fighting for life": a participle right after the
        # object completes the verb.
        obj = next((c for c in head.children if c.dep_ == "dobj"), None)
        complement = (
            obj is not None
            and t.tag_ in ("VBG", "VBN")
            and t.left_edge.i == t.i
            and obj.right_edge.i == t.i - 1
        )
        return not marks & CONDITIONAL_MARKS and not (infinitive and predicate) and not complement

    if dep == "conj":
        # A second verb phrase or clause goes whole with its "and"; one of two named people or things never
        # does ("David and Victoria Beckham" -> "David").
        # A conjunct with no "and" or comma before it is the parser joining what the text does not ("after
        # one of the families in the town denied ..." parsed as a second verb of the main clause).
        prev = t.doc[t.left_edge.i - 1] if t.left_edge.i > 0 else None
        introduced = prev is not None and (prev.dep_ in ("cc", "preconj") or prev.text in (",", ";"))
        # "suspected of abducting and killing an elderly couple": the first verb shares the second's object.
        shares = not any(c.dep_ in _COMPLETES for c in head.children) and any(
            c.dep_ in _COMPLETES for c in t.children
        )
        return t.pos_ in _VERBAL and head.pos_ in _VERBAL and introduced and not shares
    if dep in ("relcl", "acl"):
        # "footage of a man hurling abuse", "a daughter who stole £70,000": a common noun is identified by its
        # clause; "the suggestion that ...", "plans to sell the club": the noun's own complement stays.
        # On "a man" or "the kind of mistakes" the clause says which one; on a name, a possessed noun or a
        # bare plural ("Taser guns taking the place of ...") it only describes.
        determined = head.pos_ == "NOUN" and any(c.dep_ == "det" for c in head.children)
        complement = dep == "acl" and (
            t.tag_ not in ("VBG", "VBN") or any(c.dep_ in ("aux", "mark") for c in t.children)
        )
        return not determined and not complement
    if dep == "npadvmod":
        return time_phrase(t)
    if dep == "advmod":
        if t.lower_ in COMPLEX_PREPS and any(c.dep_ == "prep" for c in t.children):
            return True  # "ahead of the final", "because of the rain"
        if head.pos_ == "ADJ" and t.i < head.i:
            return t.lower_ in INTENSIFIERS
        return time_phrase(t) or t.lower_ in LIGHT_ADVERBS
    if dep == "amod":
        # Before its noun, a plain adjective with nothing of its own ("shocking footage"); an adjective after
        # the noun or with a phrase of its own is the parser's guess for something else.
        return (
            t.i < head.i
            and t.lower_ in INCIDENTAL_ADJ
            and t.ent_iob_ == "O"
            and all(c.dep_ in ("advmod", "punct") for c in t.children)
        )
    # An "and" goes only with the conjunct it joins (the search cuts both at once); alone it would glue two
    # names into one ("David Victoria Beckham").
    if dep == "appos":  # "golfer Rory McIlroy" is a name; ", a golfer," an aside
        return t.left_edge.i > 0 and t.doc[t.left_edge.i - 1].is_punct
    return dep in ("parataxis", "intj", "discourse", "meta", "dep")
