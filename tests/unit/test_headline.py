"""Unit tests for the headline writer: compression by whole dependency subtrees."""

from __future__ import annotations

import pytest
from briefing_service.headline import choose_headline
from spacy.language import Language
from spacy.tokens import Span

REFERENCE = (
    "Pakistan’s Foreign Minister Ishaq Dar announced on Friday that Islamabad and Washington are "
    "“very close” to sealing a major bilateral trade deal, a development that could reshape "
    "US-Pakistan economic relations in the coming days."
)


def first_sent(nlp: Language, text: str) -> Span:
    doc = nlp(text)
    return next(iter(doc.sents), doc[:])


def compress_sentence(sent: Span, max_words: int = 14) -> str:
    """The headline the lead search makes from this one sentence."""
    return choose_headline([sent], max_words, lead=[sent])


def n_words(text: str) -> int:
    return len(text.split())


def test_reference_sentence_keeps_the_news_and_drops_attribution(nlp: Language) -> None:
    out = compress_sentence(first_sent(nlp, REFERENCE))
    assert out == "Islamabad and Washington are 'very close' to sealing major bilateral trade deal"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The city council approved the new stadium budget, the mayor said.", "City council approves new stadium budget"),
        ("According to the ministry, the bridge will reopen to traffic next month.", "Bridge to reopen to traffic next month"),
        (  # appositive and the relative clause inside it go; the day goes with the present tense
            "Maria Lopez, a veteran engineer who led the project for a decade, resigned from the board of the "
            "regional water company on Tuesday.",
            "Maria Lopez resigns from the board of the regional water company",
        ),
        (  # fronted subordinate clause and participial tail
            "While investors waited for the report, the central bank raised interest rates by half a point, "
            "surprising analysts across the region.",
            "Central bank raises interest rates by half point",
        ),
        ("The factory (which opened in 1998) will close in the spring.", "Factory to close in the spring"),
    ],
)  # fmt: skip
def test_tails_a_headline_never_carries(nlp: Language, text: str, expected: str) -> None:
    assert compress_sentence(first_sent(nlp, text)) == expected


def test_a_title_cut_inside_its_quotes_closes_on_its_last_kept_word(nlp: Language) -> None:
    text = (
        'Critics have praised the new film "Harbour Lights: A Story of the Valmora Docks," but the studio '
        "has not yet set a release date."
    )
    out = compress_sentence(first_sent(nlp, text))
    assert out is not None
    assert "'Harbour Lights'" in out  # not "'Harbour Lights '"


def test_long_sentence_is_compressed_to_a_clause(nlp: Language) -> None:
    text = (
        "The regional transport authority has approved a plan to extend the northern railway line by forty "
        "kilometres through several small farming towns in the hills over the next five years."
    )
    out = compress_sentence(first_sent(nlp, text))
    assert (
        out
        == "Regional transport authority has approved plan to extend northern railway line by forty kilometres"
    )


def test_choose_headline_skips_chrome(nlp: Language) -> None:
    doc = nlp("Click here to subscribe to our newsletter. " + REFERENCE)
    sents = list(doc.sents)
    assert choose_headline(sents, lead=sents).startswith("Islamabad and Washington")


def test_choose_headline_skips_pronoun_subject_when_a_named_one_exists(nlp: Language) -> None:
    doc = nlp("It was a long night. The festival drew a record crowd of visitors to the old harbour.")
    sents = list(doc.sents)
    assert choose_headline(sents, lead=sents) == "Festival draws record crowd of visitors to the old harbour"


@pytest.mark.parametrize(
    "text", ["", "Hello", "   ", "!!!", "Der Bundestag hat am Freitag das Gesetz beschlossen."]
)
def test_odd_input_never_raises(nlp: Language, text: str) -> None:
    doc = nlp(text)
    sents = list(doc.sents)
    out = choose_headline(
        sents,
        fallback="A fallback title that is considerably longer than fourteen words "
        "so it has to be cut down to size",
    )
    assert isinstance(out, str)
    assert n_words(out) <= 20  # never longer, whatever the input
    if sents:
        assert n_words(compress_sentence(sents[0])) <= 20


def test_empty_candidates_use_fallback_cut() -> None:
    fallback = " ".join(f"word{i}" for i in range(40))
    out = choose_headline([], fallback=fallback)
    assert n_words(out) == 20
    assert choose_headline([]) == ""


def test_very_long_sentence_returns_short_string(nlp: Language) -> None:
    text = "The committee reviewed " + ", ".join(f"report number {i}" for i in range(1700)) + "."
    doc = nlp(text)
    span = doc[:]
    assert n_words(text) > 5000
    assert n_words(compress_sentence(span)) <= 20
    out = choose_headline([span], fallback="Committee reviews reports")
    assert isinstance(out, str) and 0 < n_words(out) <= 20
    assert not out.endswith((",", "number", "report"))  # cut at a phrase boundary, not mid-phrase


def test_best_effort_cut_never_splits_noun_phrase(nlp: Language) -> None:
    text = (
        "Hundreds of volunteers from neighbouring villages cleaned the polluted riverbanks and planted young "
        "oak trees along the eastern shore of the lake near the old mill"
    )
    sent = nlp(text)[:]
    out = choose_headline([sent], max_words=8)
    assert 0 < n_words(out) <= 11  # the ceiling scales with the budget: 20 for 14
    assert not out.endswith(("the", "of", "and", "young", "polluted"))
