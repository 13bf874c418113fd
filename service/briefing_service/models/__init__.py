"""Models: the MiniLM sentence encoder (fp32, bf16, int8) and the optional seq2seq summarizer.

Imported on first use: the seq2seq module's transformers import is paid only where a checkpoint is set."""

from __future__ import annotations

from typing import TYPE_CHECKING

from briefing_service.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from briefing_service.models.encoder import (
        MiniLMEncoder,
        SentenceEncoder,
        TokenEncoder,
        TokenStates,
        resolve_precision,
    )
    from briefing_service.models.seq2seq import Seq2SeqSummarizer

__all__ = [
    "MiniLMEncoder",
    "SentenceEncoder",
    "Seq2SeqSummarizer",
    "TokenEncoder",
    "TokenStates",
    "resolve_precision",
]
__getattr__ = lazy_exports(
    __name__,
    {
        "MiniLMEncoder": "briefing_service.models.encoder",
        "SentenceEncoder": "briefing_service.models.encoder",
        "TokenEncoder": "briefing_service.models.encoder",
        "TokenStates": "briefing_service.models.encoder",
        "resolve_precision": "briefing_service.models.encoder",
        "Seq2SeqSummarizer": "briefing_service.models.seq2seq",
    },
)
