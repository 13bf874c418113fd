"""The entity-table check: short articles written for this project (no news text), each with the table a
reader expects. Sport, business, courts, politics and science; clubs named after cities, a city that is also a
club, first names that are places, titles before names, surnames used alone, two people sharing a surname.

Each case is scored by checks (evaluation/entity_check.py): every expected entity is there under its canonical
name with an allowed type; every listed alias is merged into it; no listed form is an entity of its own
(``absent``) or merged into a named entity (``not_merged``).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Expected:
    name: str
    types: frozenset[str]
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Case:
    topic: str
    text: str
    entities: tuple[Expected, ...]
    absent: tuple[str, ...] = ()  # forms that must not be an entity's name
    not_merged: tuple[tuple[str, str], ...] = field(default=())  # (entity, form): the form is not its alias


def expect(name: str, types: str, *aliases: str) -> Expected:
    return Expected(name, frozenset(types.split()), aliases)


PLACE = "GPE"
VENUE = "FAC LOC"

CASES: tuple[Case, ...] = (
    Case(
        "sport: clubs named after cities",
        "Manchester City beat Swansea City 3-1 at the Etihad Stadium on Saturday, their fourth win in a row.\n\n"
        "Bafetimbi Gomis gave the visitors the lead after ten minutes, but Sergio Aguero scored twice before "
        "the break and Raheem Sterling added a third late on.\n\n"
        "Aguero said the team had worked hard all week. Gomis, who joined the Welsh side from Lyon last "
        "summer, was replaced after an hour.",
        (
            expect("Manchester City", "ORG"),
            expect("Swansea City", "ORG"),
            expect("Etihad Stadium", VENUE),
            expect("Bafetimbi Gomis", "PERSON", "Gomis"),
            expect("Sergio Aguero", "PERSON", "Aguero"),
            expect("Raheem Sterling", "PERSON"),
            expect("Lyon", "ORG"),
        ),
        absent=("Gomis", "Aguero"),
    ),
    Case(
        "politics: the city of Liverpool",
        "Liverpool City Council approved plans for a new cruise terminal on the River Mersey on Tuesday.\n\n"
        "Councillor Joanne Hartley, who leads the council, said the terminal would bring thousands of visitors "
        "to Liverpool every year and create 400 jobs.\n\n"
        "Hartley said work would begin in the spring. The government in London has promised to pay half of "
        "the cost, and Liverpool will borrow the rest.",
        (
            expect("Liverpool City Council", "ORG"),
            expect("River Mersey", "LOC"),
            expect("Joanne Hartley", "PERSON", "Hartley", "Councillor Joanne Hartley"),
            expect("Liverpool", PLACE),
            expect("London", PLACE),
        ),
        absent=("Councillor Joanne Hartley", "Hartley"),
    ),
    Case(
        "sport: the club Liverpool",
        "Liverpool moved three points clear at the top of the table after a 2-0 win over Everton at Anfield "
        "on Sunday.\n\n"
        "Mohamed Salah scored both goals for the hosts. Everton manager Sean Dyche said his side had been "
        "unlucky, while Liverpool captain Virgil van Dijk praised the crowd.\n\n"
        "Salah has now scored 15 league goals this season. Liverpool play Arsenal next weekend.",
        (
            expect("Liverpool", "ORG"),
            expect("Everton", "ORG"),
            expect("Anfield", VENUE),
            expect("Mohamed Salah", "PERSON", "Salah"),
            expect("Sean Dyche", "PERSON"),
            expect("Virgil van Dijk", "PERSON"),
            expect("Arsenal", "ORG"),
        ),
    ),
    Case(
        "courts: a magistrate and a defendant",
        "A Hobart man who crashed a stolen car into a bakery has been jailed for 18 months.\n\n"
        "Magistrate Ray Rinaudo told the Hobart Magistrates Court on Monday that Kyle Dempsey, 24, had put "
        "lives at risk. Dempsey pleaded guilty to six charges.\n\n"
        "His lawyer, Sarah Okafor, said Dempsey had since found work. Magistrate Rinaudo said the offending "
        "was too serious for a suspended sentence. Tasmania Police welcomed the decision.",
        (
            expect("Ray Rinaudo", "PERSON", "Magistrate Rinaudo"),
            expect("Hobart Magistrates Court", "ORG FAC"),
            expect("Kyle Dempsey", "PERSON", "Dempsey"),
            expect("Sarah Okafor", "PERSON"),
            expect("Tasmania Police", "ORG"),
            expect("Hobart", PLACE),
        ),
        absent=("Magistrate Ray Rinaudo", "Magistrate Rinaudo", "Dempsey"),
    ),
    Case(
        "courts: a soldier's case",
        "An Air Force sergeant who posed for a magazine has won her appeal against her discharge.\n\n"
        "Sergeant Michelle Manhart, 38, was demoted by the US Air Force in 2008. A federal judge in Texas "
        "ruled on Thursday that the decision was unlawful.\n\n"
        "Manhart said she was relieved. Sergeant Manhart will return to Lackland Air Force Base next month, "
        "her lawyer David Brennan said.",
        (
            expect("Michelle Manhart", "PERSON", "Manhart", "Sergeant Manhart"),
            expect("US Air Force", "ORG"),
            expect("Texas", PLACE),
            expect("Lackland Air Force Base", "FAC ORG LOC"),
            expect("David Brennan", "PERSON"),
        ),
        absent=("Manhart", "Sergeant Michelle Manhart"),
    ),
    Case(
        "business: two people sharing a surname",
        "Kellerman Foods, the family-run bakery chain, has agreed to sell a majority stake to Blackrock "
        "Partners for 120 million pounds.\n\n"
        "Tom Kellerman, the chief executive, and his sister Anna Kellerman, the finance director, will keep "
        "their jobs. The deal was announced in Leeds on Wednesday.\n\n"
        "Kellerman said the family would still own a fifth of the company.",
        (
            expect("Kellerman Foods", "ORG"),
            expect("Blackrock Partners", "ORG"),
            expect("Tom Kellerman", "PERSON"),
            expect("Anna Kellerman", "PERSON"),
            expect("Leeds", PLACE),
        ),
        not_merged=(("Tom Kellerman", "Kellerman"), ("Anna Kellerman", "Kellerman")),
    ),
    Case(
        "politics: first names that are places",
        "Senator Sydney Lyons of Georgia said on Friday she would vote against the spending bill.\n\n"
        "Lyons told reporters in Washington that the bill cut too deeply into rural hospitals. Her colleague "
        "Senator Austin Reyes of Nevada said he would support it.\n\n"
        "Reyes said the Senate would vote next week. The White House declined to comment.",
        (
            expect("Sydney Lyons", "PERSON", "Lyons"),
            expect("Georgia", PLACE),
            expect("Washington", PLACE),
            expect("Austin Reyes", "PERSON", "Reyes"),
            expect("Nevada", PLACE),
            expect("Senate", "ORG"),
            expect("White House", "ORG FAC"),
        ),
        absent=("Sydney", "Austin", "Lyons", "Reyes"),
    ),
    Case(
        "business: a company and its chief",
        "Apple reported record sales of its new phone on Thursday, sending its shares up five per cent.\n\n"
        "Chief executive Tim Cook told analysts that demand in China had been stronger than expected. Cook "
        "said the company would open four stores in India next year.\n\n"
        "Analysts at Goldman Sachs raised their price target. The company is based in Cupertino, California.",
        (
            expect("Apple", "ORG"),
            expect("Tim Cook", "PERSON", "Cook"),
            expect("China", PLACE),
            expect("India", PLACE),
            expect("Goldman Sachs", "ORG"),
            expect("Cupertino", PLACE),
            expect("California", PLACE),
        ),
        absent=("Cook",),
    ),
    Case(
        "science: a mission to Mars",
        "NASA said on Monday that its rover had found traces of ancient river beds on Mars.\n\n"
        "Dr. Lena Fischer, a geologist at the Jet Propulsion Laboratory in Pasadena, said the rocks were "
        "about three billion years old. Fischer led the team that studied the images.\n\n"
        "Scientists at the University of Arizona will analyse the samples. Fischer said the findings would be "
        "published in the journal Nature.",
        (
            expect("NASA", "ORG"),
            expect("Mars", "LOC"),
            expect("Lena Fischer", "PERSON", "Fischer"),
            expect("Jet Propulsion Laboratory", "ORG FAC"),
            expect("Pasadena", PLACE),
            expect("University of Arizona", "ORG"),
        ),
        absent=("Fischer", "Dr. Lena Fischer"),
    ),
    Case(
        "sport: tennis, first names that are places",
        "Florence Adeyemi beat Chelsea Brooks 6-3, 6-4 in Paris on Wednesday to reach her first quarter-final.\n\n"
        "Adeyemi, who grew up in Lagos, broke serve four times. Brooks said she had struggled with the wind.\n\n"
        "Adeyemi will face Madison Keyes, the seventh seed, on Friday.",
        (
            expect("Florence Adeyemi", "PERSON", "Adeyemi"),
            expect("Chelsea Brooks", "PERSON", "Brooks"),
            expect("Paris", PLACE),
            expect("Lagos", PLACE),
            expect("Madison Keyes", "PERSON"),
        ),
        absent=("Florence", "Chelsea", "Adeyemi", "Brooks"),
    ),
    Case(
        "sport: Italian and English clubs",
        "Lazio have agreed to sign Aston Villa goalkeeper Shay Given on a free transfer, Sky Sport Italia "
        "reported on Tuesday.\n\n"
        "Given, 38, has played only twice for Villa this season. The Irishman is expected to arrive in Rome "
        "for a medical on Thursday.\n\n"
        "Lazio coach Stefano Pioli said the club needed experience.",
        (
            expect("Lazio", "ORG"),
            expect("Aston Villa", "ORG", "Villa"),
            expect("Shay Given", "PERSON", "Given"),
            expect("Sky Sport Italia", "ORG"),
            expect("Rome", PLACE),
            expect("Stefano Pioli", "PERSON"),
            expect("Irishman", "NORP"),
        ),
    ),
    Case(
        "sport: a venue, a dash and a preposition",
        "Chelsea will face Arsenal at Wembley - and the winners will meet Manchester United in the final.\n\n"
        "Chelsea manager Enzo Maresca said his players were ready. Arsenal beat Chelsea in the same round two "
        "years ago.\n\n"
        "The Football Association said tickets would go on sale on Monday.",
        (
            expect("Chelsea", "ORG"),
            expect("Arsenal", "ORG"),
            expect("Wembley", VENUE),
            expect("Manchester United", "ORG"),
            expect("Enzo Maresca", "PERSON"),
            expect("Football Association", "ORG"),
        ),
        absent=("Arsenal at Wembley", "Wembley - and", "Wembley -"),
    ),
)
