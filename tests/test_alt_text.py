"""Every figure of the book has a short alt text in its edition's language.

A figure is a code cell's image output; its alt text is the cell's MyST-NB metadata
``{"mystnb": {"image": {"alt": "..."}}}`` (CONTRIBUTING.md). The notebooks in the
repository carry no outputs, so the check reads the copies ``tools/build_book.py``
executed (``_executed/chapters/<lang>/``, a full build), and then the built pages: every
``<img>`` in a chapter's body has a non-empty ``alt`` attribute.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from conftest import EDITIONS, ROOT, chapter_files

EXECUTED = Path(os.environ.get("BOOK_SRC_DIR", ROOT / "_executed")).resolve()
HANGUL = re.compile(r"[\uac00-\ud7a3]")
IMG = re.compile(r"<img\b[^>]*>", re.S)
ALT = re.compile(r"""\balt=(?:"([^"]*)"|'([^']*)')""")
# An alt text says what the figure shows, in a sentence or two: a few words at least, and
# not a page of prose (screen readers read it in one go).
MIN_CHARS, MAX_CHARS = 12, 600


def executed(lang: str) -> list[Path]:
    paths = [EXECUTED / "chapters" / lang / nb.name for nb in chapter_files(lang)]
    missing = [p.name for p in paths if not p.exists()]
    if missing:
        pytest.fail(f"executed notebooks missing in {EXECUTED} ({missing[:3]}...): "
                    "run a full build first (`tools/build_book.py`)")
    return paths


def figure_cells(path: Path):
    """(code cell number, alt text, number of image outputs) of every cell that draws."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = [cell for cell in nb["cells"] if cell["cell_type"] == "code"]
    for i, cell in enumerate(code):
        images = [o for o in cell.get("outputs", [])
                  if any(k.startswith("image/") for k in o.get("data", {}))]
        if images:
            alt = cell["metadata"].get("mystnb", {}).get("image", {}).get("alt", "")
            yield i, alt, len(images)


@pytest.mark.parametrize("lang", EDITIONS)
def test_every_figure_cell_has_alt_text_in_its_language(lang):
    problems, figures = [], 0
    for path in executed(lang):
        for i, alt, n in figure_cells(path):
            figures += n
            where = f"{lang}/{path.stem} cell {i}"
            text = alt.strip() if isinstance(alt, str) else ""
            if not text:
                problems.append(f"{where}: no alt text (metadata mystnb.image.alt)")
            elif not MIN_CHARS <= len(text) <= MAX_CHARS:
                problems.append(f"{where}: alt text of {len(text)} characters: {text[:60]!r}")
            elif lang == "ko" and not HANGUL.search(text):
                problems.append(f"{where}: Korean alt text without Hangul: {text[:60]!r}")
            elif lang != "ko" and HANGUL.search(text):
                problems.append(f"{where}: English alt text with Hangul: {text[:60]!r}")
    assert not problems, "\n".join(problems)
    # The book draws dozens of figures; a handful means the outputs were not kept.
    assert figures >= 30, f"{lang}: only {figures} figures in the executed notebooks"


def test_both_editions_draw_the_same_figures():
    """Chapter by chapter, the same code cells of the two editions draw the same number of
    figures, so neither edition lacks a figure (or its alt text) that the other has."""
    executed("en")
    for ko_path in executed("ko"):
        en_path = EXECUTED / "chapters" / "en" / ko_path.name
        ko = [(i, n) for i, _, n in figure_cells(ko_path)]
        en = [(i, n) for i, _, n in figure_cells(en_path)]
        assert ko == en, f"{ko_path.stem}: figures (code cell, count) ko {ko} != en {en}"


def article(html: str) -> str:
    """The chapter's body: the <article> element, without the theme's navigation."""
    return html.split("<article", 1)[-1].split("</article>", 1)[0]


@pytest.mark.parametrize("lang", EDITIONS)
def test_every_image_on_the_chapter_pages_has_alt_text(site, lang):
    problems, images = [], 0
    for nb in chapter_files(lang):
        page = site / lang / "chapters" / lang / f"{nb.stem}.html"
        if not page.exists():
            pytest.fail(f"{page} is missing: build the book first")
        for tag in IMG.findall(article(page.read_text(encoding="utf-8"))):
            images += 1
            m = ALT.search(tag)
            alt = (m.group(1) if m and m.group(1) is not None else
                   m.group(2) if m else "") or ""
            if not alt.strip():
                problems.append(f"{lang}/{nb.stem}: {tag[:120]}")
            elif "/_images/" in tag and (lang == "ko") != bool(HANGUL.search(alt)):
                problems.append(f"{lang}/{nb.stem}: alt text in the wrong language: {alt[:60]!r}")
    assert not problems, "images without a fitting alt attribute:\n" + "\n".join(problems)
    assert images >= 30, f"{lang}: only {images} images in the chapter bodies"
