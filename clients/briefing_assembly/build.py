"""build_briefing(): summaries in, the briefing out — stories ranked, key points merged, entities, timeline."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime

import numpy as np

from briefing_assembly.dates import is_point_in_time, resolve
from briefing_assembly.entities import EntityIndex, merge_entities, normalize
from briefing_assembly.grouping import cluster, similarity, words
from briefing_assembly.model import (
    AppendixEntry,
    ArticleDigest,
    ArticleError,
    Briefing,
    CitedPoint,
    EntityRow,
    Story,
    TimelineEntry,
)

STORY_KEY_POINTS = 6
STORY_ENTITIES = 6
SALIENCE_WEIGHT = 0.5  # story score = articles + SALIENCE_WEIGHT · mean salience of each article's top 3
REPEAT_JACCARD = 0.5  # key points sharing this share of their words say the same thing
REPEAT_CONTAINMENT = 0.75
MIN_POINT_WORDS = 6  # shorter "key points" are datelines or fragments ("MÁLAGA, Spain (Press) —")
_LETTER_WORD = re.compile(r"[^\W\d_]{2,}")
MAX_CONTEXT = 320
# A sentence ends at . ! ? before a capital or quote ("2 p.m. on" does not end one), or at a blank line.
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*\s+(?=[A-Z\"“‘'(])|\n\s*\n")


def is_repeat(text: str, kept: Sequence[str]) -> bool:
    mine = set(words(text))
    if not mine:
        return True
    for other in kept:
        theirs = set(words(other))
        if not theirs:
            continue
        shared = len(mine & theirs)
        if shared / len(mine | theirs) >= REPEAT_JACCARD or shared / min(len(mine), len(theirs)) >= (
            REPEAT_CONTAINMENT
        ):
            return True
    return False


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence holding text[start:end] (punctuation heuristics; good enough for a timeline line)."""
    lo = 0
    for before in _SENTENCE_END.finditer(text, 0, start):
        lo = before.end()
    after = _SENTENCE_END.search(text, end)
    hi = (
        after.start() + 1
        if after and text[after.start()] in ".!?"
        else (after.start() if after else len(text))
    )
    sentence = " ".join(text[lo:hi].split())
    if len(sentence) > MAX_CONTEXT:
        sentence = sentence[: MAX_CONTEXT - 1].rsplit(" ", 1)[0] + "…"
    return sentence


def _story_order(
    groups: list[list[int]], sim: np.ndarray, digests: Sequence[ArticleDigest]
) -> list[tuple[float, list[int]]]:
    ranked = []
    for members in groups:
        # The most central article first: it gives the story its headline.
        centrality = [float(np.mean([sim[i, j] for j in members])) for i in members]
        ordered = [
            members[k] for k in sorted(range(len(members)), key=lambda k: (-centrality[k], members[k]))
        ]
        top3 = [sum(sorted((e.salience for e in digests[i].entities), reverse=True)[:3]) for i in members]
        score = len(members) + SALIENCE_WEIGHT * float(np.mean(top3) if top3 else 0.0)
        ranked.append((round(score, 4), ordered))
    ranked.sort(key=lambda item: (-item[0], item[1][0]))
    return ranked


def _merged_points(members: list[int], digests: Sequence[ArticleDigest]) -> tuple[CitedPoint, ...]:
    """Round-robin over the story's articles (most central first), best point first, repeats dropped."""
    queues = [sorted(digests[i].key_points, key=lambda k: -k.score) for i in members]
    kept: list[CitedPoint] = []
    depth = 0
    while len(kept) < STORY_KEY_POINTS and any(depth < len(q) for q in queues):
        for i, queue in zip(members, queues, strict=True):
            if depth < len(queue) and len(kept) < STORY_KEY_POINTS:
                k = queue[depth]
                if len(_LETTER_WORD.findall(k.text)) >= MIN_POINT_WORDS and not is_repeat(
                    k.text, [p.text for p in kept]
                ):
                    kept.append(CitedPoint(" ".join(k.text.split()), digests[i].id, k.start, k.end, k.score))
        depth += 1
    return tuple(kept)


def _timeline(
    digests: Sequence[ArticleDigest], story_of: dict[int, str], rank_of: dict[str, int]
) -> tuple[TimelineEntry, ...]:
    entries: list[tuple[tuple, TimelineEntry]] = []
    seen: dict[tuple[str, str], list[str]] = {}
    for index, digest in enumerate(digests):
        published = digest.published_at.date() if digest.published_at else None
        spans = [(k.start, k.end) for k in digest.key_points]
        for entity in digest.entities:
            if entity.type not in ("DATE", "TIME") or not entity.mentions:
                continue
            # One entry per date per article: the mention inside a key point if any, else the first.
            mention = next(
                (m for m in entity.mentions if any(s <= m.start and m.end <= e for s, e in spans)),
                entity.mentions[0],
            )
            if not is_point_in_time(mention.text):
                continue
            context = sentence_around(digest.text, mention.start, mention.end)
            resolved = resolve(mention.text, published, context)
            story = story_of[index]
            # Dated: one entry per story, date and thing said. Undated: one entry per sentence.
            key = (story, resolved.iso or "")
            if is_repeat(context, seen.get(key, [])):
                continue
            seen.setdefault(key, []).append(context)
            sort_day = resolved.start or date.max
            entry = TimelineEntry(
                date=resolved.iso,
                granularity=resolved.granularity,
                text=context,
                mention=mention.text,
                story_id=story,
                article_id=digest.id,
                start=mention.start,
                end=mention.end,
            )
            entries.append(((sort_day, rank_of[story], index, mention.start), entry))
    entries.sort(key=lambda item: item[0])
    return tuple(entry for _, entry in entries)


def _entity_rows(index: EntityIndex, story_ids_of: list[set[str]]) -> tuple[EntityRow, ...]:
    rows = []
    for gid, group in enumerate(index.groups):
        text = group.text
        rows.append(
            EntityRow(
                text=text,
                type=group.type,
                article_count=len(group.article_ids),
                mention_count=group.mention_count,
                salience=round(group.salience, 4),
                # Case and dot variants ("HOBART", "U.S.") are not worth listing as other names.
                aliases=tuple(
                    sorted({a for a in group.aliases | set(group.names) if normalize(a) != normalize(text)})
                ),
                article_ids=tuple(group.article_ids),
                story_ids=tuple(sorted(story_ids_of[gid], key=lambda s: int(s[1:]))),
            )
        )
    return tuple(rows)


def build_briefing(
    digests: Sequence[ArticleDigest],
    errors: Sequence[ArticleError] = (),
    *,
    generated_at: datetime | None = None,
) -> Briefing:
    """The whole briefing. Deterministic for the same digests in the same order (except generated_at)."""
    index = merge_entities(digests)
    sim = similarity(digests, index) if digests else np.zeros((0, 0))
    ranked = _story_order(cluster(sim), sim, digests)
    stories: list[Story] = []
    story_of: dict[int, str] = {}
    story_ids_of: list[set[str]] = [set() for _ in index.groups]
    for rank, (score, members) in enumerate(ranked, 1):
        story_id = f"s{rank}"
        salience: dict[int, float] = {}
        for i in members:
            story_of[i] = story_id
            for gid, value in index.per_article[i].items():
                salience[gid] = salience.get(gid, 0.0) + value
                story_ids_of[gid].add(story_id)
        top = sorted(salience, key=lambda g: -salience[g])[:STORY_ENTITIES]
        lead = digests[members[0]]
        stories.append(
            Story(
                id=story_id,
                headline=lead.headline or lead.title or lead.id,
                score=score,
                article_ids=tuple(digests[i].id for i in members),
                key_points=_merged_points(members, digests),
                entities=tuple(index.groups[g].text for g in top),
            )
        )
    rank_of = {s.id: n for n, s in enumerate(stories)}
    appendix = tuple(
        AppendixEntry(
            article_id=d.id,
            title=d.title,
            source=d.source,
            url=d.url,
            published_at=d.published_at,
            headline=d.headline,
            key_points=d.key_points,
            entities=d.entities,
            story_id=story_of[i],
        )
        for i, d in enumerate(digests)
    )
    return Briefing(
        generated_at=generated_at or datetime.now(UTC).replace(microsecond=0),
        stories=tuple(stories),
        entities=_entity_rows(index, story_ids_of),
        timeline=_timeline(digests, story_of, rank_of),
        articles=appendix,
        errors=tuple(errors),
    )
