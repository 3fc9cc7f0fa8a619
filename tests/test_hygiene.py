"""Notebook hygiene and project rules that need no build (chapter 00 explains them)."""

from __future__ import annotations

import re

import pytest
from conftest import (
    CHAPTERS,
    EDITIONS,
    ROOT,
    all_notebooks,
    chapter_files,
    load_notebook,
    load_yaml,
    repository_url,
    toc_files,
)

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

NOTEBOOKS = all_notebooks()
IDS = [f"{nb.parent.name}/{nb.name}" for nb in NOTEBOOKS]


def code_cells(nb: dict) -> list[dict]:
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def source(cell: dict) -> str:
    src = cell["source"]
    return "".join(src) if isinstance(src, list) else src


def test_there_are_chapters_in_both_editions():
    for lang in EDITIONS:
        assert chapter_files(lang), f"no notebooks in chapters/{lang}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_stored_outputs_or_counts(path):
    nb = load_notebook(path)
    for i, cell in enumerate(code_cells(nb)):
        assert not cell.get("outputs"), f"{path.name}: code cell {i} has stored outputs"
        assert cell.get("execution_count") is None, f"{path.name}: code cell {i} has a count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_starts_with_h1(path):
    first = load_notebook(path)["cells"][0]
    assert first["cell_type"] == "markdown", f"{path.name}: the first cell is not markdown"
    assert re.match(r"# \S", source(first)), f"{path.name}: the first line is not an H1"
    # The toc numbers the chapters ("5. 망각 게이트"); a number in the H1 would show twice.
    assert not re.match(r"# \d", source(first)), f"{path.name}: the H1 must not start with a number"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_first_code_cell_is_the_colab_bootstrap(path):
    """The setup cell installs lstm_lib from the repository in _config.yml when missing."""
    setup = source(code_cells(load_notebook(path))[0])
    lang = path.parent.name
    assert f'LANG = "{lang}"' in setup, f"{path.name}: LANG must be {lang!r}"
    urls = re.findall(r'^REPO_URL = "([^"]+)"$', setup, flags=re.M)
    assert urls == [repository_url()], (
        f"{path.name}: REPO_URL {urls} differs from _config.yml's {repository_url()}")
    assert "import lstm_lib\nexcept ImportError:" in setup
    assert 'source = os.environ.get("LSTM_LIB_SOURCE", f"git+{REPO_URL}")' in setup
    assert '"pip", "install"' in setup
    assert "lstm_lib.setup(lang=LANG" in setup
    tags = code_cells(load_notebook(path))[0].get("metadata", {}).get("tags", [])
    assert "remove-cell" in tags, f"{path.name}: the setup cell must be hidden in the book"


def test_repository_url_lives_only_in_config_yml():
    assert "repository" not in load_yaml("_config.en.yml")
    assert repository_url().startswith("https://github.com/")


@pytest.mark.parametrize("lang", EDITIONS)
def test_toc_lists_exactly_the_chapter_files(lang):
    listed = toc_files(lang)
    # The notebooks, then the appendix pages in file order, the references page last.
    appendix = sorted(CHAPTERS[lang].glob("*.md"), key=lambda p: (p.stem == "appendix_references",
                                                                 p.name))
    pages = chapter_files(lang) + appendix
    on_disk = [f"chapters/{lang}/{p.stem}" for p in pages]
    assert listed == on_disk, f"{lang} toc {listed} != files {on_disk}"


def test_requirements_are_exact_pins_with_torch_2_13():
    lines = [ln.strip() for ln in (ROOT / "requirements.txt").read_text().splitlines()]
    pins = [ln for ln in lines if ln and not ln.startswith("#")]
    assert "torch==2.13.0" in pins
    assert "jupyter-book==1.0.4.post1" in pins
    exact = r"[A-Za-z0-9_.\-\[\]]+==[A-Za-z0-9_.+\-]+(; python_version [<>=]+ \"3\.\d+\")?"
    loose = [p for p in pins if not re.fullmatch(exact, p)]
    assert not loose, f"requirements.txt must pin exactly: {loose}"


def test_pyproject_dependencies_are_lower_bounds_only():
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert any(d.startswith("torch") for d in deps)
    for dep in deps:
        assert re.fullmatch(r"[A-Za-z0-9_.\-]+>=[0-9][0-9.]*", dep), (
            f"pyproject dependency {dep!r} must be a lower bound only (name>=version)")


# --- Appendix pages (MyST Markdown, no code, no Colab edition) ----------------------------

MD_PAGES = [p for lang in EDITIONS for p in sorted(CHAPTERS[lang].glob("*.md"))]
MD_IDS = [f"{p.parent.name}/{p.name}" for p in MD_PAGES]


@pytest.mark.parametrize("path", MD_PAGES, ids=MD_IDS)
def test_markdown_page_starts_with_its_label_and_an_unnumbered_h1(path):
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    if re.fullmatch(r"\(([\w\-]+)\)=", lines[0]):
        label = lines.pop(0)[1:-2]
        assert label.startswith("app-"), f"{path.name}: appendix labels start with app-: {label}"
    assert re.match(r"# \S", lines[0]), f"{path.name}: the first line after the label is not an H1"
    assert not re.match(r"# \d", lines[0]), f"{path.name}: the H1 must not start with a number"
    assert sum(1 for ln in lines if re.match(r"# ", ln)) == 1, f"{path.name}: more than one H1"


@pytest.mark.parametrize("path", MD_PAGES, ids=MD_IDS)
def test_markdown_page_has_no_glue_and_no_executable_code(path):
    """A Markdown page is not executed: a glued value could only come from another page,
    and a {code-cell} would never run."""
    # Inline code may show a role as text, `{glue:text}`: a backtick right before it.
    text = path.read_text(encoding="utf-8")
    glued = re.findall(r"(?<!`)\{glue(?::\w+)?\}`[^`]*`", text)
    assert not glued, f"{path.name}: glue in a page that runs no code: {glued}"
    assert "{code-cell}" not in text, f"{path.name}: a code cell in a Markdown page"


@pytest.mark.parametrize("path", MD_PAGES, ids=MD_IDS)
def test_markdown_page_links_point_to_pages_of_the_same_edition(path):
    text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.S)
    for target in re.findall(r"\]\(([^()\s]+)\)", text):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
            continue
        page = target.split("#", 1)[0]
        assert "/" not in page, f"{path.name}: {target} leaves the edition's folder"
        assert (path.parent / page).exists(), f"{path.name}: {target} does not exist"


def _headings(notebook) -> set[str]:
    md = "\n".join(source(c) for c in load_notebook(notebook)["cells"]
                   if c["cell_type"] == "markdown")
    return {re.sub(r"^#+ ", "", ln).strip() for ln in md.splitlines() if re.match(r"#{1,6} ", ln)}


@pytest.mark.parametrize("path", MD_PAGES, ids=MD_IDS)
def test_sections_named_by_the_appendix_exist(path):
    """The chapters' sections have no labels, so the troubleshooting page names them in
    quotes after the link to the chapter ([9장](09_x.ipynb)의 "…" 절); a renamed heading
    must fail here rather than leave a pointer to nothing."""
    missing = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not re.match(r"- \*\*(보는 곳|Where):\*\*", line):
            continue
        parts = re.split(r"\[[^\]]*\]\(([^)\s]+)\)", line)
        for target, after in zip(parts[1::2], parts[2::2], strict=True):
            if not target.endswith(".ipynb"):
                continue
            heads = _headings(path.parent / target)
            missing += [f"{target}: {name}" for name in re.findall(r"\"([^\"]+)\"", after)
                        if name not in heads]
    assert not missing, f"{path.name}: sections not found in the chapters: {missing}"
