"""One entity table across articles: each article's entities merged under one canonical name.

Articles already merge their own aliases ("Dar" → "Ishaq Dar"). Across articles the same rule applies with one
guard: a short form joins a longer name only when exactly one longer name in the whole briefing claims it, so
"Smith" never glues "John Smith" and "Jane Smith" together.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from briefing_assembly.model import ArticleDigest

# Numbers and dates do not name someone or something; dates go to the timeline instead.
NOT_IN_TABLE = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "CARDINAL", "ORDINAL"})


def normalize(name: str) -> str:
    """Case, leading "the", possessive and dots do not make a different entity: "the U.S.'s" == "US"."""
    text = name.casefold().replace("’", "'")
    text = re.sub(r"'s$", "", text.strip())
    text = re.sub(r"^the\s+", "", text)
    text = text.replace(".", "")
    return " ".join(text.split())


def _acronym(name: str) -> str:
    words = [w for w in re.findall(r"[A-Za-z]+", name) if w[0].isupper()]
    # Three letters at least: two-letter acronyms ("US" of "Union Station") collide with too much.
    return "".join(w[0] for w in words).casefold() if len(words) >= 3 else ""


# When articles disagree on a name's type with equal votes, the first of these wins.
_TYPE_PREFERENCE = ("PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART")


@dataclass
class EntityGroup:
    """Entities from one or more articles that name the same thing."""

    key: str  # normalized canonical name
    names: Counter[str] = field(default_factory=Counter)
    types: Counter[str] = field(default_factory=Counter)
    aliases: set[str] = field(default_factory=set)
    article_ids: list[str] = field(default_factory=list)
    mention_count: int = 0
    salience: float = 0.0
    own_type: str = ""  # the type the full name had before short forms joined it

    @property
    def text(self) -> str:
        # The most used full form; on a tie the longest (the full name over a surname).
        return max(self.names.items(), key=lambda kv: (kv[1], len(kv[0]), kv[0]))[0]

    @property
    def type(self) -> str:
        return self.own_type or majority_type(self.types)

    def absorb(self, other: EntityGroup) -> None:
        self.own_type = self.type
        self.names.update(other.names)
        self.types.update(other.types)
        self.aliases |= other.aliases | set(other.names)
        for article_id in other.article_ids:
            if article_id not in self.article_ids:
                self.article_ids.append(article_id)
        self.mention_count += other.mention_count
        self.salience += other.salience


# Types the small NER model confuses with each other on the same name; NORP ("Canadian") joins nothing else.
_TYPE_FAMILIES = (
    frozenset({"PERSON", "ORG", "PRODUCT", "WORK_OF_ART", "LAW", "FAC", "EVENT"}),
    frozenset({"GPE", "LOC", "FAC"}),
)


def compatible(a: str, b: str) -> bool:
    return a == b or any(a in family and b in family for family in _TYPE_FAMILIES)


def majority_type(types: Counter[str]) -> str:
    """The small NER model calls one name PERSON in one article and ORG in the next: the majority decides."""

    def rank(label: str) -> int:
        return _TYPE_PREFERENCE.index(label) if label in _TYPE_PREFERENCE else len(_TYPE_PREFERENCE)

    return min(types, key=lambda t: (-types[t], rank(t), t))


@dataclass
class EntityIndex:
    """The merged groups, and for each article the salience it gives each group (for story grouping)."""

    groups: list[EntityGroup]
    per_article: list[dict[int, float]]  # article index -> {group index: salience}


def _short_forms(group: EntityGroup) -> set[str]:
    """Forms a multi-word name claims: its aliases, every trailing part of two or more words ("Port
    Authority" of "Valmora Port Authority"), a person's surname, an organisation's first word and acronym."""
    words = group.key.split()
    short = {normalize(a) for a in group.aliases}
    short |= {" ".join(words[i:]) for i in range(1, len(words) - 1)}
    kind = majority_type(group.types)
    capitalized = [w for w in group.text.split() if w[:1].isupper()]
    if kind == "PERSON" or (len(words) == 2 and len(capitalized) == 2):
        short.add(words[-1])  # "Ilesco" of "Marta Ilesco", whatever the NER model called either
    if kind != "PERSON" and group.text[:1].isupper():
        short.add(words[0])  # "Lumora" of "Lumora Technologies"
    if kind == "ORG" and (acronym := _acronym(group.text)):
        short.add(acronym)
    return short - {group.key, ""}


def merge_entities(digests: Sequence[ArticleDigest]) -> EntityIndex:
    # Keyed by name alone: the same name typed differently by the NER model in two articles is one entity.
    groups: dict[str, EntityGroup] = {}
    members: list[tuple[int, str, float]] = []
    for index, digest in enumerate(digests):
        for entity in digest.entities:
            key = normalize(entity.text)
            if entity.type in NOT_IN_TABLE or not key:
                continue
            group = groups.setdefault(key, EntityGroup(key=key))
            group.names[entity.text] += 1
            group.types[entity.type] += 1
            group.aliases.update(entity.aliases)
            if digest.id not in group.article_ids:
                group.article_ids.append(digest.id)
            group.mention_count += entity.count
            group.salience += entity.salience
            members.append((index, key, entity.salience))

    claims: dict[str, set[str]] = {}
    for key, group in groups.items():
        if " " in key:
            for form in _short_forms(group):
                claims.setdefault(form, set()).add(key)

    # A short form joins a longer name only when exactly one longer name claims it, and the types agree.
    parent: dict[str, str] = {}
    for key in groups:
        owners = claims.get(key, set()) - {key}
        if len(owners) == 1:
            owner = owners.pop()
            if compatible(majority_type(groups[key].types), majority_type(groups[owner].types)):
                parent[key] = owner

    def root(key: str) -> str:
        seen = set()
        while key in parent and key not in seen:
            seen.add(key)
            key = parent[key]
        return key

    for key in sorted(parent, key=len):
        top = root(key)
        if top != key:
            groups[top].absorb(groups[key])
    roots = [key for key in groups if root(key) == key]
    roots.sort(key=lambda k: (-len(groups[k].article_ids), -groups[k].salience, groups[k].text))
    position = {key: i for i, key in enumerate(roots)}
    per_article: list[dict[int, float]] = [{} for _ in digests]
    for index, key, salience in members:
        gid = position[root(key)]
        per_article[index][gid] = per_article[index].get(gid, 0.0) + salience
    return EntityIndex(groups=[groups[k] for k in roots], per_article=per_article)
