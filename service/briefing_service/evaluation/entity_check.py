"""The entity-table check (`make eval`): the written cases (evaluation/entity_cases*.py) through the real
pipeline, beside the same table without the tagger and spaCy's raw entities; each set of cases scored apart,
and the sealed set's failed checks never printed (it estimates the table on unseen news)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from briefing_service.domain import Article, Entity, Summary, SummaryOptions
from briefing_service.evaluation.entity_cases import CASES, Case
from briefing_service.evaluation.entity_cases_sealed import SEALED_CASES
from briefing_service.evaluation.entity_cases_second import SECOND_CASES

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


# name -> (cases, whether its failed checks are shown)
CASE_SETS: dict[str, tuple[tuple[Case, ...], bool]] = {
    "first (entity_cases.py)": (CASES, True),
    "second (entity_cases_second.py)": (SECOND_CASES, True),
    "sealed (entity_cases_sealed.py)": (SEALED_CASES, False),
}


def _share(passed: int, total: int) -> dict[str, Any]:
    return {"passed": passed, "checks": total, "share": round(passed / max(total, 1), 3)}


def eval_entity_table(
    pipeline: Pipeline, sets: dict[str, tuple[tuple[Case, ...], bool]] = CASE_SETS
) -> dict[str, Any]:
    cases = [case for group, _ in sets.values() for case in group]
    set_of = [name for name, (group, _) in sets.items() for _ in group]
    systems: dict[str, list[list[Row]]] = {"briefing entity table": _tables(pipeline, cases)}
    encoder = pipeline.encoder
    pipeline.encoder = _EmbeddingsOnly(encoder)
    try:
        systems["table without the tagger (spaCy + rules)"] = _tables(pipeline, cases)
    finally:
        pipeline.encoder = encoder
    systems["spaCy sm alone (raw doc.ents)"] = _raw_spacy(pipeline, cases)
    results: dict[str, Any] = {
        "articles": len(cases),
        "sets": {name: len(group) for name, (group, _) in sets.items()},
        "systems": {},
    }
    for name, tables in systems.items():
        scored = [checks(case, table) for case, table in zip(cases, tables, strict=True)]
        by_set = {
            s: _share(
                sum(ok for k, c in enumerate(scored) if set_of[k] == s for _, ok in c),
                sum(len(c) for k, c in enumerate(scored) if set_of[k] == s),
            )
            for s in sets
        }
        results["systems"][name] = {
            **_share(sum(ok for c in scored for _, ok in c), sum(len(c) for c in scored)),
            "by_set": by_set,
            "failed": [
                f"{case.topic}: {what}"
                for k, (case, s) in enumerate(zip(cases, scored, strict=True))
                if sets[set_of[k]][1]
                for what, ok in s
                if not ok
            ],
        }
    return results
