"""The briefing end to end through a real server: `briefing build` (SummarizeStream + local build) and the
BuildBriefing rpc, on the bundled articles plus tests/data/briefing (two articles on one port strike)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from briefing_client import Article, BriefingClient, InvalidArgument
from briefing_client.articles import read_articles

ROOT = Path(__file__).resolve().parents[2]
INPUTS = [ROOT / "examples" / "articles", ROOT / "tests" / "data" / "briefing"]
BIN = Path(sys.executable).parent
STRIKE = {"valmora-port-strike", "valmora-strike-day-four"}
WILDFIRE = {"02-wildfire-costa-del-sol", "03-wildfire-evacuees-estepona"}


@pytest.fixture(scope="module")
def built(server_target: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    out = tmp_path_factory.mktemp("briefing")
    run = subprocess.run(
        [str(BIN / "briefing"), "build", *map(str, INPUTS), "--target", server_target, "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr
    return out, json.loads((out / "briefing.json").read_text())


def _story_of(doc: dict[str, Any], article_id: str) -> dict[str, Any]:
    return next(s for s in doc["stories"] if article_id in s["article_ids"])


def test_same_event_articles_land_in_one_story(built: tuple[Path, dict[str, Any]]) -> None:
    _, doc = built
    assert set(_story_of(doc, "valmora-port-strike")["article_ids"]) == STRIKE
    assert set(_story_of(doc, "02-wildfire-costa-del-sol")["article_ids"]) == WILDFIRE
    others = [s for s in doc["stories"] if not set(s["article_ids"]) & (STRIKE | WILDFIRE)]
    assert all(len(s["article_ids"]) == 1 for s in others)
    assert doc["article_count"] == 11 and len(doc["stories"]) == 9
    # Ranked by coverage first: the two two-article stories lead.
    assert {len(s["article_ids"]) for s in doc["stories"][:2]} == {2}
    assert [s["id"] for s in doc["stories"]] == [f"s{i}" for i in range(1, 10)]


def test_story_key_points_are_merged_without_repeats_and_cite_exact_offsets(
    built: tuple[Path, dict[str, Any]],
) -> None:
    _, doc = built
    texts = {a.id: a.text for a in read_articles(INPUTS)[0]}
    for story in doc["stories"]:
        assert story["headline"] and story["key_points"]
        seen = set()
        for k in story["key_points"]:
            assert " ".join(texts[k["article_id"]][k["start"] : k["end"]].split()) == k["text"]
            assert k["text"] not in seen
            seen.add(k["text"])
    strike = _story_of(doc, "valmora-port-strike")
    assert {k["article_id"] for k in strike["key_points"]} == STRIKE  # both sources contribute


def test_entities_merge_across_articles(built: tuple[Path, dict[str, Any]]) -> None:
    _, doc = built
    rows = {e["text"]: e for e in doc["entities"]}
    ilesco = rows["Marta Ilesco"]  # "Ilesco" alone in the second article
    assert ilesco["type"] == "PERSON" and ilesco["article_count"] == 2 and "Ilesco" in ilesco["aliases"]
    assert "Ilesco" not in rows
    assert set(rows["Oskar Brandvold"]["article_ids"]) == STRIKE
    story = _story_of(doc, "valmora-port-strike")["id"]
    assert rows["Marta Ilesco"]["stories"] == [story]
    assert all({"text", "type", "article_count"} <= set(e) for e in doc["entities"])


def test_relative_dates_resolve_against_each_articles_publication_date(
    built: tuple[Path, dict[str, Any]],
) -> None:
    _, doc = built
    strike = _story_of(doc, "valmora-port-strike")["id"]
    entries = {(t["article_id"], t["mention"]): t for t in doc["timeline"]}
    # Published Wednesday 2026-05-06 ("will resume on Friday") and Thursday 2026-05-07 ("scheduled … Friday").
    assert entries[("valmora-port-strike", "Friday")]["date"] == "2026-05-08"
    assert entries[("valmora-strike-day-four", "Friday")]["date"] == "2026-05-08"
    assert entries[("valmora-port-strike", "Monday")]["date"] == "2026-05-04"
    assert entries[("valmora-port-strike", "next month")]["date"] == "2026-06"
    assert entries[("valmora-port-strike", "March 31")]["date"] == "2026-03-31"
    assert entries[("northfield-library", "yesterday")]["date"] == "2026-05-05"
    assert entries[("valmora-port-strike", "Friday")]["story"] == strike
    assert "Friday" in entries[("valmora-port-strike", "Friday")]["text"]
    # The wildfire articles state no publication date: their weekdays stay text, with date null.
    assert entries[("03-wildfire-evacuees-estepona", "Tuesday")]["date"] is None
    dated = [t["date"] for t in doc["timeline"] if t["date"]]
    assert len(dated) >= 10


def test_outputs_are_complete_and_the_html_is_self_contained(built: tuple[Path, dict[str, Any]]) -> None:
    out, doc = built
    names = sorted(p.name for p in out.iterdir())
    assert names == [".briefing-journal.jsonl", "briefing.html", "briefing.json", "briefing.md"]
    md = (out / "briefing.md").read_text()
    assert md.startswith("# Briefing") and all(s["headline"] in md for s in doc["stories"])
    html = (out / "briefing.html").read_text()
    assert "<style>" in html and 'name="viewport"' in html
    for external in ("<script", "<link", "src=", "@import", "url("):
        assert external not in html
    for story in doc["stories"]:
        assert f'href="#{story["id"]}"' in html and f'id="{story["id"]}"' in html
    assert '<span class="e person">Marta Ilesco</span>' in html
    assert set(doc) >= {"stories", "entities", "timeline", "articles", "errors"}
    assert all({"headline", "article_ids", "key_points"} <= set(s) for s in doc["stories"])
    assert all({"date", "text", "story"} <= set(t) for t in doc["timeline"])


def test_build_briefing_rpc_gives_the_same_briefing(
    client: BriefingClient, built: tuple[Path, dict[str, Any]]
) -> None:
    _, doc = built
    articles, _ = read_articles(INPUTS)
    briefing = client.build_briefing([*articles, Article("   ", id="empty")], timeout=300)
    assert {frozenset(s.article_ids) for s in briefing.stories} == {
        frozenset(s["article_ids"]) for s in doc["stories"]
    }
    assert [s.headline for s in briefing.stories] == [s["headline"] for s in doc["stories"]]
    rows = {e.text: e for e in briefing.entities}
    assert rows["Marta Ilesco"].article_count == 2
    friday = [t for t in briefing.timeline if t.article_id == "valmora-port-strike" and t.mention == "Friday"]
    assert friday[0].date == "2026-05-08"
    assert [(e.source, e.reason.split(":")[0]) for e in briefing.errors] == [("empty", "INVALID_ARGUMENT")]
    assert len(briefing.articles) == 11 and briefing.generated_at.seconds > 0
    assert briefing.model.encoder


def test_build_briefing_rpc_refuses_an_empty_stream(client: BriefingClient) -> None:
    with pytest.raises(InvalidArgument, match="no articles") as err:
        client.build_briefing([], timeout=60)
    assert err.value.reason == "BRIEFING_EMPTY" and err.value.received == 0
