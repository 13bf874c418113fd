"""Sentence pieces: glued captions, caption labels and UI phrases are cut out of parsed sentences."""

from __future__ import annotations

from briefing_service.parsing.blocks import ParsedBlock
from briefing_service.parsing.boundaries import split_sentence
from briefing_service.parsing.segmenter import sentences_of
from spacy.language import Language


def _pieces(nlp: Language, text: str) -> list[str]:
    return [p.text for s in nlp(text).sents for p in split_sentence(s)]


def test_caption_label_and_ui_phrase_are_cut(nlp: Language) -> None:
    text = (
        "The council met on Monday. Scroll down for video Strictly business: Mayor Ana Ortiz signs the "
        "budget in the town hall on Monday evening Short and sweet: Ortiz said the plan would extend hours."
    )
    pieces = _pieces(nlp, text)
    assert "Scroll down for video" not in " ".join(pieces)
    assert not any("Strictly business" in p or "Short and sweet" in p for p in pieces)
    assert any(p.startswith("Mayor Ana Ortiz signs the budget") for p in pieces)
    assert any(p.startswith("Ortiz said the plan") for p in pieces)


def test_speech_frames_are_not_caption_labels(nlp: Language) -> None:
    text = "He said: 'We will vote on Monday.' The minister told reporters: 'It is done.'"
    assert " ".join(_pieces(nlp, text)) == text


def test_pieces_slice_the_source_exactly(nlp: Language) -> None:
    text = "Officials met in the capital Happy couple: The pair wed in June. Click here for more"
    block = ParsedBlock(doc=nlp(text), offset=7)
    source = "x" * 7 + text
    sentences = sentences_of([block])
    assert sentences and all(source[s.start : s.end] == s.text for s in sentences)
    assert not any("Click here" in s.text for s in sentences)


def test_capitalised_pronoun_after_a_number_or_date_starts_a_sentence(nlp: Language) -> None:
    text = (
        "The former champion now offers to post messages for $20 He was once the best paid fighter in the "
        "country. The coach spoke after training on Wednesday He said the team was ready."
    )
    pieces = _pieces(nlp, text)
    assert any(p.startswith("He was once the best paid fighter") for p in pieces)
    assert any(p.endswith("for $20") for p in pieces)
    assert any(p.startswith("He said the team was ready") for p in pieces)


def test_titles_with_capitalised_pronouns_are_not_cut(nlp: Language) -> None:
    text = "She starred in Ten Things I Hate About You before her first album."
    assert _pieces(nlp, text) == [text]


def test_quote_glued_after_a_caption_starts_a_sentence(nlp: Language) -> None:
    text = (
        "Casey is the last player due to tee off at the Masters ‘I was very relieved,’ said Casey on Friday."
    )
    pieces = _pieces(nlp, text)
    assert any(p.startswith("‘I was very relieved") for p in pieces)
    said = "The minister said ‘It is done’ and left the room."
    assert _pieces(nlp, said) == [said]


def test_wire_dateline_is_not_part_of_the_first_sentence(nlp: Language) -> None:
    text = "Valmora, Lumora (CNN)The port reopened on Monday after a week of storms. Ships queued outside."
    sents = sentences_of([ParsedBlock(doc=nlp(text), offset=0)])
    assert sents[0].text == "The port reopened on Monday after a week of storms."
    assert text[sents[0].start : sents[0].end] == sents[0].text  # offsets still index the source
    plain = "The council (CNN) met on Monday to vote on the budget."
    assert sentences_of([ParsedBlock(doc=nlp(plain), offset=0)])[0].text == plain


def test_place_dateline_is_cut_from_the_first_sentence_and_its_parse(nlp: Language) -> None:
    text = (
        "PORT ELLIS — The Harbour Board voted on Monday to close the old ferry pier. It will reopen in May."
    )
    sents = sentences_of([ParsedBlock(doc=nlp(text), offset=0)])
    assert sents[0].text == "The Harbour Board voted on Monday to close the old ferry pier."
    assert text[sents[0].start : sents[0].end] == sents[0].text
    assert sents[0].span.text == sents[0].text  # the headline compresses the span: no dateline in it
    # A dateline on a line of its own is not a sentence (it was a key point of a bundled article).
    blocks = [
        ParsedBlock(doc=nlp("VALMORA, Lumora (Coastal Press Service) —"), offset=0),
        ParsedBlock(doc=nlp("Storms closed the coastal road on Sunday."), offset=42),
    ]
    assert [s.text for s in sentences_of(blocks)] == ["Storms closed the coastal road on Sunday."]
    # Only the article's opening: later a capitalised word and a dash are the sentence's own.
    later = "The vote was close. NASA — the agency said — will help."
    assert [s.text for s in sentences_of([ParsedBlock(doc=nlp(later), offset=0)])][1].startswith("NASA")


def test_caption_glued_before_a_capitalised_subject_starts_a_sentence(nlp: Language) -> None:
    text = (
        "The fisherman was rescued by the coastguard after drifting for two days Captain Ana Ortiz said the "
        "crew found him near the harbour wall."
    )
    pieces = _pieces(nlp, text)
    assert pieces[0].endswith("after drifting for two days")
    assert pieces[1].startswith("Captain Ana Ortiz said the crew found him")


def test_names_after_role_words_and_complement_clauses_are_not_cut(nlp: Language) -> None:
    for text in (
        "Valmora striker Jon Peris believes the club can still win the league this season.",
        "The mayor said Lumora would open the new bridge to traffic next month.",
        "'We never thought the storm would come this far,' Marta Ilesco told the local paper.",
    ):
        assert _pieces(nlp, text) == [text]


def test_capitals_that_continue_the_sentence_are_not_cut(nlp: Language) -> None:
    # After a preposition, article or "&", inside a compound ("A rays", "vitamin E"), a rank ("No 4"), a verb's
    # named object, or after a fronted "while" clause: each of these was once cut into two "sentences".
    for text in (
        "The puzzle book is about as close to a grown-up version of Where's Wally as you can get.",
        "Some new creams claim to block infra-red A rays, and others add vitamin E to every bottle.",
        "Watched by a crowd of thousands, the world No 4 won the final in straight sets.",
        "She spent ten years on Law & Order: SVU before moving to the stage.",
        "And while it was a good day Peris, the veteran, still had some nervous moments on the back nine.",
        "He was named The Big One by the farmers who raised him.",
    ):
        assert _pieces(nlp, text) == [text]
    glued = "The ferry was delayed by fog for two hours Passengers waited in the terminal until noon."
    assert _pieces(nlp, glued) == [
        "The ferry was delayed by fog for two hours",
        "Passengers waited in the terminal until noon.",
    ]


def test_a_whole_sentence_parsed_as_the_captions_relative_clause_is_cut(nlp: Language) -> None:
    # The parser hangs "Substitute Jon Peris had given ..." on "lead" as a relative clause; a finite verb with
    # its own object and no relative word makes it a sentence of its own.
    text = (
        "A late goal from the striker went in to give Valmora the lead Substitute Jon Peris had given the "
        "visitors a deserved lead in the second half."
    )
    assert _pieces(nlp, text) == [
        "A late goal from the striker went in to give Valmora the lead",
        "Substitute Jon Peris had given the visitors a deserved lead in the second half.",
    ]
    relative = "She is the third champion Peris has faced this year."
    assert _pieces(nlp, relative) == [relative]


def _sentence_texts(nlp: Language, text: str) -> list[str]:
    sents = sentences_of([ParsedBlock(doc=nlp(text), offset=0)])
    assert all(text[s.start : s.end] == s.text for s in sents)
    return [s.text for s in sents]


def test_no_split_after_a_title_an_initial_or_an_abbreviation(nlp: Language) -> None:
    # The tokenizer cuts "Sgt." in two and the parser used to end a sentence there; a name after an initial
    # or "U.S." continues the sentence, as does a number after "No.".
    for text in (
        "The road will stay closed, harbour police spokesman Sgt. Ana Ortiz said on Monday.",
        "Officers led by Capt. Tom Reed and Lt. Jon Peris searched the quay.",
        "The novelist Ana J. Ortiz won the prize for her third book.",
        "He served on the U.S. Navy ship for six years before he retired.",
        "The minister left No. 10 Harbour Street at 9 a.m. on Sunday.",
    ):
        assert _sentence_texts(nlp, text) == [text]


def test_a_sentence_may_still_end_at_an_initial(nlp: Language) -> None:
    text = "The band signed with the label Echo Z. But the deal collapsed within a year."
    assert _sentence_texts(nlp, text) == [
        "The band signed with the label Echo Z.",
        "But the deal collapsed within a year.",
    ]


def test_no_sentence_starts_with_a_lower_case_word_or_a_few_words_before_a_name(nlp: Language) -> None:
    for text in (
        "'It was nice to win the final in front of our own fans but I wanted more goals,' said Peris.",
        "Valmora forward Peris is close to agreeing a new two-year deal with the club.",
        "Lumora No 4 Ortiz beat the defending champion in straight sets on Friday.",
    ):
        assert _sentence_texts(nlp, text) == [text]


def test_caption_ending_in_a_picture_note_is_cut_from_the_next_sentence(nlp: Language) -> None:
    text = (
        "The ferry ran aground on a sandbank near the harbour mouth on Sunday night (above) "
        "Passengers were taken off by lifeboat before dawn."
    )
    assert _pieces(nlp, text) == [
        "The ferry ran aground on a sandbank near the harbour mouth on Sunday night (above)",
        "Passengers were taken off by lifeboat before dawn.",
    ]
    quoted = "The mayor met the crew of the lifeboat at the quay on Monday (pictured) 'They were heroes,' she said."
    assert _pieces(nlp, quoted)[1] == "'They were heroes,' she said."
    kept = "Fellow crew members said Tom Reed (pictured) 'saved every one of them' that night."
    assert _pieces(nlp, kept) == [kept]
