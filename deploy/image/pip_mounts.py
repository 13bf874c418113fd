"""Hand the build machine's pip configuration to `podman build` without baking it into the image.

Reads `pip config list` (files and PIP_* variables, as pip itself merges them), writes the same settings as
one pip.conf under OUT_DIR, and prints the `--volume` options that mount that file at /etc/pip.conf and every
local path it names (find-links folders, file:// indexes, the constraints file, the CA bundle) read-only at
the same place. Volumes exist only while a RUN step runs, so no layer holds them.

Usage: python3 deploy/image/pip_mounts.py OUT_DIR  (stdlib only; prints one option per line)
"""

from __future__ import annotations

import configparser
import subprocess
import sys
from pathlib import Path


def pip_settings() -> dict[tuple[str, str], str]:
    """{(section, key): value}; environment entries (":env:") override files, as in pip."""
    listing = subprocess.run(
        [sys.executable, "-m", "pip", "config", "list"], capture_output=True, text=True, check=True
    ).stdout
    from_files: dict[tuple[str, str], str] = {}
    from_env: dict[tuple[str, str], str] = {}
    for line in listing.splitlines():
        name, sep, quoted = line.partition("=")
        if not sep:
            continue
        section, _, key = name.rpartition(".")
        value = quoted.strip().strip("'\"")
        if section == ":env:":
            from_env[("global", key)] = value
        else:
            from_files[(section, key)] = value
    return from_files | from_env


def local_paths(settings: dict[tuple[str, str], str]) -> list[Path]:
    """Local folders and files the settings name, none inside another. A file:// index brings its parent:
    a simple index's pages link to their files relatively (../../files/...)."""
    paths: set[Path] = set()
    for (_section, key), value in settings.items():
        for token in value.split():
            path = Path(token.removeprefix("file://"))
            if not path.is_absolute() or not path.exists():
                continue
            paths.add(path.parent if key.endswith("index-url") else path)
    return sorted(p for p in paths if not any(p != q and p.is_relative_to(q) for q in paths))


def main(out_dir: str) -> None:
    settings = pip_settings()
    config = configparser.ConfigParser(interpolation=None)
    for (section, key), value in sorted(settings.items()):
        if not config.has_section(section):
            config.add_section(section)
        config.set(section, key, value)
    target = Path(out_dir)
    target.mkdir(parents=True, exist_ok=True)
    conf = target / "pip.conf"
    with conf.open("w", encoding="utf-8") as f:
        config.write(f)
    print(f"--volume={conf.resolve()}:/etc/pip.conf:ro")
    for path in local_paths(settings):
        print(f"--volume={path}:{path}:ro")


if __name__ == "__main__":
    main(sys.argv[1])
