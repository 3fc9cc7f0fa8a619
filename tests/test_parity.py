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


# --- Pages that are not notebooks (the appendix, MyST Markdown) ---------------------------

MD_NAMES = sorted({p.name for lang in CHAPTERS for p in CHAPTERS[lang].glob("*.md")})


def md_text(lang: str, name: str) -> str:
    return (CHAPTERS[lang] / name).read_text(encoding="utf-8")


def md_structure(md: str) -> dict[str, list]:
    """What must be the same in both editions of a Markdown page: the heading levels, the
    targets and references, the link targets and the cited works, in order."""
    body = strip_fences(md)
    return {
        "heading levels": [len(m) for m in re.findall(r"^(#{1,6}) \S", body, flags=re.M)],
        "targets": re.findall(r"^\(([\w\-]+)\)=\s*$", md, flags=re.M),
        "cross-references": re.findall(r"\{(?:ref|doc|eq|numref)\}`([^`]+)`", md),
        "link targets": re.findall(r"\]\(([^()\s]+)\)", body),
        "citations": re.findall(r"\{cite(?::\w+)?\}`([^`]+)`", md),
        "table rows": [len(re.findall(r"(?<!\\)\|", ln)) for ln in body.splitlines()
                       if ln.startswith("|")],
    }


def test_same_markdown_pages():
    ko = {p.name for p in CHAPTERS["ko"].glob("*.md")}
    en = {p.name for p in CHAPTERS["en"].glob("*.md")}
    assert ko == en, f"only in ko: {sorted(ko - en)}; only in en: {sorted(en - ko)}"


@pytest.mark.parametrize("name", MD_NAMES)
def test_markdown_pages_have_the_same_structure(name):
    ko, en = md_structure(md_text("ko", name)), md_structure(md_text("en", name))
    for kind in ko:
        assert ko[kind] == en[kind], f"{name}: {kind} differ\n ko {ko[kind]}\n en {en[kind]}"


def test_the_markdown_check_sees_what_it_should():
    md = ("(app-x)=\n# T\n\n## A\n\nSee [9](09_a.ipynb) and {ref}`app-y`, {cite:p}`k1,k2`.\n\n"
          "```python\n# not a heading\n[x](not_a_link.md)\n```\n\n| a | b |\n|---|---|\n")
    s = md_structure(md)
    assert s["heading levels"] == [1, 2]
    assert s["targets"] == ["app-x"]
    assert s["cross-references"] == ["app-y"]
    assert s["link targets"] == ["09_a.ipynb"]
    assert s["citations"] == ["k1,k2"]
    assert s["table rows"] == [3, 3]
