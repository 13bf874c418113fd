"""MiniLM encoder: every precision gives unit vectors that do not depend on batch-mates (fp32, bf16, int8), and
bf16 and int8 stay close to fp32."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from briefing_service.models.encoder import MiniLMEncoder, resolve_precision
from briefing_service.models.encoder_int8 import (
    CalibrationMismatch,
    collect_ranges,
    load_ranges,
    quantize,
)
from briefing_service.settings import Settings

SENTENCES = [
    "The council approved the budget on Monday.",
    "Mayor Ana Ortiz said the plan would extend library opening hours across the city next year.",
    "Opponents argued the money should go to road repairs instead, and several residents spoke against it "
    "at a meeting that ran past midnight, with one calling the vote rushed.",
    "Shares rose.",
    "Rain is expected on Thursday in the north.",
]


@pytest.fixture(scope="module")
def encoders() -> dict[str, MiniLMEncoder]:
    return {p: MiniLMEncoder(precision=p) for p in ("fp32", "bf16", "int8")}


@pytest.mark.parametrize("precision", ["fp32", "bf16", "int8"])
def test_a_sentence_gets_the_same_bits_alone_or_in_any_batch(
    encoders: dict[str, MiniLMEncoder], precision: str
) -> None:
    encoder = encoders[precision]
    batched = encoder.encode(SENTENCES)
    reordered = encoder.encode(SENTENCES[::-1])[::-1]
    for i, sentence in enumerate(SENTENCES):
        alone = encoder.encode([sentence])[0]
        assert np.array_equal(alone, batched[i]) and np.array_equal(alone, reordered[i])
    assert np.allclose(np.linalg.norm(batched, axis=1), 1.0, atol=1e-5)


@pytest.mark.parametrize("precision", ["fp32", "int8"])
def test_two_encoder_streams_give_the_same_bits_as_one(
    encoders: dict[str, MiniLMEncoder], precision: str
) -> None:
    """The schedule's second stream runs some length groups on another thread: same numbers, same rows."""
    two = MiniLMEncoder(precision=precision, streams=2)
    sentences = SENTENCES * 40  # several length groups, the 16-token one in two calls of up to 64 rows
    assert len(two._batches([e.ids for e in two.tokenizer.encode_batch(sentences)])) > 4
    assert np.array_equal(two.encode(sentences), encoders[precision].encode(sentences))
    assert np.array_equal(two.encode(SENTENCES[:1]), encoders[precision].encode(SENTENCES[:1]))


@pytest.mark.parametrize("precision", ["fp32", "bf16", "int8"])
def test_word_piece_states_come_from_the_same_pass(
    encoders: dict[str, MiniLMEncoder], precision: str
) -> None:
    """The entity tagger's states: the embeddings stay bit-identical, one row per word piece with its
    character range in the sentence, and a sentence's states do not depend on its batch-mates either."""
    encoder = encoders[precision]
    vectors, states = encoder.encode_with_tokens(SENTENCES)
    assert np.array_equal(vectors, encoder.encode(SENTENCES))
    for sentence, state in zip(SENTENCES, states, strict=True):
        pieces = encoder.tokenizer.encode(sentence)
        assert len(state.offsets) == len(pieces.ids) - 2 == len(state.states)  # [CLS] and [SEP] left out
        assert state.states.shape[1] == 2 * encoder.dim
        start, end = state.offsets[0]
        assert sentence[start:end].lower() == pieces.tokens[1]
        (_, (alone,)) = encoder.encode_with_tokens([sentence])
        assert np.array_equal(alone.states, state.states)


def test_bf16_keeps_one_stream() -> None:
    """autocast's bf16 weight copies are per thread: a pool would convert the weights on every call."""
    assert MiniLMEncoder(precision="bf16", streams=2).streams == 1


def test_bf16_is_within_a_hair_of_fp32(encoders: dict[str, MiniLMEncoder]) -> None:
    fp32, bf16 = (encoders[p].encode(SENTENCES) for p in ("fp32", "bf16"))
    assert float((fp32 * bf16).sum(axis=1).min()) > 0.999
    # Nearest neighbours agree: what the ranker's centrality is made of.
    assert np.array_equal(np.argsort(fp32 @ fp32.T, axis=1), np.argsort(bf16 @ bf16.T, axis=1))


def test_int8_stays_close_to_fp32(encoders: dict[str, MiniLMEncoder]) -> None:
    fp32, int8 = (encoders[p].encode(SENTENCES) for p in ("fp32", "int8"))
    assert float((fp32 * int8).sum(axis=1).min()) > 0.99
    # The similarities the ranker reads move by about 0.01 (7-bit activations on AVX2: 0.011); comparing which
    # neighbour ranks first would test ties (0.2962 vs 0.2874 here), not the encoder.
    assert float(np.abs(fp32 @ fp32.T - int8 @ int8.T).max()) < 0.03
    # Every Linear the forward runs is int8; the pooler, which sentence embeddings never use, is left as it is.
    plain = [n for n, m in encoders["int8"].model.named_modules() if isinstance(m, torch.nn.Linear)]
    assert plain == ["pooler.dense"]


def test_a_fresh_calibration_quantizes_every_linear_the_forward_runs() -> None:
    """What `make int8-calibration` does, on three sentences: ranges for each Linear that ran, then quantize."""
    import copy

    encoder = MiniLMEncoder(precision="fp32")
    ranges = collect_ranges(encoder.model, encoder.encode, SENTENCES[:3])
    assert "encoder.layer.5.output.dense/hi" in ranges and "pooler.dense/lo" not in ranges
    model = copy.deepcopy(encoder.model)
    quantize(model, ranges)
    assert [n for n, m in model.named_modules() if isinstance(m, torch.nn.Linear)] == ["pooler.dense"]


def test_int8_calibration_made_for_other_weights_is_refused(encoders: dict[str, MiniLMEncoder]) -> None:
    other = MiniLMEncoder(precision="fp32").model
    with torch.no_grad():
        other.encoder.layer[0].output.dense.weight.mul_(1.01)
    with pytest.raises(CalibrationMismatch, match="make int8-calibration"):
        quantize(other, load_ranges())


def test_model_info_says_which_precision_ran(encoders: dict[str, MiniLMEncoder]) -> None:
    assert not encoders["fp32"].version.endswith(("+bf16", "+int8"))
    assert encoders["bf16"].version.endswith("+bf16")
    assert encoders["int8"].version.endswith("+int8")


def test_auto_picks_bf16_where_the_cpu_has_it_else_int8_on_avx2_or_avx512() -> None:
    native = torch.cpu._is_avx512_bf16_supported() or torch.cpu._is_amx_tile_supported()
    vectorised = torch.backends.cpu.get_cpu_capability() in ("AVX2", "AVX512")
    fallback = "int8" if vectorised or torch.cpu._is_vnni_supported() else "fp32"
    assert resolve_precision("auto") == ("bf16" if native else fallback)
    assert resolve_precision("int8") == "int8"
    with pytest.raises(ValueError, match=r"encoder precision is 'fp16'; allowed auto, fp32, bf16, int8"):
        resolve_precision("fp16")
    with pytest.raises(ValueError, match=r"encoder_precision is 'fp16'; allowed auto, fp32, bf16, int8"):
        Settings.from_args(["--encoder-precision", "fp16"], env={})
    assert Settings.from_args([], env={}).encoder_precision == "auto"
