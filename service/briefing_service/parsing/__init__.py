"""Parsing: spaCy (sentences, dependency parse, NER) in this process or a child process, and the sentence
boundaries news text needs on top of it.

Imported on first use: the server starts the spaCy process before it imports spaCy itself, so that the
child loads its model while the parent loads the rest."""

from __future__ import annotations

from typing import TYPE_CHECKING

from briefing_service.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from briefing_service.parsing.blocks import ParsedBlock
    from briefing_service.parsing.parse_process import ParseProcess
    from briefing_service.parsing.segmenter import (
        SPACY_MODEL,
        Sentence,
        body_sentences,
        load_spacy,
        parse_texts,
        sentences_of,
        spacy_model_version,
    )

__all__ = [
    "SPACY_MODEL",
    "ParseProcess",
    "ParsedBlock",
    "Sentence",
    "body_sentences",
    "load_spacy",
    "parse_texts",
    "sentences_of",
    "spacy_model_version",
]
_SEGMENTER = "briefing_service.parsing.segmenter"
__getattr__ = lazy_exports(
    __name__,
    {
        "ParsedBlock": "briefing_service.parsing.blocks",
        "ParseProcess": "briefing_service.parsing.parse_process",
        **{
            name: _SEGMENTER
            for name in (
                "SPACY_MODEL",
                "Sentence",
                "body_sentences",
                "load_spacy",
                "parse_texts",
                "sentences_of",
                "spacy_model_version",
            )
        },
    },
)
