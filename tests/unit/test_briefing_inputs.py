"""Reading article files and the progress journal of `briefing build`."""

from __future__ import annotations

import json
from pathlib import Path

from briefing.v1 import briefing_pb2 as pb
from briefing_client.articles import read_articles
from briefing_client.journal import Journal, article_key

PAGE = """<!DOCTYPE html><html><head><title>Harbour ferry returns | Example News</title>
<meta property="og:title" content="Harbour ferry returns after a year">
<meta property="article:published_time" content="2026-04-02T09:00:00Z"></head>
<body><nav><a href="/">Home</a> | <a href="/local">Local</a></nav>
<article><h1>Harbour ferry returns after a year</h1>
<p>The harbour ferry resumed service on Thursday after a year of repairs to its hull and engines, and
the first crossing carried more than two hundred passengers, the operator said.</p>
<p>The route links the old town with the island villages and had been replaced by a bus detour that added
forty minutes to each trip, according to commuters who waited at the pier on Thursday morning.</p>
</article><footer>Subscribe to our newsletter</footer></body></html>"""


def test_html_gives_main_text_title_and_date(tmp_path: Path) -> None:
    (tmp_path / "ferry.html").write_text(PAGE)
    (articles, skipped) = read_articles([tmp_path])
    assert not skipped
    (article,) = articles
    assert article.title == "Harbour ferry returns after a year"
    assert article.published_at.ToDatetime().date().isoformat() == "2026-04-02"
    assert "first crossing carried" in article.text
    assert "Subscribe" not in article.text and "Home" not in article.text
    assert article.content_type != pb.CONTENT_TYPE_HTML  # the offsets index the extracted text we send


def test_bad_files_and_lines_are_reported_and_skipped(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# About this folder\n")
    (tmp_path / "broken.txt").write_bytes(b"\xff\xfe not utf-8")
    (tmp_path / "ok.txt").write_text("Ferry news\n\nPublished: 2026-04-03\n\nThe ferry ran again.")
    rows = [
        {"id": "x", "text": "One.", "published_at": "2026-04-01T08:00:00Z"},
        "not an object",
        {"id": "x", "text": "Two.", "published_at": "not a date"},
        {"id": "x", "text": "Three."},
    ]
    (tmp_path / "feed.jsonl").write_text(
        "\n".join(json.dumps(r) for r in rows) + "\n{broken json\n", encoding="utf-8"
    )
    articles, skipped = read_articles([tmp_path])
    assert [a.id for a in articles] == ["x", "x~2", "ok"]  # README is documentation; ids made unique
    assert articles[2].published_at.ToDatetime().date().isoformat() == "2026-04-03"
    reasons = {s.path.rsplit("/", 1)[-1]: s.reason for s in skipped}
    assert set(reasons) == {"broken.txt", "feed.jsonl:2", "feed.jsonl:3", "feed.jsonl:5"}
    assert "not a date" in reasons["feed.jsonl:3"]


def test_journal_survives_a_partial_last_line_and_counts_once(tmp_path: Path) -> None:
    a = pb.Article(id="a", text="Alpha text.")
    b = pb.Article(id="b", text="Beta text.")
    with Journal(tmp_path) as journal:
        journal.record(article_key(a), pb.SummarizeResponse(article_id="a", headline="A"))
        journal.record(article_key(a), pb.SummarizeResponse(article_id="a", headline="A again"))
    with (tmp_path / ".briefing-journal.jsonl").open("a") as f:
        f.write('{"key": "b\\tdead", "respo')  # what a SIGKILL mid-write leaves
    journal = Journal(tmp_path)
    assert set(journal.done) == {article_key(a)} and journal.ignored_lines == 1
    with journal:
        journal.record(article_key(b), pb.SummarizeResponse(article_id="b", headline="B"))
    again = Journal(tmp_path)
    assert set(again.done) == {article_key(a), article_key(b)} and again.ignored_lines == 1
    # An edited article has another key: it is summarized again.
    assert article_key(pb.Article(id="a", text="Alpha text, edited.")) not in again.done
    assert Journal(tmp_path, fresh=True).done == {}


def test_a_failed_write_leaves_the_old_file_and_no_temp_file(tmp_path: Path) -> None:
    import pytest
    from briefing_client.outputs import write_atomic

    target = tmp_path / "briefing.md"
    write_atomic(target, "old briefing\n")
    assert oct(target.stat().st_mode & 0o777) == "0o644"
    with pytest.raises(TypeError):
        write_atomic(target, None)  # type: ignore[arg-type]
    assert target.read_text() == "old briefing\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["briefing.md"]
