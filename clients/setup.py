"""Build hook of the client distribution: the generated briefing.v1 code is made from the .proto before the
packages are collected (api/generate.py, the generator `make proto` runs too), so the wheel always carries code
that matches the proto and the grpcio-tools it was built with. Metadata lives in pyproject.toml."""

from __future__ import annotations

import runpy
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

API_DIR = Path(__file__).resolve().parent.parent / "api"


class GenerateThenBuild(build_py):
    def run(self) -> None:
        runpy.run_path(str(API_DIR / "generate.py"))["generate"]()
        super().run()


setup(cmdclass={"build_py": GenerateThenBuild})
