"""The entity tagger's parts: the committed weights, BIO decoding, word-piece alignment, spans cut at a dash or
a linking preposition, OntoNotes labels from the tagger's classes, and the training labels."""

from __future__ import annotations

import numpy as np
import pytest
from briefing_service.entities.labels import fine_label, split_at_breaks
from briefing_service.entities.tagger import TAGS, WEIGHTS, Tagger, spans_of, viterbi
from briefing_service.entities.tagging import first_piece_states, sentence_words
from briefing_service.evaluation.ner_train import _gold
from briefing_service.models import TokenStates
from briefing_service.parsing.segmenter import parse_texts, sentences_of
from spacy.language import Language
from spacy.tokens import Span


def test_committed_weights_are_small_and_load() -> None:
    assert WEIGHTS.exists() and WEIGHTS.stat().st_size < 10_000_000
    tagger = Tagger.load()
    assert tagger.net.out.out_features == len(TAGS) == 9


def test_decoding_never_opens_a_name_with_inside() -> None:
    rng = np.random.default_rng(0)
    for _ in range(50):
        tags = viterbi(np.log(rng.dirichlet(np.ones(len(TAGS)), size=12)))
        prev = "O"
        for t in tags:
            if TAGS[t].startswith("I-"):
                assert prev != "O" and prev[2:] == TAGS[t][2:]
            prev = TAGS[t]
    # An I- the scores prefer right after O becomes the best valid sequence, not a broken span.
    scores = np.full((2, len(TAGS)), -5.0)
    scores[0, TAGS.index("O")] = 0.0
    scores[1, TAGS.index("I-ORG")] = 0.0
    scores[1, TAGS.index("B-ORG")] = -1.0
    assert [TAGS[t] for t in viterbi(scores)] == ["O", "B-ORG"]
    found = spans_of([TAGS.index(t) for t in ("B-PER", "I-PER", "O", "B-LOC")])
    assert [(f.start, f.end, f.label) for f in found] == [(0, 2, "PER"), (3, 4, "LOC")]


def test_each_word_reads_its_first_word_piece(nlp: Language) -> None:
    text = "Tamsin-Rae flew to Zembla."
    (block,) = parse_texts(nlp, [text])
    (sentence,) = sentences_of([block])
    words = sentence_words(sentence, 0)
    assert [w.text for w in words.words] == [t.text for t in words.tokens]
    # Pieces as the tokenizer cuts them: "tam", "##sin", "-", "rae", "flew", "to", "zem", "##bla", "."
    cuts = [(0, 3), (3, 6), (6, 7), (7, 10), (11, 15), (16, 18), (19, 22), (22, 25), (25, 26)]
    states = TokenStates(np.array(cuts, dtype=np.int32), np.arange(len(cuts), dtype=np.float32)[:, None])
    first = first_piece_states(words, sentence.start, states)
    assert first is not None
    starts = {t.text: t.idx for t in words.tokens}
    expected = [next(i for i, (s, e) in enumerate(cuts) if e > starts[t.text]) for t in words.tokens]
    assert first[:, 0].tolist() == expected
    truncated = TokenStates(states.offsets[:4], states.states[:4])  # the encoder's length limit
    assert first_piece_states(words, sentence.start, truncated) is None


def test_spans_end_at_a_dash_or_a_linking_preposition(nlp: Language) -> None:
    doc = nlp("They face Arsenal at Wembley - and the Bank of England watched.")
    words = [t.text for t in doc]
    wide = doc[words.index("Arsenal") : words.index("and") + 1]
    assert [p.text for p in split_at_breaks(wide)] == ["Arsenal", "Wembley"]
    bank = doc[words.index("Bank") : words.index("England") + 1]
    assert [p.text for p in split_at_breaks(bank)] == ["Bank of England"]


def test_fine_label_keeps_spacys_label_when_the_class_agrees(nlp: Language) -> None:
    doc = nlp.make_doc("Officials in Velmora met the Danube delegation and Kelmark fans.")
    words = [t.text for t in doc]

    def span(word: str) -> Span:
        return doc[words.index(word) : words.index(word) + 1]

    doc.ents = [
        Span(doc, span("Velmora").start, span("Velmora").end, label="GPE"),
        Span(doc, span("Danube").start, span("Danube").end, label="LOC"),
        Span(doc, span("Kelmark").start, span("Kelmark").end, label="ORG"),
    ]
    assert fine_label(span("Velmora"), "LOC") == "GPE"
    assert fine_label(span("Danube"), "LOC") == "LOC"
    assert fine_label(span("Velmora"), "ORG") == "ORG"  # a club named after its city
    assert fine_label(span("Kelmark"), "PER") == "PERSON"
    assert fine_label(span("Kelmark"), "MISC") == "EVENT"
    assert fine_label(span("Officials"), "LOC") == "GPE"


@pytest.mark.parametrize(
    ("word_starts", "expected"),
    [
        ([0, 6, 9, 13], ["B-LOC", "O", "B-PER", "I-PER"]),  # one word per CoNLL token
        ([0, 2, 6, 9], ["B-LOC", "I-LOC", "O", "B-PER"]),  # spaCy cut "US-Kh" in two
        ([13], ["B-PER"]),  # a sentence that starts inside a name opens it with B-
    ],
)
def test_training_labels_follow_the_conll_tokens(word_starts: list[int], expected: list[str]) -> None:
    # CoNLL tokens "US-Kh in Ann Lee": "US-Kh" B-LOC (0-5), "in" O, "Ann" B-PER (9-12), "Lee" I-PER (13-16).
    conll = ([0, 6, 9, 13], [5, 8, 12, 16], ["B-LOC", "O", "B-PER", "I-PER"])
    assert _gold(word_starts, conll) == expected
