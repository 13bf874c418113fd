"""The documentation stays true to the code: the README is short, its configuration table lists every server
setting with its environment variable and default, the limits the .proto states are the ones the code
enforces, and relative links lead to files that exist."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

from briefing_service import limits
from briefing_service.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
PROTO = ROOT / "proto" / "briefing" / "v1" / "briefing.proto"


def test_the_readme_is_under_15_kb() -> None:
    assert len(README.read_bytes()) <= 15_000


def _shown(name: str, value: object, none_word: str | None) -> str:
    """A default as the README's table writes it (thousands separated, but not in a port number)."""
    if value is None:
        return f"`{none_word}`"
    if value == "":
        return "—"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and value >= 2**20 and value % 2**20 == 0:
        return f"`{value // 2**20} MiB`"
    if isinstance(value, int) and value >= 10_000 and not name.endswith("port"):
        return f"`{value:,}`"
    return f"`{value}`"


def test_the_configuration_table_lists_every_setting_with_its_default() -> None:
    rows = {
        m[1]: line
        for line in README.read_text().splitlines()
        if (m := re.match(r"\| `(--[a-z-]+)` \|", line))
    }
    for f in fields(Settings):
        flag = "--" + f.name.replace("_", "-")
        assert flag in rows, f"README's configuration table has no row for {flag}"
        cells = [c.strip() for c in rows[flag].strip("|").split("|")]
        assert cells[1] == f"`BRIEFING_{f.name.upper()}`", flag
        assert cells[2] == _shown(f.name, f.default, f.metadata.get("none")), flag
        assert cells[3], flag


def test_the_proto_states_the_limits_the_code_enforces() -> None:
    proto = PROTO.read_text()
    for phrase in (
        f"({limits.MAX_ARTICLE_CHARS:,} by default)",
        f"at most {limits.HEADLINE_MAX_WORDS} words",
        f"1..{limits.MAX_KEY_POINTS}. 0 means the default, {limits.DEFAULT_KEY_POINTS}.",
        f"At most {limits.MAX_STREAM_ARTICLES:,}",
        f"{limits.BRIEFING_MAX_ARTICLES} articles and {limits.BRIEFING_MAX_CHARS:,} characters",
    ):
        assert phrase in proto, phrase
    defaults = Settings()
    assert defaults.max_article_chars == limits.MAX_ARTICLE_CHARS
    assert defaults.max_stream_articles == limits.MAX_STREAM_ARTICLES
    assert (defaults.briefing_max_articles, defaults.briefing_max_chars) == (
        limits.BRIEFING_MAX_ARTICLES,
        limits.BRIEFING_MAX_CHARS,
    )


def test_relative_links_lead_to_files() -> None:
    for page in [README, *sorted((ROOT / "docs").glob("*.md"))]:
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", page.read_text()):
            assert (page.parent / target).exists(), f"{page.name} links to {target}, which does not exist"
