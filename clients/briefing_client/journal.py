"""The progress journal of `briefing build`: killed at any moment and started again, it redoes only what is
missing and never counts an article twice.

One JSON line per summarized article, appended and fsynced before the article counts as done. The key is the
article id plus the SHA-256 of its text, so an edited file is summarized again. A kill can leave at most one
partial last line; it is ignored (and the article summarized again). Lines for articles no longer in the
input are ignored too.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any, TextIO

from briefing.v1 import briefing_pb2 as pb
from google.protobuf import json_format

JOURNAL_NAME = ".briefing-journal.jsonl"


def article_key(article: pb.Article) -> str:
    digest = hashlib.sha256(article.text.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{article.id}\t{digest}"


class Journal:
    def __init__(self, out_dir: Path, *, fresh: bool = False) -> None:
        self.path = out_dir / JOURNAL_NAME
        self.done: dict[str, pb.SummarizeResponse] = {}
        self.ignored_lines = 0
        out_dir.mkdir(parents=True, exist_ok=True)
        if fresh:
            self.path.unlink(missing_ok=True)
        elif self.path.exists():
            self._load()
        self._handle: TextIO | None = None

    def _load(self) -> None:
        with self.path.open(encoding="utf-8") as lines:
            for line in lines:
                try:
                    row = json.loads(line)
                    response = json_format.ParseDict(row["response"], pb.SummarizeResponse())
                    self.done[str(row["key"])] = response  # a repeated key: the last one wins, once
                except (ValueError, KeyError, TypeError, json_format.ParseError):
                    self.ignored_lines += 1  # the partial line a kill can leave

    def __enter__(self) -> Journal:
        # A partial last line gets a newline first, so the next record starts on a line of its own.
        needs_newline = self.path.exists() and self.path.stat().st_size > 0 and not self._ends_with_newline()
        self._handle = self.path.open("a", encoding="utf-8")
        if needs_newline:
            self._handle.write("\n")
        return self

    def _ends_with_newline(self) -> bool:
        with self.path.open("rb") as f:
            f.seek(-1, os.SEEK_END)
            return f.read(1) == b"\n"

    def __exit__(self, *exc: object) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def record(self, key: str, response: pb.SummarizeResponse) -> None:
        assert self._handle is not None, "use the journal as a context manager"
        row: dict[str, Any] = {"key": key, "response": json_format.MessageToDict(response)}
        self._handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self.done[key] = response
