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
    with pytest.raises(ValueError, match=r"^overlap_chunks is 0; must be >= 1$"):
        Settings.from_args(["--overlap-chunks", "0"], {})
    assert Settings.from_args(["--overlap-chunks", "3"], {}).schedule().chunks_per_batch == 3
    with pytest.raises(ValueError, match=r"^spacy_process is 'maybe'; allowed auto, on, off$"):
        Settings.from_args(["--spacy-process", "maybe"], {})


def test_the_schedule_overlaps_batches_with_the_spacy_process(monkeypatch: pytest.MonkeyPatch) -> None:
    import briefing_service.settings as settings_module

    monkeypatch.setattr(settings_module, "available_cores", lambda: 2)
    # Two cores: spaCy in its process on one, torch on the other in two streams, batches of 3, three in flight.
    auto = Settings.from_args([], {})
    assert auto.schedule() == Schedule(True, 1, 1, batches_in_flight=3, batch_articles=3, encoder_streams=2)
    assert Settings.from_args(["--encoder-streams", "1"], {}).schedule().encoder_streams == 1
    with pytest.raises(ValueError, match=r"^encoder_streams is 0; must be >= 1, or auto$"):
        Settings.from_args(["--encoder-streams", "0"], {})
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
    monkeypatch.setattr(settings_module, "available_cores", lambda: 1)
    assert Settings.from_args([], {}).schedule() == Schedule(False, 1, 1)


def test_off_and_auto_are_none_not_numbers() -> None:
    """A setting that can be off or left to the server is None, spelled "off"/"auto" (or empty) on the command
    line and in the environment; no number stands for it."""
    default = Settings.from_args([], {})
    assert (default.metrics_port, default.torch_threads, default.encoder_streams) == (None, None, None)
    assert default.cache_entries == 1024 and default.overlap_chunks == 1
    assert Settings.from_args(["--cache-entries", "off"], {}).cache_entries is None
    assert Settings.from_args([], {"BRIEFING_CACHE_ENTRIES": "OFF"}).cache_entries is None
    assert Settings.from_args(["--metrics-port", "0"], {}).metrics_port == 0
    assert (
        Settings.from_args(["--metrics-port", "off"], {"BRIEFING_METRICS_PORT": "9100"}).metrics_port is None
    )
    assert Settings.from_args([], {"BRIEFING_METRICS_PORT": ""}).metrics_port is None
    assert Settings.from_args(["--torch-threads", "auto", "--encoder-streams", "2"], {}).encoder_streams == 2
    with pytest.raises(ValueError, match=r"^metrics_port is -1; allowed 0..65535, or off$"):
        Settings.from_args(["--metrics-port", "-1"], {})
    with pytest.raises(ValueError, match=r"^cache_entries is 0; must be >= 1, or off$"):
        Settings.from_args(["--cache-entries", "0"], {})
    with pytest.raises(SystemExit):  # argparse: not an integer and not the word
        Settings.from_args(["--torch-threads", "off"], {})
