"""Sentence boundaries the parser misses in scraped news.

Daily-Mail-style pages glue picture captions into the running text without a full stop, each led by a short
label and a colon ("... the magazine Short and sweet: Julia revealed ..."), and drop UI text such as
"Scroll down for video" in between. spaCy then returns one 130-word "sentence" that ranks badly and reads
worse. These rules cut a parsed sentence into pieces at such seams; they only ever cut (never join), so every
piece is still an exact slice of the source. No cut is made where the capital plainly continues the sentence
(``_continues``): a cut mid-sentence leaves two fragments, worse than the run-on it was meant to fix.
"""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

# UI text inside the body: never a key point, never part of one.
_UI_PHRASE = re.compile(
    r"(?i)^(?:scroll down for (?:the )?(?:video|videos|more)|scroll down to (?:see|watch)\b.*|"
    r"click here\b.*|read more\b.*|watch the video(?: below| above| here)?)$"
)
_UI_LEAD = ("scroll", "click", "watch", "read")
# A wire dateline before the first sentence: "(CNN)", "Washington (CNN)", "MÁLAGA, Spain (CNN) —". spaCy keeps
# "CNN)They" as one token, so this is cut by characters (see dateline_length), not tokens.
_DATELINE = re.compile(
    r"^(?:[A-ZÀ-Þ][\w.'’-]*(?:,?\s+[A-ZÀ-Þ][\w.'’-]*){0,4}\s*)?\((?:CNN|AP|Reuters|AFP)\)\s*(?:[—–-]{1,2}\s*)?"
)
# The newspaper form, only before the article's first sentence: a place in capitals, an optional country or
# state and agency, then a dash: "HOBART — ", "SAN FRANCISCO – ", "MÁLAGA, Spain (Iberia Press Service) —".
_CAPS_WORD = r"[A-ZÀ-Þ][A-ZÀ-Þ'’.-]+"
_PLACE_DATELINE = re.compile(
    rf"^{_CAPS_WORD}(?:\s+{_CAPS_WORD}){{0,3}}(?:,\s+[A-ZÀ-Þ][\w.'’-]*(?:\s+[A-ZÀ-Þ][\w.'’-]*){{0,2}})?"
    r"(?:\s*\([^()\n]{1,40}\))?\s*(?:[—–]|--|\s-)(?:\s+|$)"
)
_FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})
_MAX_KICKER_TOKENS = 6
_NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC", "WORK_OF_ART", "EVENT", "PRODUCT"})
# Tags of a capitalised word that starts a new sentence rather than continuing a name or title.
_GLUE_TAGS = frozenset({"DT", "PRP", "PRP$", "NN", "NNS", "RB", "IN", "CC", "WRB", "EX"})
_OPENERS = frozenset({"'", "‘", '"', "“"})
# Capitalised mid-sentence, these start a sentence whatever precedes them ("I" aside).
_PRONOUN_TAGS = frozenset({"PRP", "DT", "PRP$", "EX"})
# Entity types a glued caption often ends on before the next sentence's pronoun: "on Friday He", "$20 He".
_AFTER_NAME_OK = frozenset(
    {"DATE", "TIME", "MONEY", "CARDINAL", "PERCENT", "QUANTITY", "GPE", "PERSON", "ORG"}
)
# A word that needs what follows it (a preposition, article, conjunction, possessive or "to"), so a capital
# after it continues the sentence: "a version of Where's Wally", "the Co-op", "Law & Order", "their Election".
_NEEDS_MORE_TAGS = frozenset({"IN", "CC", "PRP$", "TO", "WDT"})
_ARTICLES = frozenset({"the", "a", "an"})  # other determiners stand alone too: "... or both The author"
_NAME_TAGS = ("NNP", "NNPS")
# A capitalised name that is a verb's object or complement, right after the verb: "That left Woods at two
# under", "backing The Mail on Sunday's campaign", "He was named The Big One".
_OBJECT_DEPS = frozenset({"dobj", "dative", "oprd", "attr"})
# Verbs that take an addressee before a colon: "He told Racemail: 'I ...'" is a speech frame, not a label.
_ADDRESS_VERBS = frozenset({"tell", "text", "write", "email", "tweet", "ask"})


def _previous_word(span: Span, k: int) -> Token | None:
    return next((span[j] for j in range(k - 1, -1, -1) if not span[j].is_space), None)


def _continues(span: Span, k: int, objects: bool = True) -> bool:
    """Token k cannot open a sentence whatever the rules below say: it carries on a name ("Richard Hammond
    and James May"), follows a word that needs more, is a letter of a compound ("infra-red A rays", "X-rays",
    "vitamin E"), a rank ("the world No 4") or, with ``objects``, a name the verb before it takes as object."""
    t, prev = span[k], _previous_word(span, k)
    if prev is None:
        return False
    # The small model's entities often run across a glued seam ("Drake Here Promise"): names only.
    same_name = (
        t.ent_iob_ == "I"
        and t.tag_ in _NAME_TAGS
        and (prev.tag_ in _NAME_TAGS or t.ent_type_ in ("DATE", "TIME"))  # "last Saturday"
    )
    opening_quote = prev.text in ("‘", "“") or (prev.text == '"' and prev.tag_ == "``")
    needs_more = prev.tag_ in _NEEDS_MORE_TAGS or prev.lower_ in _ARTICLES or prev.text == "&"
    if same_name or needs_more or opening_quote:
        return True
    nxt = span[k + 1] if k + 1 < len(span) else None
    if len(t.text) == 1 and (t.tag_ != "DT" or (nxt is not None and nxt.text == "-")):
        return True
    if t.lower_ == "no" and nxt is not None and nxt.like_num:
        return True
    if not objects:
        return False
    top = t  # the head of the phrase t opens
    while top.head.i != top.i and top.head.i >= t.i:
        top = top.head
    # A mis-tagged verb often "takes" the next sentence's subject ("appears disinterested The reptile"), so
    # only a capitalised object counts.
    return top.head.i == prev.i and prev.pos_ in ("VERB", "AUX") and top.dep_ in _OBJECT_DEPS and top.is_title


def _kicker_end(span: Span, k: int) -> int | None:
    """If a caption label ("Strictly business:") starts at token k of ``span``, the index after its colon."""
    t = span[k]
    # A name is the end of the caption before, not a label: "... by Hillary Clinton Obsessed with her style:".
    named = t.ent_type_ in _NAME_LABELS and k > 0 and not span[k - 1].is_punct
    if not (t.text[:1].isupper() and t.is_alpha) or named or _continues(span, k, objects=False):
        return None
    prev = _previous_word(span, k)
    if prev is not None and prev.pos_ == "VERB" and prev.lemma_ in _ADDRESS_VERBS:
        return None
    for j in range(k + 1, min(k + _MAX_KICKER_TOKENS + 1, len(span))):
        u = span[j]
        if u.text == ":":
            nxt = next((v for v in span[j + 1 :] if not v.is_space), None)
            if nxt is None:  # the parser ended the sentence at the label's colon
                return len(span)
            if nxt.text[:1].isupper() or nxt.text in _OPENERS or nxt.like_num:
                return j + 1
            return None
        # A finite verb makes it a speech frame ("He said:", "It reads:"), other punctuation a clause.
        if u.tag_ in _FINITE or (u.is_punct and u.text not in ("'", "’", "-")):
            return None
    return None


def _glued(span: Span, k: int) -> bool:
    """A capitalised function word or common noun after a lowercase word: a sentence start the parser
    merged into the previous caption ("... over the years Ever since her husband ..."). A capitalised pronoun
    or determiner is one after a number, date or name too ("... tweets for $20 He was once ...", "... on
    Friday He said ...", "... Ho Chi Minh City, Vietnam A bike ...")."""
    t, prev = span[k], span[k - 1]
    if not (t.is_title and t.is_alpha and t.ent_iob_ == "O" and t.lower_ != "i") or _continues(span, k):
        return False
    # A capitalised word before it that is no name is a title: "Don't Push It", "Ten Things I Hate About You".
    if t.tag_ in _PRONOUN_TAGS and not prev.is_sent_start and (prev.like_num or prev.ent_iob_ != "O"):
        return prev.ent_type_ in _AFTER_NAME_OK and not prev.is_upper
    return t.tag_ in _GLUE_TAGS and prev.is_alpha and prev.is_lower and prev.ent_iob_ == "O"


def _quote_glued(span: Span, k: int) -> bool:
    """An opening quote glued after a caption ("... due to play at the Masters ‘I was very relieved,’ said
    Casey"): a quotation that starts a sentence, not one a verb of saying introduces ("He said ‘I ...’")."""
    t, prev = span[k], span[k - 1]
    if t.text not in ("‘", "“") or k + 1 >= len(span):
        return False
    nxt = span[k + 1]
    return (
        (prev.is_alpha or prev.like_num)
        and prev.pos_ not in ("VERB", "AUX", "ADP", "DET", "CCONJ", "SCONJ")
        and nxt.is_title
        and nxt.tag_ in _PRONOUN_TAGS
    )


_CLOSERS = frozenset({"'", "’", '"', "”", ")"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})
# A clause attached to a word before it by one of these is part of that sentence ("... said Labour had left").
_BOUND_DEPS = frozenset({"ccomp", "xcomp", "relcl", "acl", "advcl", "pcomp", "pobj", "csubj"})
# Words that end a glued caption only rarely: the next capitalised word is their complement or a name.
_NOT_BEFORE_CLAUSE = frozenset({"ADP", "DET", "CCONJ", "SCONJ", "AUX", "PART"})
_NAMING = frozenset({"name", "call", "dub", "title", "label", "nickname", "christen"})
_MIN_CAPTION_WORDS = 4


def _subordinate_opening(span: Span, start: int, k: int) -> bool:
    """The piece before token k opens with a subordinate clause that hangs on a verb after k: "And while it
    was a good day Woods, the golfing great, still had ..." is one sentence missing its comma, and so is an
    inverted condition ("Should either bid City would face ...")."""
    first = next((u for u in span[start:k] if not (u.is_punct or u.is_space or u.pos_ == "CCONJ")), None)
    if first is not None and first.tag_ == "MD":
        return True
    if first is None or first.dep_ != "mark":
        return False
    clause = first.head
    return clause.dep_ == "advcl" and clause.head.i >= span[k].i


def _finite(verb: Token) -> bool:
    return verb.tag_ in _FINITE or any(
        c.dep_ in ("aux", "auxpass") and c.tag_ in _FINITE for c in verb.children
    )


def _own_sentence(verb: Token) -> bool:
    """A clause the parser hung on a noun before it as a relative clause, but which is a whole sentence: a
    finite verb with its own object or complement and no relative word ("... charges of fraud Police in
    Valmora have launched a manhunt")."""
    if verb.dep_ not in ("acl", "relcl") or not _finite(verb):
        return False
    if any(c.tag_ in ("WDT", "WP", "WP$", "WRB") or c.lower_ == "that" for c in verb.subtree):
        return False
    return any(c.dep_ in ("dobj", "attr", "acomp", "ccomp", "xcomp", "oprd") for c in verb.rights)


def _clause_glued(span: Span, k: int, start: int) -> bool:
    """A caption without its full stop glued before a sentence whose subject starts with a capital: "... at
    the time Mr Yeaman was making a commotion", "... advances' The artificial brain is being created". The
    parse must agree: the capitalised word opens the subject of a later verb (so "striker Jermain Defoe
    believes", whose subject starts at "striker", is one sentence), that verb is no complement or modifier of a
    word before it, and the caption before has a verb and a few words."""
    t, prev = span[k], span[k - 1]
    if not (t.is_title and t.is_alpha and t.lower_ != "i") or not prev.whitespace_ or _continues(span, k):
        return False
    if _subordinate_opening(span, start, k):
        return False
    if not (prev.is_alpha or prev.like_num or prev.text in _CLOSERS) or prev.pos_ in _NOT_BEFORE_CLAUSE:
        return False
    if prev.pos_ == "VERB" and prev.lemma_ in _NAMING:  # "who they've now named Big Ben"
        return False
    # A speech frame after a quotation: "'... killed,' Waldron told The Associated Press."
    if prev.text in _CLOSERS and k >= 2 and span[k - 2].text in (",", "?", "!"):
        return False
    verb = next(
        (
            v
            for v in span[k + 1 :]
            if v.pos_ in ("VERB", "AUX")
            and any(c.dep_ in _SUBJECTS and c.left_edge.i == t.i and c.right_edge.i < v.i for c in v.lefts)
        ),
        None,
    )
    if verb is None or (verb.head.i < t.i and verb.dep_ in _BOUND_DEPS and not _own_sentence(verb)):
        return False
    left, right = span[start:k], span[k:]
    return (
        any(u.pos_ in ("VERB", "AUX") for u in left)
        and sum(u.is_alpha for u in left) >= _MIN_CAPTION_WORDS
        and sum(u.is_alpha for u in right) >= 3
    )


# Words of the position note that ends a picture caption: "(left)", "(above right)", "(file picture)".
_PICTURE_NOTE = frozenset(
    """left right pictured above below centre center top bottom inset far main file picture photo image
    second from and to""".split()
)


def _after_picture_note(span: Span, k: int, start: int) -> bool:
    """A caption that ends in its picture's position note, glued to the next sentence: "... seen at the gala
    (above) Police said ...", "... from his ex-wife (left) 'We believe ...'". Only where the caption before has
    a verb and a few words (so "The team (left to right) Ana, Tom ..." stays whole) and the next word opens a
    sentence: capitalised, or a quotation whose first word is."""
    t, prev = span[k], span[k - 1]
    if prev.text != ")" or k < 3:
        return False
    opening = k - 2
    while opening > start and span[opening].text != "(":
        if span[opening].lower_ not in _PICTURE_NOTE:
            return False
        opening -= 1
    if span[opening].text != "(" or opening == k - 2:
        return False
    first = span[k + 1] if t.text in _OPENERS and k + 1 < len(span) else t
    if not (first.is_title and first.is_alpha) or (first is t and _continues(span, k, objects=False)):
        return False
    left, right = span[start:opening], span[k:]
    return (
        any(u.pos_ in ("VERB", "AUX") for u in left)
        and sum(u.is_alpha for u in left) >= _MIN_CAPTION_WORDS
        and sum(u.is_alpha for u in right) >= 3
    )


def _ui_run(span: Span, k: int) -> int | None:
    """End of a UI phrase ("Scroll down for video") starting at token k, if one does."""
    if span[k].lower_ not in _UI_LEAD:
        return None
    for n in (4, 5, 3, 6):
        if k + n <= len(span) and _UI_PHRASE.match(span[k : k + n].text):
            # "Watch the video" stands alone: the sentence ends or the next starts after it ("Watch the
            # video of the launch ..." is the story's own sentence).
            after = span[k + n] if k + n < len(span) else None
            if span[k].lower_ != "watch" or after is None or after.is_punct or after.text[:1].isupper():
                return k + n
    return None


def split_sentence(span: Span) -> list[Span]:
    """Pieces of one parsed sentence: cut at glued captions and caption labels, UI phrases removed."""
    pieces: list[Span] = []
    start = 0
    k = 0
    while k < len(span):
        ui = _ui_run(span, k)
        if ui is not None:
            if k > start:
                pieces.append(span[start:k])
            start = k = ui
            continue
        kicker = _kicker_end(span, k)
        if kicker is not None:
            if k > start:
                pieces.append(span[start:k])
            start = k = kicker  # the label itself is dropped: "Strictly business:" is not news
            continue
        if k > start and (
            _glued(span, k)
            or _quote_glued(span, k)
            or _after_picture_note(span, k, start)
            or _clause_glued(span, k, start)
        ):
            pieces.append(span[start:k])
            start = k
        k += 1
    if start < len(span):
        pieces.append(span[start:])
    return [p for p in pieces if any(t.is_alpha or t.like_num for t in p)]


def dateline_length(text: str, first: bool = False) -> int:
    """Characters of a leading wire dateline to skip ("Washington (CNN)This week ..." -> 16), else 0.
    ``first``: ``text`` opens the article, where a place dateline ("HOBART — ") is looked for too; a text
    that is nothing but a dateline then gives its whole length. Elsewhere nothing is skipped when no sentence
    would be left."""
    m = _DATELINE.match(text)
    if m and text[m.end() :].strip():
        return m.end()
    return place_dateline_end(text) if first else 0


def place_dateline_end(text: str) -> int:
    """Characters of a newspaper dateline opening ``text`` ("HOBART — ", "MÁLAGA, Spain (Agency) —"), else 0.
    The segmenter cuts it from the first sentence; the entity table types its place GPE."""
    place = _PLACE_DATELINE.match(text)
    return place.end() if place else 0
