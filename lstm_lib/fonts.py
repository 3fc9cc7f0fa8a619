"""A Korean-capable font for matplotlib (chapter 00: "Korean figures").

The font, NanumGothic, arrives through pip with the ``koreanize-matplotlib`` package, so
it is there wherever ``lstm_lib`` is installed: locally, in CI and in Colab. We only take
the font file from that package and register it; we do not import the package, which
would change matplotlib's settings as a side effect.
"""

from __future__ import annotations

import importlib.util
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


def use_korean_font() -> str:
    """Register NanumGothic with matplotlib and use it for every character DejaVu lacks.

    Returns the family name. Safe to call many times. The font list is
    ``["DejaVu Sans", "NanumGothic"]``: matplotlib takes each glyph from the first font
    that has it, so Latin letters, digits, the minus sign (U+2212, which NanumGothic lacks
    and log-scale tick labels use) and ⊙ come from DejaVu Sans, and Hangul from NanumGothic,
    in regular and bold, with no missing-glyph warning in either edition.
    """
    import matplotlib as mpl
    from matplotlib import font_manager

    if "family" not in _registered:
        path = korean_font_path()
        for face in sorted(path.parent.glob("NanumGothic*.ttf")):  # regular and bold
            font_manager.fontManager.addfont(str(face))
        _registered["family"] = font_manager.FontProperties(fname=str(path)).get_name()
    family = _registered["family"]
    mpl.rcParams["font.family"] = ["DejaVu Sans", family]
    mpl.rcParams["axes.unicode_minus"] = True
    return family
