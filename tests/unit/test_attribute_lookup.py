"""The lookup attribute ruler must leave exactly the annotations spaCy's own ruler leaves."""

from __future__ import annotations

import pickle
import random
from pathlib import Path

import numpy as np
import pytest
import spacy
from briefing_service.parsing.attribute_lookup import LookupAttributeRuler, use_lookup_ruler
from briefing_service.parsing.bounded_cache import BoundedCache
from briefing_service.parsing.segmenter import LEMMA_CACHE_LIMIT, SPACY_MODEL
from briefing_service.parsing.sentence_starts import add_sentence_starts
from hostile_cases import new_words
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
    """spaCy's own attribute ruler, with the same sentence-start marks before the parser as the shared one."""
    nlp = spacy.load(SPACY_MODEL)
    add_sentence_starts(nlp)
    return nlp


def _texts() -> list[str]:
    return TRICKY + [
        p.read_text(encoding="utf-8") for p in sorted(ARTICLES.glob("*.*")) if p.name != "README.md"
    ]


def _annotations(nlp: Language, texts: list[str]) -> list[np.ndarray]:
    return [doc.to_array([POS, MORPH, LEMMA, TAG, DEP]) for doc in nlp.pipe(texts)]


def test_the_shared_pipeline_uses_the_lookup_ruler(nlp: Language) -> None:
    ruler = nlp.get_pipe("attribute_ruler")
    assert isinstance(ruler, LookupAttributeRuler)
    assert nlp.pipe_names == [
        "tok2vec",
        "tagger",
        "news_sentence_starts",
        "parser",
        "attribute_ruler",
        "lemmatizer",
        "ner",
    ]
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


def test_the_lookup_cache_does_not_grow_with_new_words(stock: Language, nlp: Language) -> None:
    """Keyed by the word, the cache took an entry for nearly every new word (a server's memory grew with its
    traffic); keyed by what the patterns can tell apart, new words land in entries that already exist."""
    ruler = nlp.get_pipe("attribute_ruler")
    assert isinstance(ruler, LookupAttributeRuler)
    texts = [new_words(random.Random(seed), 2_000) for seed in range(3)]
    expected, got = _annotations(stock, texts[:1]), _annotations(nlp, texts[:1])
    assert np.array_equal(expected[0], got[0])
    before = len(ruler._cache)
    _annotations(nlp, texts[1:])  # 4,000 more tokens, two thirds of them new words
    # What is left are new (tag, dependency) pairs of the named words in odd parses: about 120 here, against
    # 3,490 when the key was the word itself.
    assert len(ruler._cache) - before < 250, f"{len(ruler._cache) - before} new cache entries"


def test_the_lemmatizer_cache_is_bounded(nlp: Language) -> None:
    lemmatizer = nlp.get_pipe("lemmatizer")
    assert isinstance(lemmatizer.cache, BoundedCache) and lemmatizer.cache.limit == LEMMA_CACHE_LIMIT
    cache = BoundedCache(3)
    for key in "abcd":
        cache[key] = key.upper()
    assert cache == {"d": "D"}  # full at "d": emptied, then "d" stored
    copy = pickle.loads(pickle.dumps(cache))
    assert copy == cache and copy.limit == 3
