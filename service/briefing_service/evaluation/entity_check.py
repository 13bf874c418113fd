"""The entity-table check (`make eval`): the written cases of evaluation/entity_cases.py through the real
pipeline, beside the same table without the tagger and spaCy's raw entities."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from briefing_service.domain import Article, Entity, Summary, SummaryOptions
from briefing_service.evaluation.entity_cases import CASES, Case

if TYPE_CHECKING:
    from briefing_service.pipeline.pipeline import Pipeline


@dataclass(frozen=True)
class Row:
    """What the check reads of one entity."""

    text: str
    type: str
    aliases: tuple[str, ...]


def checks(case: Case, table: Sequence[Row]) -> list[tuple[str, bool]]:
    """Each check of ``case`` with whether ``table`` passes it."""
    by_name = {row.text: row for row in table}
    out: list[tuple[str, bool]] = []
    for want in case.entities:
        row = by_name.get(want.name)
        got = f"{row.type}" if row else "missing"
        out.append(
            (
                f"{want.name} is {'/'.join(sorted(want.types))} (got {got})",
                bool(row and row.type in want.types),
            )
        )
        for alias in want.aliases:
            out.append((f"{alias!r} merged into {want.name}", bool(row and alias in row.aliases)))
    for form in case.absent:
        out.append((f"{form!r} is not an entity of its own", form not in by_name))
    for name, form in case.not_merged:
        row = by_name.get(name)
        out.append((f"{form!r} not merged into {name}", bool(row and form not in row.aliases)))
    return out


class _EmbeddingsOnly:
    """The pipeline's encoder without its word-piece states: the entity table falls back to spaCy."""

    def __init__(self, encoder: Any) -> None:
        self.name, self.version, self._encoder = encoder.name, encoder.version, encoder

    def encode(self, sentences: Sequence[str]) -> np.ndarray:
        return self._encoder.encode(sentences)


def _tables(pipeline: Pipeline, cases: Sequence[Case]) -> list[list[Row]]:
    items = [(Article(text=c.text, id=f"case-{i}"), SummaryOptions()) for i, c in enumerate(cases)]
    out: list[list[Row]] = []
    for result in pipeline.summarize_batch(items):
        if not isinstance(result, Summary):
            raise RuntimeError(f"the pipeline refused a check article: {result}")
        out.append([_row(e) for e in result.entities])
    return out


def _row(e: Entity) -> Row:
    return Row(e.text, e.type, e.aliases)


def _raw_spacy(pipeline: Pipeline, cases: Sequence[Case]) -> list[list[Row]]:
    """spaCy's own entities, one row per distinct text with its most frequent label, nothing merged."""
    out: list[list[Row]] = []
    for doc in pipeline.nlp.pipe([c.text for c in cases]):
        labels: dict[str, Counter[str]] = defaultdict(Counter)
        for ent in doc.ents:
            labels[ent.text][ent.label_] += 1
        out.append([Row(text, c.most_common(1)[0][0], ()) for text, c in labels.items()])
    return out


def eval_entity_table(pipeline: Pipeline, cases: Sequence[Case] = CASES) -> dict[str, Any]:
    systems: dict[str, list[list[Row]]] = {"briefing entity table": _tables(pipeline, cases)}
    encoder = pipeline.encoder
    pipeline.encoder = _EmbeddingsOnly(encoder)
    try:
        systems["table without the tagger (spaCy + rules)"] = _tables(pipeline, cases)
    finally:
        pipeline.encoder = encoder
    systems["spaCy sm alone (raw doc.ents)"] = _raw_spacy(pipeline, cases)
    results: dict[str, Any] = {"articles": len(cases), "systems": {}}
    for name, tables in systems.items():
        scored = [checks(case, table) for case, table in zip(cases, tables, strict=True)]
        passed = sum(ok for case in scored for _, ok in case)
        total = sum(len(case) for case in scored)
        results["systems"][name] = {
            "passed": passed,
            "checks": total,
            "share": round(passed / max(total, 1), 3),
            "failed": [
                f"{case.topic}: {what}"
                for case, s in zip(cases, scored, strict=True)
                for what, ok in s
                if not ok
            ],
        }
    return results
