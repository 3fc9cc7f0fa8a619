"""The build is strict: these tests make small books that break one rule each and check
that the same tools and settings the real book uses refuse them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml
from conftest import ROOT

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "tools"))
from build_book import edition_config  # noqa: E402


def notebook(*cells) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell("# 00. 시험")] + list(cells)
    return nb


def code(source, *outputs):
    cell = nbformat.v4.new_code_cell(source)
    cell.outputs = list(outputs)
    return cell


def make_book(tmp: Path, nb) -> Path:
    book = tmp / "book"
    (book / "chapters" / "ko").mkdir(parents=True)
    shutil.copytree(ROOT / "_ext", book / "_ext")
    shutil.copytree(ROOT / "_static", book / "_static")
    shutil.copy2(ROOT / "references.bib", book / "references.bib")  # the config names it
    (book / "_config.yml").write_text(yaml.safe_dump(edition_config("ko"), allow_unicode=True))
    (book / "_toc.yml").write_text("format: jb-book\nroot: chapters/ko/00_test\n")
    nbformat.write(nb, book / "chapters" / "ko" / "00_test.ipynb")
    return book


def build(book: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "jupyter-book"), "build", str(book), "--all", "-W", "-n", "--keep-going"],
        capture_output=True, text=True, timeout=600)


def stdout(text):
    return nbformat.v4.new_output("stream", name="stdout", text=text)


def test_a_clean_page_builds(tmp_path):
    result = build(make_book(tmp_path, notebook(code("print('안녕')", stdout("안녕\n")))))
    assert result.returncode == 0, result.stdout[-2000:]


def test_stderr_in_an_output_fails_the_build(tmp_path):
    warning = nbformat.v4.new_output("stream", name="stderr", text="UserWarning: Glyph missing\n")
    result = build(make_book(tmp_path, notebook(code("plot()", warning))))
    assert result.returncode != 0
    assert "stderr" in result.stdout


def test_a_warning_fails_the_build(tmp_path):
    nb = notebook(nbformat.v4.new_markdown_cell("식 {eq}`no-such-equation`을 보세요."))
    result = build(make_book(tmp_path, nb))
    assert result.returncode != 0


def run_notebooks(tmp: Path, nb, limit: str = "120") -> subprocess.CompletedProcess:
    folder = tmp / "nbs"
    folder.mkdir()
    nbformat.write(nb, folder / "00_test.ipynb")
    shutil.copy2(ROOT / "tools" / "notebook_timer.py", folder / "conftest.py")
    env = dict(os.environ, NOTEBOOK_LIMIT_S=limit)
    return subprocess.run(
        [sys.executable, "-m", "pytest", str(folder), "--nbmake", "-p", "no:cacheprovider",
         "--rootdir", str(folder), "-q"], capture_output=True, text=True, env=env, cwd=folder,
        timeout=600)


def test_a_cell_that_raises_fails_the_run(tmp_path):
    result = run_notebooks(tmp_path, notebook(code("raise ValueError('boom')")))
    assert result.returncode != 0 and "boom" in result.stdout


def test_a_notebook_over_the_time_limit_fails(tmp_path):
    result = run_notebooks(tmp_path, notebook(code("import time\ntime.sleep(3)")), limit="1")
    assert result.returncode != 0
    assert "took" in result.stdout and "notebook execution times" in result.stdout


def test_a_quick_notebook_passes_and_its_time_is_printed(tmp_path):
    result = run_notebooks(tmp_path, notebook(code("x = 1")))
    assert result.returncode == 0, result.stdout[-2000:]
    assert "notebook execution times" in result.stdout
