"""Write the Colab edition: ``colab/<lang>/NN_name.ipynb`` for every chapter notebook.

Colab renders Markdown, not MyST. A chapter opened from ``chapters/`` shows
``{glue:text}`x:.3f``` where a number should be, ``{eq}`` references and
```` ```{exercise} ```` fences raw. This script rewrites every chapter in plain Markdown,
from the book's own executed copies (``_executed/``, written by ``tools/build_book.py``):

- glued values are written in as the text the book shows (MyST-NB's own formatting);
- ``{eq}`` and ``{numref}`` become the chapter's numbers, "(5.1)" and "연습 5.1";
  labelled display math gets ``\\tag{5.1}``, so the equation shows its number;
- ``{cite:t}``/``{cite:p}`` become "Gers et al. (2000)" / "(Gers et al., 2000)" ("Gers 등
  (2000)" in Korean, as the book prints them) and the
  notebook ends with the list of the works it cites (from ``references.bib``);
- exercise and solution directives become plain headings with their numbers; admonitions
  and dropdowns become block quotes; the solutions stay where the chapter puts them, in
  its last section;
- links to another chapter open that chapter's Colab edition;
- the bootstrap cell (the chapter's setup cell, which installs ``lstm_lib``) comes first;
  ``hide-input`` cells use Colab's form view (folded code, ``#@title``); the live widget
  cells that the book removes (``remove-cell``) stay, because in Colab they work;
- no outputs; the notebook's metadata names its chapter, the SHA-256 of the chapter file
  and the raw glued values, so ``tests/test_colab_edition.py`` can tell when it is stale
  and regenerate it exactly without a build.

Anything MyST that this script does not know (a role, a directive, an option, a cell tag)
stops it with the file, the cell and the construct, rather than leaking into Colab.

    python tools/colab_edition.py              # every chapter of both editions (`make colab`)
    python tools/colab_edition.py --only 05_forget_gate
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import os
import re
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = ROOT / "chapters"
COLAB = ROOT / "colab"
EXECUTED = Path(os.environ.get("BOOK_SRC_DIR", ROOT / "_executed")).resolve()
EDITIONS = ("ko", "en")
TOCS = {"ko": "_toc.yml", "en": "_toc.en.yml"}
COLAB_BASE = "https://colab.research.google.com/github"

WORDS = {
    "ko": {
        "exercise": "연습",
        "solution": "{exercise} 풀이",
        "admonitions": {"note": "참고", "tip": "팁", "hint": "힌트", "important": "중요",
                        "warning": "주의", "caution": "주의", "attention": "주의",
                        "danger": "위험", "error": "오류", "seealso": "함께 보기"},
        "hidden_code": "접어 둔 코드 (책에서도 접혀 있습니다)",
        "works_cited": "인용한 문헌",
    },
    "en": {
        "exercise": "Exercise",
        "solution": "Solution to {exercise}",
        "admonitions": {"note": "Note", "tip": "Tip", "hint": "Hint", "important": "Important",
                        "warning": "Warning", "caution": "Caution", "attention": "Attention",
                        "danger": "Danger", "error": "Error", "seealso": "See also"},
        "hidden_code": "Folded code (folded in the book too)",
        "works_cited": "Works cited",
    },
}

# Cell tags and what the Colab edition does with them. A tag not listed here is an error.
KNOWN_TAGS = {
    "remove-cell",      # the bootstrap and live widgets: the book drops them, Colab keeps them
    "hide-input", "remove-input",                # folded in Colab's form view
    "hide-output", "remove-output", "hide-cell", "remove-stderr",   # shown in Colab
    "raises-exception", "skip-execution", "full-width", "margin", "scroll-output",
    "output_scroll", "scroll-input", "thebe-init",
}

ADMONITIONS = set(WORDS["en"]["admonitions"])
CODE_DIRECTIVES = {"code-block", "code", "sourcecode", "code-cell"}
CITE_ROLES = {"cite", "cite:p", "cite:t", "cite:ps", "cite:ts", "cite:ct", "cite:cp",
              "cite:year", "cite:yearpar", "cite:author", "cite:authors", "cite:alp"}


class ColabError(Exception):
    """Something in a chapter that the Colab edition cannot render faithfully."""


# --------------------------------------------------------------------------------------
# The book's structure: chapter numbers, labels, bibliography
# --------------------------------------------------------------------------------------

def toc_chapters(lang: str) -> list[tuple[str, int | None]]:
    """(file stem, chapter number) in toc order; the root and unnumbered parts get None.

    Numbering continues across numbered parts (``use_multitoc_numbering``), as in the book.
    """
    toc = yaml.safe_load((ROOT / TOCS[lang]).read_text(encoding="utf-8"))
    out = [(toc["root"].rsplit("/", 1)[-1], None)]
    n = 0
    for part in toc.get("parts", []):
        for chapter in part["chapters"]:
            number = None
            if part.get("numbered"):
                n += 1
                number = n
            out.append((chapter["file"].rsplit("/", 1)[-1], number))
    return out


def chapter_notebooks(lang: str) -> list[Path]:
    return sorted((CHAPTERS / lang).glob("*.ipynb"))


@dataclass
class Target:
    kind: str            # "eq", "exercise", "section"
    chapter: str         # file stem
    number: str | None   # "5.1" (None: unnumbered)
    title: str = ""


@dataclass
class Book:
    """What a chapter's references can point to, in one edition."""

    lang: str
    numbers: dict[str, int | None]
    titles: dict[str, str] = field(default_factory=dict)
    targets: dict[str, Target] = field(default_factory=dict)

    def number(self, chapter: str, k: int) -> str:
        n = self.numbers.get(chapter)
        return f"{n}.{k}" if n is not None else str(k)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@cache
def _repository() -> tuple[str, str]:
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    repo = config["repository"]
    url = repo["url"].rstrip("/")
    if not url.startswith("https://github.com/"):
        raise ColabError(f"repository.url {url} is not on GitHub; Colab opens GitHub files")
    return url.removeprefix("https://github.com/"), repo.get("branch", "main")


def colab_url(lang: str, stem: str) -> str:
    """The address that opens ``colab/<lang>/<stem>.ipynb`` from the book's repository."""
    repo, branch = _repository()
    return f"{COLAB_BASE}/{repo}/blob/{branch}/colab/{lang}/{stem}.ipynb"


@cache
def _bibliography():
    from pybtex.database import parse_file

    return parse_file(str(ROOT / "references.bib"))


def _plain(rich) -> str:
    return str(rich).replace("{", "").replace("}", "")


# The words the book's citations use, "Gers 등 (2000)" in Korean (_ext/book_ext.py).
sys.path.insert(0, str(ROOT / "_ext"))
from book_ext import CITATION_WORDS  # noqa: E402


def _authors(key: str, full: bool = False, lang: str = "en") -> str:
    entry = _entry(key)
    persons = entry.persons.get("author") or entry.persons.get("editor") or []
    names = [" ".join(_plain(n) for n in p.rich_last_names) for p in persons]
    if not names:
        raise ColabError(f"references.bib: {key} has no author")
    if len(names) == 1:
        return names[0]
    if len(names) == 2 or full:
        two = CITATION_WORDS[lang][0]
        return ", ".join(names[:-1]) + two + names[-1]
    return names[0] + CITATION_WORDS[lang][1]


def _year(key: str) -> str:
    return _entry(key).fields.get("year", "n.d.")


def _entry(key: str):
    bib = _bibliography()
    if key not in bib.entries:
        raise ColabError(f"citation {key!r} is not in references.bib")
    return bib.entries[key]


def format_references(keys: list[str]) -> list[str]:
    """Markdown bullets for the cited works (pybtex's plain style)."""
    from pybtex.plugin import find_plugin

    style = find_plugin("pybtex.style.formatting", "plain")()
    backend = find_plugin("pybtex.backends", "markdown")()
    formatted = style.format_bibliography(_bibliography(), keys)
    return ["- " + " ".join(e.text.render(backend).split()) for e in formatted]


# --------------------------------------------------------------------------------------
# Markdown: fences and directives, display math, roles, links
# --------------------------------------------------------------------------------------

FENCE_OPEN = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,}|:{3,})(?P<info>.*)$")
DIRECTIVE = re.compile(r"^\s*\{(?P<name>[A-Za-z][\w:.+-]*)\}\s*(?P<arg>.*)$")
OPTION = re.compile(r"^:(?P<key>[\w-]+):(?:\s+(?P<value>.*))?$")
LABELLED_MATH = re.compile(r"\$\$(?P<body>.+?)\$\$[ \t]*\((?P<label>[^()\s]+)\)", re.S)
TARGET = re.compile(r"^\((?P<label>[^()\s]+)\)=\s*$")
HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<title>.+?)\s*#*\s*$")
ROLE_BEFORE = re.compile(r"\{(?P<role>[A-Za-z][\w:.+-]*)\}$")
LINK_TARGET = re.compile(r"(?P<bang>!?)\[(?P<text>[^\]]*)\]\((?P<target>[^()\s]+)\)")
EXPLICIT = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.S)
SUBSTITUTION = re.compile(r"\{\{\s*[\w.-]+\s*\}\}")
AMSMATH_ENV = re.compile(r"^\s*\\begin\{(equation|align|gather|multline|eqnarray|flalign)\*?\}",
                         re.M)


@dataclass
class Fence:
    fence: str
    info: str
    body: str
    indent: str


def split_blocks(text: str) -> list[str | Fence]:
    """Split Markdown into plain text runs and fenced blocks (code or directives)."""
    lines = text.split("\n")
    out: list[str | Fence] = []
    plain: list[str] = []
    i = 0
    while i < len(lines):
        m = FENCE_OPEN.match(lines[i])
        if m and not (m["fence"][0] == "`" and "`" in m["info"]):
            char, size = m["fence"][0], len(m["fence"])
            close = re.compile(rf"^ {{0,3}}{re.escape(char)}{{{size},}}\s*$")
            j = i + 1
            while j < len(lines) and not close.match(lines[j]):
                j += 1
            if j == len(lines):
                raise ColabError(f"unclosed fence {m['fence']}{m['info']}")
            if plain:
                out.append("\n".join(plain))
                plain = []
            out.append(Fence(m["fence"], m["info"].strip(), "\n".join(lines[i + 1:j]),
                             m["indent"]))
            i = j + 1
            continue
        plain.append(lines[i])
        i += 1
    if plain:
        out.append("\n".join(plain))
    return out


def parse_directive(fence: Fence) -> tuple[str, str, dict[str, str], str] | None:
    """(name, argument, options, body) for a ```{name} fence; None for a code fence."""
    m = DIRECTIVE.match(fence.info)
    if not m:
        if fence.fence.startswith(":"):
            raise ColabError(f"a ::: fence without a directive: {fence.info!r}")
        return None
    lines = fence.body.split("\n")
    options: dict[str, str] = {}
    i = 0
    if lines and lines[0].strip() == "---":
        end = lines.index("---", 1) if "---" in lines[1:] else None
        if end is None:
            raise ColabError(f"{{{m['name']}}}: unclosed --- option block")
        raw = yaml.safe_load("\n".join(lines[1:end])) or {}
        options = {str(k): str(v) for k, v in raw.items()}
        i = end + 1
    else:
        while i < len(lines) and OPTION.match(lines[i]):
            o = OPTION.match(lines[i])
            options[o["key"]] = (o["value"] or "").strip()
            i += 1
    body = "\n".join(lines[i:]).strip("\n")
    return m["name"], m["arg"].strip(), options, body


def code_spans(text: str):
    """Yield (is_code, preceding_role, piece) over ``text``: code spans and what lies between.

    A code span right after ``{role}`` is a MyST role; the role name is given with it (and
    removed from the text before it).
    """
    pos = 0
    pending = ""
    for m in re.finditer(r"`+", text):
        if m.start() < pos:
            continue
        n = len(m.group())
        close = re.compile(rf"(?<!`)`{{{n}}}(?!`)").search(text, m.end())
        if not close:
            continue
        before = pending + text[pos:m.start()]
        role = ROLE_BEFORE.search(before)
        if role:
            before = before[:role.start()]
        yield False, None, before
        content = text[m.end():close.start()]
        if role:
            yield True, role["role"], content
        else:
            yield True, None, text[m.start():close.end()]
        pending = ""
        pos = close.end()
    yield False, None, pending + text[pos:]


class Converter:
    """MyST Markdown of one chapter to Colab's Markdown.

    With ``collect=True`` it only records the chapter's labels (equations, exercises,
    section targets) in ``book``, in document order, which numbers them.
    """

    def __init__(self, book: Book, chapter: str, glue: dict[str, dict] | None = None,
                 collect: bool = False):
        self.book = book
        self.lang = book.lang
        self.words = WORDS[book.lang]
        self.chapter = chapter
        self.glue = glue or {}
        self.collect = collect
        self.equations = 0
        self.exercises = 0
        self.cited: list[str] = []
        self.glue_used: dict[str, str] = {}
        self.pending_target: str | None = None

    # -- blocks ----------------------------------------------------------------------

    def markdown(self, text: str) -> str:
        # (verbatim?, text): runs of prose are joined and their blank lines collapsed (a
        # directive that renders to nothing, such as solution-end, leaves a gap); code
        # blocks and rendered directives are kept as they are.
        parts: list[tuple[bool, str]] = []
        for block in split_blocks(text):
            if isinstance(block, Fence):
                rendered = self.fence(block)
                if rendered:
                    parts.append((True, rendered))
            else:
                rendered = self.plain(block)
                if parts and not parts[-1][0]:
                    parts[-1] = (False, parts[-1][1] + "\n" + rendered)
                else:
                    parts.append((False, rendered))
        return "\n".join(text if verbatim else re.sub(r"\n{3,}", "\n\n", text)
                         for verbatim, text in parts)

    def fence(self, fence: Fence) -> str:
        directive = parse_directive(fence)
        if directive is None:  # an ordinary code block: left as it is
            f = fence
            return f"{f.indent}{f.fence}{f.info}\n{f.body}\n{f.indent}{f.fence}"
        name, arg, options, body = directive
        handler = {
            "exercise": self.d_exercise, "solution": self.d_solution,
            "solution-start": self.d_solution, "solution-end": self.d_end,
            "exercise-start": self.d_exercise, "exercise-end": self.d_end,
            "math": self.d_math, "admonition": self.d_admonition, "dropdown": self.d_admonition,
            "epigraph": self.d_quote, "pull-quote": self.d_quote, "highlights": self.d_quote,
        }.get(name)
        if name in ADMONITIONS:
            handler = self.d_admonition
        if name in CODE_DIRECTIVES:
            handler = self.d_code
        if handler is None:
            raise ColabError(f"directive {{{name}}} is not known to tools/colab_edition.py")
        return handler(name, arg, options, body)

    def _options(self, name: str, options: dict, allowed: set[str]) -> None:
        unknown = set(options) - allowed
        if unknown:
            raise ColabError(f"{{{name}}}: option(s) {sorted(unknown)} not known to "
                             "tools/colab_edition.py")

    def d_exercise(self, name, arg, options, body):
        self._options(name, options, {"label", "class", "nonumber", "hidden"})
        number = None
        if "nonumber" not in options:
            self.exercises += 1
            number = self.book.number(self.chapter, self.exercises)
        label = options.get("label")
        title = self.inline(arg) if arg else ""
        if self.collect:
            if label:
                self._register(label, Target("exercise", self.chapter, number, arg))
        heading = self.words["exercise"] + (f" {number}" if number else "")
        if title:
            heading += f" ({title})"
        out = f"### {heading}"
        if name == "exercise" and body:
            out += "\n\n" + self.markdown(body)
        return out

    def d_solution(self, name, arg, options, body):
        self._options(name, options, {"label", "class", "hidden"})
        if self.collect:
            return ""
        target = self.book.targets.get(arg)
        if target is None or target.kind != "exercise":
            raise ColabError(f"{{{name}}} {arg}: no exercise has that label")
        exercise = self.words["exercise"] + (f" {target.number}" if target.number else "")
        if target.title:
            exercise += f" ({self.inline(target.title)})"
        out = "### " + self.words["solution"].format(exercise=exercise)
        if body:
            out += "\n\n" + self.markdown(body)
        return out

    def d_end(self, name, arg, options, body):
        self._options(name, options, set())
        if body.strip():
            raise ColabError(f"{{{name}}} has a body")
        return ""

    def d_math(self, name, arg, options, body):
        self._options(name, options, {"label", "name", "nowrap", "class"})
        label = options.get("label") or options.get("name")
        return self.display_math(f"{arg}\n{body}".strip(), label)

    def d_admonition(self, name, arg, options, body):
        self._options(name, options, {"class", "name", "open", "color", "icon", "margin",
                                      "chevron", "animate"})
        if name in ("admonition", "dropdown"):
            title = self.inline(arg) if arg else ""
        else:
            title = self.words["admonitions"][name] + (f": {self.inline(arg)}" if arg else "")
        inner = self.markdown(body)
        lines = ([f"**{title}**", ""] if title else []) + inner.split("\n")
        return "\n".join(("> " + ln).rstrip() for ln in lines)

    def d_quote(self, name, arg, options, body):
        self._options(name, options, {"class", "name"})
        inner = self.markdown(f"{arg}\n{body}".strip())
        return "\n".join(("> " + ln).rstrip() for ln in inner.split("\n"))

    def d_code(self, name, arg, options, body):
        self._options(name, options, {"linenos", "lineno-start", "emphasize-lines", "caption",
                                      "name", "class", "dedent", "force"})
        return f"```{arg}\n{body}\n```"

    # -- text runs -------------------------------------------------------------------

    def plain(self, text: str) -> str:
        if AMSMATH_ENV.search(text):
            raise ColabError("a bare amsmath environment (\\begin{equation}...) would be "
                             "numbered by the book; write $$ ... $$ (label) instead")
        kept = []
        for line in text.split("\n"):
            target = TARGET.match(line)
            if target:
                self.pending_target = target["label"]
                continue
            if line.startswith("%") or line.strip() == "+++":
                continue  # MyST comments and block breaks
            heading = HEADING.match(line)
            if heading and self.pending_target:
                if self.collect:
                    self._register(self.pending_target,
                                   Target("section", self.chapter, None, heading["title"]))
                self.pending_target = None
            kept.append(line)
        text = "\n".join(kept)

        def math(m: re.Match) -> str:
            return self.display_math(m["body"], m["label"])

        text = LABELLED_MATH.sub(math, text)
        return self.inline(text)

    def display_math(self, body: str, label: str | None) -> str:
        body = body.strip("\n")
        if "\\label" in body or "\\tag" in body:
            raise ColabError("\\label or \\tag inside math: use $$ ... $$ (label)")
        if not label:
            return f"$$\n{body}\n$$"
        self.equations += 1
        number = self.book.number(self.chapter, self.equations)
        if self.collect:
            self._register(label, Target("eq", self.chapter, number))
        return f"$$\n{body.strip()} \\tag{{{number}}}\n$$"

    def inline(self, text: str) -> str:
        out = []
        for is_code, role, piece in code_spans(text):
            if role:
                out.append(self.role(role, piece))
            elif is_code:
                out.append(piece)
            else:
                if SUBSTITUTION.search(piece):
                    raise ColabError(f"a MyST substitution {SUBSTITUTION.search(piece).group()}")
                out.append(LINK_TARGET.sub(self.link, piece))
        return "".join(out)

    def link(self, m: re.Match) -> str:
        target = m["target"]
        if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
            return m.group()
        path, _, _fragment = target.partition("#")
        resolved = (CHAPTERS / self.lang / path).resolve()
        try:
            rel = resolved.relative_to(CHAPTERS.resolve())
        except ValueError:
            rel = None
        if (rel is not None and len(rel.parts) == 2 and rel.parts[0] in EDITIONS
                and resolved.suffix in (".ipynb", ".md")
                and resolved.with_suffix(".ipynb").exists()):
            if m["bang"]:
                raise ColabError(f"an image of a notebook? {m.group()}")
            return f"[{m['text']}]({colab_url(rel.parts[0], resolved.stem)})"
        raise ColabError(f"link {target!r}: Colab cannot open it (only chapter notebooks and "
                         "absolute URLs are supported)")

    # -- roles -----------------------------------------------------------------------

    def role(self, role: str, content: str) -> str:
        if role in ("glue", "glue:text", "glue:md"):
            return self.r_glue(role, content)
        if role == "eq":
            return self.r_eq(content)
        if role == "numref":
            return self.r_numref(content)
        if role == "ref":
            return self.r_ref(content)
        if role == "doc":
            return self.r_doc(content)
        if role == "math":
            return f"${content}$"
        if role in CITE_ROLES:
            return self.r_cite(role, content)
        raise ColabError(f"role {{{role}}} is not known to tools/colab_edition.py")

    def _target(self, label: str, role: str) -> Target:
        if self.collect:
            return Target("?", self.chapter, "?", "?")
        target = self.book.targets.get(label)
        if target is None:
            raise ColabError(f"{{{role}}}`{label}`: no such label in the {self.lang} edition")
        return target

    def r_glue(self, role: str, content: str) -> str:
        key, fmt = content, ""
        if role == "glue:text" and ":" in content:
            key, fmt = content.rsplit(":", 1)
        if "::" in key:
            raise ColabError(f"{{{role}}}`{content}`: glue from another notebook")
        if self.collect:
            return ""
        if key not in self.glue:
            raise ColabError(f"glued value {key!r} was not computed by the executed notebook")
        data = self.glue[key]
        mime = "text/markdown" if role == "glue:md" else "text/plain"
        if mime not in data or (role != "glue:md" and set(data) - {"text/plain"}):
            raise ColabError(f"glued value {key!r} is not plain text ({sorted(data)})")
        raw = data[mime]
        self.glue_used[key] = data
        if role == "glue:text":
            from myst_nb.core.variables import format_plain_text

            return format_plain_text(raw, fmt)
        return raw

    def r_eq(self, content: str) -> str:
        target = self._target(content, "eq")
        if target.kind not in ("eq", "?"):
            raise ColabError(f"{{eq}}`{content}` is not an equation")
        return f"({target.number})"

    def _explicit(self, content: str) -> tuple[str | None, str]:
        m = EXPLICIT.match(content)
        return (m["text"], m["target"]) if m else (None, content)

    def r_numref(self, content: str) -> str:
        text, label = self._explicit(content)
        target = self._target(label, "numref")
        if self.collect:
            return ""
        if target.kind != "exercise" or target.number is None:
            raise ColabError(f"{{numref}}`{content}`: only numbered exercises are supported")
        if text is None:
            return f"{self.words['exercise']} {target.number}"
        return (text.replace("%s", target.number).replace("{number}", target.number)
                .replace("{name}", target.title))

    def r_ref(self, content: str) -> str:
        text, label = self._explicit(content)
        target = self._target(label, "ref")
        if text is not None:
            return self.inline(text)
        if self.collect:
            return ""
        if target.kind == "exercise":
            return target.title or f"{self.words['exercise']} {target.number}"
        if target.kind == "section":
            return self.inline(target.title)
        raise ColabError(f"{{ref}}`{content}`: use {{eq}} for an equation")

    def r_doc(self, content: str) -> str:
        text, path = self._explicit(content)
        resolved = (CHAPTERS / self.lang / path).resolve().with_suffix(".ipynb")
        if not resolved.exists() or resolved.parent.parent != CHAPTERS.resolve():
            raise ColabError(f"{{doc}}`{content}`: not a chapter notebook")
        lang, stem = resolved.parent.name, resolved.stem
        if self.collect:
            return ""
        title = text if text is not None else self.book.titles.get(stem, stem)
        return f"[{self.inline(title)}]({colab_url(lang, stem)})"

    def r_cite(self, role: str, content: str) -> str:
        keys = [k.strip() for k in content.split(",") if k.strip()]
        if self.collect:
            return ""
        for key in keys:
            _entry(key)
            if key not in self.cited:
                self.cited.append(key)
        full = role in ("cite:ps", "cite:ts", "cite:authors")
        kind = role.removesuffix("s") if role in ("cite:ps", "cite:ts", "cite:authors") else role
        authors = [_authors(k, full, self.lang) for k in keys]
        years = [_year(k) for k in keys]
        if kind in ("cite", "cite:p", "cite:cp"):
            return "(" + "; ".join(f"{a}, {y}" for a, y in zip(authors, years, strict=True)) + ")"
        if kind in ("cite:t", "cite:ct"):
            return ", ".join(f"{a} ({y})" for a, y in zip(authors, years, strict=True))
        if kind == "cite:year":
            return ", ".join(years)
        if kind == "cite:yearpar":
            return "(" + ", ".join(years) + ")"
        if kind == "cite:author":
            return ", ".join(authors)
        if kind == "cite:alp":
            return "; ".join(f"{a}, {y}" for a, y in zip(authors, years, strict=True))
        raise ColabError(f"role {{{role}}} is not known to tools/colab_edition.py")

    def _register(self, label: str, target: Target) -> None:
        if label in self.book.targets:
            raise ColabError(f"label {label!r} is defined twice in the {self.lang} edition")
        self.book.targets[label] = target


# --------------------------------------------------------------------------------------
# Notebooks
# --------------------------------------------------------------------------------------

def tidy(markdown: str) -> str:
    """No run of blank lines outside code blocks (removed directives leave gaps)."""
    out = []
    for block in split_blocks(markdown.strip("\n")):
        if isinstance(block, Fence):
            out.append(f"{block.indent}{block.fence}{block.info}\n{block.body}\n"
                       f"{block.indent}{block.fence}")
        else:
            out.append(re.sub(r"\n{3,}", "\n\n", block))
    return "\n".join(out)


def glue_values(executed: dict) -> dict[str, dict]:
    """name -> {mime: data} for every value the executed notebook glued."""
    values = {}
    for cell in executed["cells"]:
        for output in cell.get("outputs", []):
            scrap = output.get("metadata", {}).get("scrapbook")
            if not scrap:
                continue
            prefix = scrap.get("mime_prefix", "")
            values[scrap["name"]] = {k.removeprefix(prefix): v for k, v in output["data"].items()
                                     if k.startswith(prefix)}
    return values


def _source(cell) -> str:
    src = cell["source"]
    return "".join(src) if isinstance(src, list) else src


def load_book(lang: str) -> Book:
    """Every label of one edition, numbered as the book numbers them."""
    book = Book(lang, dict(toc_chapters(lang)))
    for path in chapter_notebooks(lang):
        nb = json.loads(path.read_text(encoding="utf-8"))
        conv = Converter(book, path.stem, collect=True)
        for i, cell in enumerate(nb["cells"]):
            if cell["cell_type"] != "markdown":
                continue
            src = _source(cell)
            if path.stem not in book.titles:
                h1 = re.search(r"^#\s+(.+)$", src, re.M)
                if h1:
                    book.titles[path.stem] = h1.group(1).strip()
            try:
                conv.markdown(src)
            except ColabError as exc:
                raise ColabError(f"{path.relative_to(ROOT)}, cell {i}: {exc}") from None
    return book


def _form_title(cell_source: str, fallback: str) -> str:
    first = cell_source.split("\n", 1)[0]
    if first.startswith("#") and not first.startswith("#@"):
        return first.lstrip("#").strip() or fallback
    return fallback


def is_bootstrap(cell) -> bool:
    src = _source(cell)
    tags = cell.get("metadata", {}).get("tags", [])
    return (cell["cell_type"] == "code" and "remove-cell" in tags
            and "import lstm_lib" in src and "lstm_lib.setup(" in src)


def convert(path: Path, glue: dict[str, dict], book: Book) -> dict:
    """The Colab edition of the chapter notebook at ``path`` (a dict in nbformat 4)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    lang, stem = path.parent.name, path.stem
    conv = Converter(book, stem, glue=glue)
    where = path.relative_to(ROOT)
    cells = []
    bootstrap = None
    for i, cell in enumerate(nb["cells"]):
        try:
            src = _source(cell)
            meta = cell.get("metadata", {})
            tags = meta.get("tags", [])
            unknown = set(tags) - KNOWN_TAGS
            if unknown:
                raise ColabError(f"cell tag(s) {sorted(unknown)} not known to "
                                 "tools/colab_edition.py")
            new = {"cell_type": cell["cell_type"], "metadata": {},
                   "id": cell.get("id") or f"cell-{i}"}
            if cell["cell_type"] == "markdown":
                if i == 0:
                    number = book.numbers.get(stem)
                    if number is not None:
                        src = re.sub(r"^#\s+", f"# {number}. ", src, count=1)
                text = tidy(conv.markdown(src))
                if not text.strip():
                    continue
                new["source"] = text
            elif cell["cell_type"] == "code":
                new.update(execution_count=None, outputs=[], source=src)
                if is_bootstrap(cell) and bootstrap is None:
                    if any(c["cell_type"] == "code" for c in nb["cells"][:i]):
                        raise ColabError("the bootstrap cell must be the first code cell")
                    bootstrap = new
                    continue
                if {"hide-input", "remove-input"} & set(tags):
                    alt = meta.get("mystnb", {}).get("image", {}).get("alt", "")
                    title = _form_title(src, alt or WORDS[lang]["hidden_code"])
                    new["source"] = f"#@title {title}\n{src}"
                    new["metadata"]["cellView"] = "form"
            else:
                raise ColabError(f"a {cell['cell_type']} cell")
        except ColabError as exc:
            raise ColabError(f"{where}, cell {i}: {exc}") from None
        cells.append(new)
    if bootstrap is None:
        raise ColabError(f"{where}: no bootstrap cell (a remove-cell code cell that imports "
                         "lstm_lib and calls lstm_lib.setup) before the other code")
    cells.insert(0, bootstrap)
    if conv.cited:
        bullets = format_references(conv.cited)
        cells.append({"cell_type": "markdown", "metadata": {}, "id": "works-cited",
                      "source": f"## {WORDS[lang]['works_cited']}\n\n" + "\n".join(bullets)})
    metadata = {
        "colab": {"name": f"{stem}.ipynb", "provenance": [], "toc_visible": True},
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "lstm_book": {
            "generator": "tools/colab_edition.py",
            "chapter": f"chapters/{lang}/{stem}.ipynb",
            "chapter_sha256": sha256(path),
            "glue": {k: conv.glue_used[k] for k in sorted(conv.glue_used)},
        },
    }
    out = {"cells": cells, "metadata": metadata, "nbformat": 4,
           "nbformat_minor": max(nb.get("nbformat_minor", 5), 5)}
    nbformat.validate(nbformat.from_dict(copy.deepcopy(out)))
    return out


def dumps(nb: dict) -> str:
    return json.dumps(nb, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def executed_glue(path: Path) -> dict[str, dict]:
    """The glued values of the executed copy of the chapter at ``path``, checked to be a copy
    of the chapter as it is now."""
    lang, stem = path.parent.name, path.stem
    executed = EXECUTED / "chapters" / lang / f"{stem}.ipynb"
    if not executed.exists():
        raise ColabError(f"{executed} is missing: build the book first "
                         f"(`make book`, or tools/build_book.py --only {stem})")
    run = json.loads(executed.read_text(encoding="utf-8"))
    src = json.loads(path.read_text(encoding="utf-8"))
    if [_source(c) for c in run["cells"]] != [_source(c) for c in src["cells"]]:
        raise ColabError(f"{executed} was executed from an older {path.relative_to(ROOT)}: "
                         f"build the book again (tools/build_book.py --only {stem})")
    return glue_values(run)


def stored_glue(colab_nb: dict) -> dict[str, dict]:
    return colab_nb["metadata"]["lstm_book"]["glue"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", metavar="NN_name",
                        help="regenerate only these chapters (both editions)")
    args = parser.parse_args()
    failures = []
    written = 0
    for lang in EDITIONS:
        try:
            book = load_book(lang)
        except ColabError as exc:
            failures.append(str(exc))
            continue
        (COLAB / lang).mkdir(parents=True, exist_ok=True)
        stems = {p.stem for p in chapter_notebooks(lang)}
        for stale in sorted((COLAB / lang).glob("*.ipynb")):
            if stale.stem not in stems:
                stale.unlink()
                print(f"removed {stale.relative_to(ROOT)} (no such chapter)")
        for path in chapter_notebooks(lang):
            if args.only and path.stem not in args.only:
                continue
            try:
                nb = convert(path, executed_glue(path), book)
            except ColabError as exc:
                failures.append(str(exc))
                continue
            out = COLAB / lang / path.name
            out.write_text(dumps(nb), encoding="utf-8")
            written += 1
            print(f"wrote {out.relative_to(ROOT)}")
    for failure in failures:
        print(f"error: {failure}", file=sys.stderr)
    print(f"{written} Colab notebooks written, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
