"""The tagger's spans as the entity table's mentions: OntoNotes labels, spaCy's entities where the tagger did
not read, spans cut where a name cannot go on, and the titles written before a person's name."""

from __future__ import annotations

import re
from collections.abc import Sequence

from spacy.tokens import Doc, Span

from briefing_service.entities.naming import (
    is_place_modifier,
    is_venue,
    leading_titles,
    serves_country,
    speaks,
)
from briefing_service.entities.tagger import CLASSES, Found
from briefing_service.entities.tagging import Tagged
from briefing_service.parsing.boundaries import place_dateline_end

# spaCy's labels for names (the tagger's job where it read the sentence); values (DATE, MONEY, …) stay spaCy's.
NAME_LABELS = frozenset(
    {"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"}
)
# OntoNotes -> CoNLL-2003: how spaCy's finer label is matched to the tagger's class (and how `make eval` maps).
COARSE = {
    "PERSON": "PER",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "NORP": "MISC",
    "EVENT": "MISC",
    "PRODUCT": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
    "LANGUAGE": "MISC",
}
_DEFAULT_FINE = {"PER": "PERSON", "ORG": "ORG", "LOC": "GPE"}
_DEMONYM = re.compile(r"[A-Z][a-z]+(?:an|ian|ese|ish|ic|i|ch)s?$")

# A name never goes on over these: a dash between two names ("Wembley - Arsenal") and the prepositions that
# link two names in a sentence ("Wembley against Arsenal"). "of", "for", "on", "and" and the particles of
# names ("de", "van") are inside many names ("Bank of England", "Centers for Disease Control").
# The head nouns of OntoNotes FAC names (buildings, grounds, airports, roads, bridges).
_FACILITY_HEADS = frozenset(
    """Airport Arena Base Bridge Building Cathedral Centre Center Church Field Ground Hall Highway Hospital House
    Motorway Museum Palace Park Prison Road Square Stadium Station Street Tower Tunnel""".split()
)
_DASHES = frozenset({"-", "--", "—", "–", "―"})
_BREAKING = frozenset(
    """against at in with from to by after before during versus vs vs. v v. near over under between into onto
    toward towards via than as like beside behind""".split()
)


def _cut_points(span: Span) -> list[int]:
    """Token offsets inside ``span`` where it must end: a dash set apart by a space (not the hyphen of
    "Tamsin-Rae") or a linking preposition."""
    return [
        k
        for k, t in enumerate(span)
        if 0 < k < len(span) - 1
        and ((t.text in _DASHES and bool(t.whitespace_ or span[k - 1].whitespace_)) or t.lower_ in _BREAKING)
    ]


def split_at_breaks(span: Span) -> list[Span]:
    """``span`` cut at every dash or linking preposition inside it; the pieces without a capitalised word
    are no names and dropped."""
    pieces, start = [], 0
    for k in _cut_points(span):
        pieces.append(span[start:k])
        start = k + 1
    pieces.append(span[start:])
    return [p for p in pieces if len(p) and any(t.text[:1].isupper() or t.is_digit for t in p)]


def label_of(span: Span, found: Found, margin: float) -> str:
    """The OntoNotes label of a tagger span: spaCy's own for a name it also found in another class, unless
    the tagger's class is likelier than spaCy's by ``margin``; else `fine_label`."""
    if found.probs:
        spacy = _overlapping_name(span)
        if spacy is not None and COARSE[spacy] != found.label:
            gap = found.probs[CLASSES.index(found.label)] - found.probs[CLASSES.index(COARSE[spacy])]
            if gap < margin:
                return spacy
    return fine_label(span, found.label)


def _overlapping_name(span: Span) -> str | None:
    """The label of spaCy's name entity overlapping ``span`` most (None: no name there)."""
    best, overlap = None, 0
    for ent in span.doc.ents:
        n = min(ent.end, span.end) - max(ent.start, span.start)
        if n > overlap and ent.label_ in COARSE:
            best, overlap = ent.label_, n
    return best


def fine_label(span: Span, coarse: str) -> str:
    """The OntoNotes label of a span the tagger classed ``coarse``: spaCy's own label for an entity it
    overlaps when the classes agree (GPE vs LOC vs FAC, NORP vs EVENT …), else the usual one."""
    best, overlap = None, 0
    for ent in span.doc.ents:
        n = min(ent.end, span.end) - max(ent.start, span.start)
        if n > overlap and COARSE.get(ent.label_) == coarse:
            best, overlap = ent.label_, n
    if coarse == "LOC" and len(span) > 1 and span[-1].text in _FACILITY_HEADS:
        return "FAC"  # a building, a ground or a road is a place the OntoNotes way: FAC, not GPE
    if best is not None:
        return best
    if coarse == "MISC":
        return "NORP" if len(span) == 1 and _DEMONYM.match(span.text) else "EVENT"
    if coarse == "LOC" and len(span) > 1 and any(e.label_ == "ORG" for e in span.ents):
        # An organisation's name read as a location is its building or site ("University Hospital").
        return "FAC"
    return _DEFAULT_FINE[coarse]


def dateline_place(doc: Doc) -> Span | None:
    """The all-caps place of a newspaper dateline opening the block ("DENVER —", "MÁLAGA, Spain (Agency) —"),
    which the segmenter cuts off the first sentence, so the tagger never reads it."""
    end_char = place_dateline_end(doc.text)
    if not end_char:
        return None
    end = 0
    while end < len(doc) and doc[end].idx < end_char and doc[end].is_upper and doc[end].is_alpha:
        end += 1
    return doc[:end] if end else None


def _overlaps(span: Span, ranges: Sequence[tuple[int, int]]) -> bool:
    return any(span.start < e and s < span.end for s, e in ranges)


# Word classes a name never ends in: a preposition, an article, a conjunction, a particle, a pronoun.
_TRAILING_POS = frozenset({"ADP", "DET", "CCONJ", "SCONJ", "PART", "PRON"})


def trimmed(span: Span) -> Span:
    """``span`` without the lowercase function words a name never ends in ("Austin Pike of")."""
    end = span.end
    while end > span.start + 1 and span.doc[end - 1].is_lower and span.doc[end - 1].pos_ in _TRAILING_POS:
        end -= 1
    return span.doc[span.start : end]


def news_label(span: Span, label: str) -> str:
    """The label a reader gives a name from the words around it (entities/naming.py): a place before a word
    for a person is where they are from, a sports venue is a facility, a facility that speaks is the
    organisation inside it."""
    if label not in NAME_LABELS:
        return label
    if is_place_modifier(span):
        return "GPE"
    if label != "PERSON" and is_venue(span):
        label = "FAC"
    if label == "FAC" and speaks(span):
        return "ORG"
    return label


def _joined_services(out: list[tuple[Span, str]]) -> list[tuple[Span, str]]:
    """A country code right before a service ("US" "Air Force") as one organisation ("US Air Force")."""
    joined: list[tuple[Span, str]] = []
    for span, label in out:
        if joined and label == "ORG" and serves_country(joined[-1][0], span):
            code = joined.pop()[0]
            span = span.doc[code.start : span.end]
        joined.append((span, label))
    return joined


def typed_spans_of(doc: Doc, tagged: Tagged | None) -> list[tuple[Span, str]]:
    """One block's mentions with their labels, sorted: the tagger's names where it read the sentence, spaCy's
    entities elsewhere (sentences past the ranked ones, a dateline), spaCy's values where no name overlaps."""
    key = id(doc)
    covered = tagged.covered.get(key, []) if tagged is not None else []
    found = tagged.spans.get(key, []) if tagged is not None else []
    out: list[tuple[Span, str]] = []
    names: list[tuple[int, int]] = []
    margin = tagged.margin if tagged is not None else 0.0
    measures = {ent.end for ent in doc.ents if ent.label_ == "QUANTITY"}
    for span, hit in found:
        if len(span) == 1 and span.start in measures:
            continue  # the unit after a measure ("14 degrees Celsius") is not a name
        for piece in split_at_breaks(span):
            piece = trimmed(piece)
            label = label_of(piece, hit, margin)
            if label == "PERSON":
                piece = piece[leading_titles(piece) :]  # "Judge Ostrowski": the title stays out
            out.append((piece, news_label(piece, label)))
            names.append((piece.start, piece.end))
    place = dateline_place(doc) if covered else None
    if place is not None and not _overlaps(place, covered):
        out.append((place, "GPE"))
        names.append((place.start, place.end))
    for ent in doc.ents:
        if _overlaps(ent, names):
            continue
        if ent.label_ not in NAME_LABELS or not _overlaps(ent, covered):
            out.append((ent, news_label(ent, ent.label_)))
    out.sort(key=lambda sl: sl[0].start)
    return _joined_services(out)


def title_before(span: Span, taken: frozenset[int]) -> Span | None:
    """Capitalised proper-noun words right before a person's name that the tagger left out of it
    ("Magistrate [Ray Rinaudo]", "Foreign Minister [Ishaq Dar]", "Sgt. [Manhart]"): the title, at most three
    words, none in a mention (``taken``: token indices inside one)."""
    doc, start = span.doc, span.start
    while start > 0 and span.start - start < 3:
        t = doc[start - 1]
        word = t.text.rstrip(".")
        if not (word.isalpha() and word[:1].isupper() and t.tag_ in ("NNP", "NNPS") and t.i not in taken):
            break
        start -= 1
    return doc[start : span.start] if start < span.start else None
