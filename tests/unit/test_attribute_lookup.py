"""The lookup attribute ruler must leave exactly the annotations spaCy's own ruler leaves."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import spacy
from briefing_service.components.attribute_lookup import LookupAttributeRuler, use_lookup_ruler
from briefing_service.components.segmenter import SPACY_MODEL
from spacy.attrs import DEP, LEMMA, MORPH, POS, TAG
from spacy.language import Language
from spacy.pipeline import AttributeRuler

ARTICLES = Path(__file__).resolve().parents[2] / "examples" / "articles"

# The two-token exceptions ("gon na", "y' all", "let 's", "ai n't"), the regex ones ("nothin'"), whitespace
# tokens with and without a dependency, expletive "there is", auxiliaries and determiners used as pronouns.
TRICKY = [
    "I'm gonna go, y'all. Let's see: ain't nothin' here.\n\n  \t There is a cat. C'mon, gotta go!",
    "That is what those were; this one I could have done, but she'd been told not to. Yall gotta see it.",
    "  ",
    "",
    "THE PRIME MINISTER, who had   been there, said: 'We won't.'",
]


@pytest.fixture(scope="module")
def stock() -> Language:
    return spacy.load(SPACY_MODEL)


def _texts() -> list[str]:
    return TRICKY + [
        p.read_text(encoding="utf-8") for p in sorted(ARTICLES.glob("*.*")) if p.name != "README.md"
    ]


def _annotations(nlp: Language, texts: list[str]) -> list[np.ndarray]:
    return [doc.to_array([POS, MORPH, LEMMA, TAG, DEP]) for doc in nlp.pipe(texts)]


def test_the_shared_pipeline_uses_the_lookup_ruler(nlp: Language) -> None:
    ruler = nlp.get_pipe("attribute_ruler")
    assert isinstance(ruler, LookupAttributeRuler)
    assert nlp.pipe_names == ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"]
    assert len(ruler.patterns) == 179


def test_lookup_annotations_equal_spacys(stock: Language, nlp: Language) -> None:
    texts = _texts()
    expected, got = _annotations(stock, texts), _annotations(nlp, texts)
    assert sum(len(a) for a in got) > 5_000
    for text, a, b in zip(texts, expected, got, strict=True):
        assert np.array_equal(a, b), text[:60]
    # spot checks that the exceptions really ran
    doc = nlp(TRICKY[0])
    assert [t.lemma_ for t in doc[2:4]] == ["go", "to"]  # "gon na"
    assert doc[0].pos_ == "PRON" and doc[0].lemma_ == "I"


def test_a_pattern_outside_the_lookup_falls_back_to_the_matcher() -> None:
    nlp = spacy.load(SPACY_MODEL)
    ruler = nlp.get_pipe("attribute_ruler")
    assert isinstance(ruler, AttributeRuler)
    # An operator the lookup does not reproduce: the whole ruler must keep spaCy's Matcher.
    ruler.add([[{"LOWER": "very", "OP": "+"}]], {"POS": "INTJ"})
    use_lookup_ruler(nlp)
    swapped = nlp.get_pipe("attribute_ruler")
    assert isinstance(swapped, LookupAttributeRuler)
    assert not swapped._exact
    doc = nlp("It was very very good.")
    assert [t.pos_ for t in doc[2:4]] == ["INTJ", "INTJ"]
