"""`briefing build` killed with SIGKILL mid-run, then started again: it summarizes only what is missing, the
briefing holds every article exactly once, and no partial output file is ever left behind (issue 5, proof 6)."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
DATA = ROOT / "tests" / "data" / "briefing"
SOURCES = (
    sorted((ROOT / "examples" / "articles").glob("0*"))
    + sorted(DATA.glob("*.txt"))
    + [DATA / "port-strike.jsonl"]
)


def _inputs(folder: Path, copies: int = 10) -> int:
    folder.mkdir()
    for path in SOURCES:
        shutil.copy(path, folder / path.name)
    texts = [p for p in SOURCES if p.suffix == ".txt"]
    for n in range(copies):  # edited copies: other ids, other text
        source = texts[n % len(texts)]
        (folder / f"copy-{n:02d}-{source.name}").write_text(
            source.read_text() + f"\n\nThis copy was filed as update number {n + 1} of the day.\n"
        )
    return len(SOURCES) + copies + 1  # port-strike.jsonl holds two articles


def _valid_journal_lines(journal: Path) -> list[str]:
    keys = []
    for line in journal.read_text().splitlines():
        try:
            keys.append(json.loads(line)["key"])
        except ValueError:
            continue
    return keys


def test_killed_mid_run_then_resumed_is_complete_without_duplicates(
    server_target: str, tmp_path: Path
) -> None:
    total = _inputs(tmp_path / "in")
    out = tmp_path / "out"
    journal = out / ".briefing-journal.jsonl"
    # One article per stream call, one stream: slow enough to be killed in the middle.
    command = [str(BIN / "briefing"), "build", str(tmp_path / "in"), "--target", server_target]
    command += ["--out", str(out), "--streams", "1", "--chunk", "1"]
    first = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and first.poll() is None:
        if journal.exists() and len(_valid_journal_lines(journal)) >= 4:
            break
        time.sleep(0.05)
    assert first.poll() is None, "the first run finished before it could be killed"
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    done_before = len(set(_valid_journal_lines(journal)))
    assert 4 <= done_before < total
    # Killed before the end: no briefing file, and no half-written one.
    assert sorted(p.name for p in out.iterdir()) == [journal.name]

    second = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert second.returncode == 0, second.stderr
    assert f"resuming: {done_before} of {total} articles already summarized" in second.stderr
    m = re.search(r"(\d+) articles \((\d+) summarized now, (\d+) from the journal\)", second.stderr)
    assert m, second.stderr
    assert (int(m[1]), int(m[2]), int(m[3])) == (total, total - done_before, done_before)

    doc = json.loads((out / "briefing.json").read_text())
    ids = [a["id"] for a in doc["articles"]]
    assert len(ids) == len(set(ids)) == total
    story_ids = [i for s in doc["stories"] for i in s["article_ids"]]
    assert sorted(story_ids) == sorted(ids)  # every article in exactly one story
    keys = _valid_journal_lines(journal)
    assert len(keys) == len(set(keys)) == total  # nothing summarized twice
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [journal.name, "briefing.md", "briefing.html", "briefing.json"]
    )
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    os.sync()
