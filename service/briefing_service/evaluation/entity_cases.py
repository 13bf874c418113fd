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


def _e(name: str, types: str, *aliases: str) -> Expected:
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
            _e("Manchester City", "ORG"),
            _e("Swansea City", "ORG"),
            _e("Etihad Stadium", VENUE),
            _e("Bafetimbi Gomis", "PERSON", "Gomis"),
            _e("Sergio Aguero", "PERSON", "Aguero"),
            _e("Raheem Sterling", "PERSON"),
            _e("Lyon", "ORG"),
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
            _e("Liverpool City Council", "ORG"),
            _e("River Mersey", "LOC"),
            _e("Joanne Hartley", "PERSON", "Hartley", "Councillor Joanne Hartley"),
            _e("Liverpool", PLACE),
            _e("London", PLACE),
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
            _e("Liverpool", "ORG"),
            _e("Everton", "ORG"),
            _e("Anfield", VENUE),
            _e("Mohamed Salah", "PERSON", "Salah"),
            _e("Sean Dyche", "PERSON"),
            _e("Virgil van Dijk", "PERSON"),
            _e("Arsenal", "ORG"),
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
            _e("Ray Rinaudo", "PERSON", "Magistrate Rinaudo"),
            _e("Hobart Magistrates Court", "ORG FAC"),
            _e("Kyle Dempsey", "PERSON", "Dempsey"),
            _e("Sarah Okafor", "PERSON"),
            _e("Tasmania Police", "ORG"),
            _e("Hobart", PLACE),
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
            _e("Michelle Manhart", "PERSON", "Manhart", "Sergeant Manhart"),
            _e("US Air Force", "ORG"),
            _e("Texas", PLACE),
            _e("Lackland Air Force Base", "FAC ORG LOC"),
            _e("David Brennan", "PERSON"),
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
            _e("Kellerman Foods", "ORG"),
            _e("Blackrock Partners", "ORG"),
            _e("Tom Kellerman", "PERSON"),
            _e("Anna Kellerman", "PERSON"),
            _e("Leeds", PLACE),
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
            _e("Sydney Lyons", "PERSON", "Lyons"),
            _e("Georgia", PLACE),
            _e("Washington", PLACE),
            _e("Austin Reyes", "PERSON", "Reyes"),
            _e("Nevada", PLACE),
            _e("Senate", "ORG"),
            _e("White House", "ORG FAC"),
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
            _e("Apple", "ORG"),
            _e("Tim Cook", "PERSON", "Cook"),
            _e("China", PLACE),
            _e("India", PLACE),
            _e("Goldman Sachs", "ORG"),
            _e("Cupertino", PLACE),
            _e("California", PLACE),
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
            _e("NASA", "ORG"),
            _e("Mars", "LOC"),
            _e("Lena Fischer", "PERSON", "Fischer"),
            _e("Jet Propulsion Laboratory", "ORG FAC"),
            _e("Pasadena", PLACE),
            _e("University of Arizona", "ORG"),
        ),
        absent=("Fischer", "Dr. Lena Fischer"),
    ),
    Case(
        "sport: tennis, first names that are places",
        "Florence Adeyemi beat Chelsea Brooks 6-3, 6-4 in Paris on Wednesday to reach her first quarter-final.\n\n"
        "Adeyemi, who grew up in Lagos, broke serve four times. Brooks said she had struggled with the wind.\n\n"
        "Adeyemi will face Madison Keyes, the seventh seed, on Friday.",
        (
            _e("Florence Adeyemi", "PERSON", "Adeyemi"),
            _e("Chelsea Brooks", "PERSON", "Brooks"),
            _e("Paris", PLACE),
            _e("Lagos", PLACE),
            _e("Madison Keyes", "PERSON"),
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
            _e("Lazio", "ORG"),
            _e("Aston Villa", "ORG", "Villa"),
            _e("Shay Given", "PERSON", "Given"),
            _e("Sky Sport Italia", "ORG"),
            _e("Rome", PLACE),
            _e("Stefano Pioli", "PERSON"),
            _e("Irishman", "NORP"),
        ),
    ),
    Case(
        "sport: a venue, a dash and a preposition",
        "Chelsea will face Arsenal at Wembley - and the winners will meet Manchester United in the final.\n\n"
        "Chelsea manager Enzo Maresca said his players were ready. Arsenal beat Chelsea in the same round two "
        "years ago.\n\n"
        "The Football Association said tickets would go on sale on Monday.",
        (
            _e("Chelsea", "ORG"),
            _e("Arsenal", "ORG"),
            _e("Wembley", VENUE),
            _e("Manchester United", "ORG"),
            _e("Enzo Maresca", "PERSON"),
            _e("Football Association", "ORG"),
        ),
        absent=("Arsenal at Wembley", "Wembley - and", "Wembley -"),
    ),
)
