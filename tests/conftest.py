"""Shared helpers for the book's tests: paths, notebooks, configs."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml

os.environ.setdefault("MPLBACKEND", "Agg")

ROOT = Path(__file__).resolve().parent.parent
EDITIONS = ("ko", "en")
CHAPTERS = {lang: ROOT / "chapters" / lang for lang in EDITIONS}
SITE = ROOT / "_build" / "html"


def chapter_files(lang: str) -> list[Path]:
    return sorted(CHAPTERS[lang].glob("*.ipynb"))


def all_notebooks() -> list[Path]:
    return [nb for lang in EDITIONS for nb in chapter_files(lang)]


def load_notebook(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def load_yaml(name: str) -> dict:
    return yaml.safe_load((ROOT / name).read_text(encoding="utf-8"))


def repository_url() -> str:
    return load_yaml("_config.yml")["repository"]["url"]


def toc_files(lang: str) -> list[str]:
    toc = load_yaml("_toc.yml" if lang == "ko" else "_toc.en.yml")
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [entry["file"] for entry in part["chapters"]]
    return files


@pytest.fixture(scope="session")
def site() -> Path:
    """The built site (``make test`` builds it before running pytest)."""
    index = SITE / "index.html"
    if not index.exists():
        pytest.fail(f"{index} is missing: build the book first (`make book`)")
    return SITE
