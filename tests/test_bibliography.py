"""One bibliography for the whole book: every key a page cites is in references.bib, and
every entry of references.bib is cited somewhere (the appendix lists them all)."""

from __future__ import annotations

import json
import re

from conftest import CHAPTERS, ROOT

CITE = re.compile(r"\{cite(?::\w+)?\}`([^`]+)`")


def cited_keys() -> dict[str, set[str]]:
    """Every cited key and the pages that cite it (notebooks' markdown and .md pages)."""
    found: dict[str, set[str]] = {}
    for folder in CHAPTERS.values():
        for path in sorted(folder.iterdir()):
            if path.suffix == ".ipynb":
                cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
                text = "\n".join("".join(c["source"]) for c in cells
                                 if c["cell_type"] == "markdown")
            elif path.suffix == ".md":
                text = path.read_text(encoding="utf-8")
            else:
                continue
            for group in CITE.findall(text):
                for key in group.split(","):
                    found.setdefault(key.strip(), set()).add(f"{folder.name}/{path.name}")
    return found


def bib_keys() -> set[str]:
    from pybtex.database import parse_file

    return set(parse_file(str(ROOT / "references.bib")).entries)


def test_every_cited_key_is_in_the_bibliography():
    missing = {k: sorted(v) for k, v in cited_keys().items() if k not in bib_keys()}
    assert not missing, f"cited but not in references.bib: {missing}"


def test_every_entry_is_cited_somewhere():
    unused = sorted(bib_keys() - set(cited_keys()))
    assert not unused, f"in references.bib but cited nowhere (cite it or remove it): {unused}"


def test_both_editions_cite_the_same_works():
    per_edition = {lang: {k for k, pages in cited_keys().items()
                          if any(p.startswith(f"{lang}/") for p in pages)} for lang in CHAPTERS}
    assert per_edition["ko"] == per_edition["en"], (
        f"only ko: {sorted(per_edition['ko'] - per_edition['en'])}; "
        f"only en: {sorted(per_edition['en'] - per_edition['ko'])}")


def test_the_check_reads_roles_as_the_chapters_write_them():
    text = "see {cite:t}`gers2000learning` and {cite:p}`hochreiter1997long, bengio1994learning`"
    assert [k.strip() for g in CITE.findall(text) for k in g.split(",")] == [
        "gers2000learning", "hochreiter1997long", "bengio1994learning"]
