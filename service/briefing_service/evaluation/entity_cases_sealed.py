"""The entity-table check, sealed set: four short articles written for this project (no news text) at the same
time as the second set and of the same kinds, but never used to choose a change: `make eval` prints only their
score, not which checks fail, so that score stays an estimate of the table on unseen news.
"""

from __future__ import annotations

from briefing_service.evaluation.entity_cases import PLACE, VENUE, Case, expect

SEALED_CASES: tuple[Case, ...] = (
    Case(
        "sport: athletics, an arena, a woman from a city",
        "Georgia Hale won the women's 1500 metres at the Kelvin Arena on Sunday, a week after a fall in Oslo.\n\n"
        "Hale, who trains in Loughborough, finished ahead of a Melbourne woman, Tessa Quayle, who set a "
        "personal best. British Athletics said Hale would be picked for the world championships.\n\n"
        "Quayle's coach, Victor Ng, said she would race again in Berlin.",
        (
            expect("Georgia Hale", "PERSON", "Hale"),
            expect("Kelvin Arena", VENUE),
            expect("Oslo", PLACE),
            expect("Loughborough", PLACE),
            expect("Melbourne", PLACE),
            expect("Tessa Quayle", "PERSON", "Quayle"),
            expect("British Athletics", "ORG"),
            expect("Victor Ng", "PERSON"),
            expect("Berlin", PLACE),
        ),
        absent=("Georgia", "Hale", "Quayle"),
    ),
    Case(
        "sport: clubs named after cities, a gate and a stadium",
        "Bristol City beat Cardiff City 2-0 at Ashton Gate on Friday night in front of 24,000 fans.\n\n"
        "Striker Kai Morrow scored in each half. Cardiff City manager Huw Pritchard said his team had lacked "
        "ideas.\n\n"
        "Bristol City play Middlesbrough at the Riverside Stadium next weekend. Morrow, who was born in "
        "Swindon, has scored 11 goals this season.",
        (
            expect("Bristol City", "ORG"),
            expect("Cardiff City", "ORG"),
            expect("Ashton Gate", VENUE),
            expect("Kai Morrow", "PERSON", "Morrow"),
            expect("Huw Pritchard", "PERSON"),
            expect("Middlesbrough", "ORG"),
            expect("Riverside Stadium", VENUE),
            expect("Swindon", PLACE),
        ),
        absent=("Striker Kai Morrow", "Morrow"),
    ),
    Case(
        "politics: the Kremlin, armies with a country's name, a woman from a city",
        "The Kremlin said on Monday that it had not been told about a NATO exercise near the Baltic coast.\n\n"
        "About 3,000 troops from the US Army and the Polish Army will take part, the alliance said. The "
        "Polish foreign minister, Tomasz Wrona, said the drills had been planned for a year.\n\n"
        "Wrona will meet officials in Brussels on Thursday. A Gdansk woman whose farm borders the training "
        "ground said the noise had frightened her cattle.",
        (
            expect("Kremlin", "ORG FAC"),
            expect("NATO", "ORG"),
            expect("US Army", "ORG"),
            expect("Polish Army", "ORG"),
            expect("Tomasz Wrona", "PERSON", "Wrona"),
            expect("Brussels", PLACE),
            expect("Gdansk", PLACE),
        ),
        absent=("US", "Wrona"),
    ),
    Case(
        "business: a company named after a person, a married couple",
        "Dyson will move its research centre from Malmesbury to Singapore, the company said on Wednesday.\n\n"
        "Chief engineer Helen Marsh said the move would bring the team closer to its factories. Her husband, "
        "Colin Marsh, who runs the firm's British operations, will stay in Wiltshire.\n\n"
        "Analyst Brooklyn Tate of Peel Hunt said rivals such as Philips and Samsung had made similar moves. "
        "Marsh said no jobs would be lost.",
        (
            expect("Dyson", "ORG"),
            expect("Malmesbury", PLACE),
            expect("Singapore", PLACE),
            expect("Helen Marsh", "PERSON"),
            expect("Colin Marsh", "PERSON"),
            expect("British", "NORP"),
            expect("Wiltshire", PLACE),
            expect("Brooklyn Tate", "PERSON"),
            expect("Peel Hunt", "ORG"),
            expect("Philips", "ORG"),
            expect("Samsung", "ORG"),
        ),
        absent=("Brooklyn", "Chief engineer Helen Marsh"),
        not_merged=(("Helen Marsh", "Marsh"), ("Colin Marsh", "Marsh")),
    ),
)
