"""Build both editions of the book into one site: ``_build/html/{index.html,ko/,en/}``.

Steps (``make book`` runs all of them):

1. copy the book's sources into ``_executed/`` (the working tree is never written to);
2. execute every chapter notebook there, once, with pytest + nbmake (``--overwrite`` keeps
   the outputs in the copies); each notebook's time is printed and one over the limit fails;
3. build each edition with Jupyter Book from the executed copies, warnings as errors,
   ``--all`` so a cached rebuild cannot hide an old warning;
4. write the root page that lets the reader choose a language.

The English edition's config is ``_config.en.yml`` merged over ``_config.yml`` so that
shared settings (the repository URL above all) live in one file.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
# Both folders can be moved (for example to build a private copy while someone else
# builds the main one); the defaults are what `make book` and the tests use.
BUILD = Path(os.environ.get("BOOK_BUILD_DIR", ROOT / "_build")).resolve()
# Not under _build: nbmake refuses to collect notebooks from a folder named _build.
SRC = Path(os.environ.get("BOOK_SRC_DIR", ROOT / "_executed")).resolve()
SITE = BUILD / "html"
EDITIONS = {"ko": ("_config.yml", "_toc.yml"), "en": ("_config.en.yml", "_toc.en.yml")}
BOOK_FILES = ["_config.yml", "_config.en.yml", "_toc.yml", "_toc.en.yml"]
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


def copy_sources(notebooks: bool = True) -> None:
    """Copy the book into SRC; with ``notebooks=False`` keep the executed notebooks there."""
    if notebooks and SRC.exists():
        shutil.rmtree(SRC)
    SRC.mkdir(parents=True, exist_ok=True)
    for name in BOOK_FILES:
        shutil.copy2(ROOT / name, SRC / name)
    for name in BOOK_DIRS:
        if name == "chapters" and not notebooks:
            continue
        if (SRC / name).exists():
            shutil.rmtree(SRC / name)
        shutil.copytree(ROOT / name, SRC / name, ignore=shutil.ignore_patterns(
            ".ipynb_checkpoints", "__pycache__"))
    shutil.copy2(ROOT / "tools" / "notebook_timer.py", SRC / "conftest.py")
    for lang in EDITIONS:
        merged = edition_config(lang)
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
li a {{ display: block; margin: 0.8rem 0; padding: 1rem; border: 1px solid #ccc;
        border-radius: 6px; text-decoration: none; color: #114; font-size: 1.2rem; }}
li a:hover {{ background: #f3f5fa; }}
</style>
</head>
<body>
<h1>처음부터 배우는 LSTM<br>LSTM from the Ground Up</h1>
<p>언어를 고르세요. · Choose a language.</p>
<ul>
<li><a id="lang-ko" hreflang="ko" href="ko/{ko_root}.html">한국어판</a></li>
<li><a id="lang-en" hreflang="en" href="en/{en_root}.html">English edition</a></li>
</ul>
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


def assemble_site() -> Path:
    if SITE.exists():
        shutil.rmtree(SITE)
    SITE.mkdir(parents=True)
    roots = {}
    for lang, (_, toc) in EDITIONS.items():
        shutil.copytree(BUILD / "editions" / lang / "_build" / "html", SITE / lang)
        roots[lang] = yaml.safe_load((ROOT / toc).read_text(encoding="utf-8"))["root"]
    write_favicon(SITE / "favicon.ico")
    index = SITE / "index.html"
    index.write_text(ROOT_PAGE.format(ko_root=roots["ko"], en_root=roots["en"]),
                     encoding="utf-8")
    return index


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-execute", action="store_true",
                        help="reuse the notebooks executed last time (quick rebuilds)")
    parser.add_argument("--workers", type=int, default=2, help="notebooks run in parallel")
    args = parser.parse_args()

    if args.no_execute and (SRC / "chapters").exists():
        copy_sources(notebooks=False)
    else:
        copy_sources()
        execute_notebooks(args.workers)

    builds = {lang: build_edition(lang) for lang in EDITIONS}
    failed = [lang for lang, proc in builds.items() if proc.wait() != 0]
    for lang in failed:
        log = BUILD / f"build-{lang}.log"
        print(f"\n--- {lang} edition failed; the end of {log}:")
        print("\n".join(log.read_text(encoding="utf-8").splitlines()[-40:]))
    if failed:
        return 1
    index = assemble_site()
    print(f"\nThe book is built: {index}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
