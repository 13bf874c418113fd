"""Reading article files for the CLI and `make briefing`: .txt, .md, .html/.htm and .jsonl."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from briefing.v1 import briefing_pb2 as pb

from briefing_client.client import make_article

SUFFIXES = (".txt", ".md", ".html", ".htm", ".jsonl")


@dataclass(frozen=True)
class Skipped:
    path: str
    reason: str


def _parse_time(value: object) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def _markdown_title(text: str) -> str:
    first = text.lstrip().splitlines()[0] if text.strip() else ""
    return first.lstrip("#").strip() if first.startswith("#") else ""


def read_file(path: Path) -> Iterator[pb.Article]:
    """Yield the articles in one file; raises OSError/ValueError for unreadable content."""
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        with path.open(encoding="utf-8") as lines:
            for n, line in enumerate(lines, 1):
                if not line.strip():
                    continue
                row = json.loads(line)
                yield make_article(
                    str(row.get("text", "")),
                    id=str(row.get("id") or f"{path.stem}-{n}"),
                    title=str(row.get("title", "")),
                    url=str(row.get("url", "")),
                    source=str(row.get("source", "")),
                    published_at=_parse_time(row.get("published_at")),
                )
        return
    text = path.read_text(encoding="utf-8")
    yield make_article(
        text,
        id=path.stem,
        title=_markdown_title(text) if suffix == ".md" else "",
        source=path.name,
        html=suffix in (".html", ".htm"),
    )


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, plus the article files inside given folders (sorted, so runs are repeatable)."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES))
        else:
            out.append(path)
    return out


def read_articles(paths: Iterable[str | Path]) -> tuple[list[pb.Article], list[Skipped]]:
    articles: list[pb.Article] = []
    skipped: list[Skipped] = []
    for path in expand_paths(paths):
        try:
            articles.extend(read_file(path))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            skipped.append(Skipped(str(path), f"{exc.__class__.__name__}: {exc}"))
    return articles, skipped
