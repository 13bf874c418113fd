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
# Verbs that link a subject to a predicate: without it they say nothing ("make the room look [bigger]").
LINKING = frozenset({"look", "seem", "appear", "become", "remain", "sound", "feel", "prove", "stay"})
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
MAX_FALLBACK_TOKENS = 400
MIN_WORDS = 3

# Words whose loss changes what a headline says (issue: "not yet signed" -> "signed"; "alleged" -> fact; "a run of
# poor form" -> "a run"). They may go only with the whole phrase they belong to, never on their own.
NEGATION = _words("not n't never no nothing nobody none neither nor without cannot nowhere")
HEDGES = _words(
    "allegedly reportedly apparently possibly probably likely perhaps maybe supposedly seemingly potentially "
    "nearly almost barely hardly only just even merely reputedly purportedly"
)
ASPECT = _words("yet still already again ever anymore longer soon once")
QUANTITY = _words(
    "all every each some many much most more less fewer few several both half any enough least "
    "about around over under up than"
)
# Adjectives that say which thing, or whether it is what it is called: "former world No 1", "alleged attack",
# "the late singer", "fake doctor", "first goal", "same spot".
PROTECTED_ADJ = _words(
    "former late ex alleged suspected would-be fake false so-called possible potential acting interim deputy "
    "first last next same such other own only previous dead missing unnamed unknown real actual "
    "presumed assumed apparent likely unlikely probable rival illegal innocent impossible invalid"
)
# The only adjectives a compression may drop: how the story feels, not what it is ("shocking footage",
# "legendary trainer"). Any other adjective may carry the meaning ("wrongful death claim", "average rating",
# "competitive race").
INCIDENTAL_ADJ = _words(
    "shocking stunning dramatic incredible amazing horrific horrifying tragic heartbreaking heartbroken bizarre "
    "huge massive terrifying brutal devastating extraordinary remarkable astonishing emotional heartwarming "
    "adorable hilarious famous iconic legendary veteran popular beloved embattled disgraced troubled top "
    "leading prominent renowned talented glamorous stylish gorgeous beautiful stunning sick twisted "
    "sensational spectacular incredible unbelievable fascinating mysterious rare trusted obscure reclusive "
    "heroic brave tearful emotional furious angry outspoken controversial notorious infamous wealthy lavish"
)
# Prepositions that open an adjunct (when, despite what, where around): the verb is complete without them.
ADJUNCT_PREPS = _words(
    "after before during since despite amid amidst following until till throughout while within via near by because "
    "outside inside across around among amongst beyond including"
)
# After a verb's object, a phrase with one of these is usually why, where or how ("fined £10,000 for the
# breach", "won the title in Beijing"); with any other preposition it completes the verb ("accused X of",
# "turned X into", "named X as", "banned X from", "handed X to").
AFTER_OBJECT_ADJUNCT_PREPS = _words("for in at over with")
# Verbs whose object is not the end of them: "blamed X for", "thanked X for", "invested X in", "put X in".
VERB_OBJECT_PREP = frozenset(
    tuple(pair.split("+"))
    for pair in (
        "blame+for thank+for praise+for criticise+for criticize+for punish+for pay+for ask+for mistake+for "
        "swap+for exchange+for trade+for prepare+for use+for sue+for forgive+for apologise+for apologize+for "
        "credit+for reward+for nominate+for select+for pick+for "
        "invest+in involve+in engage+in interest+in put+in place+in keep+in leave+in hold+in lock+in "
        "trap+in include+in implicate+in spend+in "
        "aim+at direct+at point+at throw+at hurl+at fire+at shoot+at "
        "win+over charge+with replace+with provide+with supply+with present+with fill+with cover+with "
        "share+with compare+with link+with associate+with equip+with arm+with load+with reward+with "
        "combine+with pair+with mix+with confuse+with"
    ).split()
)
# "in Beijing", "at the Water Cube", "on Tuesday": a place or time phrase is an adjunct whatever its preposition.
PLACE_TIME_ENTS = frozenset({"GPE", "LOC", "FAC", "DATE", "TIME"})
# "ahead of the final", "because of the rain": an adverb that with its "of"/"to" phrase is an adjunct.
COMPLEX_PREPS = _words("ahead because instead prior due regardless apart")
# Adverbs that add nothing a headline needs ("also", "now"); every other adverb stays (manner, hedge, degree).
LIGHT_ADVERBS = _words(
    "also now currently recently today yesterday tonight earlier later officially publicly"
)
INTENSIFIERS = _words("very particularly extremely really highly incredibly especially truly hugely")
# Clauses that set a condition on the news: without them the headline states as fact what the article makes
# conditional ("will resign if not paid" -> "will resign").
CONDITIONAL_MARKS = _words("if unless until lest whether than")
# A noun subject that points back at something the headline does not name: "These images", "The pair".
DEMONSTRATIVES = _words("this these that those such")
