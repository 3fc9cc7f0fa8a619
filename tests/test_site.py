"""Static checks of the built site (``make test`` builds it first): both editions are
complete, executed, and load nothing from the network."""

from __future__ import annotations

import json
import re

import pytest
from conftest import EDITIONS, chapter_files

EXTERNAL_ASSET = re.compile(
    r"<(?:script|img|iframe)[^>]+src=[\"']https?://|<link[^>]+href=[\"']https?://[^>]+stylesheet"
    r"|<link[^>]+stylesheet[^>]+href=[\"']https?://")


def pages(site, lang):
    folder = site / lang / "chapters" / lang
    return {nb.stem: folder / f"{nb.stem}.html" for nb in chapter_files(lang)}


@pytest.mark.parametrize("lang", EDITIONS)
def test_every_chapter_is_built(site, lang):
    for name, page in pages(site, lang).items():
        assert page.exists(), f"{lang}: {name} was not built"


@pytest.mark.parametrize("lang", EDITIONS)
def test_pages_were_executed(site, lang):
    for name, page in pages(site, lang).items():
        html = page.read_text(encoding="utf-8")
        assert "cell_output" in html, f"{lang}/{name}: no executed output on the page"


@pytest.mark.parametrize("lang", EDITIONS)
def test_no_asset_is_loaded_from_the_network(site, lang):
    for page in (site / lang).rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        found = EXTERNAL_ASSET.findall(html)
        assert not found, f"{page.relative_to(site)} loads {found[:3]}"
        # (sphinx-thebe writes a CDN address into an inline constant, THEBE_JS_URL, that is
        # only fetched when live code is switched on; it is off, and the browser test
        # checks that no request leaves 127.0.0.1.)
        assert "require.js" not in html, f"{page}: ipywidgets' require.js would be fetched"


@pytest.mark.parametrize("lang", EDITIONS)
def test_mathjax_is_served_by_the_site(site, lang):
    assert (site / lang / "_static" / "mathjax" / "tex-chtml.js").exists()
    html = next(iter(pages(site, lang).values())).read_text(encoding="utf-8")
    assert re.search(r"<script[^>]+src=\"[./]*_static/mathjax/tex-chtml\.js", html)


def test_root_page_links_both_editions(site):
    html = (site / "index.html").read_text(encoding="utf-8")
    for lang in EDITIONS:
        href = re.search(rf'id="lang-{lang}"[^>]*href="([^"]+)"', html).group(1)
        assert (site / href).exists(), href


def test_korean_search_index_holds_bare_words(site):
    raw = (site / "ko" / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(raw[raw.index("(") + 1 : raw.rindex(")")])
    assert "게이트" in index["terms"] and "게이트는" in index["terms"]


@pytest.mark.parametrize("lang", EDITIONS)
def test_figures_render_as_images_not_text(site, lang):
    for name, page in pages(site, lang).items():
        html = page.read_text(encoding="utf-8")
        assert "&lt;Figure size" not in html, f"{lang}/{name}: a figure printed as text"
        assert "Widget(" not in html and "VBox(children" not in html, \
            f"{lang}/{name}: a live widget's text repr leaked into the book"


@pytest.mark.parametrize("lang", EDITIONS)
def test_chapters_equations_and_exercises_are_numbered_per_chapter(site, lang):
    """Chapter NN shows as "N. Title"; its equations are (N.1), (N.2), ... and its
    exercises "연습 N.1" / "Exercise N.1", in order. The front page (00) has no number."""
    word = {"ko": "연습", "en": "Exercise"}[lang]
    for name, page in pages(site, lang).items():
        html = page.read_text(encoding="utf-8")
        # The page's own H1 (the theme's print-only header repeats the title bare).
        h1 = [h for h in re.findall(r"<h1>(.*?)</h1>", html, flags=re.S)
              if "headerlink" in h][0]
        number = re.findall(r'<span class="section-number">([\d.]+) </span>', h1)
        if not name[:2].isdigit() or name.startswith("00"):
            assert not number, f"{lang}/{name}: the front matter must not be numbered ({h1})"
            continue
        n = int(name[:2])
        assert number == [f"{n}."], f"{lang}/{name}: title numbered {number}, expected {n}."
        equations = re.findall(r'<span class="eqno">\(([\d.]+)\)', html)
        assert equations == [f"{n}.{k}" for k in range(1, len(equations) + 1)], (
            f"{lang}/{name}: equation numbers {equations}")
        exercises = re.findall(rf'<span class="caption-number">{word} ([\d.]+) </span>', html)
        assert exercises and exercises == [f"{n}.{k}" for k in range(1, len(exercises) + 1)], (
            f"{lang}/{name}: exercise numbers {exercises}")


def test_korean_solutions_are_titled_with_the_noun_last(site):
    html = (site / "ko" / "chapters" / "ko" / "05_forget_gate.html").read_text(encoding="utf-8")
    titles = re.findall(r'<p class="admonition-title"><a [^>]*>([^<]*)</a>([^<]*)</p>', html)
    assert titles and all(after == " 풀이" and re.match(r" 연습 5\.\d", ref)
                          for ref, after in titles), titles
    assert "해답" not in html


E_NOTATION = re.compile(r"(?<![\w.])\d+(?:\.\d+)?e[+\-]?\d+\b")


def prose_text(html: str) -> str:
    """The text a reader reads as prose: code, cell outputs, math and scripts removed."""
    body = html[html.find('<main'):]
    for tag in ("script", "style", "pre", "code"):
        body = re.sub(rf"<{tag}\b.*?</{tag}>", " ", body, flags=re.S)
    body = re.sub(r'<div class="cell_output.*?</div>\s*</div>', " ", body, flags=re.S)
    body = re.sub(r'<div class="math notranslate.*?</div>', " ", body, flags=re.S)
    body = re.sub(r'<span class="math notranslate.*?</span>', " ", body, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


@pytest.mark.parametrize("lang", EDITIONS)
def test_prose_never_shows_python_e_notation(site, lang):
    """2.7 × 10⁻⁵ (lstm_lib.sci) or a percentage, never 2.7e-05, in the text."""
    for name, page in pages(site, lang).items():
        found = E_NOTATION.findall(prose_text(page.read_text(encoding="utf-8")))
        assert not found, f"{lang}/{name}: e-notation in the prose: {found[:5]}"


def test_the_e_notation_check_sees_glued_values():
    html = ('<main><p>shrinks to <span class="pasted-text">2.7e-05</span> times</p>'
            '<pre>print(2.7e-05)</pre></main>')
    assert E_NOTATION.findall(prose_text(html)) == ["2.7e-05"]
