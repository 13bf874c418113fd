"""How news writing names things, as short word lists and tests on a span's neighbours: what a reader knows
about a name from the words around it, where neither CoNLL-2003 (one 1996 newswire, four classes) nor spaCy's
small model does.

- A sports venue is a facility: a name ending in a venue noun ("Elland Road", "the Recreation Ground", "Etihad
  Stadium"), or one of the few grounds the news names bare ("Wembley", "Anfield"): `FAMOUS_VENUES`, a short
  list of national stadiums and the best-known club and test grounds, and the only world knowledge here.
- A name between "a", "an" or "the" and a word for a person ("a Hobart man", "A Glasgow teenager") is where
  the person is from: a place.
- A building does not speak: a facility that says, announces or declines ("The White House said", "Downing
  Street declined to comment") is the organisation inside it.
- A country's code before a service ("US Air Force", "UK Border Force") is part of that service's name.
- A title written before a person's name ("Judge", "Detective Sergeant") is no part of the name.
- A sports report names clubs after their towns ("Liverpool beat Everton"); elsewhere a town is a town.

Each test reads spaCy's tokens only; none names a particular article.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.tokens import Span

# The last word of a sports venue's name; a facility (FAC) whichever class the tagger read it as.
VENUE_HEADS = frozenset(
    """Arena Bowl Circuit Coliseum Field Ground Oval Park Racecourse Raceway Road Speedway Stadion Stadium
    Velodrome""".split()
)
# Grounds that the news names without a venue noun: national stadiums and the best-known club and test
# grounds (world knowledge no tagger trained on 1996 newswire has; kept short on purpose).
FAMOUS_VENUES = frozenset(
    {
        "Anfield",
        "Bernabeu",
        "Camp Nou",
        "Edgbaston",
        "Goodison",
        "Hampden",
        "Headingley",
        "Highbury",
        "Ibrox",
        "Lord's",
        "Maracana",
        "Murrayfield",
        "Old Trafford",
        "San Siro",
        "Stamford Bridge",
        "Trent Bridge",
        "Twickenham",
        "Wembley",
    }
)
# Words for a person that a place name modifies in news ("a Leeds woman", "an Ohio teenager"); not roles
# that an organisation modifies ("a Chelsea fan", "an Apple engineer", "a Labour MP").
PERSON_NOUNS = frozenset(
    """man woman men women boy girl boys girls teenager teenagers teen youngster toddler baby mother father
    mum dad grandmother grandfather pensioner resident residents couple native schoolboy
    schoolgirl student pupil widow widower""".split()
)
# Verbs whose subject is a speaker: a facility as their subject is the organisation that works in it.
SPEAKING_VERBS = frozenset(
    """say announce confirm deny decline refuse warn insist claim add reply respond comment tell state reject
    urge welcome condemn promise pledge accuse call dismiss acknowledge admit""".split()
)
# The last word of an organisation that a country's code names ("US Navy", "UK Border Force", "US Coast
# Guard"); not departments, whose code is the country ("US State Department": the US, and its department).
SERVICE_HEADS = frozenset(
    """Army Navy Force Forces Guard Corps Marines Agency Service Survey Bureau Command Police""".split()
)
COUNTRY_CODE = re.compile(r"[A-Z]{2,3}|(?:[A-Z]\.){2,3}")
# Titles written capitalised before a name; not part of it (a rank, an office, an honorific, a job).
TITLES = frozenset(
    """Admiral Ambassador Archbishop Bishop Brigadier Capt Captain Cardinal Chancellor Chief Coach Col Colonel
    Commander Commissioner Constable Corporal Councillor Dame Deputy Det Detective Dr Father General Gen
    Governor Gov Imam Inspector Judge Justice Lieutenant Lt Magistrate Major Mayor Midfielder Minister Mr Mrs
    Ms Officer Pc Pope President Private Prof Professor Rabbi Rep Representative Rev Reverend Sen Senator
    Sergeant Sgt Sheriff Sister Striker Superintendent Supt""".split()
)

# A sports report: one word only sport uses, or two words of a match (or one beside a score).
_SPORT_WORDS = frozenset(
    """soccer football rugby cricket tennis golf athletics baseball basketball hockey boxing cycling racing
    squash nfl nba olympic olympics goalkeeper striker midfielder defender wicket wickets innings batsman
    bowler fly-half kick-off half-time quarter-final quarter-finals semi-final semi-finals""".split()
)
_MATCH_WORDS = frozenset(
    """match matches goal goals scored scorer coach league cup championship championships tournament season
    fixture fixtures penalty penalties derby squad drew defeat beat victory seed seeded medal champion
    champions final finals""".split()
)
_SCORE = re.compile(r"\d{1,3}-\d{1,3}")


def is_sport_report(words: Iterable[str]) -> bool:
    """Whether an article's words are a sports report's."""
    match_words: set[str] = set()
    score = False
    for word in words:
        low = word.lower()
        if low in _SPORT_WORDS:
            return True
        if low in _MATCH_WORDS:
            match_words.add(low)
        elif not score and _SCORE.fullmatch(word):
            score = True
    return len(match_words) >= 2 or (score and len(match_words) == 1)


def is_venue(span: Span) -> bool:
    """A sports venue by its name: a venue noun ends it, or it is one of the famous bare grounds."""
    return (len(span) > 1 and span[-1].text in VENUE_HEADS) or span.text in FAMOUS_VENUES


def is_place_modifier(span: Span) -> bool:
    """ "a Hobart man", "A Glasgow teenager", "the Leeds couple": the name says where the person is from."""
    doc = span.doc
    if span.start == 0 or span.end >= len(doc):
        return False
    before, after = doc[span.start - 1], doc[span.end]
    return before.lower_ in ("a", "an", "the") and after.lower_ in PERSON_NOUNS


def speaks(span: Span) -> bool:
    """The name is the subject of a speaking verb ("The White House said", "Downing Street declined")."""
    root = span.root
    return root.dep_ in ("nsubj", "nsubjpass") and root.head.lemma_.lower() in SPEAKING_VERBS


def serves_country(code: Span, org: Span) -> bool:
    """``code`` is a country code written right before ``org``, a service of that country ("US" + "Navy")."""
    return (
        code.end == org.start
        and len(code) == 1
        and COUNTRY_CODE.fullmatch(code.text) is not None
        and org[-1].text in SERVICE_HEADS
    )


def leading_titles(span: Span) -> int:
    """How many words at the start of a person's name are titles ("Judge Ostrowski": 1); the name keeps at
    least one word."""
    n = 0
    while n < len(span) - 1 and span[n].text.rstrip(".") in TITLES:
        n += 1
    return n
