"""Open the built site in headless Chromium, the way a reader would.

For the root page and every chapter page of both editions, the test fails when an
equation is left unrendered, when any request leaves 127.0.0.1, when a console error
appears that is not on the allow-list below, when the language link or the Colab launch
link points to the wrong place (it must open the chapter's Colab edition, ``colab/``), or
when the Korean search cannot find a word that only appears with a particle attached.
Every page of both editions (and the root page) also gets an accessibility audit with
axe-core (bundled in the PyPI package axe-playwright-python; nothing is downloaded), which
fails on any serious or critical violation that is not on the allow-list below.
Screenshots go to ``_build/screenshots/``.
"""

from __future__ import annotations

import functools
import re
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import EDITIONS, ROOT, chapter_files, load_yaml, repository_url, toc_files

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
SHOTS = ROOT / "_build" / "screenshots"

# Console messages that are known theme noise, not problems of the book. Keep this short
# and say why each one is harmless.
ALLOWED_CONSOLE_ERRORS = [
    # sphinx-thebe (loaded by Jupyter Book even with live code off) declares its script
    # URL constant in two <script> tags; the second declaration fails. Nothing uses it.
    re.compile(r"^Identifier 'THEBE_JS_URL' has already been declared$"),
    # pydata-sphinx-theme reads the light/dark mode from an empty localStorage in a
    # fresh browser profile, logs this and falls back to "auto", which is what we want.
    re.compile(r"^Got invalid theme mode: \. Resetting to auto\.$"),
]

# axe-core: the impacts that fail the test, and the violations that come from the theme
# and cannot be fixed from the book's own files (_static/book.css, _ext/book_ext.py). Each
# entry is (rule id, a regex on the offending element's CSS selector) with the reason.
# None is needed so far: what axe found was fixed in book.css (link contrast in tinted
# boxes) and book_ext.py (the bibliography's list roles). Moderate findings (the theme's
# sidebar logo outside a landmark, axe's "region") are not failures.
AXE_FAILING_IMPACTS = ("serious", "critical")
AXE_ALLOWED: list[tuple[str, re.Pattern]] = []


# The code of the cells (thousands of syntax-highlighting spans) takes most of axe's time,
# in its colour-contrast rule above all, and is styled the same way on every page (the
# theme's Pygments colours). So it is audited with the rest of the page on the pages
# below, one chapter per edition, and left out of the audit of every other page.
AXE_WHOLE_PAGE = {"05_forget_gate", "index.html"}
AXE_SKIP_CODE = {"exclude": [[".cell_input"]]}


def accessibility_violations(page, where: str, whole: bool = False) -> list[str]:
    """Serious and critical axe-core violations on the page, minus the allow-list; with
    ``whole=False`` the code of the cells is left out (AXE_WHOLE_PAGE)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context=None if whole else AXE_SKIP_CODE,
                        options={"resultTypes": ["violations"]}).response
    found = []
    for violation in results["violations"]:
        if violation["impact"] not in AXE_FAILING_IMPACTS:
            continue
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            if any(rule == violation["id"] and pattern.search(target)
                   for rule, pattern in AXE_ALLOWED):
                continue
            summary = (node.get("failureSummary") or "").replace("\n", " ")[:200]
            found.append(f"{where}: {violation['id']} ({violation['impact']}) at {target}: "
                         f"{summary}")
    return found


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest's output clean
        pass


@pytest.fixture(scope="module")
def server(site):
    handler = functools.partial(QuietHandler, directory=str(site))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM} "
                    "(`make test` installs it through tools/system_deps.sh)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                              headless=True)
        yield b
        b.close()


class Visit:
    """One page load with every request and console message recorded."""

    def __init__(self, browser, server, path, *, wait_for_math=True):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.requests, self.errors = [], []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.response = self.page.goto(f"{server}/{path}", wait_until="load")
        if wait_for_math:
            self.wait_for_mathjax()

    def wait_for_mathjax(self):
        has_math = self.page.evaluate("document.querySelectorAll('.math').length > 0")
        if has_math:
            try:
                self.page.wait_for_function(
                    "() => window.MathJax && MathJax.startup && MathJax.startup.promise"
                    " && document.querySelectorAll('mjx-container').length > 0",
                    timeout=20000)
            except Exception as exc:  # playwright's TimeoutError
                pytest.fail(f"{self.page.url}: MathJax never typeset the equations ({exc})")
            self.page.evaluate("() => MathJax.startup.promise")

    def foreign_requests(self, server):
        return [u for u in self.requests
                if not (u.startswith(server + "/") or u.startswith("data:")
                        or u.startswith("blob:") or u == "about:blank")]

    def unexpected_errors(self):
        return [e for e in self.errors if not any(p.search(e) for p in ALLOWED_CONSOLE_ERRORS)]

    def close(self):
        self.context.close()


def colab_edition_url(lang: str, chapter: str) -> str:
    """The exact address the Colab button of a chapter page must open."""
    repo = repository_url().removeprefix("https://github.com/")
    branch = load_yaml("_config.yml")["repository"].get("branch", "main")
    return (f"https://colab.research.google.com/github/{repo}/blob/{branch}/"
            f"colab/{lang}/{chapter}.ipynb")


def test_every_colab_link_of_the_site_opens_the_colab_edition(site):
    """Not only the chapter pages: no page of either edition links Colab to anything but
    the Colab edition of a chapter that exists."""
    pattern = re.compile(r'href="(https://colab\.research\.google\.com/[^"]+)"')
    found = 0
    for lang in EDITIONS:
        for page in sorted((site / lang).rglob("*.html")):
            for href in pattern.findall(page.read_text(encoding="utf-8")):
                found += 1
                name = Path(href).stem
                assert href == colab_edition_url(lang, name), f"{page}: {href}"
                assert (ROOT / "colab" / lang / f"{name}.ipynb").exists(), href
    assert found >= sum(len(chapter_files(lang)) for lang in EDITIONS)


def test_some_chapter_is_audited_with_its_code():
    names = {nb.stem for lang in EDITIONS for nb in chapter_files(lang)}
    assert AXE_WHOLE_PAGE & names, f"none of {sorted(AXE_WHOLE_PAGE)} is a chapter any more"


def chapter_pages():
    pages = []
    for lang in EDITIONS:
        for nb in chapter_files(lang):
            pages.append((lang, nb.stem))
    return pages


def test_root_page_offers_both_editions(site, server, browser):
    visit = Visit(browser, server, "index.html", wait_for_math=False)
    try:
        assert visit.response.ok
        for lang in EDITIONS:
            link = visit.page.locator(f"a#lang-{lang}")
            href = link.get_attribute("href")
            assert (site / href).exists(), f"the {lang} link points to a missing {href}"
        assert not visit.foreign_requests(server), visit.foreign_requests(server)
        assert not visit.unexpected_errors(), visit.unexpected_errors()
        problems = accessibility_violations(visit.page, "index.html", whole=True)
        assert not problems, "\n".join(problems)
        SHOTS.mkdir(parents=True, exist_ok=True)
        visit.page.screenshot(path=str(SHOTS / "index.png"))
    finally:
        visit.close()


@pytest.mark.parametrize(("lang", "chapter"), chapter_pages())
def test_chapter_page(site, server, browser, lang, chapter):
    other = "en" if lang == "ko" else "ko"
    path = f"{lang}/chapters/{lang}/{chapter}.html"
    visit = Visit(browser, server, path)
    page = visit.page
    try:
        assert visit.response.ok, f"{path}: HTTP {visit.response.status}"

        # Equations: every math node was typeset by MathJax, none left as raw TeX.
        raw = page.evaluate(
            "() => [...document.querySelectorAll('.math')]"
            ".filter(e => !e.querySelector('mjx-container')).map(e => e.textContent.slice(0, 60))")
        assert not raw, f"{path}: equations left unrendered: {raw[:3]}"
        body_text = page.inner_text("main")
        assert "$$" not in body_text, f"{path}: raw $$ in the page text"

        # The language link points to the same chapter in the other edition.
        href = page.locator("a.edition-link").first.get_attribute("href")
        target = (site / path).parent / href
        expected = site / other / "chapters" / other / f"{chapter}.html"
        assert target.resolve() == expected.resolve(), f"{path}: language link -> {href}"

        # The Colab launch link opens this chapter's Colab edition (colab/<lang>/<name>.ipynb,
        # plain Markdown with the numbers written in), not the MyST chapter notebook.
        hrefs = page.evaluate(
            "() => [...document.querySelectorAll('a')].map(a => a.href)"
            ".filter(h => h.includes('colab.research.google.com'))")
        assert hrefs, f"{path}: no Colab launch link"
        expected = colab_edition_url(lang, chapter)
        assert all(h == expected for h in hrefs), f"{path}: Colab link {hrefs} != {expected}"
        assert (ROOT / "colab" / lang / f"{chapter}.ipynb").exists(), \
            f"{path}: the Colab button opens colab/{lang}/{chapter}.ipynb, which is missing"

        # Nothing left 127.0.0.1, and the console stayed clean.
        assert not visit.foreign_requests(server), \
            f"{path}: requests left 127.0.0.1: {visit.foreign_requests(server)[:5]}"
        assert not visit.unexpected_errors(), f"{path}: console errors {visit.unexpected_errors()}"

        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{lang}_{chapter}.png"), full_page=False)

        problems = accessibility_violations(page, path, whole=chapter in AXE_WHOLE_PAGE)
        assert not problems, "\n".join(problems)
    finally:
        visit.close()


def other_pages():
    """Every page of an edition that is not a chapter notebook: the pages of the toc that
    are plain Markdown (the appendix), the index and the search page."""
    pages = []
    for lang in EDITIONS:
        notebooks = {nb.stem for nb in chapter_files(lang)}
        pages += [(lang, f"{lang}/{doc}.html") for doc in toc_files(lang)
                  if doc.rsplit("/", 1)[-1] not in notebooks]
        pages += [(lang, f"{lang}/genindex.html"), (lang, f"{lang}/search.html?q=LSTM")]
    return pages


@pytest.mark.parametrize(("lang", "path"), other_pages())
def test_other_page(site, server, browser, lang, path):
    visit = Visit(browser, server, path)
    try:
        assert visit.response.ok, f"{path}: HTTP {visit.response.status}"
        if "search.html" in path:
            visit.page.wait_for_selector("#search-results p.search-summary", timeout=20000)
        assert not visit.foreign_requests(server), visit.foreign_requests(server)[:5]
        assert not visit.unexpected_errors(), f"{path}: console errors {visit.unexpected_errors()}"
        problems = accessibility_violations(visit.page, path)
        assert not problems, "\n".join(problems)
    finally:
        visit.close()


def page_words(site: Path, lang: str) -> dict[str, list[str]]:
    """Hangul words of each chapter page's main text, from the built HTML."""
    words = {}
    for nb in chapter_files(lang):
        html = (site / lang / "chapters" / lang / f"{nb.stem}.html").read_text(encoding="utf-8")
        # The article only: the sidebar and the previous/next links name other chapters.
        main = html.split("<article", 1)[-1].split("</article>", 1)[0]
        main = re.sub(r"<script.*?</script>|<style.*?</style>", " ", main, flags=re.S)
        words[nb.stem] = re.findall(r"[\uac00-\ud7a3]+", re.sub(r"<[^>]+>", " ", main))
    return words


def korean_search(browser, server, query: str) -> set[str]:
    visit = Visit(browser, server, f"ko/search.html?q={quote(query)}", wait_for_math=False)
    try:
        visit.page.wait_for_selector("#search-results p.search-summary", timeout=20000)
        links = visit.page.evaluate(
            "() => [...document.querySelectorAll('#search-results ul.search li a')]"
            ".map(a => a.getAttribute('href'))")
        assert not visit.foreign_requests(server)
        assert not visit.unexpected_errors(), visit.unexpected_errors()
        return {Path(h.split("?")[0].split("#")[0]).stem for h in links}
    finally:
        visit.close()


def test_korean_search_finds_words_with_particles(site, server, browser):
    words = page_words(site, "ko")
    queries = ["게이트", "기울기", "기호"]
    particle_only = []
    for query in queries:
        expected = {page for page, ws in words.items() if any(w.startswith(query) for w in ws)}
        if not expected:
            continue
        for page in expected:
            if query not in words[page]:
                particle_only.append((query, page))
        found = korean_search(browser, server, query)
        missing = expected - found
        assert not missing, f"searching {query!r} misses pages that contain it: {sorted(missing)}"
    # Make sure the test exercises the hard case: a page where the word only appears with
    # a particle attached (e.g. "게이트는"), which Sphinx's own search would not find.
    assert particle_only, "no page has a query word only with a particle; pick other words"
