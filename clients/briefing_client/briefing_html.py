"""The briefing as one self-contained HTML page: inline CSS, no scripts, no external resources.

Story navigation is a sticky bar of links; entity names are highlighted by type (the legend says which colour
is which); the layout is one readable column that fits a phone (tables scroll sideways inside their box).
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

from briefing_client.briefing_doc import shown_entities, shown_undated

TYPE_CLASSES = {
    "PERSON": "person",
    "ORG": "org",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "NORP": "norp",
    "EVENT": "event",
    "DATE": "date",
    "TIME": "date",
}
LEGEND = (("person", "Person"), ("org", "Organisation"), ("place", "Place"), ("norp", "Group"),
          ("event", "Event"), ("other", "Other"), ("date", "Date"))  # fmt: skip

CSS = """
:root{--ink:#1d2228;--muted:#5b6570;--line:#dde2e7;--bg:#f6f7f9;--card:#fff;--accent:#1f5fbf}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.55 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
color:var(--ink);background:var(--bg)}
header.top{background:#15202b;color:#fff;padding:1.2rem 1rem 1rem}
header.top h1{margin:0 auto;max-width:50rem;font-size:1.5rem;line-height:1.25}
header.top p{margin:.3rem auto 0;max-width:50rem;color:#c9d3dd;font-size:.9rem}
nav{position:sticky;top:0;z-index:5;background:#fff;border-bottom:1px solid var(--line);
overflow-x:auto;white-space:nowrap;-webkit-overflow-scrolling:touch}
nav .inner{max-width:50rem;margin:0 auto;padding:.45rem .6rem}
nav a{display:inline-block;margin:.1rem .15rem;padding:.25rem .6rem;border-radius:999px;border:1px solid var(--line);
color:var(--ink);text-decoration:none;font-size:.85rem}
nav a.sec{background:#eef3fb;border-color:#c7d6ee;color:var(--accent);font-weight:600}
main{max-width:50rem;margin:0 auto;padding:.8rem .8rem 3rem}
h2.section{font-size:1.2rem;margin:1.8rem 0 .6rem;padding-bottom:.3rem;border-bottom:2px solid var(--ink)}
article.story{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:1rem 1rem .6rem;
margin:0 0 1rem;scroll-margin-top:3.2rem}
article.story h3{margin:0 0 .35rem;font-size:1.15rem;line-height:1.3}
.rank{display:inline-block;min-width:2.1rem;margin-right:.35rem;color:var(--accent)}
.meta{color:var(--muted);font-size:.85rem;margin:.1rem 0 .5rem}
.chips{margin:.2rem 0 .5rem}
.chip{display:inline-block;margin:.12rem .2rem .12rem 0;padding:.05rem .5rem;border-radius:999px;font-size:.8rem}
ul.points{margin:.3rem 0 .6rem;padding-left:1.1rem}
ul.points li{margin:.35rem 0}
a.cite{font-size:.72rem;color:var(--muted);text-decoration:none;margin-left:.25rem;white-space:nowrap}
.e{border-radius:3px;padding:0 .12em}
.person{background:#dbe9ff}.org{background:#eadcff}.place{background:#d6f2df}.norp{background:#ffe4c7}
.event{background:#ffd9d9}.other{background:#e8eaed}.date{background:#fff1a8}
.legend{font-size:.8rem;color:var(--muted);margin:.6rem 0 0}
.tablewrap{overflow-x:auto;background:var(--card);border:1px solid var(--line);border-radius:10px}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid var(--line);vertical-align:top}
th{background:#f0f2f5;font-weight:600}
th.num{text-align:right}
.meta a{margin-right:.2rem}
td a{margin-right:.25rem}
td.num{text-align:right;font-variant-numeric:tabular-nums}
ol.timeline{list-style:none;margin:0;padding:0}
ol.timeline li{background:var(--card);border:1px solid var(--line);border-left:4px solid var(--accent);
border-radius:6px;padding:.5rem .7rem;margin:0 0 .5rem}
ol.timeline li.undated{border-left-color:#aab3bd}
.when{font-weight:700;font-variant-numeric:tabular-nums;margin-right:.4rem}
details.article{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:.5rem .8rem;
margin:0 0 .5rem;scroll-margin-top:3.2rem}
details.article summary{cursor:pointer;font-weight:600}
.errors li{color:#8a1f1f}
@media (max-width:600px){body{font-size:15px}header.top h1{font-size:1.25rem}article.story{padding:.8rem .75rem .4rem}}
"""


def _cls(entity_type: str) -> str:
    return TYPE_CLASSES.get(entity_type, "other")


class Highlighter:
    """Wraps known entity names in <span class="e TYPE">; everything else is escaped."""

    def __init__(self, names: dict[str, str]) -> None:
        self.names = {k.casefold(): v for k, v in names.items() if len(k) >= 2}
        forms = sorted(self.names, key=len, reverse=True)
        self.pattern = (
            re.compile(r"(?<!\w)(" + "|".join(re.escape(f) for f in forms) + r")(?!\w)", re.IGNORECASE)
            if forms
            else None
        )

    def __call__(self, text: str) -> str:
        if self.pattern is None:
            return escape(text)
        out: list[str] = []
        pos = 0
        for m in self.pattern.finditer(text):
            out.append(escape(text[pos : m.start()]))
            kind = _cls(self.names[m.group(0).casefold()])
            out.append(f'<span class="e {kind}">{escape(m.group(0))}</span>')
            pos = m.end()
        out.append(escape(text[pos:]))
        return "".join(out)


def _highlighter(doc: dict[str, Any]) -> Highlighter:
    names: dict[str, str] = {}
    for article in doc["articles"]:
        for e in article["entities"]:
            if _cls(e["type"]) != "date" and e["type"] not in (
                "CARDINAL",
                "ORDINAL",
                "PERCENT",
                "MONEY",
                "QUANTITY",
            ):
                for form in (e["text"], *e["aliases"]):
                    names.setdefault(form, e["type"])
    for e in doc["entities"]:  # the merged table wins: its type is the majority vote
        for form in (e["text"], *e["aliases"]):
            names[form] = e["type"]
    return Highlighter(names)


def _anchor(prefix: str, ident: str) -> str:
    return prefix + re.sub(r"[^A-Za-z0-9_-]", "_", ident)


def _story(s: dict[str, Any], types: dict[str, str], hl: Highlighter) -> list[str]:
    n = len(s["article_ids"])
    sources = ", ".join(
        f'<a href="#{_anchor("a-", x["article_id"])}">{escape(x["source"] or x["article_id"])}</a>'
        for x in s["sources"]
    )
    out = [
        f'<article class="story" id="{_anchor("", s["id"])}">',
        f'<h3><span class="rank">{escape(s["id"].upper())}</span>{escape(s["headline"])}</h3>',
        f'<div class="meta">{n} article{"s" if n != 1 else ""}: {sources}</div>',
    ]
    if s["entities"]:
        chips = "".join(
            f'<span class="chip {_cls(types.get(name, ""))}">{escape(name)}</span>' for name in s["entities"]
        )
        out.append(f'<div class="chips">{chips}</div>')
    out.append('<ul class="points">')
    for k in s["key_points"]:
        cite = f"{k['article_id']} {k['start']}–{k['end']}"
        out.append(
            f"<li>{hl(k['text'])}"
            f'<a class="cite" href="#{_anchor("a-", k["article_id"])}" title="quoted from article {escape(k["article_id"])}, '
            f'characters {k["start"]}–{k["end"]}">[{escape(cite)}]</a></li>'
        )
    out += ["</ul>", "</article>"]
    return out


def _entities(doc: dict[str, Any]) -> list[str]:
    rows = []
    for e in shown_entities(doc):
        stories = " ".join(f'<a href="#{_anchor("", s)}">{escape(s)}</a>' for s in e["stories"])
        also = f" · also {', '.join(e['aliases'])}" if e["aliases"] else ""
        rows.append(
            f'<tr><td><span class="e {_cls(e["type"])}">{escape(e["text"])}</span>'
            f'<div class="meta">{escape(e["type"] + also)}</div></td>'
            f"<td class=num>{e['article_count']}</td>"
            f"<td class=num>{e['mention_count']}</td><td>{stories}</td></tr>"
        )
    return [
        '<h2 class="section" id="who">Who and what</h2>',
        '<div class="tablewrap"><table><thead><tr><th>Entity</th><th class=num>Articles</th>'
        "<th class=num>Mentions</th><th>Stories</th></tr></thead><tbody>",
        *rows,
        "</tbody></table></div>",
    ]


def _timeline(doc: dict[str, Any]) -> list[str]:
    out = ['<h2 class="section" id="when">When</h2>', '<ol class="timeline">']
    for t in [t for t in doc["timeline"] if t["date"]] + shown_undated(doc):
        text = escape(t["text"])
        mention = escape(t["mention"])
        if mention and mention in text:
            text = text.replace(mention, f'<span class="e date">{mention}</span>', 1)
        when = escape(t["date"]) if t["date"] else "date unknown"
        story = f'<a class="cite" href="#{_anchor("", t["story"])}">[{escape(t["story"])}]</a>'
        undated = "" if t["date"] else ' class="undated"'
        out.append(f'<li{undated}><span class="when">{when}</span>{text}{story}</li>')
    out.append("</ol>")
    return out


def _appendix(doc: dict[str, Any], hl: Highlighter) -> list[str]:
    out = ['<h2 class="section" id="articles">Articles</h2>']
    for a in doc["articles"]:
        meta = [x for x in (a["title"], a["source"], a["published_at"]) if x]
        ents = ", ".join(
            f'<span class="e {_cls(e["type"])}">{escape(e["text"])}</span>' for e in a["entities"][:12]
        )
        out += [
            f'<details class="article" id="{_anchor("a-", a["id"])}"><summary>{escape(a["headline"] or a["id"])}</summary>',
            f'<div class="meta">{escape(a["id"])} · story <a href="#{_anchor("", a["story"])}">{escape(a["story"])}</a>'
            + "".join(f" · {escape(x)}" for x in meta)
            + "</div>",
            '<ul class="points">',
            *(f"<li>{hl(' '.join(k['text'].split()))}</li>" for k in a["key_points"]),
            "</ul>",
            f'<div class="meta">{ents}</div>' if ents else "",
            "</details>",
        ]
    return out


def render_html(doc: dict[str, Any]) -> str:
    hl = _highlighter(doc)
    types = {e["text"]: e["type"] for e in doc["entities"]}
    stories = doc["stories"]
    nav = [
        '<a class="sec" href="#stories">Stories</a>',
        '<a class="sec" href="#who">Who</a>',
        '<a class="sec" href="#when">When</a>',
        '<a class="sec" href="#articles">Articles</a>',
        *(
            f'<a href="#{_anchor("", s["id"])}" title="{escape(s["headline"])}">{escape(s["id"].upper())} '
            f"{escape(_short(s['headline']))}</a>"
            for s in stories
        ),
    ]
    legend = " ".join(f'<span class="e {c}">{label}</span>' for c, label in LEGEND)
    body = [
        '<header class="top">',
        f"<h1>Briefing: {len(stories)} stories from {doc['article_count']} articles</h1>",
        f"<p>Generated {escape(str(doc['generated_at']))}</p>",
        "</header>",
        f'<nav aria-label="stories"><div class="inner">{"".join(nav)}</div></nav>',
        "<main>",
        '<h2 class="section" id="stories">Stories</h2>',
        *(line for s in stories for line in _story(s, types, hl)),
        f'<p class="legend">Highlighted: {legend}</p>',
        *_entities(doc),
        *_timeline(doc),
        *_appendix(doc, hl),
    ]
    if doc["errors"]:
        body += ['<h2 class="section">Not summarized</h2>', '<ul class="errors">']
        body += [f"<li>{escape(e['source'])}: {escape(e['reason'])}</li>" for e in doc["errors"]]
        body.append("</ul>")
    body.append("</main>")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Briefing — {len(stories)} stories</title><style>{CSS}</style></head><body>\n"
        + "\n".join(line for line in body if line)
        + "\n</body></html>\n"
    )


def _short(headline: str, words: int = 5) -> str:
    parts = headline.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")
