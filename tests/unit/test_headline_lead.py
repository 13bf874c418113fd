"""Lead-sentence headlines: the best whole-subtree compression of the opening sentence within the budget."""

from __future__ import annotations

import time

from briefing_service.headline import choose_headline
from briefing_service.headline.search import article_counts, best_headline
from spacy.language import Language
from spacy.tokens import Span


def sents(nlp: Language, text: str) -> list[Span]:
    return list(nlp(text).sents)


def test_lead_keeps_names_and_subject_and_drops_attribution(nlp: Language) -> None:
    s = sents(
        nlp,
        "A nine-year-old boy is recovering in hospital after falling into a bear enclosure at the Lumora "
        "city zoo while his parents were taking photographs, officials said on Monday. "
        "The zoo will review its fences. A keeper said the bears were calm.",
    )
    out = choose_headline([s[1], s[0], s[2]], 14, lead=s)  # the ranker puts the opening second
    # the lead, not the top-ranked candidate; headline style drops the progressive's "is"; the "while" clause
    # goes whole, and the zoo's name is worth a 15th word
    assert (
        out
        == "Nine-year-old boy recovering in hospital after falling into bear enclosure at the Lumora city zoo"
    )


def test_one_big_cut_that_fits_is_found(nlp: Language) -> None:
    """No cut the rule book allows brings this under 14 words ("the official who ..." is defined by its
    clause); within the 20-word ceiling the time and place phrases go in one search."""
    s = sents(
        nlp,
        "Harbour engineer Marta Ilesco has been chosen as the official who will open the new 40-metre "
        "Valmora bridge to traffic at a ceremony in the old port on Saturday.",
    )
    assert best_headline(s[0], 14, article_counts(s), 4) is None
    found = best_headline(s[0], 20, article_counts(s), 4)
    assert found is not None
    # headline passive: no "has been"; the relative clause stays whole
    assert found.text == (
        "Harbour engineer Marta Ilesco chosen as the official who will open new 40-metre Valmora bridge to traffic"
    )


def test_repeated_words_outweigh_incidental_ones(nlp: Language) -> None:
    lead = (
        "The Valmora port authority on Tuesday approved a long-delayed plan to dredge the harbour channel "
        "for larger cargo ships after years of complaints from shipping firms in the region."
    )
    s = sents(nlp, lead + " Dredging of the harbour channel starts in May. The harbour handles cargo.")
    out = choose_headline(s, 14, lead=s)
    assert len(out.split()) <= 14
    assert "approves" in out and "harbour" in out  # verb (headline present) and the topic word repeated
    assert "Tuesday" not in out  # time phrases go first


def test_pronoun_lead_falls_back_to_a_named_subject(nlp: Language) -> None:
    """The pronoun opening is skipped for the next sentence with a named subject (the lead's second sentence
    here, which is also the ranked candidate)."""
    s = sents(nlp, "He said it would happen soon. The Valmora port authority has approved a plan to dredge.")
    out = choose_headline([s[1]], 14, lead=s)
    assert out.startswith("Valmora port authority approves")


def test_fragment_lead_is_skipped(nlp: Language) -> None:
    s = sents(nlp, "Arsenal defender")
    assert best_headline(s[0], 14, article_counts(s), 4) is None  # two words: no clause to compress
    assert choose_headline(s, 14, lead=s, fallback="Fallback title here") == "Fallback title here"


def test_long_lead_is_bounded_in_time(nlp: Language) -> None:
    text = (
        "The mayor of the northern town, who took office in March after a long campaign, said on Monday that "
        "the council would build a new school near the river, repair the old bridge on the main road, open "
        "two libraries in the eastern districts, plant trees along the harbour and lower the bus fares for "
        "pupils and pensioners from September, despite warnings that the budget was stretched."
    )
    s = sents(nlp, text)
    started = time.perf_counter()
    out = choose_headline(s, 14, lead=s)
    assert len(out.split()) <= 14 and out
    # A loose bound (shared CI machines): the unbounded search took 0.9 s on a sentence like this one.
    assert time.perf_counter() - started < 0.5


def test_article_agrees_after_a_deleted_adjective() -> None:
    from briefing_service.headline.text import A_AN, fix_article

    fixed = {
        t: A_AN.sub(fix_article, t) for t in ("a illness", "an league", "a hour", "an FBI agent", "a man")
    }
    assert fixed == {
        "a illness": "an illness",
        "an league": "a league",
        "a hour": "an hour",
        "an FBI agent": "an FBI agent",
        "a man": "a man",
    }


def test_comparative_keeps_its_more(nlp: Language) -> None:
    s = sents(
        nlp,
        "World champion Lewis Hamilton said on Friday that he is feeling more powerful than at any stage of "
        "his long career in the sport, before the race in Shanghai.",
    )
    out = choose_headline(s, 14, lead=s)
    assert "than" not in out or "more powerful than" in out
    assert out == (
        "World champion Lewis Hamilton is feeling more powerful than at any stage of his long career in the sport"
    )


def test_dateline_parsed_as_a_subject_does_not_block_the_lead(nlp: Language) -> None:
    from briefing_service.parsing.segmenter import ParsedBlock, sentences_of

    text = (
        "HOBART — Mara Quill's Island Greens won the most seats in Saturday's snap election for the state's "
        "parliament, ending eight years of government by the Harbour Coalition."
    )
    sents = sentences_of([ParsedBlock(doc=nlp(text), offset=0)])
    headline = choose_headline([s.span for s in sents], 14, lead=[s.span for s in sents])
    assert "HOBART" not in headline
    assert headline.startswith("Mara Quill's Island Greens win")  # a plural party name, headline present
    assert len(headline.split()) <= 14


def test_partitive_keeps_its_of_phrase(nlp: Language) -> None:
    """ "over an average" or "win 16" alone says nothing: an "of" phrase is never offered for deletion (a
    bundled article's headline ended "... in 31 countries over an average")."""
    from briefing_service.headline.cuts import optional_subtrees
    from briefing_service.headline.frame import find_clause

    text = (
        "The drug was tested in 6,400 patients over an average of 26 months before the board approved "
        "the acquisition of the startup and 16 of the seats."
    )
    sent = next(iter(nlp(text).sents))
    clause = find_clause(sent)
    deletable = {(t.text, t.head.text) for t in optional_subtrees(clause)}
    assert ("of", "average") not in deletable
    assert ("of", "16") not in deletable
    assert ("of", "acquisition") not in deletable  # an "of" phrase is the noun's own
    assert deletable == {("approved", "tested")}  # the "before" clause goes whole


def test_an_opening_the_ranker_puts_below_third_gives_way_to_the_top_key_point(nlp: Language) -> None:
    s = sents(
        nlp,
        "The old harbour has seen many summers. Gulls circle the quay. Boats rock at anchor. "
        "The Valmora port authority has approved a plan to dredge the harbour channel for cargo ships.",
    )
    out = choose_headline([s[3], s[1], s[2], s[0]], 14, lead=s)
    assert out == "Valmora port authority approves plan to dredge harbour channel for cargo ships"
