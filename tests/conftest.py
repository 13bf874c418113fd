"""Shared fixtures: one real server (port 0, real models) and one in-process pipeline per test run."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# A mistake that reaches for the model hub must fail fast here, not hang.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SAMPLE_PAGE = SHARED / "samples" / "scraped_page_us_pakistan.txt"
EXAMPLES = ROOT / "examples" / "articles"


@pytest.fixture(scope="session")
def sample_page() -> str:
    if not SAMPLE_PAGE.exists():
        pytest.skip(f"{SAMPLE_PAGE} not present (../shared is optional)")
    return SAMPLE_PAGE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def server_target() -> Iterator[str]:
    """'127.0.0.1:PORT' of a real briefing-server subprocess with the default models, SERVING."""
    from briefing_client import BriefingClient
    from briefing_client.local_server import local_server

    with local_server(["--host", "127.0.0.1"]) as target:
        with BriefingClient(target) as client:
            client.wait_until_serving(timeout=180)
        yield target


@pytest.fixture(scope="session")
def client(server_target: str) -> Iterator[object]:
    from briefing_client import BriefingClient

    with BriefingClient(server_target, timeout=60) as c:
        yield c


@pytest.fixture(scope="session")
def nlp() -> object:
    """spaCy en_core_web_sm, loaded once for the whole run (the in-process pipeline shares it)."""
    from briefing_service.parsing.segmenter import load_spacy

    return load_spacy()


@pytest.fixture(scope="session")
def pipeline(nlp: object) -> object:
    from briefing_service.models.encoder import MiniLMEncoder
    from briefing_service.pipeline.pipeline import Pipeline
    from briefing_service.settings import Settings

    # The encoder the server runs by default (bf16 where the CPU has it, else int8 on AVX2/AVX-512, else fp32).
    return Pipeline(nlp, MiniLMEncoder(precision=Settings().encoder_precision))  # type: ignore[arg-type]
