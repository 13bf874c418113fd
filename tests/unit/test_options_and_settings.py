"""Option defaults and validation; settings from flags and environment."""

from __future__ import annotations

import pytest
from briefing_service.errors import InvalidOptions
from briefing_service.pipeline.options import make_options
from briefing_service.settings import Settings


def test_proto3_zero_values_mean_defaults() -> None:
    options = make_options()
    assert options.max_key_points == 5 and options.include_entities and not options.entity_types


def test_entity_types_are_normalized() -> None:
    assert make_options(entity_types=[" person", "GPE", ""]).entity_types == {"PERSON", "GPE"}


@pytest.mark.parametrize("value", [-1, 21, 1000])
def test_out_of_range_key_points(value: int) -> None:
    with pytest.raises(InvalidOptions, match=f"max_key_points is {value}; allowed 1..20"):
        make_options(max_key_points=value)


def test_settings_flags_override_environment() -> None:
    env = {"BRIEFING_PORT": "6000", "BRIEFING_MAX_ARTICLE_CHARS": "1000"}
    assert Settings.from_args([], env).port == 6000
    settings = Settings.from_args(["--port", "7000"], env)
    assert settings.port == 7000 and settings.max_article_chars == 1000


def test_settings_are_frozen_and_validated() -> None:
    settings = Settings.from_args([], {})
    with pytest.raises(AttributeError):
        settings.port = 1  # type: ignore[misc]
    with pytest.raises(ValueError, match="max_receive_message_bytes"):
        Settings.from_args(["--max-article-chars", "100000000"], {})
    with pytest.raises(ValueError, match=r"^overlap_chunks is 0; must be >= 1$"):
        Settings.from_args(["--overlap-chunks", "0"], {})
    assert Settings.from_args(["--overlap-chunks", "4"], {}).overlap_chunks == 4
