"""Hostile inputs with their documented status, shared by tests/integration/test_reliability.py and
`make chaos`. Each case: (name, text, options, expected status name); the options are BriefingClient.summarize's
keywords, and "html" marks the text as an HTML page (an Article field)."""

from __future__ import annotations

import random
from typing import Any

from briefing_client import Article, BriefingClient

SHORT = "The council approved the library budget on Monday. Mayor Ana Ortiz said hours would grow."

OK, BAD = "OK", "INVALID_ARGUMENT"
WHITESPACE = [" ", "\n", "\t", "\r\n", " \n\t ", "\u00a0", "\u2003", "\u3000", "\x0b\x0c", "\n" * 1000]
HOSTILE: list[tuple[str, str, dict, str]] = [
    ("empty", "", {}, BAD),
    *[(f"whitespace-{i}", w, {}, BAD) for i, w in enumerate(WHITESPACE)],
    ("over-by-one", "x" * 200_001, {}, BAD),
    ("1mb", "word " * 200_000, {}, BAD),
    ("10mb", "y" * 10_000_000, {}, BAD),
    ("10mb-multibyte", "é" * 5_000_000, {}, BAD),
    ("key-points-21", SHORT, {"max_key_points": 21}, BAD),
    ("key-points-neg", SHORT, {"max_key_points": -1}, BAD),
    ("key-points-int32-max", SHORT, {"max_key_points": 2**31 - 1}, BAD),
    ("key-points-int32-min", SHORT, {"max_key_points": -(2**31)}, BAD),
    ("entity-type-unknown", SHORT, {"entity_types": ["PEOPLE"]}, BAD),
    ("entity-type-injection", SHORT, {"entity_types": ["PERSON'; DROP TABLE x;--"]}, BAD),
    ("entity-type-nul", SHORT, {"entity_types": ["PER\x00SON"]}, BAD),
    ("entity-type-lowercase-ok", SHORT, {"entity_types": ["person", " gpe "]}, OK),
    ("key-points-20-ok", SHORT, {"max_key_points": 20}, OK),
    ("nul-bytes", "The vote\x00 passed\x00 on Monday.\x00", {}, OK),
    ("only-nul", "\x00" * 100, {}, OK),
    ("control-chars", "Bell\x07 back\x08 escape\x1b[31m red\x1b[0m form\x0c feed.", {}, OK),
    ("c1-controls", "Text with \x85 next-line and \x9b CSI.", {}, OK),
    ("emoji", "😀🔥 The team won 🎉 the cup on Sunday 🏆.", {}, OK),
    ("emoji-zwj", "👨‍👩‍👧‍👦 " * 200, {}, OK),
    ("arabic-rtl", "مرحبا بالعالم. هذا نص عربي عن الانتخابات.", {}, OK),
    ("hebrew-rtl-mixed", "שלום world, זה טקסט מעורב with English.", {}, OK),
    ("rtl-override", "The \u202etxet desrever\u202c was odd.", {}, OK),
    ("chinese", "这是一个中文句子。这是第二个句子。", {}, OK),
    ("japanese", "東京で新しい橋が開通した。市長が式典に出席した。", {}, OK),
    ("korean", "서울에서 선거가 열렸다. 투표율이 높았다.", {}, OK),
    ("thai", "วันนี้ฝนตกหนักในกรุงเทพ", {}, OK),
    ("combining-zalgo", "Z\u0351\u0352\u0353a\u0354\u0355l\u0356g\u0357o " * 50, {}, OK),
    ("zero-width", "\u200b\u200c\u200d\ufeff" * 50, {}, OK),
    ("bom-prefix", "\ufeffThe council met on Friday.", {}, OK),
    ("html-soup-as-text", "<div><p>html soup <b>unclosed <script>alert(1)</script>", {}, OK),
    ("html-soup-as-html", "<div><p>The mayor <b>opened <i>a bridge</div></span>", {"html": True}, OK),
    ("html-script-only", "<html><script>var x = 1;</script></html>", {"html": True}, OK),
    ("html-empty-page", "<html></html>", {"html": True}, OK),
    ("not-html-as-html", "plain words, no tags at all", {"html": True}, OK),
    ("single-char", "a", {}, OK),
    ("single-word", "Budget", {}, OK),
    ("punctuation-only", "!!! ??? ... ;;; ---", {}, OK),
    ("digits-only", "1234567890 " * 100, {}, OK),
    ("long-word-50k", "a" * 50_000, {}, OK),
    ("format-strings", "%s %n %x {0} {name} ${HOME} $(rm -rf /) `id`", {}, OK),
    ("json-text", '{"headline": "fake", "key_points": [1, 2, 3]}', {}, OK),
    ("url-list", "\n".join(f"https://example.com/{i}" for i in range(300)), {}, OK),
    ("repeated-sentence", "The mayor said the plan would work. " * 500, {}, OK),
    ("mixed-newlines", "First line.\rSecond line.\r\nThird line.\nFourth.", {}, OK),
    ("markdown", "# Title\n\n* bullet one\n* bullet two\n\n> quote from the mayor", {}, OK),
    ("exactly-max-whitespace-padded", " " * 100 + SHORT + " " * 100, {}, OK),
    ("private-use-and-nonchars", "\ue000\uf8ff\ufffe\uffff text \U0010ffff", {}, OK),
]


# Words the attribute ruler's exceptions name ("ai n't", "nothin'", "y' all", "gon na") among common ones.
_COMMON = ["the", "council", "said", "on", "Monday", "a", "vote", "was", "held", "in", "ai", "n't", "nothin'"]
_COMMON += ["y'", "all", "gon", "na", "."]


def new_words(rng: random.Random, n: int = 300) -> str:
    """``n`` words, common ones mixed with made-up words, numbers and capitalised names, new on every call: a
    memo table keyed by the word grows with these (`make chaos` and the attribute lookup's test use them)."""
    words = []
    for _ in range(n):
        k = rng.random()
        if k < 0.2:
            words.append("".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 10))))
        elif k < 0.3:
            words.append(f"{rng.randrange(10**7):,}")
        elif k < 0.35:
            words.append(
                rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") + "".join(rng.choice("aeioulnrst") for _ in range(6))
            )
        else:
            words.append(rng.choice(_COMMON))
    return " ".join(words)


def summarize_case(client: BriefingClient, text: str, options: dict[str, Any]) -> Any:
    """Summarize one case's text with its options."""
    opts = dict(options)
    html = bool(opts.pop("html", False))
    return client.summarize(Article(text, html=html), **opts)
