"""A 100-article briefing: the bundled articles, the test articles and generated variants of them, through
`briefing build` with its own local server. Prints where the wall time goes. `make bench-briefing [N=100]`.

Variants are the same stories refiled: the lede kept, later paragraphs dropped or reordered, a line added, and
a publication date shifted by a day, so they group into the stories they came from (near-duplicates, the
common case in a morning's feed) while each has its own id and text.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "examples" / "articles", ROOT / "tests" / "data" / "briefing"]


def make_inputs(folder: Path, total: int, seed: int = 7) -> int:
    rng = random.Random(seed)
    originals: list[Path] = []
    for source in SOURCES:
        for path in sorted(source.iterdir()):
            if path.stem.upper() != "README" and path.suffix in (".txt", ".md", ".html", ".jsonl"):
                shutil.copy(path, folder / path.name)
                originals.append(path)
    count = sum(len(p.read_text().splitlines()) if p.suffix == ".jsonl" else 1 for p in originals)
    texts = [p for p in originals if p.suffix in (".txt", ".md")]
    rows = []
    n = 0
    while count < total:
        source = texts[n % len(texts)]
        paragraphs = [p for p in source.read_text().split("\n\n") if p.strip()]
        head, body = paragraphs[:3], paragraphs[3:]
        rng.shuffle(body)
        keep = body[: max(1, int(len(body) * rng.uniform(0.5, 1.0)))]
        text = "\n\n".join(
            [*head, *keep, f"This version was updated at {8 + n % 10}:{n % 6}0 with reporting from desk {n}."]
        )
        rows.append(
            {
                "id": f"variant-{n:03d}-{source.stem}",
                "title": head[0].strip(),
                "text": text,
                "source": f"Wire {n % 5}",
                "published_at": f"2026-05-{6 + n % 2:02d}T08:00:00Z",
            }
        )
        n += 1
        count += 1
    (folder / "variants.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=100, help="articles in the briefing")
    parser.add_argument("--out", default="out/bench-briefing")
    parser.add_argument("--target", default="", help="a running server (default: start a local one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="briefing-bench-") as tmp:
        count = make_inputs(Path(tmp), args.n)
        command = [str(Path(sys.executable).parent / "briefing"), "build", tmp, "--out", args.out, "--fresh"]
        if args.target:
            command += ["--target", args.target]
        started = time.monotonic()
        done = subprocess.run(command, capture_output=True, text=True)
        wall = time.monotonic() - started
    print(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "", file=sys.stderr)
    print(f"{count} articles; wall time {wall:.1f} s (process start to exit, server start-up included)")
    sys.exit(done.returncode)


if __name__ == "__main__":
    main()
