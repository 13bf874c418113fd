"""Loaders for the evaluation files (read in place from ../shared; nothing is copied into the repo)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class NewsRecord:
    id: str
    article: str
    highlights: str  # reference bullets, one per line
    source: str
    url: str
    anchors: dict[str, str]  # published systems' outputs, by field name


ANCHOR_FIELDS = ("anchor_bertsumext", "anchor_bart_large_cnn")


def load_cnndm(path: Path) -> list[NewsRecord]:
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        records.append(
            NewsRecord(
                id=row["id"],
                article=row["article"],
                highlights=row["highlights"],
                source=row.get("source", ""),
                url=row.get("url", ""),
                anchors={f: row[f] for f in ANCHOR_FIELDS if f in row},
            )
        )
    return records


# LLM summaries are prose paragraphs: one sentence a line for ROUGE-Lsum. A sentence ends at . ! or ? (closing
# quotes or brackets kept with it) before a capital or digit, unless the stop ends an abbreviation or initial.
_SUMMARY_END = re.compile(r"""[.!?]+['"’”)]*(?=\s+['"‘“(]?[A-Z0-9])""")
_ABBREVIATION = re.compile(
    r"(?:\b[A-Z]\.|\b(?:[A-Z]\.){2,}|\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Prof|Gen|Lt|Col|Sgt|Rep|Sen|Gov|No|vs)\.)$"
)


def summary_lines(text: str) -> str:
    """A prose summary as one sentence a line."""
    lines, start = [], 0
    for m in _SUMMARY_END.finditer(text):
        if _ABBREVIATION.search(text[start : m.end()]):
            continue
        lines.append(text[start : m.end()].strip())
        start = m.end()
    lines.append(text[start:].strip())
    return "\n".join(line for line in lines if line)


def load_llm_summaries(path: Path, field: str) -> list[NewsRecord]:
    """``cnndm_llm_*.jsonl`` with ``field`` (``summary_chatgpt``, ``summary_gpt4``...) as the reference, split
    into sentences; records whose summary is empty are skipped."""
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        if not row.get(field, "").strip():
            continue
        records.append(
            NewsRecord(
                id=row["id"],
                article=row["article"],
                highlights=summary_lines(row[field]),
                source=row.get("source", ""),
                url=row.get("url", ""),
                anchors={},
            )
        )
    return records


@dataclass(frozen=True)
class ConllSentence:
    tokens: tuple[str, ...]
    tags: tuple[str, ...]  # IOB2 labels: B-PER, I-ORG, O, ...


def load_conll(path: Path) -> list[list[ConllSentence]]:
    """Documents (split at -DOCSTART-) of sentences (split at blank lines); columns `word POS chunk NER`."""
    docs: list[list[ConllSentence]] = [[]]
    tokens: list[str] = []
    tags: list[str] = []

    def end_sentence() -> None:
        if tokens:
            docs[-1].append(ConllSentence(tuple(tokens), tuple(tags)))
            tokens.clear()
            tags.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        cols = line.split()
        if not cols:
            end_sentence()
        elif cols[0] == "-DOCSTART-":
            end_sentence()
            if docs[-1]:
                docs.append([])
        else:
            tokens.append(cols[0])
            tags.append(cols[-1])
    end_sentence()
    return [d for d in docs if d]


_DM_HOST = re.compile(r"dailymail\.co\.uk/")


def url_slug_words(url: str) -> list[str] | None:
    """The headline words a Daily Mail URL carries in its last path part, or None for other URLs."""
    if not _DM_HOST.search(url):
        return None
    last = url.rstrip("/").rsplit("/", 1)[-1]
    last = re.sub(r"\.html?$", "", last)
    if last.startswith("article-") or "-" not in last:
        return None
    return last.split("-")
