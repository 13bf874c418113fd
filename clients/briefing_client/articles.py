"""Reading article files for the CLI and `make briefing`: .txt, .md, .html/.htm and .jsonl, and `-` for
standard input (read as one plain-text article unless told it is another format).

HTML pages are reduced to their main text here, with trafilatura (title and publication date kept), so the
briefing's offsets index the text this client sent. A file, or a .jsonl line, that cannot be read is
reported and skipped; it never stops the others.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from briefing.v1 import briefing_pb2 as pb

from briefing_client.messages import make_article

SUFFIXES = (".txt", ".md", ".html", ".htm", ".jsonl")
STDIN = "-"
STDIN_FORMATS = ("txt", "md", "html", "jsonl")
# A publication date stated near the top of a text file: "Published: 2026-05-06", "May 6, 2026", …
_DATE_LINE = re.compile(
    r"^\s*(?:(?:published|posted|updated|date)\s*:?\s*(?:on\s+)?)?"
    r"(?P<date>\d{4}-\d\d-\d\d(?:[T ][\d:]+(?:Z|[+-]\d\d:?\d\d)?)?|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2},? \d{4})\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Skipped:
    path: str
    reason: str


def parse_time(value: object) -> datetime | None:
    """ISO 8601 ("2026-05-06", "2026-05-06T08:00:00Z") or "May 6, 2026"; None when empty."""
    if not value:
        return None
    text = str(value).strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    for fmt in ("%B %d, %Y", "%B %d %Y", "%b %d, %Y", "%b %d %Y", "%b. %d, %Y"):
        try:
            return datetime.strptime(text.replace("Sept", "Sep"), fmt)
        except ValueError:
            continue
    raise ValueError(f"published_at {text!r} is not a date; use ISO 8601, e.g. 2026-05-06")


def stated_date(text: str, lines: int = 6) -> datetime | None:
    """The publication date a text file states on a line of its own near the top, if any."""
    for line in text.strip().splitlines()[:lines]:
        if m := _DATE_LINE.match(line):
            try:
                return parse_time(m["date"])
            except ValueError:
                return None
    return None


def _markdown_title(text: str) -> str:
    first = text.lstrip().splitlines()[0] if text.strip() else ""
    return first.lstrip("#").strip() if first.startswith("#") else ""


def _jsonl_articles(lines: Iterable[str], name: str, stem: str) -> tuple[list[pb.Article], list[Skipped]]:
    articles: list[pb.Article] = []
    skipped: list[Skipped] = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            if not isinstance(row, dict):
                raise ValueError(f"line is a JSON {type(row).__name__}; expected an object")
            articles.append(
                make_article(
                    str(row.get("text", "")),
                    id=str(row.get("id") or f"{stem}-{n}"),
                    title=str(row.get("title", "")),
                    url=str(row.get("url", "")),
                    source=str(row.get("source", "")),
                    published_at=parse_time(row.get("published_at")),
                )
            )
        except ValueError as exc:
            skipped.append(Skipped(f"{name}:{n}", f"{exc.__class__.__name__}: {exc}"))
    return articles, skipped


def _html_article(html: str, stem: str, name: str) -> pb.Article:
    import trafilatura  # imported here: only HTML input pays for it

    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True)
    if not (text or "").strip():
        # Short pages fall under trafilatura's precision threshold; recall mode still drops navigation.
        text = trafilatura.extract(html, include_comments=False, favor_recall=True)
    if not (text or "").strip():
        raise ValueError("no main text found in the HTML page")
    meta = trafilatura.extract_metadata(html)
    published = None
    if meta and meta.date:
        try:
            published = parse_time(meta.date)
        except ValueError:
            published = None
    # trafilatura separates paragraphs with one newline; blank lines keep them separate blocks.
    return make_article(
        (text or "").replace("\n", "\n\n"),
        id=stem,
        title=(meta.title or "") if meta else "",
        url=(meta.url or "") if meta else "",
        source=name,
        published_at=published,
    )


def parse_text(text: str, fmt: str, stem: str, name: str) -> tuple[list[pb.Article], list[Skipped]]:
    """The articles in ``text`` of format ``fmt`` (a suffix without its dot); ValueError when there is none."""
    if fmt == "jsonl":
        return _jsonl_articles(text.splitlines(), name, stem)
    if fmt in ("html", "htm"):
        return [_html_article(text, stem, name)], []
    article = make_article(
        text,
        id=stem,
        title=_markdown_title(text) if fmt == "md" else "",
        source=name,
        published_at=stated_date(text),
    )
    return [article], []


def read_file(path: Path, stdin_format: str = "txt") -> tuple[list[pb.Article], list[Skipped]]:
    """The articles in one file (`-`: standard input, in ``stdin_format``); raises OSError/ValueError when
    the whole file is unreadable."""
    if str(path) == STDIN:
        return parse_text(sys.stdin.read(), stdin_format, "stdin", "stdin")
    return parse_text(path.read_text(encoding="utf-8"), path.suffix.lower().lstrip("."), path.stem, path.name)


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, plus the article files inside given folders (sorted, so runs are repeatable; a folder's
    README is its documentation, not an article, and hidden files such as the journal are not articles)."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if str(raw) == STDIN:
            out.append(path)
        elif path.is_dir():
            out.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file()
                    and p.suffix.lower() in SUFFIXES
                    and not p.name.startswith(".")
                    and p.stem.upper() != "README"
                )
            )
        else:
            out.append(path)
    return out


def read_articles(
    paths: Iterable[str | Path], stdin_format: str = "txt"
) -> tuple[list[pb.Article], list[Skipped]]:
    """Every readable article, ids made unique ("id~2" for a repeat); every unreadable file or line, why. A
    folder with no article file in it counts as unreadable."""
    articles: list[pb.Article] = []
    skipped: list[Skipped] = []
    for raw in paths:
        if str(raw) != STDIN and Path(raw).is_dir() and not expand_paths([raw]):
            skipped.append(Skipped(str(raw), f"no article files ({', '.join(SUFFIXES)}) in this folder"))
    for path in expand_paths(paths):
        try:
            found, bad = read_file(path, stdin_format)
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            skipped.append(Skipped(str(path), f"{exc.__class__.__name__}: {exc}"))
            continue
        articles.extend(found)
        skipped.extend(bad)
    seen: set[str] = set()
    for article in articles:
        base, k = article.id, 1
        while article.id in seen:
            k += 1
            article.id = f"{base}~{k}"
        seen.add(article.id)
    return articles, skipped
