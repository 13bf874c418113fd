"""The HTML briefing opens in headless Chromium (Debian's `chromium`) and renders a non-blank page, at phone
and desktop widths. Chromium is installed here only where it is missing; the test skips when it cannot be."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
INPUTS = [ROOT / "examples" / "articles", ROOT / "tests" / "data" / "briefing"]
BIN = Path(sys.executable).parent
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


@pytest.fixture(scope="session")
def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        pytest.skip("chromium is not installed and apt-get cannot install it here (needs root and apt-get)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-q"], ["apt-get", "install", "-y", "-q", "chromium"]):
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=900, env=env)
        except subprocess.TimeoutExpired:
            pytest.skip(f"{' '.join(command)} took over 15 minutes")
        if done.returncode != 0:
            pytest.skip(f"cannot install chromium: {' '.join(command)}: {done.stderr.strip()[-300:]}")
    found = shutil.which("chromium")
    if not found:
        pytest.skip("apt-get installed chromium but it is not on PATH")
    return found


@pytest.fixture(scope="module")
def briefing_html(server_target: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("html")
    run = subprocess.run(
        [
            str(BIN / "briefing"),
            "build",
            *map(str, INPUTS),
            *("--target", server_target, "--out", str(out), "--formats", "html"),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in out.glob("briefing.*")) == ["briefing.html"]
    return out / "briefing.html"


@pytest.mark.parametrize(("width", "height"), [(412, 915), (1280, 900)])
def test_html_renders_non_blank_in_headless_chromium(
    chromium: str, briefing_html: Path, tmp_path: Path, width: int, height: int
) -> None:
    from PIL import Image

    shot = tmp_path / f"briefing-{width}.png"
    done = subprocess.run(
        [
            chromium,
            *FLAGS,
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--window-size={width},{height}",
            f"--screenshot={shot}",
            briefing_html.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0 and shot.exists(), done.stderr[-2000:]
    image = Image.open(shot).convert("RGB")
    assert image.size == (width, height)
    pixels = np.asarray(image).reshape(-1, 3)
    values, counts = np.unique(pixels, axis=0, return_counts=True)
    background = values[np.argmax(counts)]
    share = float((pixels != background).any(axis=1).mean())
    colors = len(values)
    # Text, the dark header and the highlighted entities: a blank or unstyled page has far less of both.
    assert share > 0.15, f"only {share:.1%} of the screenshot differs from the background"
    assert colors > 200, f"only {colors} colours in the screenshot"
    dark_header = image.getpixel((width // 2, 10))
    assert sum(dark_header) < 150, f"header pixel is {dark_header}: the inline CSS did not apply"
