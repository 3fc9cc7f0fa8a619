"""The Colab edition (``colab/<lang>/*.ipynb``, written by ``make colab``).

Without a build: every chapter has a Colab notebook made from the chapter as it is now (the
SHA-256 of the chapter file is stored in the notebook) and regenerating it from the chapter
and the glued values it stores gives the same notebook, byte for byte; no Markdown cell
holds MyST; links, outputs, the bootstrap cell and the order of exercises and solutions are
as Colab needs them; the converter renders every construct it knows and refuses the ones it
does not. With the built book: the glued values the executed chapters computed are the ones
used, and the equation and exercise numbers are those the book's HTML shows.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest
from conftest import EDITIONS, ROOT, SITE, chapter_files, load_yaml, repository_url

spec = importlib.util.spec_from_file_location("colab_edition", ROOT / "tools" / "colab_edition.py")
colab_edition = importlib.util.module_from_spec(spec)
sys.modules["colab_edition"] = colab_edition
spec.loader.exec_module(colab_edition)

COLAB = ROOT / "colab"
EXECUTED = ROOT / "_executed"


def colab_file(chapter: Path) -> Path:
    return COLAB / chapter.parent.name / chapter.name


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def chapters():
    return [pytest.param(nb, id=f"{nb.parent.name}/{nb.stem}")
            for lang in EDITIONS for nb in chapter_files(lang)]


@pytest.fixture(scope="module")
def books():
    return {lang: colab_edition.load_book(lang) for lang in EDITIONS}


# --------------------------------------------------------------------------------------
# Fresh: one Colab notebook per chapter, made from the chapter as it is now
# --------------------------------------------------------------------------------------

def test_colab_edition_has_exactly_the_chapters():
    for lang in EDITIONS:
        want = {nb.name for nb in chapter_files(lang)}
        have = {p.name for p in (COLAB / lang).glob("*.ipynb")}
        assert have == want, (
            f"colab/{lang}: missing {sorted(want - have)}, extra {sorted(have - want)}; "
            "run `make colab` after building the book")


@pytest.mark.parametrize("chapter", chapters())
def test_colab_notebook_is_made_from_the_chapter_as_it_is_now(chapter, books):
    path = colab_file(chapter)
    assert path.exists(), f"{path} is missing: run `make colab` after building the book"
    nb = load(path)
    meta = nb["metadata"]["lstm_book"]
    assert meta["chapter"] == f"chapters/{chapter.parent.name}/{chapter.name}"
    assert meta["chapter_sha256"] == colab_edition.sha256(chapter), (
        f"{path.relative_to(ROOT)} is stale: {meta['chapter']} changed since it was made; "
        f"rebuild that chapter (tools/build_book.py --only {chapter.stem}) and run "
        f"`make colab` (or tools/colab_edition.py --only {chapter.stem})")
    # Everything but the glued values is a function of the chapter and the converter: made
    # again from the chapter, with the values stored in the notebook, it is the same file.
    book = books[chapter.parent.name]
    again = colab_edition.convert(chapter, colab_edition.stored_glue(nb), book)
    assert colab_edition.dumps(again) == path.read_text(encoding="utf-8"), (
        f"{path.relative_to(ROOT)} differs from what tools/colab_edition.py makes now: "
        "run `make colab`")


# --------------------------------------------------------------------------------------
# What Colab shows: no MyST, no outputs, the bootstrap first, solutions last, links
# --------------------------------------------------------------------------------------

MYST_LEFT = [
    (re.compile(r"\{[A-Za-z][\w:.+-]*\}`"), "a MyST role"),
    (re.compile(r"^\s*(`{3,}|~{3,}|:{3,})\s*\{", re.M), "a MyST directive"),
    (re.compile(r"^\s*:{3,}", re.M), "a colon fence"),
    (re.compile(r"\$\$[ \t]*\([^()\s]+\)"), "an equation label after $$"),
    (re.compile(r"^\([^()\s]+\)=\s*$", re.M), "a MyST target"),
    (re.compile(r"^:(label|class|name|nonumber)\:", re.M), "a directive option"),
    (re.compile(r"\{\{\s*[\w.-]+\s*\}\}"), "a MyST substitution"),
    (re.compile(r"\{(glue|eq|numref|cite|ref|doc)[:}]"), "a MyST role name"),
    (re.compile(r"^%", re.M), "a MyST comment"),
]


def without_code(markdown: str) -> str:
    """The Markdown with fenced code blocks and inline code spans removed (a chapter may
    show MyST syntax as code on purpose)."""
    out = []
    for block in colab_edition.split_blocks(markdown):
        if isinstance(block, colab_edition.Fence):
            if block.info.startswith("{"):  # a directive, not code
                out.append(f"{block.fence}{block.info}\n{block.body}\n{block.fence}")
            continue
        for is_code, role, piece in colab_edition.code_spans(block):
            if role:  # a role is MyST, not code: keep it for the check to see
                out.append(f"{{{role}}}`{piece}`")
            elif not is_code:
                out.append(piece)
    return "\n".join(out)


def myst_in(markdown: str) -> list[str]:
    text = without_code(markdown)
    return [f"{what}: {m.group()!r}" for pattern, what in MYST_LEFT
            for m in pattern.finditer(text)]


def test_the_myst_check_sees_what_colab_would_show_raw():
    for raw in ["{glue:text}`x:.3f`", "see {eq}`eq-05-forget`", "```{exercise} T\n:label: x\n```",
                ":::{note}\nhi\n:::", "$$\nx\n$$ (eq-05-x)", "(sec-a)=\n## A", "{{ name }}",
                "{numref}`ex-05-a`", "% a comment"]:
        assert myst_in(raw), raw
    for clean in ["`{glue:text}` in code", "```python\n{eq}`x`\n```", "$$\nx \\tag{5.1}\n$$",
                  "the set $\\{x\\}$ and (5.1)", "[4장](https://example.org/a.ipynb)"]:
        assert not myst_in(clean), clean


@pytest.mark.parametrize("chapter", chapters())
def test_colab_notebook_shows_no_myst_and_no_outputs(chapter):
    nb = load(colab_file(chapter))
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "markdown":
            found = myst_in(cell["source"])
            assert not found, f"{colab_file(chapter).name}, cell {i}: {found[:3]}"
        else:
            assert cell["outputs"] == [] and cell["execution_count"] is None


@pytest.mark.parametrize("chapter", chapters())
def test_colab_notebook_runs_its_bootstrap_first_and_keeps_the_chapters_code(chapter):
    nb = load(colab_file(chapter))
    first = nb["cells"][0]
    assert first["cell_type"] == "code" and "lstm_lib.setup(" in first["source"]
    assert f'LANG = "{chapter.parent.name}"' in first["source"]
    # Every code cell of the chapter is there, in order (hidden ones behind a #@title line).
    src = load(chapter)
    code = [colab_edition._source(c) for c in src["cells"] if c["cell_type"] == "code"]
    bootstrap = next(c for c in code if "lstm_lib.setup(" in c)
    colab_code = [re.sub(r"^#@title [^\n]*\n", "", c["source"])
                  for c in nb["cells"] if c["cell_type"] == "code"]
    assert colab_code == [bootstrap] + [c for c in code if c != bootstrap]
    for cell in nb["cells"]:
        folded = cell["metadata"].get("cellView") == "form"
        assert folded == cell["source"].startswith("#@title "), cell["source"][:80]


@pytest.mark.parametrize("chapter", chapters())
def test_exercises_are_numbered_headings_and_solutions_come_last(chapter, books):
    lang = chapter.parent.name
    nb = load(colab_file(chapter))
    word = colab_edition.WORDS[lang]["exercise"]
    book = books[lang]
    n = book.numbers[chapter.stem]
    labels = [lb for lb, t in book.targets.items()
              if t.chapter == chapter.stem and t.kind == "exercise"]
    headings = [(i, line) for i, c in enumerate(nb["cells"]) if c["cell_type"] == "markdown"
                for line in c["source"].split("\n") if line.startswith("### ")]
    solution_word = "풀이" if lang == "ko" else "Solution to"
    solutions = [(i, h) for i, h in headings if solution_word in h]
    exercises = [(i, h) for i, h in headings
                 if h.startswith(f"### {word} ") and (i, h) not in solutions]
    prefix = f"{n}." if n is not None else ""
    numbered = [lb for lb in labels if book.targets[lb].number is not None]
    # an exercise with :nonumber: (the front page's) has a heading without a number
    matches = [re.match(rf"### {word} ([\d.]+)", h) for _, h in exercises]
    numbers = [m.group(1) for m in matches if m]
    assert numbers == [f"{prefix}{k}" for k in range(1, len(numbered) + 1)], numbers
    assert len(exercises) == len(labels), exercises
    assert len(solutions) == len(exercises)
    if exercises:
        assert max(i for i, _ in exercises) < min(i for i, _ in solutions), \
            "a solution sits before the last exercise"


@pytest.mark.parametrize("chapter", chapters())
def test_links_open_the_colab_edition_of_existing_chapters(chapter):
    nb = load(colab_file(chapter))
    repo = repository_url().removeprefix("https://github.com/")
    branch = load_yaml("_config.yml")["repository"].get("branch", "main")
    base = f"https://colab.research.google.com/github/{repo}/blob/{branch}/colab/"
    for cell in nb["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        for target in re.findall(r"\]\(([^()\s]+)\)", without_code(cell["source"])):
            assert re.match(r"^(https?|mailto):", target), f"relative link {target}"
            if "colab.research.google.com" in target:
                assert target.startswith(base), target
                assert (COLAB / target.removeprefix(base)).exists(), target
            # a link to one of the book's own pages points at its HTML, never its source
            # (another project's Markdown file on GitHub is a fine link)
            if target.endswith(".md"):
                assert repo not in target, target


@pytest.mark.parametrize("chapter", chapters())
def test_every_glued_value_of_the_chapter_is_written_in(chapter):
    """The chapter's glue roles and the values stored in its Colab notebook agree, and the
    numbers the prose shows are in the Colab text."""
    src = load(chapter)
    nb = load(colab_file(chapter))
    roles = re.findall(r"\{glue(?::text|:md)?\}`([^`]+)`",
                       "\n".join(colab_edition._source(c) for c in src["cells"]
                                 if c["cell_type"] == "markdown"))
    names = {r.rsplit(":", 1)[0] if ":" in r else r for r in roles}
    stored = colab_edition.stored_glue(nb)
    assert set(stored) == names
    from myst_nb.core.variables import format_plain_text

    text = "\n".join(c["source"] for c in nb["cells"] if c["cell_type"] == "markdown")
    for role in roles:
        name, _, fmt = role.partition(":")
        assert format_plain_text(stored[name]["text/plain"], fmt) in text, role


# --------------------------------------------------------------------------------------
# The converter, construct by construct
# --------------------------------------------------------------------------------------

def toy_book(lang="en"):
    book = colab_edition.Book(lang, {"05_forget_gate": 5, "00_intro": None})
    return book


def render(text: str, lang="en", glue=None, chapter="05_forget_gate"):
    book = toy_book(lang)
    colab_edition.Converter(book, chapter, collect=True).markdown(text)
    conv = colab_edition.Converter(book, chapter, glue=glue or {})
    return conv.markdown(text), conv


def test_converter_writes_glued_values_as_myst_nb_formats_them():
    glue = {"x": {"text/plain": "0.12345"}, "s": {"text/plain": "2.7 × 10⁻⁵"},
            "n": {"text/plain": "12"}}
    out, conv = render("a {glue:text}`x:.3f`, b {glue:text}`s`, c {glue}`n`, "
                       "d {glue:text}`x:.1%`", glue=glue)
    assert out == "a 0.123, b 2.7 × 10⁻⁵, c 12, d 12.3%"
    assert set(conv.glue_used) == {"x", "s", "n"}
    with pytest.raises(colab_edition.ColabError, match="not computed"):
        render("{glue:text}`missing:.2f`")
    with pytest.raises(colab_edition.ColabError, match="not plain text"):
        render("{glue}`fig`", glue={"fig": {"image/png": "...", "text/plain": "<Figure>"}})


def test_converter_numbers_equations_and_exercises_per_chapter():
    text = ("$$\na = b\n$$ (eq-05-a)\n\nthen\n\n$$ c $$ (eq-05-c)\n\n"
            "By {eq}`eq-05-c` and {eq}`eq-05-a`, see {numref}`ex-05-one` and "
            "{numref}`Task %s <ex-05-two>`.\n\n"
            "```{exercise} First\n:label: ex-05-one\n\nDo {eq}`eq-05-a`.\n```\n\n"
            "```{exercise}\n:label: ex-05-two\n\nAgain.\n```")
    out, _ = render(text)
    assert "$$\na = b \\tag{5.1}\n$$" in out and "$$\nc \\tag{5.2}\n$$" in out
    assert "By (5.2) and (5.1), see Exercise 5.1 and Task 5.2." in out
    assert "### Exercise 5.1 (First)\n\nDo (5.1)." in out
    assert "### Exercise 5.2\n\nAgain." in out
    ko, _ = render("{numref}`ex-05-one`\n\n```{exercise} 첫째\n:label: ex-05-one\n```", lang="ko")
    assert ko.startswith("연습 5.1")
    intro, _ = render("$$ x $$ (eq-00-x)\n\n{eq}`eq-00-x`", chapter="00_intro")
    assert "\\tag{1}" in intro and intro.endswith("(1)")


def test_converter_turns_solutions_into_headings_that_name_the_exercise():
    text = ("```{exercise} Gate\n:label: ex-05-g\n\nDo it.\n```\n\n"
            "```{solution-start} ex-05-g\n:class: dropdown\n```\n\nbody\n\n```{solution-end}\n```")
    out, _ = render(text)
    assert "### Exercise 5.1 (Gate)\n\nDo it.\n\n### Solution to Exercise 5.1 (Gate)\n\nbody" in out
    assert not out.rstrip().endswith("```")
    ko, _ = render(text.replace("Gate", "게이트"), lang="ko")
    assert "### 연습 5.1 (게이트) 풀이" in ko


def test_converter_renders_admonitions_dropdowns_and_code_as_markdown():
    out, _ = render(":::{note}\nMind {eq}`eq-05-a`.\n:::\n\n$$ a $$ (eq-05-a)")
    assert out.startswith("> **Note**\n>\n> Mind (5.1).")
    out, _ = render("```{admonition} Why?\n:class: dropdown\n\nBecause.\n```")
    assert out == "> **Why?**\n>\n> Because."
    out, _ = render("````{tip}\nUse\n```python\nx = 1\n```\n````", lang="ko")
    assert out == "> **팁**\n>\n> Use\n> ```python\n> x = 1\n> ```"
    out, _ = render("```python\n{eq}`not-a-role`\n```\n\nand `{glue:text}` as code")
    assert out == "```python\n{eq}`not-a-role`\n```\n\nand `{glue:text}` as code"
    out, _ = render("```{code-block} python\n:linenos:\nx = 1\n```")
    assert out == "```python\nx = 1\n```"


def test_converter_cites_author_year_and_lists_the_works():
    out, conv = render("{cite:t}`gers2000learning` and {cite:p}`hochreiter1997long,"
                       "gers2000learning`.")
    assert out == ("Gers et al. (2000) and (Hochreiter and Schmidhuber, 1997; "
                   "Gers et al., 2000).")
    assert conv.cited == ["gers2000learning", "hochreiter1997long"]
    refs = colab_edition.format_references(conv.cited)
    assert len(refs) == 2 and all(r.startswith("- ") for r in refs)
    assert any("Learning to forget" in r for r in refs)
    with pytest.raises(colab_edition.ColabError, match="not in references.bib"):
        render("{cite:t}`nobody2099`")


def test_converter_points_chapter_links_at_the_colab_edition():
    out, _ = render("[4장](04_cell_state.ipynb), [web](https://pytorch.org), [here](#top)",
                    lang="ko")
    assert out == (f"[4장]({colab_edition.colab_url('ko', '04_cell_state')}), "
                   "[web](https://pytorch.org), [here](#top)")
    assert colab_edition.colab_url("ko", "04_cell_state").endswith(
        "/blob/main/colab/ko/04_cell_state.ipynb")
    with pytest.raises(colab_edition.ColabError, match="Colab cannot open"):
        render("[data](../../data/x.csv)")


@pytest.mark.parametrize("text", [
    "{term}`LSTM`", "```{figure} a.png\n```", "```{exercise} T\n:lable: x\n```",
    "{{ substitution }}", "{eq}`eq-99-nowhere`", "\\begin{equation}\nx\n\\end{equation}",
    "```{solution-start} ex-05-nowhere\n```", "{numref}`eq-05-a`\n\n$$ a $$ (eq-05-a)",
    "```{note}\nunclosed",
])
def test_converter_refuses_what_it_does_not_know(text):
    with pytest.raises(colab_edition.ColabError):
        render(text)


def test_converter_refuses_unknown_cell_tags(tmp_path, monkeypatch):
    chapter = tmp_path / "chapters" / "en" / "05_forget_gate.ipynb"
    chapter.parent.mkdir(parents=True)
    nb = {"cells": [
        {"cell_type": "code", "metadata": {"tags": ["remove-cell"]}, "execution_count": None,
         "outputs": [], "source": 'LANG = "en"\nimport lstm_lib\nlstm_lib.setup(lang=LANG)'},
        {"cell_type": "code", "metadata": {"tags": ["hide-everything"]}, "execution_count": None,
         "outputs": [], "source": "x = 1"}],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    chapter.write_text(json.dumps(nb), encoding="utf-8")
    monkeypatch.setattr(colab_edition, "ROOT", tmp_path)
    with pytest.raises(colab_edition.ColabError, match="hide-everything"):
        colab_edition.convert(chapter, {}, toy_book())
    nb["cells"][1]["metadata"]["tags"] = ["hide-input"]
    chapter.write_text(json.dumps(nb), encoding="utf-8")
    out = colab_edition.convert(chapter, {}, toy_book())
    assert out["cells"][1]["source"] == "#@title Folded code (folded in the book too)\nx = 1"
    assert out["cells"][1]["metadata"] == {"cellView": "form"}


# --------------------------------------------------------------------------------------
# Against the build: the executed chapters' values, the book's own numbers
# --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def executed():
    if not (EXECUTED / "chapters").exists():
        pytest.fail(f"{EXECUTED} is missing: build the book first (`make book`)")
    return EXECUTED


@pytest.mark.parametrize("chapter", chapters())
def test_colab_notebook_regenerates_from_the_executed_chapter(chapter, executed, books):
    """Made again from the book's executed copy, the Colab notebook is the same apart from
    the glued values (which may differ in their last digits on another CPU)."""
    glue = colab_edition.executed_glue(chapter)
    stored = colab_edition.stored_glue(load(colab_file(chapter)))
    missing = set(stored) - set(glue)
    assert not missing, f"the executed chapter no longer glues {sorted(missing)}"
    fresh = colab_edition.convert(chapter, glue, books[chapter.parent.name])
    same = colab_edition.convert(chapter, stored, books[chapter.parent.name])
    assert set(colab_edition.stored_glue(fresh)) == set(stored)
    assert [c["cell_type"] for c in fresh["cells"]] == [c["cell_type"] for c in same["cells"]]
    assert [c["source"] for c in fresh["cells"] if c["cell_type"] == "code"] == \
        [c["source"] for c in same["cells"] if c["cell_type"] == "code"]


@pytest.mark.parametrize("chapter", chapters())
def test_numbers_match_the_built_book(chapter, site, books):
    """Each equation label's number and each exercise's number in the Colab edition is the
    one the rendered page shows."""
    lang = chapter.parent.name
    html = (SITE / lang / "chapters" / lang / f"{chapter.stem}.html").read_text(encoding="utf-8")
    shown = {label: number for number, label in re.findall(
        r'<span class="eqno">\(([\d.]+)\)<a class="headerlink" href="#equation-([^"]+)"', html)}
    word = colab_edition.WORDS[lang]["exercise"]
    for label, number in re.findall(
            rf'<div class="exercise[^"]*" id="([^"]+)">\s*<p class="admonition-title">'
            rf'<span class="caption-number">{word} ([\d.]+) </span>', html):
        shown[label] = number
    mine = {label: t.number for label, t in books[lang].targets.items()
            if t.chapter == chapter.stem and t.kind in ("eq", "exercise") and t.number}
    assert mine == shown
    # And the references in the prose read the same: every "(5.1)" the page links to an
    # equation is in the Colab text.
    text = "\n".join(c["source"] for c in load(colab_file(chapter))["cells"]
                     if c["cell_type"] == "markdown")
    for number in re.findall(r'href="#equation-[^"]+">\(([\d.]+)\)</a>', html):
        assert f"({number})" in text


def test_the_colab_button_of_a_chapter_page_opens_its_colab_edition():
    """book_ext rewrites the URL inside sphinx-book-theme's launch group."""
    sys.path.insert(0, str(ROOT / "_ext"))
    import book_ext

    repo = "https://colab.research.google.com/github/org/book/blob/main/"
    context = {"header_buttons": [
        {"type": "group", "label": "download-buttons", "buttons": [{"text": ".ipynb"}]},
        {"type": "group", "label": "launch-buttons", "buttons": [
            {"type": "link", "text": "Colab", "url": repo + "chapters/ko/05_forget_gate.ipynb"},
            {"type": "link", "text": "Binder", "url": "https://binder.example/x"}]}]}
    book_ext.point_colab_at_the_colab_edition(None, "chapters/ko/05_forget_gate", "page.html",
                                              context, None)
    launch = context["header_buttons"][1]["buttons"]
    assert launch[0]["url"] == repo + "colab/ko/05_forget_gate.ipynb"
    assert launch[1]["url"] == "https://binder.example/x"
    with pytest.raises(ValueError):
        book_ext.colab_edition_url(repo + "somewhere/else.ipynb")
