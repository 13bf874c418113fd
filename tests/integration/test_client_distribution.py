"""The client distribution installs without the models: `pip install ./clients` into a fresh virtual
environment brings no torch, spaCy or transformers, and its `briefing summarize` works against a real server.

The client's wheel is built from this checkout (its build generates the API code); its dependencies come from a
wheelhouse kept beside .venv, filled from the package index the first time and offline after that.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WHEELHOUSE = ROOT / ".venv" / "client-wheelhouse"
ARTICLE = ROOT / "examples" / "articles" / "01-transit-vote.txt"
MODEL_PACKAGES = ("torch", "spacy", "transformers", "tokenizers", "safetensors")


def _run(args: list[str], timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout, cwd=ROOT)


def _install(pip: str, wheels: Path) -> subprocess.CompletedProcess[str]:
    """The client wheel just built (by path, so no older one can stand in), its dependencies offline."""
    return _run([pip, "install", "-q", "--no-index", "--find-links", str(WHEELHOUSE),
                 *map(str, wheels.glob("briefing_client-*.whl"))])  # fmt: skip


@pytest.fixture(scope="module")
def client_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("client-dist")
    wheels = tmp / "wheels"
    built = _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                  "-w", str(wheels), "./clients"])  # fmt: skip
    shutil.rmtree(ROOT / "clients" / "build", ignore_errors=True)  # setuptools' scratch folder
    assert built.returncode == 0, built.stderr
    venv = tmp / "venv"
    made = _run([sys.executable, "-m", "venv", str(venv)])
    assert made.returncode == 0, made.stderr
    pip = str(venv / "bin" / "pip")
    installed = _install(pip, wheels)
    if installed.returncode != 0:  # the wheelhouse lacks something: fetch the client's dependencies once
        WHEELHOUSE.mkdir(parents=True, exist_ok=True)
        fetched = _run([sys.executable, "-m", "pip", "download", "-q", "-d", str(WHEELHOUSE),
                        "--find-links", str(WHEELHOUSE), *map(str, wheels.glob("*.whl"))])  # fmt: skip
        if fetched.returncode != 0:
            pytest.skip(f"the client's dependencies could not be fetched: {fetched.stderr.strip()[-300:]}")
        for stale in WHEELHOUSE.glob("briefing_client-*.whl"):  # `pip download` copies the client in too
            stale.unlink()
        installed = _install(pip, wheels)
    assert installed.returncode == 0, installed.stderr
    return venv


def test_the_client_installs_without_the_models(client_venv: Path) -> None:
    listed = _run([str(client_venv / "bin" / "pip"), "list", "--format", "json"])
    names = {p["name"].lower() for p in json.loads(listed.stdout)}
    assert "briefing-client" in names
    assert not names & set(MODEL_PACKAGES), names & set(MODEL_PACKAGES)
    assert "ray" not in names  # the Ray engine comes with the server's ray extra
    python = str(client_venv / "bin" / "python")
    ok = _run([python, "-c", "import briefing_client, briefing_assembly, briefing.v1.briefing_pb2_grpc"])
    assert ok.returncode == 0, ok.stderr
    # The server is not part of it.
    assert _run([python, "-c", "import briefing_service"]).returncode != 0


def test_the_installed_cli_summarizes_against_a_server(client_venv: Path, server_target: str) -> None:
    briefing = str(client_venv / "bin" / "briefing")
    out = _run([briefing, "summarize", str(ARTICLE), "--jsonl", "--target", server_target])
    assert out.returncode == 0, out.stderr
    response = json.loads(out.stdout)
    assert response["article_id"] == ARTICLE.stem and response["headline"] and response["key_points"]
    # Without --target `build` would start a local server, which this install does not have: one clear line.
    out = _run([briefing, "build", str(ARTICLE), "--out", str(client_venv / "out")])
    assert out.returncode == 4 and "Traceback" not in out.stderr
    assert "the server is not installed here" in out.stderr
    # Nor the Ray engine: one line naming what to install, exit 2.
    out = _run([briefing, "build", str(ARTICLE), "--engine", "ray", "--out", str(client_venv / "out")])
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "the ray engine is not installed here" in out.stderr
