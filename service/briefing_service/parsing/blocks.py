"""The parsed form of an article body that the components share."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc


@dataclass(frozen=True)
class ParsedBlock:
    """One body paragraph parsed by spaCy.

    ``doc.text == source_text[offset:offset + len(doc.text)]``, so a character index ``i`` inside the doc is
    ``offset + i`` in the submitted text. Page chrome never reaches a ParsedBlock.
    """

    doc: Doc
    offset: int
