"""Rules for the chapters' text and code that need no build (CONTRIBUTING.md explains them).

- Korean: no particle right after a value that can change. A glued number, an equation or
  exercise number, a citation: the right particle depends on how the value is read aloud
  ("0.690이" but "0.69가"), and the value changes when the code or the numbering does.
  Write a noun or the copula after it instead: "값은 0.690입니다", "식 (5.1)에 따라".
- Code fits the page: no line of a code cell the book shows is wider than the code column
  of the rendered page at a 1280-pixel-wide window.
"""

from __future__ import annotations

import re
import unicodedata

import pytest
from conftest import CHAPTERS, chapter_files, load_notebook

# A value whose text can change: {glue:text}`x:.3f`, {glue}`x`, {eq}`eq-05-forget`,
# {numref}`ex-05-forget-gate`, {ref}`...`, {cite:t}`key`.
CHANGING = r"\{(?:glue(?::\w+)?|eq|numref|ref|cite(?::\w+)?)\}`[^`]+`"
# Particles whose form depends on the final sound of the word before them. The copula
# (입니다, 이고, 이며, 이다, 이라는, 인 ...) reads well after any number and is allowed.
PARTICLE = (r"(?:은|는|가|을|를|과|와|으로|로|라는|라서|라고|라면|란|이나|나|이랑|랑|야"
            r"|이(?![고며다었라지므면자어에ㅂ]))")
AFTER_VALUE = re.compile(CHANGING + r"(" + PARTICLE + r")(?=[\s.,;:!?)\]\"'”’]|$)", re.M)

# Measured in headless Chromium at 1280 x 900 (tests/test_browser.py checks the page
# itself): a chapter's code column is 652 px wide and a monospace character 8.43 px, so 77
# columns. Hangul is wide: it counts as two columns (it measured 12.9 px, so this is safe).
CODE_COLUMNS = 77
SHOWN = {"remove-cell", "remove-input"}


def display_width(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def markdown(path) -> str:
    if path.suffix == ".md":
        return path.read_text(encoding="utf-8")
    return "\n".join("".join(c["source"]) for c in load_notebook(path)["cells"]
                     if c["cell_type"] == "markdown")


@pytest.mark.parametrize("path", chapter_files("ko") + sorted(CHAPTERS["ko"].glob("*.md")),
                         ids=lambda p: p.name)
def test_no_korean_particle_right_after_a_value_that_can_change(path):
    found = [m.group(0) for m in AFTER_VALUE.finditer(markdown(path))]
    assert not found, (
        f"{path.name}: a particle follows a value that can change; write a noun or the "
        f"copula after it (\"값은 0.690입니다\"): {found}")


def test_the_particle_rule_catches_what_it_should():
    bad = ["{glue:text}`f1:.3f`로 지웁니다", "식 {eq}`eq-05-forget`을 보면",
           "{glue:text}`x`가 크다", "{numref}`ex-05-a`은 쉽다", "{glue}`y`이 커서"]
    good = ["값은 {glue:text}`f1:.3f`입니다.", "{glue:text}`x`이고 ",
            "식 {eq}`eq-05-forget`에 따라", "{glue:text}`n`걸음",
            "{glue:text}`p:.0f`%를", "{glue:text}`x`배로"]
    assert all(AFTER_VALUE.search(s) for s in bad), [s for s in bad if not AFTER_VALUE.search(s)]
    assert not any(AFTER_VALUE.search(s) for s in good), [s for s in good if AFTER_VALUE.search(s)]


@pytest.mark.parametrize("path", [p for lang in CHAPTERS for p in chapter_files(lang)],
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_code_lines_fit_the_page(path):
    wide = []
    for i, cell in enumerate(load_notebook(path)["cells"]):
        if cell["cell_type"] != "code" or SHOWN & set(cell.get("metadata", {}).get("tags", [])):
            continue
        for line in "".join(cell["source"]).splitlines():
            if display_width(line) > CODE_COLUMNS:
                wide.append(f"cell {i}: ({display_width(line)}) {line.strip()[:60]}")
    assert not wide, (f"{path.parent.name}/{path.name}: {len(wide)} code lines wider than "
                      f"{CODE_COLUMNS} columns (Hangul counts two):\n" + "\n".join(wide))
