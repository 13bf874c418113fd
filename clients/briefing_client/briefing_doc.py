"""The briefing document: the briefing (built from the article summaries by the briefing assembly) as a JSON
document model, and its Markdown rendering (briefing_html.py renders the HTML page, outputs.py writes the files).

The JSON is the document model: Markdown and HTML are rendered from it, and its field names are those of the
`briefing.v1.Briefing` message BuildBriefing returns (`date` is null rather than empty when unresolved).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from briefing.v1 import briefing_pb2 as pb
from briefing_assembly import ArticleDigest, ArticleError, Briefing, Entity, KeyPoint, Mention, build_briefing

SCHEMA = "briefing.v1"
FORMATS = ("md", "html", "json")
# Markdown and HTML show the top of the entity table and a few undated mentions per story; JSON has all.
SHOWN_ENTITIES = 40
SHOWN_UNDATED_PER_STORY = 3


def shown_entities(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return doc["entities"][:SHOWN_ENTITIES]


def shown_undated(doc: dict[str, Any]) -> list[dict[str, Any]]:
    per_story: dict[str, int] = {}
    out = []
    for t in doc["timeline"]:
        if not t["date"] and per_story.get(t["story"], 0) < SHOWN_UNDATED_PER_STORY:
            per_story[t["story"]] = per_story.get(t["story"], 0) + 1
            out.append(t)
    return out


def digest_from_pb(article: pb.Article, response: pb.SummarizeResponse) -> ArticleDigest:
    """What the briefing needs of one article: its metadata and text (sent) and its summary (received)."""
    return ArticleDigest(
        id=article.id,
        text=response.source_text or article.text,
        headline=response.headline,
        key_points=tuple(KeyPoint(k.text, k.score, k.start, k.end) for k in response.key_points),
        entities=tuple(
            Entity(
                text=e.text,
                type=e.type,
                count=e.count,
                salience=e.salience,
                aliases=tuple(e.aliases),
                mentions=tuple(Mention(m.text, m.start, m.end) for m in e.mentions),
            )
            for e in response.entities
        ),
        embedding=tuple(response.embedding),
        title=article.title,
        source=article.source,
        url=article.url,
        published_at=article.published_at.ToDatetime() if article.HasField("published_at") else None,
    )


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def briefing_to_dict(briefing: Briefing, model: dict[str, Any]) -> dict[str, Any]:
    sources = {a.article_id: a for a in briefing.articles}
    return {
        "schema": SCHEMA,
        "generated_at": _time(briefing.generated_at),
        "model": model,
        "article_count": len(briefing.articles),
        "stories": [
            {
                "id": s.id,
                "headline": s.headline,
                "score": s.score,
                "article_ids": list(s.article_ids),
                "sources": [
                    {
                        "article_id": i,
                        "title": sources[i].title,
                        "source": sources[i].source,
                        "url": sources[i].url,
                    }
                    for i in s.article_ids
                ],
                "key_points": [
                    {
                        "text": k.text,
                        "article_id": k.article_id,
                        "start": k.start,
                        "end": k.end,
                        "score": k.score,
                    }
                    for k in s.key_points
                ],
                "entities": list(s.entities),
            }
            for s in briefing.stories
        ],
        "entities": [
            {
                "text": e.text,
                "type": e.type,
                "article_count": e.article_count,
                "mention_count": e.mention_count,
                "salience": e.salience,
                "aliases": list(e.aliases),
                "article_ids": list(e.article_ids),
                "stories": list(e.story_ids),
            }
            for e in briefing.entities
        ],
        "timeline": [
            {
                "date": t.date,
                "granularity": t.granularity,
                "text": t.text,
                "mention": t.mention,
                "story": t.story_id,
                "article_id": t.article_id,
                "start": t.start,
                "end": t.end,
            }
            for t in briefing.timeline
        ],
        "articles": [
            {
                "id": a.article_id,
                "title": a.title,
                "source": a.source,
                "url": a.url,
                "published_at": _time(a.published_at),
                "story": a.story_id,
                "headline": a.headline,
                "key_points": [
                    {"text": k.text, "score": k.score, "start": k.start, "end": k.end} for k in a.key_points
                ],
                "entities": [
                    {
                        "text": e.text,
                        "type": e.type,
                        "count": e.count,
                        "salience": e.salience,
                        "aliases": list(e.aliases),
                    }
                    for e in a.entities
                ],
            }
            for a in briefing.articles
        ],
        "errors": [{"source": e.source, "reason": e.reason} for e in briefing.errors],
    }


def build_document(
    digests: Sequence[ArticleDigest],
    errors: Sequence[ArticleError],
    model: dict[str, Any],
    run: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The document; ``run`` (how `briefing build` made it: its engine, where, how many articles) goes in
    after `model`."""
    doc = briefing_to_dict(build_briefing(digests, errors), model)
    if run is None:
        return doc
    out: dict[str, Any] = {}
    for key, value in doc.items():
        out[key] = value
        if key == "model":
            out["run"] = run
    return out


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _md_cell(text: str) -> str:
    return _one_line(text).replace("|", "\\|")


def render_markdown(doc: dict[str, Any]) -> str:
    stories = doc["stories"]
    lines = [
        f"# Briefing — {len(stories)} stories from {doc['article_count']} articles",
        "",
        f"_Generated {doc['generated_at']}._",
        "",
        "## Stories",
        "",
    ]
    for s in stories:
        n = len(s["article_ids"])
        lines += [f"### {s['id'].upper()}. {s['headline']}", ""]
        lines.append(f"_{n} article{'s' if n != 1 else ''}: {', '.join(s['article_ids'])}_")
        if s["entities"]:
            lines.append(f"_Who and what: {', '.join(s['entities'])}_")
        lines.append("")
        lines += [f"- {k['text']} [{k['article_id']} {k['start']}–{k['end']}]" for k in s["key_points"]]
        lines.append("")
    if doc["entities"]:
        more = len(doc["entities"]) - len(shown_entities(doc))
        lines += [
            "## Who and what",
            "",
            *([f"_The top {SHOWN_ENTITIES}; {more} more in briefing.json._", ""] if more > 0 else []),
            "| Entity | Type | Articles | Mentions | Stories |",
            "|---|---|---:|---:|---|",
        ]
        lines += [
            f"| {_md_cell(e['text'] + (' (also ' + ', '.join(e['aliases']) + ')' if e['aliases'] else ''))} | {e['type']} | {e['article_count']} | {e['mention_count']} | "
            f"{', '.join(e['stories'])} |"
            for e in shown_entities(doc)
        ]
        lines.append("")
    dated = [t for t in doc["timeline"] if t["date"]]
    undated = shown_undated(doc)
    if doc["timeline"]:
        lines += ["## Timeline", ""]
        lines += [f"- **{t['date']}** ({t['mention']}) {t['text']} [{t['story']}]" for t in dated]
        if undated:
            lines += ["", "Not resolved to a date (a few per story):", ""]
            lines += [f"- _{t['mention']}_: {t['text']} [{t['story']}]" for t in undated]
        lines.append("")
    lines += ["## Articles", ""]
    for a in doc["articles"]:
        lines += [f"### {a['headline'] or a['id']}", ""]
        meta = [f"`{a['id']}`", f"story {a['story']}"]
        meta += [x for x in (a["title"], a["source"], a["published_at"]) if x]
        lines += [" · ".join(meta), ""]
        lines += [f"- {_one_line(k['text'])}" for k in a["key_points"]]
        ents = [f"{e['text']} ({e['type']})" for e in a["entities"][:10]]
        if ents:
            lines += ["", "Entities: " + ", ".join(ents)]
        lines.append("")
    if doc["errors"]:
        lines += ["## Not summarized", ""]
        lines += [f"- {e['source']}: {e['reason']}" for e in doc["errors"]]
        lines.append("")
    return "\n".join(lines)
