"""Writing the briefing's files: JSON, Markdown and HTML, each atomically."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from briefing_client.briefing_doc import FORMATS, render_markdown
from briefing_client.briefing_html import render_html


def write_atomic(path: Path, content: str) -> None:
    """Write to a temp file in the same folder, fsync, rename: a reader (or a kill) never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the briefing is meant to be read
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_outputs(doc: dict[str, Any], out_dir: Path, formats: Sequence[str]) -> list[Path]:
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise ValueError(f"unknown format(s) {', '.join(unknown)}; allowed: {', '.join(FORMATS)}")
    renderers = {
        "json": lambda: json.dumps(doc, indent=2, ensure_ascii=False) + "\n",
        "md": lambda: render_markdown(doc),
        "html": lambda: render_html(doc),
    }
    written = []
    for fmt in FORMATS:
        if fmt in formats:
            path = out_dir / f"briefing.{fmt}"
            write_atomic(path, renderers[fmt]())
            written.append(path)
    return written
