"""Print each edition of the built book into one PDF, ``_build/html/<lang>/<PDF_NAMES>``.

``tools/build_book.py`` runs this after it has assembled the site (``make book``); it can
also be run on its own over a built site: ``python tools/book_pdf.py ko en``.

How: the site is served on 127.0.0.1 and every page of the edition, in the order of its
toc, is opened in the Chromium the tests use (no browser is downloaded), left to MathJax
until every equation is typeset, and printed with the print stylesheet of
``_static/book.css`` (no navigation, solutions open, figures kept whole). A title page and
a contents page with the page number of every chapter are printed the same way, the
pieces are merged with pypdf, every page but the title gets a running header (the
chapter) and a page number, and the PDF gets an outline (bookmarks: parts, chapters), its
title, author and language. Links between pages of the site are dropped (they would point
at the local server); links inside a page and to the web stay.

``tests/test_pdf.py`` opens both PDFs: pages, outline, the Korean text layer, figures, and
no raw TeX.
"""

from __future__ import annotations

import argparse
import functools
import html
import io
import json
import os
import shutil
import sys
import threading
import time
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
BUILD = Path(os.environ.get("BOOK_BUILD_DIR", ROOT / "_build")).resolve()
SRC = Path(os.environ.get("BOOK_SRC_DIR", ROOT / "_executed")).resolve()
SITE = BUILD / "html"
TOCS = {"ko": "_toc.yml", "en": "_toc.en.yml"}
PDF_NAMES = {"ko": "lstm-from-the-ground-up-ko.pdf", "en": "lstm-from-the-ground-up-en.pdf"}
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update"]
MARGIN = {"top": "18mm", "bottom": "18mm", "left": "16mm", "right": "16mm"}
WORDS = {
    "ko": {"contents": "차례", "edition": "한국어판", "appendix_part": "부록"},
    "en": {"contents": "Contents", "edition": "English edition", "appendix_part": "Appendix"},
}
# A page of the book that has not typeset its equations after this long fails the build.
MATH_TIMEOUT_MS = 120_000


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        raise FileNotFoundError(f"Chromium is not installed at {path} (tools/system_deps.sh)")
    return path


@dataclass
class Printed:
    """One printed page of the site: its title, the part it belongs to, the PDF."""

    docname: str
    part: str | None
    title: str
    pdf: bytes
    pages: int = 0
    first_page: int = 0  # 1-based number in the whole PDF


def toc_order(toc: dict) -> list[tuple[str | None, str]]:
    """(part caption, docname) for every page of a toc, the root first."""
    entries = [(None, toc["root"])]
    for part in toc.get("parts", []):
        entries += [(part.get("caption"), c["file"]) for c in part["chapters"]]
    return entries


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(site: Path):
    handler = functools.partial(QuietHandler, directory=str(site))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


# Run in the page before printing: wait for the figures, unwrap links to other pages of
# the site (in a PDF they would open the local server), return the page's numbered title.
PREPARE_JS = """
async () => {
  await Promise.all([...document.images].map(img => img.complete ? null :
      new Promise(done => { img.onload = img.onerror = done; })));
  for (const a of [...document.querySelectorAll('a[href]')]) {
    const url = new URL(a.href, location.href);
    if (url.origin === location.origin && url.pathname !== location.pathname) {
      a.replaceWith(...a.childNodes);  // the text stays, printed as text, not as a link
    }
  }
  const h1 = document.querySelector('article.bd-article h1, article h1');
  return h1 ? h1.innerText.replace(/#\\s*$/, '').trim() : document.title;
}
"""


def print_page(page, url: str) -> tuple[str, bytes]:
    page.goto(url, wait_until="load")
    if page.evaluate("document.querySelectorAll('.math').length > 0"):
        page.wait_for_function(
            "() => window.MathJax && MathJax.startup && MathJax.startup.promise"
            " && document.querySelectorAll('mjx-container').length > 0",
            timeout=MATH_TIMEOUT_MS)
        page.evaluate("() => MathJax.startup.promise")
        raw = page.evaluate("() => [...document.querySelectorAll('.math')]"
                            ".filter(e => !e.querySelector('mjx-container')).length")
        if raw:
            raise RuntimeError(f"{url}: {raw} equations were not typeset")
    page.emulate_media(media="print")
    title = page.evaluate(PREPARE_JS)
    pdf = page.pdf(format="A4", print_background=True, margin=MARGIN,
                   prefer_css_page_size=False)
    return title, pdf


STYLE = """
@page { size: A4; margin: 0; }
body { margin: 0; font-family: "Noto Sans CJK KR", "Noto Sans", sans-serif; color: #222; }
"""


def title_page_html(lang: str, title: str, other_title: str, author: str) -> str:
    return f"""<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">
<style>{STYLE}
.t {{ height: 296mm; display: flex; flex-direction: column; justify-content: center;
      padding: 0 25mm; }}
h1 {{ font-size: 34pt; font-weight: 600; margin: 0 0 6mm 0; }}
.o {{ font-size: 16pt; color: #555; margin-bottom: 30mm; }}
.a {{ font-size: 12pt; color: #444; }}
.e {{ font-size: 12pt; color: #1a4d99; margin-top: 4mm; }}
</style></head><body><div class="t">
<h1>{html.escape(title)}</h1><div class="o">{html.escape(other_title)}</div>
<div class="a">{html.escape(author)}</div><div class="e">{WORDS[lang]['edition']}</div>
</div></body></html>"""


def contents_html(lang: str, printed: list[Printed]) -> str:
    rows, part = [], object()
    for p in printed:
        if p.part != part and p.part is not None:
            rows.append(f'<div class="part">{html.escape(p.part)}</div>')
        part = p.part
        cls = "row sub" if p.part is not None else "row"
        rows.append(f'<div class="{cls}"><span class="n">{html.escape(p.title)}</span>'
                    f'<span class="dots"></span><span class="pg">{p.first_page}</span></div>')
    return f"""<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">
<style>{STYLE}
@page {{ margin: 22mm 25mm; }}
h1 {{ font-size: 22pt; font-weight: 600; margin: 0 0 8mm 0; }}
.part {{ font-weight: 600; margin: 5mm 0 1.5mm 0; font-size: 11.5pt; }}
.row {{ display: flex; align-items: baseline; font-size: 11pt; margin: 1.2mm 0; }}
.row.sub {{ margin-left: 6mm; }}
.dots {{ flex: 1; border-bottom: 1px dotted #999; margin: 0 2mm; }}
.pg {{ min-width: 8mm; text-align: right; }}
</style></head><body><h1>{WORDS[lang]['contents']}</h1>{''.join(rows)}</body></html>"""


def overlay_html(lang: str, labels: list[tuple[str, str]]) -> str:
    """One A4 page per entry, with a running header and a page number and nothing else."""
    pages = "".join(
        f'<div class="p"><div class="h">{html.escape(head)}</div>'
        f'<div class="n">{html.escape(number)}</div></div>' for head, number in labels)
    return f"""<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">
<style>{STYLE}
.p {{ height: 296mm; position: relative; overflow: hidden; break-after: page; }}
.p:last-child {{ break-after: auto; }}
.h {{ position: absolute; top: 8mm; left: 16mm; right: 16mm; font-size: 8pt; color: #777;
      text-align: right; white-space: nowrap; overflow: hidden; }}
.n {{ position: absolute; bottom: 8mm; width: 100%; text-align: center; font-size: 9pt;
      color: #555; }}
</style></head><body>{pages}</body></html>"""


def pdf_of_html(browser, content: str) -> bytes:
    page = browser.new_page()
    try:
        page.set_content(content, wait_until="load")
        return page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    finally:
        page.close()


def edition_meta(lang: str) -> tuple[str, str, str]:
    """(title, the other edition's title, author) from the book's configs."""
    base = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    en = yaml.safe_load((ROOT / "_config.en.yml").read_text(encoding="utf-8"))
    titles = {"ko": base["title"], "en": en.get("title", base["title"])}
    other = "en" if lang == "ko" else "ko"
    return titles[lang], titles[other], base.get("author", "")


def build_pdf(lang: str, site: Path = SITE, toc_path: Path | None = None,
              out: Path | None = None) -> dict:
    """Print one edition; return a summary (pages, outline) that is also written as JSON."""
    from playwright.sync_api import sync_playwright
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    toc_path = toc_path or (SRC / TOCS[lang] if (SRC / TOCS[lang]).exists() else ROOT / TOCS[lang])
    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    out = out or site / lang / PDF_NAMES[lang]
    title, other_title, author = edition_meta(lang)
    started = time.perf_counter()
    httpd, base = serve(site)
    printed: list[Printed] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS,
                                        headless=True)
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            for part, docname in toc_order(toc):
                t0 = time.perf_counter()
                heading, pdf = print_page(page, f"{base}/{lang}/{docname}.html")
                if os.environ.get("BOOK_PDF_VERBOSE"):
                    print(f"  {docname}: {time.perf_counter() - t0:.1f} s", flush=True)
                printed.append(Printed(docname, part, heading, pdf,
                                       len(PdfReader(io.BytesIO(pdf)).pages)))
            # The title page is page 1; the contents take as many pages as they need,
            # which we learn by printing them once with provisional numbers.
            front = pdf_of_html(browser, title_page_html(lang, title, other_title, author))
            n_front = len(PdfReader(io.BytesIO(front)).pages)
            contents = b""
            for _ in range(2):
                n_contents = len(PdfReader(io.BytesIO(contents)).pages) if contents else 1
                first = n_front + n_contents + 1
                for item in printed:
                    item.first_page = first
                    first += item.pages
                contents = pdf_of_html(browser, contents_html(lang, printed))
            n_contents_now = len(PdfReader(io.BytesIO(contents)).pages)
            if n_contents_now != n_contents:
                raise RuntimeError("the contents page count did not settle")
            labels = [("", "")] * n_front + [("", str(n_front + i + 1))
                                               for i in range(n_contents)]
            for item in printed:
                labels += [("" if k == 0 else item.title, str(item.first_page + k))
                           for k in range(item.pages)]
            overlay = PdfReader(io.BytesIO(pdf_of_html(browser, overlay_html(lang, labels))))
            browser.close()
    finally:
        httpd.shutdown()

    writer = PdfWriter()
    for blob in [front, contents] + [item.pdf for item in printed]:
        writer.append(PdfReader(io.BytesIO(blob)))
    if len(overlay.pages) != len(writer.pages):
        raise RuntimeError(f"overlay has {len(overlay.pages)} pages for {len(writer.pages)}")
    for i, page in enumerate(writer.pages):
        if i >= n_front:
            page.merge_page(overlay.pages[i])
    writer.add_outline_item(title=WORDS[lang]["contents"], page_number=n_front)
    parents: dict[str, object] = {}
    outline = []
    for item in printed:
        parent = None
        if item.part is not None:
            if item.part not in parents:
                parents[item.part] = writer.add_outline_item(
                    title=item.part, page_number=item.first_page - 1)
            parent = parents[item.part]
        writer.add_outline_item(title=item.title, page_number=item.first_page - 1,
                                parent=parent)
        outline.append({"part": item.part, "title": item.title, "docname": item.docname,
                        "first_page": item.first_page, "pages": item.pages})
    writer.add_metadata({"/Title": title, "/Author": author,
                         "/Subject": other_title, "/Creator": "tools/book_pdf.py"})
    writer._root_object[NameObject("/Lang")] = TextStringObject(lang)
    writer.page_mode = "/UseOutlines"
    # Every chapter was printed on its own, so each carries its own copy of the fonts.
    writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "wb") as fh:
        writer.write(fh)
    summary = {"lang": lang, "file": out.name, "pages": len(writer.pages),
               "front_pages": n_front + n_contents, "chapters": outline,
               "seconds": round(time.perf_counter() - started, 1)}
    out.with_suffix(".json").write_text(json.dumps(summary, ensure_ascii=False, indent=1),
                                        encoding="utf-8")
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("langs", nargs="*", default=list(TOCS), choices=list(TOCS))
    args = parser.parse_args()
    for lang in args.langs:
        summary = build_pdf(lang)
        print(f"{lang}: {SITE / lang / summary['file']} ({summary['pages']} pages, "
              f"{summary['seconds']} s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
