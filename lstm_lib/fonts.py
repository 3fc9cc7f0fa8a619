"""A Korean-capable font for matplotlib (chapter 00: "Korean figures").

The font, NanumGothic, arrives through pip with the ``koreanize-matplotlib`` package, so
it is there wherever ``lstm_lib`` is installed: locally, in CI and in Colab. We only take
the font files from that package and register them; we do not import the package, which
would change matplotlib's settings as a side effect.

NanumGothic has no minus sign (U+2212), which matplotlib uses for negative tick labels and
inside math text (log-scale ticks such as 10^-3), and math text has no per-glyph fallback.
So we register a copy of each NanumGothic face whose character map also sends U+2212 to
its own hyphen-minus glyph, written once into matplotlib's cache folder with fontTools
(a dependency of matplotlib).
"""

from __future__ import annotations

import importlib.util
import os
import tempfile
from pathlib import Path

FONT_FAMILY = "NanumGothic"
_registered: dict[str, str] = {}


def korean_font_path() -> Path:
    """Return the path of the bundled NanumGothic ``.ttf`` file."""
    spec = importlib.util.find_spec("koreanize_matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(
            "koreanize-matplotlib is not installed; `pip install koreanize-matplotlib` "
            "provides the Korean font that lstm_lib's figures use."
        )
    folder = Path(next(iter(spec.submodule_search_locations)))
    candidates = sorted(folder.rglob("NanumGothic.ttf")) or sorted(folder.rglob("*.ttf"))
    if not candidates:
        raise FileNotFoundError(f"no .ttf font found under {folder}")
    return candidates[0]


def _with_minus_sign(path: Path) -> Path:
    """A copy of the font at ``path`` that maps U+2212 (minus) to its hyphen glyph."""
    import matplotlib as mpl
    from fontTools.ttLib import TTFont

    target = Path(mpl.get_cachedir()) / "lstm_lib_fonts" / path.name
    if target.exists():
        return target
    font = TTFont(str(path))
    for table in font["cmap"].tables:
        if table.isUnicode() and 0x2D in table.cmap and 0x2212 not in table.cmap:
            table.cmap[0x2212] = table.cmap[0x2D]
    target.parent.mkdir(parents=True, exist_ok=True)
    # A temporary name of this process's own, then an atomic rename: kernels started at
    # the same moment on a fresh machine neither see half a file nor take each other's.
    handle, partial = tempfile.mkstemp(suffix=".tmp", dir=target.parent)
    os.close(handle)
    font.save(partial)
    os.replace(partial, target)
    return target


def use_korean_font() -> str:
    """Register NanumGothic (all its weights) with matplotlib and make it the default.

    Returns the family name. Safe to call many times. DejaVu Sans stays second in the
    font list, so a symbol NanumGothic lacks in plain text (⊙, Greek) is taken from it.
    """
    import matplotlib as mpl
    from matplotlib import font_manager

    if "family" not in _registered:
        path = korean_font_path()
        # Every weight (Light 300 to ExtraBold 700), so fontweight="bold" finds a face.
        for face in sorted(path.parent.glob("NanumGothic*.ttf")):
            font_manager.fontManager.addfont(str(_with_minus_sign(face)))
        _registered["family"] = font_manager.FontProperties(fname=str(path)).get_name()
    family = _registered["family"]
    mpl.rcParams["font.family"] = [family, "DejaVu Sans"]
    mpl.rcParams["axes.unicode_minus"] = True
    return family
