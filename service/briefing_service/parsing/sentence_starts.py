"""Where a sentence cannot start, told to the parser before it parses.

en_core_web_sm splits sentences with its parser, and on news it splits where no sentence ends: after a title
or an initial ("State Police spokesman Sgt. | First Class ..."; the tokenizer keeps "Mr." whole but cuts
"Sgt." in two), at "No. | 10", before a lower-case word ("a penalty off Messi | but I wanted it"), and a few
words into a sentence before a name ("Middlesbrough forward | Carayol is close ..."). Marking those tokens
``is_sent_start = False`` before the parser runs keeps the sentence whole and gives it one parse, which the
headline compresses; cutting and re-joining afterwards could not mend the parse. The tagger has run by then,
so the rules may read part-of-speech tags (a name after an initial continues it, "But" after one does not).
"""

from __future__ import annotations

from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Token

COMPONENT = "news_sentence_starts"

_TERMINAL = frozenset({".", "!", "?", "…", "...", "?!", "!?"})
_QUOTES = frozenset({"'", "’", '"', "”", "‘", "“", "''", "``"})
# Titles that stand before a name and never end a sentence. The tokenizer keeps some whole ("Mr.", "Gen.") and
# cuts others ("Sgt", "."), so both forms are matched; compared without the full stop.
_TITLES = frozenset(
    """Mr Mrs Ms Mx Dr Prof Rev Sgt Capt Lt Col Maj Gen Cpl Pte Adm Brig Cmdr Cdr Insp Det Supt Ch Cllr Fr Hon
    Rt Sen Rep Gov Pres Atty Amb Messrs Mme Mlle Sr Sra Srta Ald Gov Supt Lieut Sgt Comdr Msgr""".split()
)
# Abbreviations that may end a sentence but usually continue into a name: "St. Louis", "U.S. Navy",
# "John F. Kennedy". A name after them continues the sentence; "The" or "But" after them starts one.
_BEFORE_NAMES = frozenset({"St", "Mt", "Ft", "Pt"})
_NAME_TAGS = frozenset({"NNP", "NNPS"})
_NUMBER_LEAD = frozenset({"No", "Nos", "no", "nos", "Nr"})
# A parser split this few words after the last punctuation, before a name, cuts a sentence's subject from its
# verb ("England | No 1 Hart denies ...", "Brazil star Andreas | Pereira met ..."): no sentence is that short.
_MAX_STUB_WORDS = 4


def _bare(token: Token) -> str:
    return token.text[:-1] if token.text.endswith(".") and len(token.text) > 1 else token.text


def _abbreviation_before(doc: Doc, i: int) -> Token | None:
    """The abbreviation whose full stop ends just before token i ("Sgt" + "." or "Mr."), if one does."""
    prev = doc[i - 1]
    if prev.text == "." and i >= 2 and not doc[i - 2].whitespace_ and doc[i - 2].is_alpha:
        return doc[i - 2]
    if prev.text.endswith(".") and len(prev.text) > 1:
        return prev
    return None


def _initial_like(word: str) -> bool:
    """ "J", "F", "U.S", "D.C": capitals with full stops between them."""
    letters = word.replace(".", "")
    return (
        0 < len(letters) <= 3
        and letters.isalpha()
        and letters.isupper()
        and (len(letters) == 1 or "." in word)
    )


def _stub_before(doc: Doc, i: int) -> bool:
    """At most a few words before token i since a sentence began (a full stop, colon, quote, the block's
    start): a split at i would leave them a sentence of their own. After a comma or dash they may end a glued
    caption ("Tom Reed, 45, at the premiere | Jane Doe said ...")."""
    words = 0
    for j in range(i - 1, -1, -1):
        t = doc[j]
        if t.is_punct or t.is_space or t.text in _QUOTES:
            return t.text in _TERMINAL or t.text in _QUOTES or t.text in (":", ";") or t.is_space
        words += t.is_alpha
        if words > _MAX_STUB_WORDS:
            return False
    return True


def cannot_start(doc: Doc, i: int) -> bool:
    """Token i continues the sentence before it."""
    t, prev = doc[i], doc[i - 1]
    if not t.text[:1].isalnum() and t.text not in _QUOTES:
        return False
    if t.text[:1].islower():
        before = doc[i - 2] if i >= 2 else None
        ended = prev.text in _TERMINAL or (
            prev.text in _QUOTES and before is not None and before.text in _TERMINAL
        )
        return not ended
    abbrev = _abbreviation_before(doc, i)
    if abbrev is not None:
        word = _bare(abbrev)
        if word in _TITLES:
            return True
        if word in _NUMBER_LEAD:
            return t.like_num
        if word in _BEFORE_NAMES or _initial_like(word):
            return t.tag_ in _NAME_TAGS
        return False
    if prev.is_punct or prev.text in _QUOTES or prev.is_space:
        return False
    named = t.tag_ in _NAME_TAGS or (t.text in _NUMBER_LEAD and i + 1 < len(doc) and doc[i + 1].like_num)
    return named and _stub_before(doc, i)


@Language.component(COMPONENT)
def mark_sentence_starts(doc: Doc) -> Doc:
    """Before the parser: forbid sentence starts the rules above rule out (the parser keeps to them). Most
    tokens qualify (every lower-case word), so the marks go in as one array: setting ``is_sent_start`` token by
    token cost more than the rules."""
    if len(doc) < 2:
        return doc
    starts = doc.to_array([SENT_START]).astype("int64")
    for i in range(1, len(doc)):
        if cannot_start(doc, i):
            starts[i] = -1
    doc.from_array([SENT_START], starts.astype("uint64").reshape(-1, 1))  # type: ignore[arg-type]  # spaCy types it Ints2d
    return doc


def add_sentence_starts(nlp: Language) -> None:
    """Put the component between the tagger and the parser (its rules read the tagger's tags)."""
    if COMPONENT not in nlp.pipe_names and "parser" in nlp.pipe_names:
        nlp.add_pipe(COMPONENT, before="parser")
