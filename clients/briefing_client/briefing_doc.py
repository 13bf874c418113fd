"""The briefing document: many article summaries into one Markdown and one JSON file.

Works on plain dicts (the protobuf JSON mapping of each SummarizeResponse) so the document model is the same
whether the responses come from a live stream or a saved journal.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

TOP_ENTITIES = 25


def cross_article_entities(
    articles: Sequence[dict[str, Any]], limit: int = TOP_ENTITIES
) -> list[dict[str, Any]]:
    """Entities that matter most across all articles: present in many articles, salient where present."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for article in articles:
        for entity in article.get("entities", []):
            key = (entity["text"].casefold(), entity["type"])
            row = rows.setdefault(
                key,
                {
                    "text": entity["text"],
                    "type": entity["type"],
                    "article_count": 0,
                    "mention_count": 0,
                    "salience": 0.0,
                    "article_ids": [],
                },
            )
            row["article_count"] += 1
            row["mention_count"] += int(entity.get("count", 0))
            row["salience"] += float(entity.get("salience", 0.0))
            row["article_ids"].append(article.get("article_id", ""))
    ranked = sorted(rows.values(), key=lambda r: (-r["article_count"], -r["salience"], r["text"]))
    for row in ranked:
        row["salience"] = round(row["salience"], 4)
    return ranked[:limit]


def build_document(
    articles: Sequence[dict[str, Any]], errors: Sequence[dict[str, str]], model: dict[str, Any]
) -> dict[str, Any]:
    ok = [a for a in articles if not a.get("status", {}).get("code")]
    return {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "model": model,
        "article_count": len(ok),
        "entities": cross_article_entities(ok),
        "articles": ok,
        "errors": list(errors),
    }


def render_markdown(doc: dict[str, Any]) -> str:
    lines = [f"# Briefing — {doc['article_count']} articles", "", f"_Generated {doc['generated_at']}._", ""]
    if doc["entities"]:
        lines += [
            "## Who and what across all articles",
            "",
            "| Entity | Type | Articles | Mentions |",
            "|---|---|---:|---:|",
        ]
        lines += [
            f"| {e['text']} | {e['type']} | {e['article_count']} | {e['mention_count']} |"
            for e in doc["entities"]
        ]
        lines.append("")
    lines += ["## Articles", ""]
    for article in doc["articles"]:
        title = article.get("headline") or article.get("article_id", "")
        lines += [f"### {title}", "", f"`{article.get('article_id', '')}`", ""]
        lines += [f"- {' '.join(k['text'].split())}" for k in article.get("key_points", [])]
        people = [f"{e['text']} ({e['type']})" for e in article.get("entities", [])[:8]]
        if people:
            lines += ["", "Entities: " + ", ".join(people)]
        lines.append("")
    if doc["errors"]:
        lines += ["## Not summarized", ""]
        lines += [f"- {e['source']}: {e['reason']}" for e in doc["errors"]]
        lines.append("")
    return "\n".join(lines)


def write_atomic(path: Path, content: str) -> None:
    """Write to a temp file in the same folder and rename: a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_outputs(doc: dict[str, Any], out_dir: Path, formats: Sequence[str]) -> list[Path]:
    written = []
    if "json" in formats:
        written.append(out_dir / "briefing.json")
        write_atomic(written[-1], json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    if "md" in formats:
        written.append(out_dir / "briefing.md")
        write_atomic(written[-1], render_markdown(doc))
    return written
