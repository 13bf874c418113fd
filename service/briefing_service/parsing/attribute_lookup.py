"""spaCy's attribute ruler with its patterns matched by table lookup: the same annotations at a tenth of the cost.

en_core_web_sm's ``attribute_ruler`` maps the tagger's fine tags to coarse parts of speech and morphology (56
patterns of the form ``{"TAG": "NNS"}``) and then applies 123 exceptions ("I" → PRON, "gon na" → "go to").
spaCy runs all 179 through its general ``Matcher``, whose cost grows with patterns × tokens: 17–19 % of the
whole pipeline's time on CNN/DailyMail articles, as much as the parser itself (measured with `make profile`).
Every one of these patterns tests only a token's TAG, LOWER, DEP and IS_SPACE (plain values, IN / NOT_IN sets
or a regex), and only 8 span two tokens. So a token's single-token matches depend on those four values alone
and are looked up once per distinct combination; the two-token ones are checked where their first token fits.

The matches are then applied exactly as spaCy does: in pattern order, each pattern's attributes written over the
earlier ones with spaCy's own ``set_token_attrs``. Where a pipeline holds any pattern outside that subset
(another model's ruler, an operator such as ``"OP": "?"``), the stock matcher runs instead. A test compares every
token's POS, MORPH, LEMMA, TAG and DEP with the stock ruler's over the dev articles.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any, cast

from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc, Token
from spacy.tokens._retokenize import set_token_attrs
from spacy.vocab import Vocab

from briefing_service.parsing.bounded_cache import BoundedCache

FACTORY = "briefing_attribute_lookup"
_FEATURES = ("TAG", "LOWER", "DEP", "IS_SPACE")
_LOWER = _FEATURES.index("LOWER")
# Keys are (tag, lower's class, dep, space), so the patterns bound their number (about 700 after the 50 bench
# articles); the limit is a backstop in case another pipeline's patterns name very many words.
_CACHE_LIMIT = 50_000

Features = tuple[str, str, str, bool]
_Key = tuple[str, str | int, str, bool]  # Features with the lower-case form replaced by its class
Test = Callable[[Features], bool]
_Entry = tuple[tuple[int, ...], int, int]


class _LowerClasses:
    """What the patterns can tell apart about a token's lower-case form: the words they name (equal, IN,
    NOT_IN) and which of their regexes match. Every other word falls into one class per regex outcome, so the
    lookup's cache does not grow with the vocabulary: keyed by the word itself it took a new entry for every
    new word, number or scraper fragment (about 4,300 per 40 articles of random words; see docs/reliability.md,
    memory)."""

    def __init__(self) -> None:
        self.named: set[str] = set()
        self.regexes: list[re.Pattern[str]] = []

    def of(self, lower: str) -> str | int:
        """The word itself where a pattern names it, else the bit mask of the regexes it matches (an int, so
        never equal to a named word)."""
        if lower in self.named:
            return lower
        return sum(1 << n for n, r in enumerate(self.regexes) if r.search(lower))


def _value_test(position: int, value: Any, lowers: _LowerClasses) -> Test | None:
    """A test of one feature, or None for a spec the lookup does not reproduce exactly."""
    if isinstance(value, (bool, str)):
        if position == _LOWER:
            lowers.named.add(str(value))
        return lambda f: f[position] == value
    if not isinstance(value, dict) or len(value) != 1:
        return None
    ((op, arg),) = value.items()
    if op in ("IN", "NOT_IN") and isinstance(arg, list) and all(isinstance(a, str) for a in arg):
        allowed = frozenset(arg)
        if position == _LOWER:
            lowers.named.update(allowed)
        if op == "IN":
            return lambda f: f[position] in allowed
        return lambda f: f[position] not in allowed
    if op == "REGEX" and isinstance(arg, str) and _FEATURES[position] != "IS_SPACE":
        pattern = re.compile(arg)
        if position == _LOWER:
            lowers.regexes.append(pattern)
        return lambda f: pattern.search(str(f[position])) is not None
    return None


def _token_test(spec: dict[str, Any], lowers: _LowerClasses) -> Test | None:
    tests = []
    for key, value in spec.items():
        if key not in _FEATURES:
            return None  # "OP", "POS", "_", ...: leave it to the Matcher
        test = _value_test(_FEATURES.index(key), value, lowers)
        if test is None:
            return None
        tests.append(test)
    return lambda f: all(t(f) for t in tests)


class LookupAttributeRuler(AttributeRuler):
    """An ``AttributeRuler`` whose ``__call__`` matches by lookup where every pattern allows it."""

    def __init__(self, vocab: Vocab, name: str = FACTORY) -> None:
        super().__init__(vocab, name, validate=False)
        self._single: list[tuple[int, Test]] = []  # (pattern index, test), one per single-token alternative
        self._pairs: list[tuple[int, int, Test, Test]] = []  # (pattern index, target 0/1, first, second)
        self._cache: BoundedCache[_Key, _Entry] = BoundedCache(_CACHE_LIMIT)
        self._lowers = _LowerClasses()
        self._exact = False

    def take_patterns(self, patterns: Iterable[dict[str, Any]]) -> None:
        """Add the stock ruler's patterns (same order, so the same precedence) and compile the lookup."""
        self.add_patterns(list(patterns))
        self._exact = self._compile()

    def _compile(self) -> bool:
        for index, entry in enumerate(cast(list[dict[str, Any]], self.patterns)):
            target: int = entry.get("index", 0)
            for alternative in entry["patterns"]:
                tests = [
                    t for t in (_token_test(spec, self._lowers) for spec in alternative) if t is not None
                ]
                if len(tests) != len(alternative) or len(tests) not in (1, 2):
                    return False
                if not -len(tests) <= target < len(tests):
                    return False
                if len(tests) == 1:
                    self._single.append((index, tests[0]))
                else:
                    self._pairs.append((index, target % 2, tests[0], tests[1]))
        return True

    def _lookup(self, features: Features) -> _Entry:
        """The single-token patterns that match these features, and bit masks of the two-token patterns whose
        first / second token they fit. Every word of one lower-case class gives the same answer, so the cache
        keeps one entry per class."""
        key = (features[0], self._lowers.of(features[1]), features[2], features[3])
        found = self._cache.get(key)
        if found is None:
            singles = tuple(sorted({index for index, test in self._single if test(features)}))
            firsts = sum(1 << n for n, (_, _, first, _) in enumerate(self._pairs) if first(features))
            seconds = sum(1 << n for n, (_, _, _, second) in enumerate(self._pairs) if second(features))
            found = (singles, firsts, seconds)
            self._cache[key] = found
        return found

    def __call__(self, doc: Doc) -> Doc:
        if not self._exact:
            return super().__call__(doc)
        entries = [self._lookup((t.tag_, t.lower_, t.dep_, t.is_space)) for t in doc]
        extra: dict[int, list[int]] = {}
        for i, (_, firsts, _) in enumerate(entries[:-1]):
            both = firsts and firsts & entries[i + 1][2]
            for n, (index, target, _, _) in enumerate(self._pairs if both else ()):
                if both >> n & 1:
                    extra.setdefault(i + target, []).append(index)
        for i, (singles, _, _) in enumerate(entries):
            indices = singles if i not in extra else tuple(sorted({*singles, *extra[i]}))
            if indices:
                _apply(doc[i], indices, self.attrs)
        return doc


def _apply(token: Token, indices: tuple[int, ...], attrs: list[dict[int, Any]]) -> None:
    """Write the patterns' attributes in order; a later pattern's value replaces an earlier one's, which is
    what spaCy's sequence of ``set_token_attrs`` calls leaves too."""
    if len(indices) == 1:
        set_token_attrs(token, attrs[indices[0]])
        return
    merged: dict[int, Any] = {}
    for index in indices:
        merged.update(attrs[index])
    set_token_attrs(token, merged)


@Language.factory(FACTORY)
def _make(nlp: Language, name: str) -> LookupAttributeRuler:
    return LookupAttributeRuler(nlp.vocab, name)


def use_lookup_ruler(nlp: Language, name: str = "attribute_ruler") -> None:
    """Swap the pipeline's attribute ruler for the lookup one, with the same patterns, in the same place."""
    if name not in nlp.pipe_names:
        return
    stock = nlp.get_pipe(name)
    if not isinstance(stock, AttributeRuler):
        return
    patterns = stock.patterns
    ruler = nlp.replace_pipe(name, FACTORY)
    assert isinstance(ruler, LookupAttributeRuler)
    ruler.take_patterns(patterns)
