"""The PDF of each edition (``tools/book_pdf.py``, printed by a full build).

Each PDF is opened with pypdf and checked the way a reader would notice a bad one: it has
a sane number of pages; its outline (bookmarks) lists every page of the toc under its
part, in order, each pointing where the contents page says; Korean is real text (it can
be searched and copied), not pictures of glyphs; no equation is left as raw TeX; the
figures are in it; and every page of the edition links it. Nothing is skipped: after a
full build a missing PDF fails.
"""

from __future__ import annotations

import ctypes
import re
import sys
from functools import cache
from pathlib import Path

import pypdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from conftest import EDITIONS, ROOT, SITE, load_yaml

sys.path.insert(0, str(ROOT / "tools"))
from book_pdf import PDF_NAMES  # noqa: E402

pytestmark = pytest.mark.slow

TOCS = {"ko": "_toc.yml", "en": "_toc.en.yml"}
HANGUL = re.compile(r"[\uac00-\ud7a3]")
# What an equation that MathJax did not typeset looks like in the text layer. Code in the
# book may hold TeX in a matplotlib label, so only text outside monospace fonts counts.
RAW_TEX = ["\\frac", "$$", "\\begin", "\\mathbf", "\\odot", "\\sigma", "\\tanh", "\\left(",
           "\\partial", "\\mathrm", "\\tag", "\\("]
MONO = re.compile(r"mono|courier|consol|menlo", re.I)


def toc(lang: str) -> list[tuple[str | None, str]]:
    data = load_yaml(TOCS[lang])
    entries = [(None, data["root"])]
    for part in data.get("parts", []):
        entries += [(part["caption"], c["file"]) for c in part["chapters"]]
    return entries


def page_title(lang: str, docname: str) -> str:
    """The numbered title of a built page, as the reader sees it ("5. 망각 게이트")."""
    html = (SITE / lang / f"{docname}.html").read_text(encoding="utf-8")
    article = html.split("<article", 1)[-1]
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", article, re.S).group(1)
    text = re.sub(r"<[^>]+>", "", h1).replace("#", "")
    text = re.sub(r"&#(\d+);", lambda m: chr(int(m.group(1))), text)
    return re.sub(r"\s+", " ", text.replace("&amp;", "&")).strip()


def pdf_path(lang: str) -> Path:
    path = SITE / lang / PDF_NAMES[lang]
    if not path.exists():
        pytest.fail(f"{path} is missing: a full build (tools/build_book.py, no --only) "
                    "prints it")
    return path


@cache
def reader(lang: str):
    return pypdf.PdfReader(str(pdf_path(lang)))


def squeeze(text: str) -> str:
    """One space for any run of white space (pypdf spaces Korean words out by their
    glyph positions: "망각  게이트")."""
    return re.sub(r"\s+", " ", text).strip()


@cache
def texts(lang: str) -> tuple[str, ...]:
    """The text layer of each page (pdfium's extraction, squeezed)."""
    doc = pdfium.PdfDocument(str(pdf_path(lang)))
    try:
        return tuple(squeeze(doc[i].get_textpage().get_text_range()) for i in range(len(doc)))
    finally:
        doc.close()


def font_at(textpage, index: int) -> str:
    """The name of the font a character of a page is drawn in."""
    buf = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    pdfium_c.FPDFText_GetFontInfo(textpage.raw, index, buf, 256, ctypes.byref(flags))
    return buf.value.decode("utf-8", "replace")


def raw_tex_outside_code(lang: str) -> list[str]:
    """Raw TeX markers in the text layer, except in monospace fonts (code cells and their
    outputs, which may quote TeX on purpose, e.g. in a matplotlib label)."""
    found = []
    doc = pdfium.PdfDocument(str(pdf_path(lang)))
    try:
        for i in range(len(doc)):
            textpage = doc[i].get_textpage()
            text = textpage.get_text_range()
            for tex in RAW_TEX:
                for m in re.finditer(re.escape(tex), text):
                    font = font_at(textpage, m.start())
                    if not MONO.search(font):
                        found.append(f"page {i + 1}: {tex!r} in {font or '?'}: "
                                     f"{text[max(0, m.start() - 30):m.end() + 30]!r}")
    finally:
        doc.close()
    return found


@cache
def outline(lang: str) -> list[tuple[int, str, int]]:
    """(depth, title, 0-based page) of every bookmark, in order."""
    r = reader(lang)
    items = []

    def walk(nodes, depth):
        for node in nodes:
            if isinstance(node, list):
                walk(node, depth + 1)
            else:
                items.append((depth, str(node.title), r.get_destination_page_number(node)))

    walk(r.outline, 0)
    return items


def chapter_ranges(lang: str) -> dict[str, range]:
    """docname -> 0-based pages of that chapter, from the outline (bookmarks at depth 0
    are the contents and the parts, depth 1 the chapters of a part)."""
    marks = outline(lang)
    titles = {page_title(lang, doc): doc for _, doc in toc(lang)}
    starts = [(page, titles[title]) for _, title, page in marks if title in titles]
    starts.sort()
    n = len(reader(lang).pages)
    return {doc: range(page, starts[i + 1][0] if i + 1 < len(starts) else n)
            for i, (page, doc) in enumerate(starts)}


@pytest.mark.parametrize("lang", EDITIONS)
def test_pdf_has_a_sane_number_of_pages_and_its_metadata(lang):
    r = reader(lang)
    chapters = len(toc(lang))
    pages = len(r.pages)
    # A chapter of the book prints on 8-40 A4 pages; far fewer means pages were lost
    # (or printed at the size of a phone), far more that the layout broke.
    assert 6 * chapters <= pages <= 50 * chapters, f"{lang}: {pages} pages"
    size = pdf_path(lang).stat().st_size
    assert size < 60e6, f"{lang}: the PDF is {size / 1e6:.0f} MB"
    meta = r.metadata
    title = load_yaml("_config.yml" if lang == "ko" else "_config.en.yml")["title"]
    assert meta.title == title, meta.title
    assert str(r.trailer["/Root"].get("/Lang")) == lang
    box = r.pages[len(r.pages) // 2].mediabox
    assert abs(float(box.width) - 595) < 3 and abs(float(box.height) - 842) < 3, "not A4"


def test_the_two_editions_have_about_as_many_pages():
    ko, en = (len(reader(lang).pages) for lang in EDITIONS)
    assert 0.7 < ko / en < 1.4, f"ko {ko} pages, en {en}"


@pytest.mark.parametrize("lang", EDITIONS)
def test_outline_lists_every_page_of_the_toc_in_order(lang):
    marks = outline(lang)
    expected = []
    part = object()
    for caption, doc in toc(lang):
        if caption is not None and caption != part:
            expected.append((0, caption))
        part = caption
        expected.append((0 if caption is None else 1, page_title(lang, doc)))
    got = [(depth, title) for depth, title, _ in marks]
    # The contents page is bookmarked first.
    assert got[0][1] in ("차례", "Contents"), got[:2]
    assert got[1:] == expected, f"{lang}: outline\n{got}\n!= toc\n{expected}"
    pages = [page for _, _, page in marks]
    assert pages == sorted(pages), f"{lang}: bookmarks out of page order: {pages}"


@pytest.mark.parametrize("lang", EDITIONS)
def test_each_chapter_starts_on_its_page_with_its_title(lang):
    """The first page of each chapter (from its bookmark) shows the chapter's title, and
    the contents page gives that page's printed number."""
    ranges = chapter_ranges(lang)
    assert len(ranges) == len(toc(lang))
    pages = texts(lang)
    contents = " ".join(pages[1:4])
    for doc, span in ranges.items():
        title = page_title(lang, doc)
        assert title in pages[span.start], \
            f"{lang}: page {span.start + 1} does not open {title!r}"
        assert re.search(re.escape(title) + r" ?" + str(span.start + 1) + r"\b", contents), \
            f"{lang}: the contents do not give page {span.start + 1} for {title!r}"


def test_korean_text_is_extractable():
    pages = texts("ko")
    text = "\n".join(pages)
    for word in ["게이트", "기울기", "셀 상태", "연습"]:
        assert word in text, f"{word!r} is not in the Korean PDF's text layer"
    # Not a few words on the title page: Korean all through the chapters.
    body = [t for t in pages[2:] if t.strip()]
    korean = [t for t in body if len(HANGUL.findall(t)) >= 40]
    assert len(korean) >= 0.8 * len(body), \
        f"only {len(korean)} of {len(body)} pages carry Korean text"
    # and no run of replacement characters or missing-glyph boxes.
    assert "\ufffd" not in text and "\u25a1\u25a1" not in text


def test_english_pdf_is_english():
    """The English PDF's text is English. Code is the same in both editions and holds the
    Korean labels of its figures ({"ko": ..., "en": ...}[LANG]), so some Hangul is
    expected, but a small fraction of the Korean edition's."""
    en = "\n".join(texts("en"))
    assert "gate" in en and "gradient" in en and "Exercise" in en
    hangul_en = len(HANGUL.findall(en))
    hangul_ko = len(HANGUL.findall("\n".join(texts("ko"))))
    assert hangul_en < 0.1 * hangul_ko, \
        f"the English PDF carries Korean prose: {hangul_en} syllables (ko: {hangul_ko})"


@pytest.mark.parametrize("lang", EDITIONS)
def test_no_page_shows_raw_tex(lang):
    found = raw_tex_outside_code(lang)
    assert not found, f"{lang}: raw TeX in the text layer:\n" + "\n".join(found[:10])


def image_count(page) -> int:
    xobjects = (page.get("/Resources") or {}).get("/XObject") or {}
    n = 0
    for obj in xobjects.values():
        obj = obj.get_object()
        if obj.get("/Subtype") == "/Image":
            n += 1
        elif obj.get("/Subtype") == "/Form":
            n += image_count(obj)
    return n


def html_figures(lang: str, doc: str) -> int:
    html = (SITE / lang / f"{doc}.html").read_text(encoding="utf-8")
    article = html.split("<article", 1)[-1].split("</article>", 1)[0]
    return len(re.findall(r"<img\b[^>]*src=\"[^\"]*_images/", article))


@pytest.mark.parametrize("lang", EDITIONS)
def test_figures_are_in_the_pdf(lang):
    r = reader(lang)
    missing = []
    total = 0
    for doc, span in chapter_ranges(lang).items():
        expected = html_figures(lang, doc)
        got = sum(image_count(r.pages[i]) for i in span)
        total += expected
        if got < expected:
            missing.append(f"{doc}: {got} images in the PDF, {expected} on the page")
    assert not missing, f"{lang}:\n" + "\n".join(missing)
    assert total >= 30, f"{lang}: only {total} figures in the whole book"


@pytest.mark.parametrize("lang", EDITIONS)
def test_every_page_of_the_edition_links_the_pdf(lang):
    name = PDF_NAMES[lang]
    pages = [SITE / lang / f"{doc}.html" for _, doc in toc(lang)]
    for page in pages:
        html = page.read_text(encoding="utf-8")
        m = re.search(r'<a class="pdf-link" href="([^"]+)"', html)
        assert m, f"{page.relative_to(SITE)} has no link to the PDF"
        assert m.group(1).endswith(name)
        assert (page.parent / m.group(1)).resolve() == pdf_path(lang).resolve(), m.group(1)
    root = (SITE / "index.html").read_text(encoding="utf-8")
    href = re.search(rf'id="pdf-{lang}"[^>]*href="([^"]+)"', root, re.S)
    assert href and (SITE / href.group(1)).resolve() == pdf_path(lang).resolve()
