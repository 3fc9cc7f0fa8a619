"""Sphinx extension for the book's two editions (loaded from _config.yml).

It does what Jupyter Book does not do on its own:

1. Korean search. Sphinx has no Korean search language, and Korean attaches particles to
   words ("게이트는", "게이트를"), so a search for "게이트" would miss a page that only says
   "게이트는". We index every Hangul word together with its prefixes of two or more
   syllables, so the bare word is found whatever particle follows it.
2. Offline equations. MathJax comes from the PyPI package ``sphinx-mathjax-offline``
   (its folder name has dashes, so it cannot be loaded as an extension); we copy its
   files into the site's ``_static/mathjax`` and ``mathjax_path`` in _config.yml points
   there. No page asks a CDN for anything.
3. The edition switch. Every page gets a link to the same page in the other edition.
   Both editions are built into one site, ``ko/`` and ``en/`` side by side, and chapter
   files have the same names in ``chapters/ko/`` and ``chapters/en/``.
4. Korean solution titles. sphinx-exercise titles a solution "해답 연습 5.1 (...)"; Korean
   puts the noun last, so the Korean edition reads "연습 5.1 (...) 풀이", matching the
   "풀이" section the solutions sit in.
5. The Colab button. Jupyter Book's launch button opens ``chapters/<lang>/<name>.ipynb``,
   whose MyST Colab shows raw; it is pointed at the Colab edition of the same chapter,
   ``colab/<lang>/<name>.ipynb`` (written by ``tools/colab_edition.py``).
6. Author-year citations in round brackets, "Gers et al. (2000)" and "(Gers et al., 2000)",
   as both editions' readers know them from papers (sphinxcontrib-bibtex's own
   ``author_year`` style uses square ones). Two authors are joined by "and" in the English
   edition and by "&" in the Korean one, where an English "and" would stand out in Korean
   prose. ``bibtex_reference_style: book_author_year`` in _config.yml selects it.
7. The PDF link. When ``tools/build_book.py`` makes the PDF of the edition (a full
   build), it sets ``book_pdf`` to its file name, and every page links it next to the
   link to the other edition.
8. Accessibility fixes found by axe-core (tests/test_browser.py): docutils gives each
   entry of the bibliography ``role="doc-biblioentry"``, which DPUB-ARIA 1.1 deprecated;
   inside the list (``role="list"``) the entries are then no list items, and axe reports
   the list as critical (aria-required-children). They become ``role="listitem"``.
"""

from __future__ import annotations

import re
from importlib.metadata import distribution
from pathlib import Path

from docutils import nodes
from sphinx.search import SearchLanguage
from sphinx.util.fileutil import copy_asset

HANGUL = re.compile(r"[\uac00-\ud7a3]")
LANGUAGE_NAMES = {"ko": "한국어", "en": "English"}


class SearchKorean(SearchLanguage):
    """Split text into words and add the 2+ syllable prefixes of every Hangul word."""

    lang = "ko"
    language_name = "Korean"

    def split(self, input: str) -> list[str]:  # noqa: A002 - Sphinx's signature
        words = []
        for word in self._word_re.findall(input):
            words.append(word)
            if HANGUL.match(word):
                words.extend(word[:n] for n in range(2, len(word)))
        return words

    def word_filter(self, word: str) -> bool:
        return len(word) > 0


def other_edition_url(pagename: str, edition: str, other: str) -> str:
    """Relative URL from ``<edition>/<pagename>.html`` to the same page in ``other``."""
    target = pagename.replace(f"chapters/{edition}/", f"chapters/{other}/")
    depth = pagename.count("/") + 1  # +1 climbs out of the edition folder itself
    return "../" * depth + f"{other}/{target}.html"


PDF_LINK_TEXT = {"ko": "PDF로 받기", "en": "Download PDF"}


def add_edition_switch(app, pagename, templatename, context, doctree):
    edition = app.config.book_edition
    other = app.config.book_other_edition
    if not edition or not other:
        return
    url = other_edition_url(pagename, edition, other)
    context["book_other_edition_url"] = url
    if "body" in context:
        pdf = ""
        if app.config.book_pdf:
            # The PDF sits at the top of the edition's folder, next to its index.
            href = "../" * pagename.count("/") + app.config.book_pdf
            pdf = (f'<a class="pdf-link" href="{href}" type="application/pdf">'
                   f'{PDF_LINK_TEXT.get(edition, "PDF")}</a> ')
        link = (
            f'<p class="edition-switch">{pdf}<a class="edition-link" hreflang="{other}" '
            f'href="{url}">{LANGUAGE_NAMES[other]}</a></p>\n'
        )
        context["body"] = link + context["body"]


def fix_aria_roles(app, pagename, templatename, context, doctree):
    """The bibliography's entries are list items of its list (see 8. above)."""
    if "body" in context:
        context["body"] = context["body"].replace('role="doc-biblioentry"', 'role="listitem"')


def korean_solution_titles(app, doctree, docname):
    """"해답 연습 5.1 (제목)" becomes "연습 5.1 (제목) 풀이" in the Korean edition."""
    if app.config.book_edition != "ko":
        return
    for node in doctree.findall(nodes.Admonition):
        if "solution" not in node.get("classes", []) or not node.children:
            continue
        title = node.children[0]
        if not isinstance(title, nodes.title) or not title.children:
            continue
        first = title.children[0]
        if isinstance(first, nodes.Text) and first.astext().strip() == "해답":
            title.remove(first)
            title += nodes.Text(" 풀이")


COLAB_CHAPTER = re.compile(
    r"^(?P<base>https://colab\.research\.google\.com/github/[^/]+/[^/]+/blob/[^/]+/)"
    r"(?:.+/)?chapters/(?P<lang>[a-z]{2})/(?P<name>[^/]+)\.ipynb$")


def colab_edition_url(url: str) -> str:
    """The Colab address of a chapter notebook, turned into that of its Colab edition."""
    m = COLAB_CHAPTER.match(url)
    if not m:
        raise ValueError(f"unexpected Colab launch URL {url!r}")
    return f"{m['base']}colab/{m['lang']}/{m['name']}.ipynb"


def _launch_items(buttons):
    """Every button in sphinx-book-theme's header buttons, groups ("buttons") included."""
    for button in buttons or []:
        if isinstance(button, dict):
            yield button
            yield from _launch_items(button.get("buttons"))
            yield from _launch_items(button.get("items"))


def point_colab_at_the_colab_edition(app, pagename, templatename, context, doctree):
    """Every Colab launch link opens ``colab/<lang>/<name>.ipynb`` instead of the chapter."""
    for button in _launch_items(context.get("header_buttons")):
        if button.get("text") == "Colab" and button.get("url"):
            button["url"] = colab_edition_url(button["url"])


def mathjax_folder() -> Path:
    """The MathJax 3 files shipped inside the sphinx-mathjax-offline package."""
    dist = distribution("sphinx-mathjax-offline")
    folder = Path(dist.locate_file("sphinx-mathjax-offline/static/mathjax"))
    if not (folder / "tex-chtml.js").exists():
        raise FileNotFoundError(f"MathJax not found in {folder}")
    return folder


def copy_mathjax(app, exc):
    if exc is None and app.builder.format == "html":
        copy_asset(str(mathjax_folder()), str(Path(app.outdir) / "_static" / "mathjax"))


# The words between two authors and for "et al." in each edition's citations: "Hochreiter &
# Schmidhuber (1997)", "Gers 등 (2000)", as Korean prose writes them (the chapters say
# "Chung 등"). tools/colab_edition.py writes the Colab edition's citations with them too.
CITATION_WORDS = {"ko": (" & ", " 등"), "en": (" and ", " et al.")}


def author_year_round(edition: str):
    """sphinxcontrib-bibtex's author-year style with round brackets and the edition's
    word between two authors ("&" in Korean prose, "and" in English) and for "et al."
    ("등" in Korean)."""
    from dataclasses import dataclass, field

    from sphinxcontrib.bibtex.style.referencing import BracketStyle, PersonStyle
    from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle

    def round_brackets():
        return BracketStyle(left="(", right=")")

    two, others = CITATION_WORDS.get(edition, CITATION_WORDS["en"])

    def two_authors():
        return PersonStyle(sep2=two, last_sep=", " + two.strip() + " ", other=others)

    @dataclass
    class BookAuthorYear(AuthorYearReferenceStyle):
        bracket_textual: BracketStyle = field(default_factory=round_brackets)
        bracket_parenthetical: BracketStyle = field(default_factory=round_brackets)
        bracket_author: BracketStyle = field(default_factory=round_brackets)
        bracket_label: BracketStyle = field(default_factory=round_brackets)
        bracket_year: BracketStyle = field(default_factory=round_brackets)
        person: PersonStyle = field(default_factory=two_authors)

    return BookAuthorYear


def register_reference_style(app, config):
    from sphinxcontrib.bibtex.plugin import register_plugin

    register_plugin("sphinxcontrib.bibtex.style.referencing", "book_author_year",
                    author_year_round(config.book_edition), force=True)


def setup(app):
    app.add_config_value("book_edition", "", "html")
    app.add_config_value("book_other_edition", "", "html")
    app.add_config_value("book_pdf", "", "html")
    # Before sphinxcontrib-bibtex reads bibtex_reference_style (builder-inited).
    app.connect("config-inited", register_reference_style)
    app.add_search_language(SearchKorean)
    app.connect("html-page-context", add_edition_switch)
    app.connect("html-page-context", fix_aria_roles)
    # After sphinx-book-theme has added its launch buttons (priority 501).
    app.connect("html-page-context", point_colab_at_the_colab_edition, priority=502)
    app.connect("build-finished", copy_mathjax)
    # After sphinx-exercise's post-transforms have written the titles (priority 500+).
    app.connect("doctree-resolved", korean_solution_titles, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
