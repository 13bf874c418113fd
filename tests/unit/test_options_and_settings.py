"""Option defaults and validation; settings from flags and environment."""

from __future__ import annotations

import pytest
from briefing_service.errors import InvalidOptions
from briefing_service.pipeline.options import make_options
from briefing_service.settings import Schedule, Settings


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
    with pytest.raises(ValueError, match=r"^overlap_chunks is -1; must be >= 0 \(0: automatic\)$"):
        Settings.from_args(["--overlap-chunks", "-1"], {})
    assert Settings.from_args(["--overlap-chunks", "3"], {}).schedule().chunks_per_batch == 3
    with pytest.raises(ValueError, match=r"^spacy_process is 'maybe'; allowed auto, on, off$"):
        Settings.from_args(["--spacy-process", "maybe"], {})


def test_the_schedule_overlaps_batches_with_the_spacy_process(monkeypatch: pytest.MonkeyPatch) -> None:
    import briefing_service.settings as settings_module

    monkeypatch.setattr(settings_module, "_cores", lambda: 2)
    # Two cores: spaCy in its process on one, torch on the other in two streams, batches of 3, three in flight.
    auto = Settings.from_args([], {})
    assert auto.schedule() == Schedule(True, 1, 1, batches_in_flight=3, batch_articles=3, encoder_streams=2)
    assert Settings.from_args(["--encoder-streams", "1"], {}).schedule().encoder_streams == 1
    with pytest.raises(ValueError, match=r"^encoder_streams is -1; must be >= 0 \(0: automatic\)$"):
        Settings.from_args(["--encoder-streams", "-1"], {})
    small = Settings.from_args(["--max-batch", "2"], {})
    assert small.schedule().batch_articles == 2
    # A seq2seq model: torch on every core, one whole batch at a time (one generate per batch).
    seq2seq = Settings.from_args(["--summarizer-model", "some/checkpoint"], {})
    assert seq2seq.schedule() == Schedule(True, 1, 2, batches_in_flight=1, batch_articles=16)
    # spaCy on the inference thread: nothing to overlap across batches.
    off = Settings.from_args(["--spacy-process", "off"], {})
    assert off.schedule() == Schedule(False, 1, 2, batches_in_flight=1, batch_articles=16)
    # torch on more than one thread: one stream (two would put two OpenMP teams on the cores).
    explicit = Settings.from_args(["--torch-threads", "2", "--overlap-chunks", "3"], {})
    assert explicit.schedule() == Schedule(True, 3, 2, batches_in_flight=3, batch_articles=3)
    monkeypatch.setattr(settings_module, "_cores", lambda: 1)
    assert Settings.from_args([], {}).schedule() == Schedule(False, 1, 1)
