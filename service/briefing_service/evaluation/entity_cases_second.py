"""The entity-table check, second set: eight more short articles written for this project (no news text),
with their tables written before the entity path was changed for them, so their first score was an honest
estimate of the table on news nobody had seen (docs/quality.md, Entities).

What they add to the first set (entity_cases.py): venues named with a venue noun or without one ("Elland
Road", "the Recreation Ground"); a club named after a city beside the city itself ("Leeds United" and "a Leeds
woman"); a club that is only a city's name ("Bath"); government bodies that speak ("The White House said",
"Downing Street said"); place modifiers ("a Belfast man", "The Ohio senator", "A Glasgow teenager"); agencies
with a country prefix ("US Navy", "UK Border Force", "Mexican Navy"); a company named after a person beside a
person of that surname ("Ford", "Lena Ford"); first names that are places ("Jordan", "Dakota", "Phoenix",
"Skye"); two brothers sharing a surname; titles ("Judge", "Detective Sergeant", "Fly-half").
"""

from __future__ import annotations

from briefing_service.evaluation.entity_cases import PLACE, VENUE, Case, expect

# A government building speaking for the government: the organisation; the building (FAC) is accepted too.
SEAT = "ORG FAC"

SECOND_CASES: tuple[Case, ...] = (
    Case(
        "sport: a club and its city, grounds named Road",
        "Leeds United came from a goal down to beat Norwich City 2-1 at Elland Road on Saturday.\n\n"
        "Callum Pryce equalised just before half-time and Joel Okonkwo headed the winner with five minutes "
        "left. Before kick-off the club honoured a Leeds woman who has not missed a home game in 50 years.\n\n"
        "Norwich City manager Gareth Whitcombe said his players had tired late on. His side host Millwall at "
        "Carrow Road on Tuesday. Pryce said the win would give the squad confidence.",
        (
            expect("Leeds United", "ORG"),
            expect("Norwich City", "ORG"),
            expect("Elland Road", VENUE),
            expect("Callum Pryce", "PERSON", "Pryce"),
            expect("Joel Okonkwo", "PERSON"),
            expect("Leeds", PLACE),
            expect("Gareth Whitcombe", "PERSON"),
            expect("Millwall", "ORG"),
            expect("Carrow Road", VENUE),
        ),
        absent=("Pryce",),
    ),
    Case(
        "politics: the White House, a senator of a state, a navy",
        "The White House said on Tuesday that two US Navy destroyers would escort cargo ships through the Red "
        "Sea after a tanker was attacked.\n\n"
        "The Ohio senator Jordan Whitaker, who sits on the Senate Armed Services Committee, said Congress "
        "should have been asked first. Whitaker said the mission could last for months.\n\n"
        "Pentagon spokeswoman Dakota Sheldon said the ships would leave Norfolk, Virginia, on Friday.",
        (
            expect("White House", SEAT),
            expect("US Navy", "ORG"),
            expect("Red Sea", "LOC"),
            expect("Ohio", PLACE),
            expect("Jordan Whitaker", "PERSON", "Whitaker"),
            expect("Senate Armed Services Committee", "ORG"),
            expect("Congress", "ORG"),
            expect("Pentagon", SEAT),
            expect("Dakota Sheldon", "PERSON"),
            expect("Norfolk", PLACE),
            expect("Virginia", PLACE),
        ),
        absent=("US", "Jordan", "Dakota", "Whitaker"),
    ),
    Case(
        "politics: Downing Street and a border agency",
        "Downing Street said on Sunday that UK Border Force would get 300 more officers after 40 people were "
        "found hidden in a lorry at Dover.\n\n"
        "The driver, a Belfast man aged 52, was arrested on suspicion of people smuggling, the Home Office "
        "said. A Border Force spokeswoman said the group had been taken to a centre in Kent.\n\n"
        "French police said the lorry had crossed from Calais. Immigration minister Priya Thakkar said the "
        "gangs behind the crossings would be caught.",
        (
            expect("Downing Street", SEAT),
            expect("UK Border Force", "ORG", "Border Force"),
            expect("Dover", PLACE),
            expect("Belfast", PLACE),
            expect("Home Office", "ORG"),
            expect("Kent", PLACE),
            expect("French", "NORP"),
            expect("Calais", PLACE),
            expect("Priya Thakkar", "PERSON"),
        ),
        absent=("UK",),
    ),
    Case(
        "business: a company named after a person, and a person of that name",
        "Ford said on Thursday that it would cut 1,100 jobs at its engine plant in Bridgend, blaming weak "
        "demand for diesel cars.\n\n"
        "The carmaker's European chief, Martin Sandler, said the decision had been difficult. Ford employs "
        "about 1,700 people at the site.\n\n"
        "Lena Ford, who leads the Unite union in Wales, said workers had been let down. Analyst Phoenix Marlow "
        "of Kesteven Capital said rivals such as Vauxhall faced the same pressure.",
        (
            expect("Ford", "ORG"),
            expect("Bridgend", PLACE),
            expect("Martin Sandler", "PERSON"),
            expect("Lena Ford", "PERSON"),
            expect("Unite", "ORG"),
            expect("Wales", PLACE),
            expect("Phoenix Marlow", "PERSON"),
            expect("Kesteven Capital", "ORG"),
            expect("Vauxhall", "ORG"),
        ),
        absent=("Phoenix", "Analyst Phoenix Marlow"),
        not_merged=(("Lena Ford", "Ford"),),
    ),
    Case(
        "courts: two brothers and a judge",
        "Two brothers who ran a fake building firm were jailed at Cardiff Crown Court on Friday.\n\n"
        "Judge Miriam Ostrowski told Dean Whitlock, 41, and his brother Carl Whitlock, 38, that they had preyed "
        "on elderly homeowners. Whitlock had denied the charges.\n\n"
        "Detective Sergeant Rhys Bevan of South Wales Police said the victims had lost more than 200,000 "
        "pounds. Judge Ostrowski said the older brother had led the scheme.",
        (
            expect("Cardiff Crown Court", "ORG FAC"),
            expect("Miriam Ostrowski", "PERSON", "Judge Ostrowski"),
            expect("Dean Whitlock", "PERSON"),
            expect("Carl Whitlock", "PERSON"),
            expect("Rhys Bevan", "PERSON"),
            expect("South Wales Police", "ORG"),
        ),
        absent=("Judge Miriam Ostrowski", "Judge Ostrowski", "Detective Sergeant Rhys Bevan", "Whitlock"),
        not_merged=(("Dean Whitlock", "Whitlock"), ("Carl Whitlock", "Whitlock")),
    ),
    Case(
        "sport: rugby clubs named after cities, grounds, Park and Stadium",
        "Bath beat Leicester Tigers 27-20 at the Recreation Ground on Saturday to go top of the table.\n\n"
        "Fly-half Owen Marchetti kicked 17 points. Leicester coach Sione Havili said his team had given away "
        "too many penalties.\n\n"
        "Next week Bath face Exeter Chiefs at Sandy Park, while Leicester Tigers play Saracens at the StoneX "
        "Stadium. Marchetti grew up in Gloucester and joined Bath from Bristol Bears.",
        (
            expect("Bath", "ORG"),
            expect("Leicester Tigers", "ORG", "Leicester"),
            expect("Recreation Ground", VENUE),
            expect("Owen Marchetti", "PERSON", "Marchetti"),
            expect("Sione Havili", "PERSON"),
            expect("Exeter Chiefs", "ORG"),
            expect("Sandy Park", VENUE),
            expect("Saracens", "ORG"),
            expect("StoneX Stadium", VENUE),
            expect("Gloucester", PLACE),
            expect("Bristol Bears", "ORG"),
        ),
        absent=("Fly-half Owen Marchetti", "Marchetti"),
    ),
    Case(
        "science: a teenager from a city, a first name that is a place",
        "A Glasgow teenager has won a national science prize for a water filter made from coffee grounds.\n\n"
        "Skye Dunmore, 16, built the filter in her school laboratory. The judges, led by Professor Austin Pike "
        "of the University of Edinburgh, said it removed most of the lead from tap water.\n\n"
        "Dunmore will show the filter at the Royal Society in London in March. Scottish Water said it would "
        "test the design.",
        (
            expect("Glasgow", PLACE),
            expect("Skye Dunmore", "PERSON", "Dunmore"),
            expect("Austin Pike", "PERSON"),
            expect("University of Edinburgh", "ORG"),
            expect("Royal Society", "ORG"),
            expect("London", PLACE),
            expect("Scottish Water", "ORG"),
        ),
        absent=("Skye", "Dunmore", "Professor Austin Pike"),
    ),
    Case(
        "news: a coast guard, a governor and a navy named by a nationality",
        "The US Coast Guard rescued 14 crew members from a burning cargo ship in the Gulf of Mexico on "
        "Wednesday.\n\n"
        "The ship, which was sailing from Houston to Veracruz, caught fire after an explosion in its engine "
        "room. The Texas governor, Carla Mendes, thanked the rescuers.\n\n"
        "The Mexican Navy sent two vessels to help. Captain Eli Sorensen of the Coast Guard said the crew were "
        "in good health.",
        (
            expect("US Coast Guard", "ORG", "Coast Guard"),
            expect("Gulf of Mexico", "LOC"),
            expect("Houston", PLACE),
            expect("Veracruz", PLACE),
            expect("Texas", PLACE),
            expect("Carla Mendes", "PERSON"),
            expect("Mexican Navy", "ORG"),
            expect("Eli Sorensen", "PERSON"),
        ),
        absent=("US", "Captain Eli Sorensen"),
    ),
)
