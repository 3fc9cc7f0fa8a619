"""Build both editions of the book into one site: ``_build/html/{index.html,ko/,en/}``.

Steps (``make book`` runs all of them):

1. copy the book's sources into ``_executed/`` (the working tree is never written to);
2. execute every chapter notebook there, once, with pytest + nbmake (``--overwrite`` keeps
   the outputs in the copies); each notebook's time is printed and one over the limit fails;
3. build each edition with Jupyter Book from the executed copies, warnings as errors,
   ``--all`` so a cached rebuild cannot hide an old warning;
4. write the root page that lets the reader choose a language;
5. print each edition into one PDF, ``_build/html/<lang>/lstm-from-the-ground-up-<lang>.pdf``
   (``tools/book_pdf.py``, in the Chromium the browser test uses), which every page of
   the edition links. A partial build (``--only``) and ``--no-pdf`` skip it, and their
   pages carry no PDF link.

The English edition's config is ``_config.en.yml`` merged over ``_config.yml`` so that
shared settings (the repository URL above all) live in one file.

While writing a chapter, ``--only 09_assembling_lstm`` executes and builds just that
chapter (both editions), with the front page and the appendix, in the same strict way.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from book_pdf import PDF_NAMES, build_pdf

ROOT = Path(__file__).resolve().parent.parent
# Both folders can be moved (for example to build a private copy while someone else
# builds the main one); the defaults are what `make book` and the tests use.
BUILD = Path(os.environ.get("BOOK_BUILD_DIR", ROOT / "_build")).resolve()
# Not under _build: nbmake refuses to collect notebooks from a folder named _build.
SRC = Path(os.environ.get("BOOK_SRC_DIR", ROOT / "_executed")).resolve()
SITE = BUILD / "html"
EDITIONS = {"ko": ("_config.yml", "_toc.yml"), "en": ("_config.en.yml", "_toc.en.yml")}
BOOK_FILES = ["_config.yml", "_config.en.yml", "_toc.yml", "_toc.en.yml", "references.bib"]
BOOK_DIRS = ["chapters", "_ext", "_static"]
NOTEBOOK_LIMIT_S = 120


def merge(base: dict, override: dict) -> dict:
    """Return ``base`` updated by ``override``, merging nested dictionaries."""
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def edition_config(lang: str) -> dict:
    """The full Jupyter Book config of one edition."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    if lang != "ko":
        override = yaml.safe_load((ROOT / EDITIONS[lang][0]).read_text(encoding="utf-8"))
        config = merge(config, override)
    return config


def toc_entries(toc: dict) -> list[str]:
    """Every file a toc lists, the root first."""
    return [toc["root"]] + [c["file"] for part in toc.get("parts", []) for c in part["chapters"]]


def keep_only(toc: dict, only: list[str]) -> dict:
    """The toc with just the root, the chapters named in ``only`` and the pages that are
    not notebooks (the appendix, which the citations of any chapter link to)."""
    def wanted(entry: str) -> bool:
        name = entry.rsplit("/", 1)[-1]
        return name in only or not (ROOT / f"{entry}.ipynb").exists()

    parts = []
    for part in toc.get("parts", []):
        chapters = [c for c in part["chapters"] if wanted(c["file"])]
        if chapters:
            parts.append({**part, "chapters": chapters})
    return {**toc, "parts": parts}


def copy_sources(notebooks: bool = True, only: list[str] | None = None,
                 pdf: bool = False) -> None:
    """Copy the book into SRC; with ``notebooks=False`` keep the executed notebooks there.

    With ``only``, copy just those chapters' notebooks (and the front page) and write tocs
    that list only them. With ``pdf``, every page links the edition's PDF (``book_pdf``
    in _ext/book_ext.py), which ``main`` prints after the build.
    """
    if notebooks and SRC.exists():
        shutil.rmtree(SRC)
    SRC.mkdir(parents=True, exist_ok=True)
    for name in BOOK_FILES:
        shutil.copy2(ROOT / name, SRC / name)
    keep = None
    if only:
        keep = set(only)
        for _, toc_name in EDITIONS.values():
            toc = keep_only(yaml.safe_load((ROOT / toc_name).read_text(encoding="utf-8")), only)
            keep |= {entry.rsplit("/", 1)[-1] for entry in toc_entries(toc)}
            (SRC / toc_name).write_text(yaml.safe_dump(toc, allow_unicode=True, sort_keys=False),
                                        encoding="utf-8")

    def ignore(folder, names):
        skipped = set(shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__")(folder, names))
        if keep is not None:
            skipped |= {n for n in names if n.endswith(".ipynb") and n[:-6] not in keep}
        return skipped

    for name in BOOK_DIRS:
        if (SRC / name).exists():
            if name == "chapters" and not notebooks:
                # Keep the executed notebooks; refresh every other page (the appendix).
                for page in (ROOT / name).rglob("*.md"):
                    shutil.copy2(page, SRC / page.relative_to(ROOT))
                continue
            shutil.rmtree(SRC / name)
        shutil.copytree(ROOT / name, SRC / name, ignore=ignore)
    shutil.copy2(ROOT / "tools" / "notebook_timer.py", SRC / "conftest.py")
    for lang in EDITIONS:
        merged = edition_config(lang)
        if pdf and not only:
            merged["sphinx"]["config"]["book_pdf"] = PDF_NAMES[lang]
        if only:
            # Links to chapters left out of a partial build cannot resolve; that, and only
            # that, is let through (the full build stays strict about it).
            config = merged["sphinx"]["config"]
            config["suppress_warnings"] = config.get("suppress_warnings", []) + [
                "myst.xref_missing"]
        (SRC / f"_config.{lang}.merged.yml").write_text(
            yaml.safe_dump(merged, allow_unicode=True, sort_keys=False), encoding="utf-8")


def execute_notebooks(workers: int) -> None:
    """Run every chapter notebook once with nbmake, keeping the outputs in the copies."""
    cmd = [
        sys.executable, "-m", "pytest", str(SRC / "chapters"),
        "--nbmake", "--overwrite", f"--nbmake-timeout={NOTEBOOK_LIMIT_S}",
        "-p", "no:cacheprovider", "--rootdir", str(SRC),
        "-q",
        # Two kernels starting at once can race for the same ZMQ port; that, and only that,
        # is retried. A notebook that fails for any other reason fails the run.
        "--reruns", "2", "--only-rerun", "Address already in use",
    ]
    if workers > 1:
        cmd += ["-n", str(workers)]
    print("$", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, cwd=SRC)


def build_edition(lang: str) -> subprocess.Popen:
    BUILD.mkdir(parents=True, exist_ok=True)
    out = BUILD / "editions" / lang
    if out.exists():
        shutil.rmtree(out)
    cmd = [
        "jupyter-book", "build", str(SRC),
        "--config", str(SRC / f"_config.{lang}.merged.yml"),
        "--toc", str(SRC / EDITIONS[lang][1]),
        "--path-output", str(out),
        "--all", "-W", "-n", "--keep-going",
    ]
    exe = Path(sys.executable).parent / "jupyter-book"
    cmd[0] = str(exe) if exe.exists() else cmd[0]
    log = open(BUILD / f"build-{lang}.log", "w", encoding="utf-8")  # noqa: SIM115
    print("$", " ".join(cmd), f"> {log.name}", flush=True)
    return subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)


ROOT_PAGE = """<!DOCTYPE html>
<html lang="ko">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>처음부터 배우는 LSTM · LSTM from the Ground Up</title>
<link rel="icon" href="favicon.ico">
<style>
body {{ font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto;
       padding: 0 1rem; line-height: 1.6; color: #222; }}
h1 {{ font-size: 1.6rem; }}
ul {{ list-style: none; padding: 0; }}
p.pdf a {{ color: #114; }}
li a {{ display: block; margin: 0.8rem 0; padding: 1rem; border: 1px solid #ccc;
        border-radius: 6px; text-decoration: none; color: #114; font-size: 1.2rem; }}
li a:hover {{ background: #f3f5fa; }}
</style>
</head>
<body>
<main>
<h1>처음부터 배우는 LSTM<br>LSTM from the Ground Up</h1>
<p>언어를 고르세요. · Choose a language.</p>
<ul>
<li><a id="lang-ko" hreflang="ko" href="ko/{ko_root}.html">한국어판</a></li>
<li><a id="lang-en" hreflang="en" lang="en" href="en/{en_root}.html">English edition</a></li>
</ul>
{pdf_links}</main>
</body>
</html>
"""


def write_favicon(path: Path) -> None:
    """A small icon (an LSTM-ish "C" on blue), so browsers do not log a 404 for it."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (32, 32), (40, 80, 160, 255))
    draw = ImageDraw.Draw(image)
    draw.arc((6, 6, 26, 26), 40, 320, fill=(255, 255, 255, 255), width=4)
    image.save(path, sizes=[(16, 16), (32, 32)])


PDF_LINKS = """<p class="pdf">PDF: <a id="pdf-ko" hreflang="ko" type="application/pdf"
href="ko/{ko}">한국어판</a> · <a id="pdf-en" hreflang="en" lang="en" type="application/pdf"
href="en/{en}">English edition</a></p>
"""


def assemble_site(pdf: bool = False) -> Path:
    """Copy both editions into SITE and write the root page (with links to the PDFs,
    which ``main`` prints next, when ``pdf``)."""
    if SITE.exists():
        shutil.rmtree(SITE)
    SITE.mkdir(parents=True)
    roots = {}
    for lang, (_, toc) in EDITIONS.items():
        shutil.copytree(BUILD / "editions" / lang / "_build" / "html", SITE / lang)
        roots[lang] = yaml.safe_load((SRC / toc).read_text(encoding="utf-8"))["root"]
    write_favicon(SITE / "favicon.ico")
    index = SITE / "index.html"
    pdf_links = PDF_LINKS.format(**PDF_NAMES) if pdf else ""
    index.write_text(ROOT_PAGE.format(ko_root=roots["ko"], en_root=roots["en"],
                                      pdf_links=pdf_links), encoding="utf-8")
    return index


def stale_colab_notebooks() -> list[str]:
    """Chapters whose Colab edition (colab/<lang>/, `make colab`) was made from an older
    version of the chapter; tests/test_colab_edition.py fails on them."""
    import hashlib
    import json

    stale = []
    for lang in EDITIONS:
        for chapter in sorted((ROOT / "chapters" / lang).glob("*.ipynb")):
            colab = ROOT / "colab" / lang / chapter.name
            digest = hashlib.sha256(chapter.read_bytes()).hexdigest()
            if not colab.exists() or json.loads(colab.read_text(encoding="utf-8"))[
                    "metadata"].get("lstm_book", {}).get("chapter_sha256") != digest:
                stale.append(f"{lang}/{chapter.stem}")
    return stale


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-execute", action="store_true",
                        help="reuse the notebooks executed last time (quick rebuilds)")
    parser.add_argument("--workers", type=int, default=2, help="notebooks run in parallel")
    parser.add_argument("--only", nargs="+", metavar="NN_name",
                        help="execute and build only these chapters (and the front page)")
    parser.add_argument("--no-pdf", action="store_true",
                        help="skip the PDF of each edition (a partial build always does)")
    args = parser.parse_args()
    pdf = not (args.only or args.no_pdf)

    if args.no_execute and (SRC / "chapters").exists():
        copy_sources(notebooks=False, pdf=pdf)
    else:
        copy_sources(only=args.only, pdf=pdf)
        execute_notebooks(args.workers)

    builds = {lang: build_edition(lang) for lang in EDITIONS}
    failed = [lang for lang, proc in builds.items() if proc.wait() != 0]
    for lang in failed:
        log = BUILD / f"build-{lang}.log"
        print(f"\n--- {lang} edition failed; the end of {log}:")
        print("\n".join(log.read_text(encoding="utf-8").splitlines()[-40:]))
    if failed:
        return 1
    index = assemble_site(pdf)
    print(f"\nThe book is built: {index}")
    if pdf:
        for lang in EDITIONS:
            summary = build_pdf(lang, site=SITE)
            print(f"{lang}: {SITE / lang / summary['file']}: {summary['pages']} pages, "
                  f"{summary['seconds']} s", flush=True)
    stale = stale_colab_notebooks()
    if stale:
        print(f"The Colab edition is stale for {', '.join(stale)}: run `make colab` "
              "(tools/colab_edition.py) to write it from the notebooks just executed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
