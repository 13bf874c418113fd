"""The plain-torch MiniLM (models/minilm.py) is transformers' BertModel and tokenizer, bit for bit, on the
shipped checkpoint, and the server's encoder path never imports transformers' modelling code."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import torch
from briefing_service.models.encoder import default_encoder_path
from briefing_service.models.minilm import BertEncoder, BertShape, load_tokenizer

TEXTS = [
    "The council approved the budget on Monday.",
    "Mayor Ana Ortiz said the plan would extend library opening hours across the city next year.",
    "",
    "Ünïcödé accents, emoji 😀, Arabic مرحبا, CJK 中文测试, zero\u200bwidth and a tab\there.",
    "word " * 400,  # over the 256-token limit: truncated, [SEP] kept
]


@pytest.fixture(scope="module")
def reference() -> tuple[object, object]:
    from transformers import AutoModel, AutoTokenizer

    path = default_encoder_path()
    return AutoTokenizer.from_pretrained(path), AutoModel.from_pretrained(path).eval()


def test_token_ids_match_transformers_tokenizer(reference: tuple[object, object]) -> None:
    tokenizer, _ = reference
    expected = tokenizer(TEXTS, truncation=True, max_length=256)["input_ids"]  # type: ignore[operator]
    ours = [e.ids for e in load_tokenizer(default_encoder_path(), 256).encode_batch(TEXTS)]
    assert ours == expected
    assert len(ours[-1]) == 256 and ours[-1][-1] == expected[-1][-1]


@torch.inference_mode()
def test_hidden_states_match_transformers_bit_for_bit(reference: tuple[object, object]) -> None:
    tokenizer, model = reference
    ours = BertEncoder.load(default_encoder_path())
    # A padded batch (rows of different lengths) and a single row without padding.
    batch = tokenizer(TEXTS[:4], padding=True, return_tensors="pt")  # type: ignore[operator]
    ids, mask = batch["input_ids"], batch["attention_mask"]
    expected = model(input_ids=ids, attention_mask=mask).last_hidden_state  # type: ignore[operator]
    got = ours(ids, mask)
    real = mask.bool()
    assert torch.equal(got[real], expected[real])
    one = ids[1:2, : int(mask[1].sum())]
    alone = model(input_ids=one, attention_mask=torch.ones_like(one)).last_hidden_state  # type: ignore[operator]
    assert torch.equal(ours(one, torch.ones_like(one)), alone)
    assert [n for n, _ in ours.named_modules()][:4] == [
        "",
        "embeddings",
        "embeddings.word_embeddings",
        "embeddings.position_embeddings",
    ]


def test_a_checkpoint_that_is_not_bert_is_refused(tmp_path: Path) -> None:
    folder = tmp_path
    (folder / "config.json").write_text('{"model_type": "roberta", "hidden_act": "gelu"}')
    with pytest.raises(ValueError, match=r"'roberta'.*allowed: a BERT encoder"):
        BertShape.from_config(folder)


def test_loading_the_encoder_does_not_import_transformers() -> None:
    """The point of the module: transformers' modelling imports cost ~2.5 s of cold start."""
    code = (
        "import sys; from briefing_service.models.encoder import MiniLMEncoder; "
        "MiniLMEncoder(precision='int8').encode(['A sentence.']); "
        "print(sorted(m for m in ('transformers', 'torch._dynamo', 'scipy') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip() == "[]"
