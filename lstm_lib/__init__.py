"""lstm_lib: the code behind *LSTM from the Ground Up / 처음부터 배우는 LSTM*.

Every chapter notebook imports this package. Its modules are flat and small, and each
public function names the chapter that teaches it:

- ``lstm_lib.functional``: stable sigmoid and tanh and their derivatives (chapters 01, 05)
- ``lstm_lib.rnn``, ``lstm_lib.lstm``, ``lstm_lib.gru``: NumPy cells, forward and backward
  (chapters 01, 04-10, 13)
- ``lstm_lib.models``: PyTorch modules for the training chapters (09, 11-14)
- ``lstm_lib.data``: long-dependency tasks (03, 11) and time series: windows, splits,
  a training-only scaler, bundled real series (chapter 12)
- ``lstm_lib.baselines``: forecasters (naive, seasonal naive, linear AR, SARIMA, LSTM/GRU)
  and MAE/MASE on rolling origins (chapters 12, 14)
- ``lstm_lib.exercises``: ``check``, ``hint``, ``solution``, ``list_exercises``
- ``lstm_lib.viz`` and ``lstm_lib.widgets``: cell diagrams, plots and live explorers
- ``lstm_lib.fonts``: a Korean-capable font for matplotlib figures (chapter 00)
"""

from __future__ import annotations

import random

__version__ = "0.1.0"

LANGUAGES = ("ko", "en")
_state = {"lang": "ko"}


def get_lang() -> str:
    """Return the edition language set by :func:`setup` ("ko" or "en")."""
    return _state["lang"]


def setup(lang: str = "ko", seed: int | None = 0) -> None:
    """Prepare a chapter notebook (chapter 00 explains the setup cell).

    Sets the language used by figures and by ``check(...)`` feedback, registers a
    Korean-capable font with matplotlib, and seeds Python, NumPy and PyTorch.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {LANGUAGES}, got {lang!r}")
    _state["lang"] = lang
    from .fonts import use_korean_font

    use_korean_font()
    _show_figures_inline()
    if seed is not None:
        seed_everything(seed)


def _show_figures_inline() -> None:
    """In a Jupyter kernel, make a returned Figure display as an image (``%matplotlib inline``).

    Colab does this on its own; a plain kernel, or one started with MPLBACKEND=Agg, shows
    ``<Figure size ...>`` text instead until the inline backend is switched on.
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None and type(shell).__name__ == "ZMQInteractiveShell":
        shell.run_line_magic("matplotlib", "inline")


def seed_everything(seed: int) -> None:
    """Seed Python's ``random``, NumPy's legacy global generator and PyTorch."""
    import numpy as np

    random.seed(seed)
    np.random.seed(seed)
    try:
        import torch
    except ImportError:  # pragma: no cover - torch is a dependency, but stay usable without it
        return
    torch.manual_seed(seed)


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def sci(value: float, digits: int = 2) -> str:
    """``value`` in scientific notation for prose: ``sci(2.7e-05)`` is ``"2.7 × 10⁻⁵"``.

    ``digits`` is the number of significant digits. Prose never shows Python's ``2.7e-05``
    (chapter 00: "numbers in the text"); glue the string this returns instead::

        lstm_lib.glue("shrink", lstm_lib.sci(ratio))   # in the text: {glue:text}`shrink`
    """
    import math

    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"cannot write {value} in scientific notation")
    if isinstance(digits, bool) or not isinstance(digits, int) or digits < 1:
        raise ValueError(f"digits must be a positive integer, got {digits!r}")
    if value == 0:
        return "0"
    mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
    return f"{mantissa} × 10{str(int(exponent)).translate(_SUPERSCRIPT)}"


def glue(name: str, value, display: bool = False):
    """Store ``value`` under ``name`` for the book's text (MyST-NB's ``glue``).

    In the rendered book, ``{glue:text}`name``` in the prose shows the value this cell
    computed, so no number in the text is typed by hand. A string (such as what
    :func:`sci` returns, or ``f"{n:,}"``) is shown exactly as it is: MyST-NB reads the
    stored ``repr`` back with ``ast.literal_eval``, which gives back the string. Outside
    Jupyter Book (Colab, a plain Jupyter) MyST-NB may be missing; then nothing happens.

    Returns None, so a cell that ends with a ``glue`` call shows no stray value.
    """
    try:
        from myst_nb import glue as _glue
    except ImportError:
        return None
    _glue(name, value, display=display)
    return None
