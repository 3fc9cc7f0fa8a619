"""Explorers for live kernels, each with a static twin for the rendered book (chapters 05, 07).

An *explorer* is a few sliders wired to a drawing function; it needs a live kernel
(Colab, Jupyter). Its *static twin* draws the same function for a few preset settings in
one figure, for the rendered book, where a slider could not move. A chapter shows both:
the explorer cell is tagged ``remove-cell`` in the book (dead sliders confuse readers),
the twin cell is shown.

Any chapter can make its own pair from one drawing function::

    def draw(fig, lang="ko", w=1.0):          # draws on fig (a Figure or a SubFigure)
        ax = fig.add_subplot()
        ...

    explorer(draw, {"w": (-3.0, 3.0, 0.1, 1.0)})            # live: slider -> picture
    static_twin(draw, [{"w": -2.0}, {"w": 0.0}, {"w": 2.0}])  # book: three pictures

A control is ``(min, max, step, value)`` (an integer slider when all four are integers)
or any ipywidgets widget with a ``value``. Pictures are rendered to PNG and shown in an
``ipywidgets.Image``, so nothing depends on the notebook's matplotlib backend.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FormatStrFormatter, MaxNLocator, MultipleLocator

from .fonts import use_korean_font
from .viz import COLORS, FIGSIZE, new_figure

# ----------------------------------------------------------------------------------------
# The generic pair: explorer and static twin
# ----------------------------------------------------------------------------------------


def _lang(lang: str | None) -> str:
    if lang is None:
        from . import get_lang

        lang = get_lang()
    if lang not in ("ko", "en"):
        raise ValueError(f"lang must be 'ko' or 'en', got {lang!r}")
    return lang


def _text(label, lang: str) -> str:
    """A label given as a plain string or as ``{"ko": ..., "en": ...}``."""
    return label[lang] if isinstance(label, dict) else str(label)


def render_png(draw: Callable, values: dict, lang: str | None = None,
               figsize=FIGSIZE) -> bytes:
    """Draw ``draw(fig, lang=lang, **values)`` on a new figure and return it as PNG bytes."""
    lang = _lang(lang)
    use_korean_font()
    fig = Figure(figsize=figsize, dpi=100, layout="constrained")
    draw(fig, lang=lang, **values)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def _slider(name: str, spec, label: str):
    import ipywidgets as widgets

    if isinstance(spec, widgets.ValueWidget):
        return spec
    low, high, step, value = spec
    kind = widgets.IntSlider if all(isinstance(v, int) for v in spec) else widgets.FloatSlider
    return kind(min=low, max=high, step=step, value=value, description=label,
                continuous_update=False, style={"description_width": "initial"},
                layout=widgets.Layout(width="380px"))


def explorer(draw: Callable, controls: dict, labels: dict | None = None,
             lang: str | None = None, figsize=FIGSIZE):
    """Sliders wired to ``draw(fig, lang=..., **values)`` (used by chapters 05 and 07).

    ``controls`` maps each keyword of ``draw`` to ``(min, max, step, value)`` or to an
    ipywidgets widget; ``labels`` maps it to a slider label (a string or ``{"ko", "en"}``).
    Returns an ``ipywidgets.VBox``: the sliders above the picture, redrawn on every change.
    """
    import ipywidgets as widgets

    lang = _lang(lang)
    labels = labels or {}
    sliders = {name: _slider(name, spec, _text(labels.get(name, name), lang))
               for name, spec in controls.items()}
    image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))

    def redraw(change=None):
        values = {name: slider.value for name, slider in sliders.items()}
        image.value = render_png(draw, values, lang, figsize)

    for slider in sliders.values():
        slider.observe(redraw, names="value")
    redraw()
    rows = list(sliders.values())
    half = (len(rows) + 1) // 2
    controls_box = widgets.HBox([widgets.VBox(rows[:half]), widgets.VBox(rows[half:])])
    return widgets.VBox([controls_box, image])


def static_twin(draw: Callable, presets: list[dict], titles: list | None = None,
                lang: str | None = None, ncols: int = 1, panel_size=(8.0, 2.7)) -> Figure:
    """The same ``draw`` for a few preset settings, in one figure (chapters 05 and 07).

    Each preset is a dict of keyword values for ``draw``; ``titles`` (optional) gives each
    panel a title, as a string or ``{"ko", "en"}``. Returns a ``Figure``.
    """
    lang = _lang(lang)
    use_korean_font()
    nrows = -(-len(presets) // ncols)
    fig = new_figure((panel_size[0] * ncols, panel_size[1] * nrows), layout="constrained")
    panels = np.atleast_1d(fig.subfigures(nrows, ncols)).ravel()
    for k, (panel, values) in enumerate(zip(panels, presets, strict=False)):
        draw(panel, lang=lang, **values)
        if titles is not None:
            panel.suptitle(_text(titles[k], lang), fontsize=12)
    return fig


# ----------------------------------------------------------------------------------------
# Chapter 05: the gate explorer
# ----------------------------------------------------------------------------------------

_GATE_TEXT = {
    "ko": {"curve": "게이트: f = σ(a), a = w·x + b", "through": "통과하는 양",
           "a": "사전 활성화 a", "w": "가중치 w", "b": "편향 b", "x": "입력 x",
           "c_prev": "셀 값 C(t-1)"},
    "en": {"curve": "gate: f = σ(a), a = w·x + b", "through": "what gets through",
           "a": "pre-activation a", "w": "weight w", "b": "bias b", "x": "input x",
           "c_prev": "cell value C(t-1)"},
}


def draw_gate(fig, lang: str | None = None, w: float = 1.0, b: float = 0.0, x: float = 1.0,
              c_prev: float = 1.0) -> None:
    """Draw a sigmoid gate and what it lets through (chapter 05).

    Left: ``f = σ(a)`` over the pre-activation ``a``, with the current ``a = w·x + b``
    marked (the book writes ``a`` for a pre-activation and ``z`` for ``[h_{t-1}, x_t]``).
    Right: the stored value ``C_{t-1}``, the gate ``f`` and what passes, ``f·C_{t-1}``.
    ``fig`` is a Figure or a SubFigure.
    """
    lang = _lang(lang)
    use_korean_font()
    text = _GATE_TEXT[lang]
    a = w * x + b
    f = 1.0 / (1.0 + np.exp(-a))
    left, right = fig.subplots(1, 2, width_ratios=[1.6, 1.0])
    grid = np.linspace(-8, 8, 321)
    left.plot(grid, 1.0 / (1.0 + np.exp(-grid)), color=COLORS["forget"], lw=2.2)
    left.axhline(0.5, color="#999999", lw=0.8, ls=":")
    left.plot([a, a], [0, f], color="#777777", lw=1, ls="--")
    left.plot([-8, a], [f, f], color="#777777", lw=1, ls="--")
    left.plot([a], [f], "o", color=COLORS["forget"], ms=9)
    left.text(0.03, 0.95, f"a = {a:.2f}\nf = σ(a) = {f:.2f}", transform=left.transAxes,
              va="top", fontsize=11)
    left.set_xlim(-8, 8)
    left.set_ylim(-0.03, 1.03)
    left.set_xlabel(text["a"], fontsize=11)
    left.set_title(text["curve"], fontsize=12)
    left.grid(alpha=0.3)
    names = [r"$C_{t-1}$", r"$f_t$", r"$f_t\,C_{t-1}$"]
    heights = [c_prev, f, f * c_prev]
    colors = [COLORS["cell_state"], COLORS["forget"], COLORS["update"]]
    bars = right.bar(names, heights, color=colors, width=0.6)
    for bar, height in zip(bars, heights, strict=True):
        right.annotate(f"{height:.2f}", (bar.get_x() + bar.get_width() / 2, height),
                       xytext=(0, 3 if height >= 0 else -3), textcoords="offset points",
                       ha="center", va="bottom" if height >= 0 else "top", fontsize=10.5)
    right.axhline(0, color="#555555", lw=0.8)
    right.set_ylim(-2.4, 2.4)
    right.set_title(text["through"], fontsize=12)
    right.tick_params(axis="x", labelsize=12)
    right.grid(axis="y", alpha=0.3)


GATE_CONTROLS = {"w": (-4.0, 4.0, 0.1, 1.0), "b": (-6.0, 6.0, 0.1, 0.0),
                 "x": (-4.0, 4.0, 0.1, 1.0), "c_prev": (-2.0, 2.0, 0.1, 1.0)}
GATE_PRESETS = [
    {"w": 1.0, "b": -4.0, "x": 1.0, "c_prev": 1.5},
    {"w": 1.0, "b": 0.0, "x": 0.0, "c_prev": 1.5},
    {"w": 1.0, "b": 4.0, "x": 1.0, "c_prev": 1.5},
]
GATE_TITLES = [
    {"ko": "닫힌 게이트 (a = −3): 거의 다 지움", "en": "Closed gate (a = −3): almost all erased"},
    {"ko": "반쯤 열린 게이트 (a = 0): 절반만 남김", "en": "Half-open gate (a = 0): half is kept"},
    {"ko": "열린 게이트 (a = 5): 거의 다 남김", "en": "Open gate (a = 5): almost all kept"},
]


def gate_explorer(lang: str | None = None):
    """Live explorer for chapter 05: move w, b, x and C_{t-1}; see the gate and what passes."""
    lang = _lang(lang)
    labels = {name: {la: _GATE_TEXT[la][name] for la in ("ko", "en")} for name in GATE_CONTROLS}
    return explorer(draw_gate, GATE_CONTROLS, labels=labels, lang=lang, figsize=(8.0, 3.2))


def gate_static(lang: str | None = None) -> Figure:
    """Static twin of :func:`gate_explorer` for the book (chapter 05): three preset gates."""
    return static_twin(draw_gate, GATE_PRESETS, titles=GATE_TITLES, lang=lang)


# ----------------------------------------------------------------------------------------
# Chapter 07: the cell-state explorer
# ----------------------------------------------------------------------------------------

_CELL_TEXT = {
    "ko": {"gates": "게이트 값", "states": "셀 상태와 은닉 상태", "step": "걸음 t",
           "f": "망각 f", "i": "입력 i", "g": "후보 값 g", "o": "출력 o",
           "write": "쓰는 걸음 (i가 열림)", "erase_at": "지우는 걸음 (0 = 없음)"},
    "en": {"gates": "gate values", "states": "cell state and hidden state", "step": "step t",
           "f": "forget f", "i": "input i", "g": "candidate g", "o": "output o",
           "write": "writing steps (i open)", "erase_at": "erase at step (0 = never)"},
}


def cell_state_trace(f_seq, i_seq, g_seq, o_seq, c0: float = 0.0):
    """Run ``C_t = f_t C_{t-1} + i_t g_t`` and ``h_t = o_t tanh(C_t)`` (chapter 07).

    The inputs are arrays over time, ``t = 1, ..., T``; returns ``(C, h)`` of length
    ``T + 1``, starting with ``C_0 = c0`` and ``h_0 = 0``.
    """
    T = len(f_seq)
    C, h = np.zeros(T + 1), np.zeros(T + 1)
    C[0] = c0
    for t in range(1, T + 1):
        C[t] = f_seq[t - 1] * C[t - 1] + i_seq[t - 1] * g_seq[t - 1]
        h[t] = o_seq[t - 1] * np.tanh(C[t])
    return C, h


def gate_schedule(T: int = 20, f: float = 0.9, i: float = 1.0, g: float = 0.8,
                  o: float = 1.0, write=(3, 3), erase_at: int = 0):
    """Gate values over ``t = 1, ..., T`` (chapter 07): ``i`` open only during ``write``
    (first and last step, inclusive), ``f`` dropped to 0 at step ``erase_at`` (0: never).
    Returns ``(f_seq, i_seq, g_seq, o_seq)``."""
    t = np.arange(1, T + 1)
    f_seq = np.where(t == erase_at, 0.0, f)
    i_seq = np.where((t >= write[0]) & (t <= write[1]), i, 0.0)
    return f_seq, i_seq, np.full(T, float(g)), np.full(T, float(o))


def draw_cell_state(fig, lang: str | None = None, f: float = 0.9, i: float = 1.0,
                    g: float = 0.8, o: float = 1.0, write=(3, 3), erase_at: int = 0,
                    T: int = 20) -> None:
    """Draw gate values over time and the cell state and hidden state they produce
    (chapter 07). ``fig`` is a Figure or a SubFigure."""
    lang = _lang(lang)
    use_korean_font()
    text = _CELL_TEXT[lang]
    f_seq, i_seq, g_seq, o_seq = gate_schedule(T, f, i, g, o, tuple(write), erase_at)
    C, h = cell_state_trace(f_seq, i_seq, g_seq, o_seq)
    # Both panels share one time axis, t = 0 ... T, with the same ticks, so that a step
    # lines up across the panels and down the rows of the static twin.
    left, right = fig.subplots(1, 2, sharex=True)
    t = np.arange(1, T + 1)
    for seq, name, color, style, width in [(f_seq, "f", COLORS["forget"], "-", 3.6),
                                           (i_seq, "i", COLORS["input"], "-", 2.2),
                                           (o_seq, "o", COLORS["output"], "--", 2.0)]:
        left.step(t, seq, where="mid", color=color, lw=width, ls=style, label=text[name])
    left.set_ylim(-0.08, 1.5)
    left.set_yticks([0, 0.25, 0.5, 0.75, 1.0])
    left.set_xlim(-0.5, T + 0.5)
    left.xaxis.set_major_locator(MultipleLocator(2 if T <= 24 else 5))
    left.tick_params(labelbottom=True)
    left.set_title(text["gates"], fontsize=12)
    left.set_xlabel(text["step"], fontsize=11)
    left.legend(fontsize=9.5, loc="upper center", ncol=3, framealpha=0.9, handlelength=1.6,
                columnspacing=1.0)
    left.grid(alpha=0.3)
    steps = np.arange(T + 1)
    right.plot(steps, C, "o-", color=COLORS["cell_state"], lw=2, ms=3.5, label=r"$C_t$")
    right.plot(steps[1:], h[1:], "s-", color=COLORS["hidden"], lw=2, ms=3.5, label=r"$h_t$")
    right.axhline(0, color="#555555", lw=0.8)
    for level in (-1, 1):
        right.axhline(level, color="#999999", lw=0.8, ls=":")
    low, high = min(C.min(), h.min(), -1.1), max(C.max(), h.max(), 1.1)
    right.set_ylim(low - 0.08 * (high - low), high + 0.35 * (high - low))
    right.yaxis.set_major_locator(MaxNLocator(5))
    right.yaxis.set_major_formatter(FormatStrFormatter("%.1f"))
    right.set_title(text["states"], fontsize=12)
    right.set_xlabel(text["step"], fontsize=11)
    right.legend(fontsize=11, loc="upper center", ncol=2, framealpha=0.9)
    right.grid(alpha=0.3)


CELL_CONTROLS = {"f": (0.0, 1.0, 0.01, 0.9), "i": (0.0, 1.0, 0.01, 1.0),
                 "g": (-1.0, 1.0, 0.05, 0.8), "o": (0.0, 1.0, 0.01, 1.0),
                 "erase_at": (0, 20, 1, 0)}
CELL_PRESETS = [
    {"f": 1.0, "i": 1.0, "g": 0.8, "o": 1.0, "write": (3, 3), "erase_at": 0},
    {"f": 0.8, "i": 1.0, "g": 0.8, "o": 1.0, "write": (3, 3), "erase_at": 0},
    {"f": 0.9, "i": 1.0, "g": 0.8, "o": 0.6, "write": (2, 20), "erase_at": 14},
]
CELL_TITLES = [
    {"ko": "3번째 걸음에 한 번 쓰고 f = 1: 그대로 기억", "en": "Write once at step 3, f = 1: kept"},
    {"ko": "3번째 걸음에 한 번 쓰고 f = 0.8: 점점 잊음",
     "en": "Write once at step 3, f = 0.8: fades"},
    {"ko": "계속 쓰다가 14번째 걸음에서 f = 0: 지우고 새로 씀. C는 1을 넘어도 h는 못 넘음",
     "en": "Keep writing, f = 0 at step 14 (wipe, then rewrite): C passes 1, h does not"},
]


def cell_state_explorer(lang: str | None = None):
    """Live explorer for chapter 07: set f, i, g, o and when to write and erase; see C_t
    and h_t evolve."""
    import ipywidgets as widgets

    lang = _lang(lang)
    text = _CELL_TEXT[lang]
    controls = dict(CELL_CONTROLS)
    controls["write"] = widgets.IntRangeSlider(
        min=1, max=20, step=1, value=(3, 3), description=text["write"],
        continuous_update=False, style={"description_width": "initial"},
        layout=widgets.Layout(width="380px"))
    labels = {name: text[name] for name in CELL_CONTROLS}
    return explorer(draw_cell_state, controls, labels=labels, lang=lang, figsize=(8.0, 3.2))


def cell_state_static(lang: str | None = None) -> Figure:
    """Static twin of :func:`cell_state_explorer` for the book (chapter 07)."""
    return static_twin(draw_cell_state, CELL_PRESETS, titles=CELL_TITLES, lang=lang)
