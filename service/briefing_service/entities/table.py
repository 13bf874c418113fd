"""Entity table: spaCy NER mentions, normalized and merged into canonical entities.

The input is the parsed body (``ParsedBlock``s); every ``Mention`` offset indexes the submitted text, so
``text[m.start:m.end] == m.text`` holds for every mention returned.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from spacy.tokens import Span

from briefing_service.domain import Entity, Mention
from briefing_service.entities.labels import title_before, typed_spans_of
from briefing_service.entities.rules import keeps_leading_the, leading_place, place_names, relabel
from briefing_service.entities.tagger import Tagger, default_tagger
from briefing_service.entities.tagging import Tagged, tag_article
from briefing_service.models import TokenStates
from briefing_service.parsing.blocks import ParsedBlock
from briefing_service.parsing.segmenter import Sentence

# Counts and ordinals ("26", "third") are noise in a briefing; callers can still ask for them explicitly.
DEFAULT_EXCLUDED_TYPES: frozenset[str] = frozenset({"CARDINAL", "ORDINAL"})

# Identical names are only merged inside one family, so "May" (DATE) never joins "May" (PERSON).
_VALUE_LABELS = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"})

# Names that are string-matched through the article once NER found them somewhere (document-level consistency).
_PROPAGATED = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"})

_W_SHARE, _W_EARLY, _W_HEADLINE, _W_KEY_POINT = 0.6, 0.2, 0.1, 0.1

_OPENERS, _CLOSERS = "([{", ")]}"
_WS = re.compile(r"\s+")
_NAME_WORD = re.compile(r"[^\W\d_]+(?:[-.'’][^\W\d_]*)*")
_LEADING_ARTICLE = re.compile(r"(?:the|The|THE)\s+")
_POSSESSIVE = re.compile(r"(?:['’][sS]|(?<=[sS])['’])$")
# "U.S." / "U.S" / "US" must share one key; only dotted single letters count, so "J. Smith" is untouched.
_DOTTED_ACRONYM = re.compile(r"(?<!\w)(?:[^\W\d_]\.)+[^\W\d_]\.?(?!\w)")


@dataclass
class _Group:
    """Mentions sharing one key; later merged into another group via ``parent``."""

    family: str
    key: str
    order: int
    mentions: list[Mention] = field(default_factory=list)
    forms: Counter[str] = field(default_factory=Counter)  # insertion order = document order (ties)
    labels: Counter[str] = field(default_factory=Counter)
    # A person's name as written with a title before it ("Magistrate Rinaudo"): an alias, never the name.
    titled: list[str] = field(default_factory=list)
    parent: _Group | None = None

    @property
    def label(self) -> str:
        # most_common is a stable sort over insertion (document) order, so ties go to the first mention.
        return self.labels.most_common(1)[0][0]

    @property
    def tokens(self) -> tuple[str, ...]:
        return tuple(self.key.split(" "))

    def root(self) -> _Group:
        group = self
        while group.parent is not None:
            group = group.parent
        return group

    def absorb(self, other: _Group) -> None:
        # Labels stay the absorber's: "Dar" typed GPE must not out-vote the PERSON it belongs to.
        other.parent = self
        self.mentions.extend(other.mentions)
        self.forms.update(other.forms)
        self.titled.extend(other.titled)


def _is_edge_punct(ch: str) -> bool:
    # "%" is punctuation to Unicode but part of a PERCENT ("5%").
    return (unicodedata.category(ch).startswith("P") and ch not in "%‰") or ch.isspace()


def _keeps_trailing_period(s: str) -> bool:
    # "U.S." and "Inc." end in a period that belongs to the name; "Rome." ends a sentence.
    core = s.rsplit(None, 1)[-1][:-1]
    return "." in core or (len(core) <= 3 and core[:1].isupper())


def _trim_unbalanced(s: str, start: int, end: int) -> tuple[int, int]:
    """Cut at an unmatched closing bracket (keep what follows) or an unmatched opener (keep what precedes)."""
    depth: list[int] = []
    for i in range(start, end):
        ch = s[i]
        if ch in _OPENERS:
            depth.append(i)
        elif ch in _CLOSERS:
            if depth:
                depth.pop()
            else:
                start = i + 1  # "just) days" -> " days"
                depth.clear()
    if depth:
        end = depth[0]  # "Front (TRF" -> "Front "
    return start, end


def _normalize(s: str, start: int, end: int, keep_the: bool = False) -> tuple[int, int]:
    """Shrink ``s[start:end]`` to the name proper; returns an empty range when nothing is left."""
    start, end = _trim_unbalanced(s, start, end)
    while start < end:
        before = (start, end)
        while start < end and _is_edge_punct(s[start]) and s[start] not in _OPENERS:
            start += 1
        while start < end and _is_edge_punct(s[end - 1]):
            ch = s[end - 1]
            if ch in _CLOSERS and s.count(_OPENERS[_CLOSERS.index(ch)], start, end) > 0:
                break  # balanced "(AAPL)" stays
            if ch == "." and _keeps_trailing_period(s[start:end]):
                break
            end -= 1
        m = None if keep_the else _LEADING_ARTICLE.match(s, start, end)
        if m and m.end() < end:
            start = m.end()
        p = _POSSESSIVE.search(s, start, end)
        if p and p.start() > start:
            end = p.start()
        if (start, end) == before:
            break
    if not any(ch.isalnum() for ch in s[start:end]):
        return start, start
    return start, end


def _surface(s: str) -> str:
    """Display form: whitespace (newlines from wrapped paragraphs) collapsed to one space."""
    return _WS.sub(" ", s).strip()


def _cased_key(s: str) -> str:
    s = _surface(s).replace("’", "'")
    return _DOTTED_ACRONYM.sub(lambda m: m.group(0).replace(".", ""), s)


def _key(s: str) -> str:
    return _cased_key(s).casefold()


def typed_spans(blocks: Sequence[ParsedBlock], tagged: Tagged | None) -> list[list[tuple[Span, str]]]:
    """Per block, the spans read as mentions with their labels, in order: the tagger's names where it read
    the sentence, spaCy's entities elsewhere and for values (labels.typed_spans_of)."""
    return [typed_spans_of(block.doc, tagged) for block in blocks]


def _raw_mentions(
    blocks: Sequence[ParsedBlock], text: str, typed: Sequence[Sequence[tuple[Span, str]]]
) -> Iterable[tuple[Mention, str, str]]:
    """Each mention with its label and, for a person named after a title, the titled form ("" if none)."""
    places = place_names(
        [span for spans in typed for span, _ in spans], [lab for spans in typed for _, lab in spans]
    )
    for block, spans in zip(blocks, typed, strict=True):
        doc_text = block.doc.text
        taken = frozenset(i for ent, _ in spans for i in range(ent.start, ent.end))
        for ent, ent_label in spans:
            cut = leading_place(ent, ent_label, places)
            parts = [(ent[:cut], "GPE"), (ent[cut:], ent_label)] if cut else [(ent, ent_label)]
            for span, label in parts:
                s, e = _normalize(doc_text, span.start_char, span.end_char, keep_the=keeps_leading_the(span))
                if s >= e:
                    continue
                start, end = block.offset + s, block.offset + e
                # A block whose offset does not match the text would give false offsets: skip, never raise.
                if start < 0 or text[start:end] != doc_text[s:e]:
                    continue
                label = relabel(span, label)
                title = title_before(span, taken) if label == "PERSON" else None
                titled = _surface(doc_text[title.start_char : e]) if title is not None else ""
                yield Mention(text=doc_text[s:e], start=start, end=end), label, titled


def _group_identical(
    blocks: Sequence[ParsedBlock], text: str, typed: Sequence[Sequence[tuple[Span, str]]]
) -> list[_Group]:
    groups: dict[tuple[str, str], _Group] = {}
    for mention, label, titled in sorted(
        _raw_mentions(blocks, text, typed), key=lambda ml: (ml[0].start, ml[0].end)
    ):
        family = "value" if label in _VALUE_LABELS else "name"
        key = _key(mention.text)
        group = groups.get((family, key))
        if group is None:
            group = groups[(family, key)] = _Group(family=family, key=key, order=len(groups))
        group.mentions.append(mention)
        group.forms[_surface(mention.text)] += 1
        group.labels[label] += 1
        if titled:
            group.titled.append(titled)
    return list(groups.values())


def _name_like(group: _Group) -> bool:
    """Every word is letters (with . - ' inside): rules out NER debris such as "Rabbi - police"."""
    return all(_NAME_WORD.fullmatch(tok) for tok in group.tokens)


def _capitalized(form: str) -> bool:
    return form[:1].isupper()


def _merge_person_parts(groups: list[_Group]) -> None:
    """Fold "Dar" / "Ishaq" into "Ishaq Dar" when exactly one longer PERSON name ends/starts with it.

    The short form may carry any name label: spaCy often types a bare surname as GPE or ORG. Only a
    PERSON-typed short form may match a first name, though: a GPE matching a "person's" first word is
    usually a place-led organisation misread as a person ("Manitoba" in "Manitoba Pork").
    """
    persons = [g for g in groups if g.family == "name" and g.label == "PERSON" and len(g.tokens) > 1]
    prefixes: dict[tuple[str, ...], list[_Group]] = defaultdict(list)
    suffixes: dict[tuple[str, ...], list[_Group]] = defaultdict(list)
    for person in persons:
        if not _name_like(person):
            continue
        toks = person.tokens
        for n in range(1, len(toks)):
            prefixes[toks[:n]].append(person)
            suffixes[toks[-n:]].append(person)
    # Longest first: "Antonio Rubio" joins "Marco Antonio Rubio" before "Rubio" looks for its full name.
    for short in sorted(groups, key=lambda g: -len(g.tokens)):
        toks = short.tokens
        if short.parent is not None or short.family != "name" or min(len(t) for t in toks) < 2:
            continue
        is_person = short.label == "PERSON"
        if (len(toks) > 1 and not is_person) or not _capitalized(short.forms.most_common(1)[0][0]):
            continue
        candidates = [*suffixes.get(toks, ()), *(prefixes.get(toks, ()) if is_person else ())]
        fulls = {id(f): f for f in candidates if f.parent is None and f is not short}
        if len(fulls) == 1:  # two persons sharing the surname: ambiguous, keep apart
            (full,) = fulls.values()
            if is_person or full.mentions[0].start < short.mentions[0].start:
                full.absorb(short)


def _merge_org_fragments(groups: list[_Group]) -> None:
    """Fold a one-word ORG ("State") into the one longer ORG name containing that word, and a shorter ORG
    that ends one longer ORG name ("Border Force" after "UK Border Force"): news gives the full name first.

    Only ORGs: a GPE inside an ORG name ("US" in "US State Department") is its own entity.
    """
    orgs = [g for g in groups if g.parent is None and g.family == "name" and g.label == "ORG"]
    by_part: dict[tuple[str, ...], list[_Group]] = defaultdict(list)
    for org in orgs:
        toks = org.tokens
        for part in {(tok,) for tok in toks} | {toks[n:] for n in range(1, len(toks))}:
            by_part[part].append(org)
    for frag in orgs:
        if frag.parent is not None:
            continue
        containers = [c for c in by_part.get(frag.tokens, ()) if c.parent is None and c is not frag]
        # A fragment used more often than the full name is a name of its own (an acronym, say).
        if len(containers) == 1 and len(frag.mentions) <= len(containers[0].mentions):
            containers[0].absorb(frag)


def _propagate_person_names(
    groups: list[_Group],
    blocks: Sequence[ParsedBlock],
    text: str,
    typed: Sequence[Sequence[tuple[Span, str]]],
) -> None:
    """Add the person mentions NER missed by matching that person's names elsewhere in the body.

    The small model tags "Dar" in one sentence and misses it in the next; within one article a known
    person's surname is a reliable string match. Forms shared by two persons are skipped (ambiguous), and
    a match inside any NER span ("Dar" in "Dar es Salaam") is left to that span.
    """
    owners: dict[str, set[int]] = defaultdict(set)
    by_id: dict[int, _Group] = {}
    for group in groups:
        if group.parent is not None or group.family != "name" or group.label not in _PROPAGATED:
            continue
        by_id[id(group)] = group
        for form in group.forms:
            owners[form].add(id(group))
            if group.label == "PERSON" and len(form.split()) > 1 and _name_like(group):
                owners[form.split()[-1]].add(id(group))
    forms = [f for f, ids in owners.items() if len(ids) == 1 and len(f) > 1 and _capitalized(f)]
    forms.sort(key=len, reverse=True)
    if not forms:
        return
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(f) for f in forms) + r")(?!\w)")
    for block, spans in zip(blocks, typed, strict=True):
        doc_text = block.doc.text
        # The typed spans are sorted and disjoint, so only the last one starting before a match can overlap it.
        starts = [ent.start_char for ent, _ in spans]
        ends = [ent.end_char for ent, _ in spans]
        for match in pattern.finditer(doc_text):
            s, e = match.span()
            i = bisect.bisect_left(starts, e) - 1
            if i >= 0 and ends[i] > s:
                continue
            start, end = block.offset + s, block.offset + e
            if start < 0 or text[start:end] != match.group(0):
                continue
            group = by_id[next(iter(owners[match.group(0)]))]
            group.mentions.append(Mention(text=match.group(0), start=start, end=end))
            group.forms[match.group(0)] += 1


def _canonical(group: _Group, label: str) -> str:
    forms = list(group.forms)  # document order
    if label == "PERSON":
        return max(forms, key=lambda f: (len(f.split()), len(f), group.forms[f], -forms.index(f)))
    return group.forms.most_common(1)[0][0]


def _in_headline(names: Iterable[str], headline: str) -> bool:
    # Case-sensitive on purpose: the entity "US" must not match the pronoun "us" in a headline.
    alts = sorted({_cased_key(n) for n in names}, key=len, reverse=True)
    if not headline or not alts:
        return False
    pattern = r"(?<!\w)(?:" + "|".join(re.escape(a) for a in alts) + r")(?!\w)"
    return re.search(pattern, headline) is not None


def _resolved_groups(blocks: Sequence[ParsedBlock], text: str, tagged: Tagged | None) -> list[_Group]:
    """Mentions grouped into entities: identical names, person-name parts, ORG fragments, propagation."""
    typed = typed_spans(blocks, tagged)
    groups = _group_identical(blocks, text, typed)
    _merge_person_parts(groups)
    _merge_org_fragments(groups)
    _propagate_person_names(groups, blocks, text, typed)
    return [g for g in groups if g.parent is None]


def tag_entities(
    blocks: Sequence[ParsedBlock],
    sentences: Sequence[Sentence],
    token_states: Sequence[TokenStates],
    tagger: Tagger | Literal["default"] | None = "default",
) -> Tagged | None:
    """The tagger's reading of the first ``len(token_states)`` sentences (None: no tagger, or no states)."""
    model = default_tagger() if tagger == "default" else tagger
    if model is None or not token_states:
        return None
    return tag_article(model, blocks, sentences, token_states)


def resolve_mentions(
    blocks: Sequence[ParsedBlock], text: str, tagged: Tagged | None
) -> list[tuple[Mention, str]]:
    """Every mention the entity table would hold, with its entity's final label, in document order.

    This is the NER path of the pipeline without the table's type filter; `make eval` scores it on CoNLL.
    ``tagged=None`` keeps spaCy's entities (and the rules), for comparison.
    """
    out = [(m, g.label) for g in _resolved_groups(blocks, text, tagged) for m in g.mentions]
    return sorted(out, key=lambda ml: (ml[0].start, ml[0].end))


def build_entity_table(
    blocks: Sequence[ParsedBlock],
    *,
    text: str,
    key_point_spans: Sequence[tuple[int, int]] = (),
    headline: str = "",
    types: frozenset[str] = frozenset(),
    sentences: Sequence[Sentence] = (),
    token_states: Sequence[TokenStates] = (),
) -> list[Entity]:
    """Return the article's entities, most salient first.

    ``types`` empty means every label except ``DEFAULT_EXCLUDED_TYPES``; otherwise exactly those labels.
    ``token_states``: the encoder's word pieces for the first sentences of ``sentences``, which the entity
    tagger reads; without them (or without a trained tagger) spaCy's entities are used.
    """
    wanted = {t.upper() for t in types}
    roots = _resolved_groups(blocks, text, tag_entities(blocks, sentences, token_states))
    if not roots:
        return []
    body_start = min((b.offset for b in blocks), default=0)
    body_end = max((b.offset + len(b.doc.text) for b in blocks), default=len(text))
    body_len = max(body_end - body_start, 1)
    max_count = max(len(g.mentions) for g in roots)
    headline_key = _cased_key(headline)
    spans = sorted((s, e) for s, e in key_point_spans if s < e)

    entities: list[tuple[int, Entity]] = []
    for group in roots:
        label = group.label
        if (label not in wanted) if wanted else (label in DEFAULT_EXCLUDED_TYPES):
            continue
        mentions = tuple(sorted(group.mentions, key=lambda m: (m.start, m.end)))
        name = _canonical(group, label)
        aliases: list[str] = []
        for form in [*group.forms, *group.titled]:  # document order, the titled forms last
            if form != name and form not in aliases:
                aliases.append(form)
        in_headline = _in_headline([name, *aliases], headline_key)
        in_key_point = any(s <= m.start and m.end <= e for m in mentions for s, e in spans)
        first = mentions[0].start
        early = 1.0 - min(max(first - body_start, 0) / body_len, 1.0)
        score = (
            _W_SHARE * len(mentions) / max_count
            + _W_EARLY * early
            + _W_HEADLINE * in_headline
            + _W_KEY_POINT * in_key_point
        )
        entity = Entity(
            text=name,
            type=label,
            count=len(mentions),
            salience=round(min(max(score, 0.0), 1.0), 4),
            aliases=tuple(aliases),
            mentions=mentions,
        )
        entities.append((first, entity))
    entities.sort(key=lambda fe: (-fe[1].salience, -fe[1].count, fe[0], fe[1].text))
    return [e for _, e in entities]
