"""Word lists the headline rules share: reporting verbs, dependency labels, the words a cut must not strand."""

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


REPORTING = _words(
    "say announce declare tell report state claim add confirm reveal warn insist believe note argue explain "
    "suggest write stress acknowledge admit allege assert contend disclose emphasize emphasise indicate "
    "maintain predict reiterate remark respond reply testify think urge find emerge rule"
)
SUBJ = frozenset({"nsubj", "nsubjpass", "expl", "csubj", "csubjpass"})
FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})
OPEN_Q = frozenset({"“", "„", "«", "``"})
CLOSE_Q = frozenset({"”", "»", "''"})
DQUOTES = OPEN_Q | CLOSE_Q | {'"', "‟"}
SEPARATORS = frozenset({",", "—", "–", "--", ";", ":"})
SQUOTES = frozenset({"'", "‘", "’"})
# A headline never ends on a token that is waiting for its head or complement.
DANGLING = _words(
    "det prep cc mark aux auxpass poss case compound amod nummod predet preconj nmod punct neg "
    "quantmod advmod"
)
FRONTED = _words("prep npadvmod advmod advcl cc intj dep discourse mark")
TIME_ENTS = frozenset({"DATE", "TIME"})
TIME_WORDS = _words("yesterday today tomorrow tonight now recently earlier later")
QUANT_NOUNS = _words(
    "week day year month hour minute decade lot number few couple bit little total half dozen series"
)
QUANT_ENTS = frozenset({"DATE", "TIME", "QUANTITY", "MONEY", "PERCENT", "CARDINAL", "ORDINAL"})
FIXED_PP = _words(
    "conjunction addition front charge response spite terms light wake place accordance favour favor "
    "behalf lieu view regard respect contrast comparison relation search advance part touch"
)
# Nouns that mean nothing without their "of" phrase: "an average of 26 months", "the majority of voters".
PARTITIVE = _words(
    "average total number majority minority share proportion percentage rate range series handful lot "
    "couple dozen half third quarter rest part most some all none each one two three four five "
    "size age end top middle bottom edge heart centre center kind sort type amount"
)
INSTITUTION = _words(
    "company government ministry agency firm department court group party council board bank union "
    "organisation organization committee administration police military army"
)
PRONOUNS = _words("he she it they i we you this that these those which who one me him her them us")
# Navigation, cookie banners and share bars: a "sentence" that contains these is page chrome, not news.
CHROME = re.compile(
    r"(?i)\b(click here|subscribe|sign up|log ?in|cookies?|newsletter|advertisement|all rights reserved|"
    r"read more|follow us|share this|terms of (use|service)|privacy policy|published:|updated:)"
    r"|©|»\s*\w|\s>\s|\s\|\s"
)
COMPARATIVES = frozenset({"more", "less", "most", "least", "as", "so", "too"})
# Adjectives that carry the reference, not a description: "the last time" -> "the time", "the same spot" ->
# "the spot", "such as" -> "as", "none other than" -> "none" all change or lose the meaning.
FIXED_ADJ = frozenset({"last", "first", "next", "same", "such", "other", "own", "only", "previous"})
MAX_COMPRESS_TOKENS = 150  # longer "sentences" are run-ons or lists; parse-driven compression is hopeless
MAX_FALLBACK_TOKENS = 400
MIN_WORDS = 3
