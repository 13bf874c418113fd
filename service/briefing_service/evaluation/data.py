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
