"""Long key points end at a clause boundary; the kept text is still an exact slice of the source."""

from __future__ import annotations

from briefing_service.keypoints.trim import MAX_WORDS, key_point_bounds, trimmed_length
from briefing_service.parsing.blocks import ParsedBlock
from briefing_service.parsing.segmenter import sentences_of
from spacy.language import Language


def _trim(nlp: Language, text: str) -> str:
    span = next(iter(nlp(text).sents))
    keep = trimmed_length(span)
    return text if keep is None else text[:keep]


def test_trailing_adverbial_clause_of_a_long_sentence_is_cut(nlp: Language) -> None:
    text = (
        "The harbour authority closed the old ferry pier in the northern district of Valmora on Monday "
        "morning after engineers found deep cracks in its concrete supports, while ferries were sent to "
        "the new terminal across the bay for the rest of the month."
    )
    assert _trim(nlp, text) == (
        "The harbour authority closed the old ferry pier in the northern district of Valmora on Monday "
        "morning after engineers found deep cracks in its concrete supports"
    )


def test_short_sentences_are_never_trimmed(nlp: Language) -> None:
    text = "The council approved the budget on Monday, after a long debate that ran late into the night."
    assert len(text.split()) <= MAX_WORDS
    assert _trim(nlp, text) == text


def test_a_list_of_names_is_not_cut_between_its_items(nlp: Language) -> None:
    text = (
        "The visiting team, who arrived in the capital on Thursday after a long flight from the south, were "
        "without half a dozen of their regular starters, including Jon Peris, Ana Ortiz, Marta Ilesco and "
        "Emeka Nwosu."
    )
    # The whole "including ..." phrase goes, never "Ana Ortiz, Marta Ilesco and Emeka Nwosu" alone.
    assert _trim(nlp, text) == (
        "The visiting team, who arrived in the capital on Thursday after a long flight from the south, were "
        "without half a dozen of their regular starters"
    )


def test_an_open_quotation_is_never_left_open(nlp: Language) -> None:
    text = (
        "The minister told the crowded hall in the northern city of Valmora on Monday evening that the new "
        "bridge would open next spring, 'whatever the cost and whatever the weather, because the city needs "
        "it now,' to loud applause from the crowd."
    )
    # The commas inside the quotation are clause seams too; cutting there would leave "'whatever ..." open.
    assert _trim(nlp, text) == (
        "The minister told the crowded hall in the northern city of Valmora on Monday evening that the new "
        "bridge would open next spring"
    )


def test_bounds_index_the_source_and_only_move_the_end(nlp: Language) -> None:
    body = (
        "Valmora, Lumora (CNN)The harbour authority closed the old ferry pier in the northern district on "
        "Monday morning after engineers found deep cracks in its concrete supports, while ferries were sent "
        "to the new terminal across the bay for the rest of the month."
    )
    source = "Page title\n\n" + body
    sentence = sentences_of([ParsedBlock(doc=nlp(body), offset=12)])[0]
    start, end = key_point_bounds(sentence.span, sentence.start, sentence.end)
    assert start == sentence.start and end < sentence.end
    assert source[start:end] == (
        "The harbour authority closed the old ferry pier in the northern district on Monday morning after "
        "engineers found deep cracks in its concrete supports"
    )
