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
