"""The transport-free briefing on hand-made digests: stories, ranking, merged points, entities, timeline."""

from __future__ import annotations

from datetime import datetime

import numpy as np
from briefing_assembly import ArticleDigest, build_briefing
from briefing_assembly.entities import merge_entities
from briefing_assembly.grouping import cluster, lexical_similarity
from briefing_service.domain import Entity, KeyPoint, Mention


def _vec(*hot: int, dim: int = 8) -> tuple[float, ...]:
    v = np.zeros(dim)
    v[list(hot)] = 1.0
    return tuple(float(x) for x in v / np.linalg.norm(v))


def _digest(
    id: str,
    sentences: list[str],
    entities: list[tuple[str, str]],
    embedding: tuple[float, ...],
    published: datetime | None = None,
) -> ArticleDigest:
    text = " ".join(sentences)
    points = []
    pos = 0
    for n, s in enumerate(sentences):
        start = text.index(s, pos)
        points.append(KeyPoint(s, round(1 - n / 10, 2), start, start + len(s)))
        pos = start + len(s)
    ents = []
    for name, label in entities:
        start = text.index(name)
        ents.append(Entity(name, label, 1, 0.3, (), (Mention(name, start, start + len(name)),)))
    return ArticleDigest(
        id=id,
        text=text,
        headline=sentences[0][:60],
        key_points=tuple(points),
        entities=tuple(ents),
        embedding=embedding,
        published_at=published,
    )


STRIKE_A = _digest(
    "strike-a",
    [
        "Dockworkers walked off the job at the Port of Valmora on Monday in a pay dispute.",
        "Union leader Marta Ilesco said crane operators had worked double shifts for months.",
        "Talks will resume on Friday with a mediator.",
    ],
    [("Port of Valmora", "LOC"), ("Marta Ilesco", "PERSON"), ("Monday", "DATE"), ("Friday", "DATE")],
    _vec(0, 1),
    datetime(2026, 5, 6),
)
STRIKE_B = _digest(
    "strike-b",
    [
        "The strike at the Port of Valmora entered its fourth day as ships waited offshore.",
        "Dockworkers walked off the job at the Port of Valmora on Monday in a pay dispute, officials said.",
        "Ilesco said members would stay out until the offer improved.",
    ],
    [("Port of Valmora", "GPE"), ("Ilesco", "ORG"), ("Monday", "DATE")],
    _vec(0, 1, 2),
    datetime(2026, 5, 7),
)
LIBRARY = _digest(
    "library",
    [
        "The Northfield library reopened yesterday after months of flood repairs.",
        "Head librarian Priya Castellanos said 2,000 visitors came on the first day.",
    ],
    [("Northfield", "GPE"), ("Priya Castellanos", "PERSON"), ("yesterday", "DATE")],
    _vec(5, 6),
    datetime(2026, 5, 6),
)


def test_same_event_articles_form_one_story_ranked_first() -> None:
    briefing = build_briefing([LIBRARY, STRIKE_A, STRIKE_B])
    assert [sorted(s.article_ids) for s in briefing.stories] == [["strike-a", "strike-b"], ["library"]]
    assert briefing.stories[0].id == "s1" and briefing.stories[0].score > briefing.stories[1].score
    assert {a.article_id: a.story_id for a in briefing.articles} == {
        "library": "s2",
        "strike-a": "s1",
        "strike-b": "s1",
    }


def test_merged_key_points_drop_repeats_and_cite_their_article_exactly() -> None:
    digests = {d.id: d for d in (STRIKE_A, STRIKE_B)}
    story = build_briefing([STRIKE_A, STRIKE_B]).stories[0]
    texts = [k.text for k in story.key_points]
    # "Dockworkers walked off … on Monday" is in both articles; it appears once.
    assert sum("walked off the job" in t for t in texts) == 1
    assert len(texts) == 5
    for k in story.key_points:
        assert digests[k.article_id].text[k.start : k.end] == k.text


def test_entities_merge_across_articles_and_types() -> None:
    briefing = build_briefing([STRIKE_A, STRIKE_B, LIBRARY])
    rows = {e.text: e for e in briefing.entities}
    assert rows["Marta Ilesco"].article_count == 2 and rows["Marta Ilesco"].type == "PERSON"
    assert "Ilesco" in rows["Marta Ilesco"].aliases and "Ilesco" not in rows
    assert rows["Port of Valmora"].article_count == 2 and rows["Port of Valmora"].story_ids == ("s1",)
    assert "Monday" not in rows  # dates go to the timeline


def test_an_ambiguous_short_name_is_not_merged() -> None:
    a = _digest("a", ["John Smith spoke to the council on Monday."], [("John Smith", "PERSON")], _vec(0))
    b = _digest("b", ["Jane Smith chaired the meeting later."], [("Jane Smith", "PERSON")], _vec(1))
    c = _digest("c", ["Smith said the vote was fair and final."], [("Smith", "PERSON")], _vec(2))
    names = {g.text for g in merge_entities([a, b, c]).groups}
    assert names == {"John Smith", "Jane Smith", "Smith"}


def test_timeline_resolves_relative_dates_and_links_stories() -> None:
    briefing = build_briefing([STRIKE_A, STRIKE_B, LIBRARY])
    by_mention = {(t.article_id, t.mention): t for t in briefing.timeline}
    assert by_mention[("strike-a", "Friday")].date == "2026-05-08"
    assert by_mention[("strike-a", "Monday")].date == "2026-05-04"
    assert by_mention[("library", "yesterday")].date == "2026-05-05"
    assert by_mention[("library", "yesterday")].story_id == "s2"
    assert by_mention[("strike-a", "Friday")].text == "Talks will resume on Friday with a mediator."
    dates = [t.date for t in briefing.timeline if t.date]
    assert dates == sorted(dates)


def test_without_embeddings_stories_are_grouped_lexically() -> None:
    plain = [
        ArticleDigest(**{**d.__dict__, "embedding": ()})  # type: ignore[arg-type]
        for d in (STRIKE_A, STRIKE_B, LIBRARY)
    ]
    stories = build_briefing(plain).stories
    assert sorted(stories[0].article_ids) == ["strike-a", "strike-b"]


def test_average_linkage_does_not_chain() -> None:
    # a~b and b~c are close, a and c are not: average linkage keeps c apart.
    sim = np.array([[1.0, 0.9, 0.0], [0.9, 1.0, 0.6], [0.0, 0.6, 1.0]])
    assert cluster(sim, threshold=0.45) == [[0, 1], [2]]
    assert lexical_similarity(["port strike talks", "port strike talks resume"])[0, 1] > 0.5


def test_empty_briefing() -> None:
    briefing = build_briefing([])
    assert briefing.stories == () and briefing.entities == () and briefing.timeline == ()
