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
    assert Settings.from_args(["--overlap-chunks", "3"], {}).schedule("fp32").chunks_per_batch == 3
    with pytest.raises(ValueError, match=r"^spacy_process is 'maybe'; allowed auto, on, off$"):
        Settings.from_args(["--spacy-process", "maybe"], {})


def test_the_schedule_follows_the_encoder_precision(monkeypatch: pytest.MonkeyPatch) -> None:
    import briefing_service.settings as settings_module

    monkeypatch.setattr(settings_module, "_cores", lambda: 2)
    auto = Settings.from_args([], {})
    # fp32: the encoder is the slower stage; the spaCy process overlaps it, torch on every core.
    assert auto.schedule("fp32") == Schedule(spacy_process=True, chunks_per_batch=4, torch_threads=2)
    # bf16: spaCy on the inference thread, torch on every core.
    assert auto.schedule("bf16") == Schedule(spacy_process=False, chunks_per_batch=1, torch_threads=2)
    # The process forced on beside a bf16 encoder gets a core of its own; not beside a seq2seq model.
    forced = Settings.from_args(["--spacy-process", "on"], {})
    assert forced.schedule("bf16") == Schedule(spacy_process=True, chunks_per_batch=4, torch_threads=1)
    seq2seq = Settings.from_args(["--spacy-process", "on", "--summarizer-model", "some/checkpoint"], {})
    assert seq2seq.schedule("bf16").torch_threads == 2
    off = Settings.from_args(["--spacy-process", "off"], {})
    assert off.schedule("fp32") == Schedule(spacy_process=False, chunks_per_batch=1, torch_threads=2)
    explicit = Settings.from_args(
        ["--torch-threads", "2", "--overlap-chunks", "3", "--spacy-process", "on"], {}
    )
    assert explicit.schedule("bf16") == Schedule(spacy_process=True, chunks_per_batch=3, torch_threads=2)
    monkeypatch.setattr(settings_module, "_cores", lambda: 1)
    assert Settings.from_args([], {}).schedule("fp32") == Schedule(False, 1, 1)
