"""The `briefing` CLI and `make briefing` on the bundled articles."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "articles"
BIN = Path(sys.executable).parent


def _run(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=600, cwd=ROOT, **kwargs)  # type: ignore[call-overload]


def test_cli_json_uses_proto_field_names_and_prints_zero_values(server_target: str, sample_page: str) -> None:
    sample = ROOT.parent / "shared" / "samples" / "scraped_page_us_pakistan.txt"
    out = _run([str(BIN / "briefing"), "summarize", "--target", server_target, "--json", str(sample)])
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert {
        "article_id",
        "headline",
        "key_points",
        "entities",
        "content_sha256",
        "warnings",
        "abstract",
    } <= set(data)
    assert data["abstract"] == ""  # zero values are printed
    assert data["key_points"][0]["start"] >= 0 and "end" in data["key_points"][0]
    assert len(data["headline"].split()) <= 20


def test_cli_health(server_target: str) -> None:
    out = _run([str(BIN / "briefing"), "health", "--target", server_target])
    assert out.returncode == 0 and out.stdout.strip() == "SERVING"


def test_cli_reports_a_bad_file_and_goes_on(server_target: str, tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("The town hall reopened on Saturday after a year of repairs, officials said.")
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    out = _run([str(BIN / "briefing"), "summarize", "--target", server_target, str(empty), str(good)])
    assert out.returncode == 1  # some articles failed; the rest were printed
    assert (
        out.stderr
        == "briefing: empty: INVALID_ARGUMENT ARTICLE_EMPTY: article text is empty; send 1 to 200,000 chars of text\n"
    )
    assert "town hall" in out.stdout.lower()


def test_briefing_build_against_a_running_server(server_target: str, tmp_path: Path) -> None:
    bad = tmp_path / "in"
    bad.mkdir()
    (bad / "broken.txt").write_bytes(b"\xff\xfe not utf-8 \xff")
    out = _run(
        [
            str(BIN / "briefing"),
            "build",
            str(EXAMPLES),
            str(bad),
            "--target",
            server_target,
            "--out",
            str(tmp_path / "out"),
        ]
    )
    assert out.returncode == 3, out.stderr  # a file could not be read; the briefing of the rest is written
    doc = json.loads((tmp_path / "out" / "briefing.json").read_text())
    # The folder's README.md is its documentation, not an article.
    n_files = len(
        [p for p in EXAMPLES.iterdir() if p.suffix in (".txt", ".md", ".html") and p.stem != "README"]
    )
    assert doc["article_count"] == n_files
    assert any("broken.txt" in e["source"] for e in doc["errors"])
    for article in doc["articles"]:
        assert article["headline"] and len(article["headline"].split()) <= 20
        assert article["key_points"] and article["entities"]
    assert doc["entities"] and doc["entities"][0]["article_count"] >= 1
    md = (tmp_path / "out" / "briefing.md").read_text()
    assert md.startswith("# Briefing") and all(a["headline"] in md for a in doc["articles"])


@pytest.mark.slow
def test_make_briefing_starts_its_own_server(tmp_path: Path) -> None:
    out = _run(["make", "--no-print-directory", "briefing", f"OUT={tmp_path}"], env={**os.environ})
    assert out.returncode == 0, out.stdout + out.stderr
    assert (tmp_path / "briefing.md").exists() and (tmp_path / "briefing.json").exists()
    doc = json.loads((tmp_path / "briefing.json").read_text())
    assert doc["article_count"] >= 6
