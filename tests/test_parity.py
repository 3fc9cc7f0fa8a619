"""The two editions move in lockstep: same chapters, headings, labels and code."""

from __future__ import annotations

import io
import re
import tokenize

import pytest
from conftest import CHAPTERS, chapter_files, load_notebook

NAMES = sorted({p.name for lang in CHAPTERS for p in chapter_files(lang)})


def cells(path, kind):
    return [c for c in load_notebook(path)["cells"] if c["cell_type"] == kind]


def text(cell) -> str:
    src = cell["source"]
    return "".join(src) if isinstance(src, list) else src


def strip_fences(md: str) -> str:
    """Drop fenced code blocks (``` or ~~~) but keep MyST directive bodies' labels."""
    out, fence = [], None
    for line in md.splitlines():
        m = re.match(r"^(`{3,}|~{3,})(.*)$", line.strip())
        if m and fence is None and not m.group(2).startswith("{"):
            fence = m.group(1)
            continue
        if fence is not None:
            if line.strip().startswith(fence):
                fence = None
            continue
        out.append(line)
    return "\n".join(out)


def headings(path) -> list[int]:
    levels = []
    for cell in cells(path, "markdown"):
        for line in strip_fences(text(cell)).splitlines():
            m = re.match(r"^(#{1,6}) \S", line)
            if m:
                levels.append(len(m.group(1)))
    return levels


def labels(path) -> dict[str, list[str]]:
    md = "\n".join(text(c) for c in cells(path, "markdown"))
    return {
        "equations": re.findall(r"\$\$\s*\(([\w\-:]+)\)", md),
        "equation refs": re.findall(r"\{eq\}`([^`]+)`", md),
        "directive labels": re.findall(r"^:label:\s*(\S+)", md, flags=re.M),
        "exercises": re.findall(r"```\{exercise\}", md),
        "solutions": re.findall(r"```\{solution-start\}\s*(\S+)", md),
        "glue": re.findall(r"\{glue(?::\w+)?\}`([\w\-]+)", md),
    }


def normalised_code(cell) -> str:
    """Code with comments, blank lines and the LANG line removed."""
    src = re.sub(r'^LANG = "(ko|en)"\s*$', "", text(cell), flags=re.M)
    lines = src.splitlines()
    for tok in tokenize.generate_tokens(io.StringIO(src + "\n").readline):
        if tok.type == tokenize.COMMENT:
            row, col = tok.start
            lines[row - 1] = lines[row - 1][:col]
    return "\n".join(ln.rstrip() for ln in lines if ln.strip())


def test_same_chapter_files():
    ko = {p.name for p in chapter_files("ko")}
    en = {p.name for p in chapter_files("en")}
    assert ko == en, f"only in ko: {sorted(ko - en)}; only in en: {sorted(en - ko)}"


@pytest.mark.parametrize("name", NAMES)
def test_same_heading_structure(name):
    ko, en = headings(CHAPTERS["ko"] / name), headings(CHAPTERS["en"] / name)
    assert ko == en, f"{name}: heading levels differ\n ko {ko}\n en {en}"


@pytest.mark.parametrize("name", NAMES)
def test_same_labels(name):
    ko, en = labels(CHAPTERS["ko"] / name), labels(CHAPTERS["en"] / name)
    for kind in ko:
        assert ko[kind] == en[kind], f"{name}: {kind} differ\n ko {ko[kind]}\n en {en[kind]}"


@pytest.mark.parametrize("name", NAMES)
def test_same_code_cells(name):
    ko = [normalised_code(c) for c in cells(CHAPTERS["ko"] / name, "code")]
    en = [normalised_code(c) for c in cells(CHAPTERS["en"] / name, "code")]
    assert len(ko) == len(en), f"{name}: {len(ko)} code cells in ko, {len(en)} in en"
    for i, (a, b) in enumerate(zip(ko, en, strict=True)):
        assert a == b, (
            f"{name}: code cell {i} differs beyond comments and LANG\n--- ko\n{a}\n--- en\n{b}")


@pytest.mark.parametrize("name", NAMES)
def test_same_cell_tags(name):
    def tags(lang):
        return [c.get("metadata", {}).get("tags", []) for c in cells(CHAPTERS[lang] / name, "code")]

    assert tags("ko") == tags("en"), f"{name}: code cell tags differ"
