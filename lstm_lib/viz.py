"""Cell diagrams drawn in code (chapters 01, 04-09 and 13).

``draw_lstm_cell(highlight="forget")`` draws the LSTM cell with the forget gate lit and
everything else dimmed; ``draw_rnn_cell`` and ``draw_gru_cell`` draw the other two cells
in the same style. Every function takes ``lang`` ("ko" or "en"; ``None`` means the
edition's language, ``lstm_lib.get_lang()``), registers the Korean font, and returns a
matplotlib ``Figure``. Without ``ax`` the figure comes from :func:`new_figure`: a
notebook shows it once, as the cell's value (end the line with ``;`` to hide it), and it
never piles up in pyplot's list of open figures.

Part names (``highlight`` takes one name or several; ``None`` draws every part in colour):

- LSTM: ``"cell_state"``, ``"forget"``, ``"input"``, ``"candidate"``, ``"update"``,
  ``"output"``, ``"hidden"``, ``"inputs"``; ``"gates"`` means forget, input and output.
- RNN: ``"inputs"``, ``"tanh"``, ``"hidden"``.
- GRU: ``"reset"``, ``"update"``, ``"candidate"``, ``"hidden"``, ``"inputs"``; ``"gates"``
  means reset and update.

The GRU diagram follows ``lstm_lib.gru`` and PyTorch: ``h_t = (1 - z_t) ⊙ n_t +
z_t ⊙ h_{t-1}``, with the reset gate applied after ``W_nh`` (``form="after"``, the
default); ``form="before"`` draws Cho et al.'s published form (and d2l's), which chapter 13
compares with it.
"""

from __future__ import annotations

from collections.abc import Iterable

import matplotlib.patches as mpatches
from matplotlib.figure import Figure

from .fonts import use_korean_font

#: Book size of a diagram, in inches (at 100 dpi: 800 x 450 pixels).
FIGSIZE = (8.0, 4.5)

COLORS = {
    "cell_state": "#b07800",
    "forget": "#d62728",
    "input": "#2a9d3a",
    "candidate": "#8c55c4",
    "update": "#e07b00",
    "output": "#1f6fb4",
    "hidden": "#138a8e",
    "inputs": "#3c3c3c",
    "tanh": "#8c55c4",
    "reset": "#d62728",
}
DIM_LINE = "#d4d4d4"
DIM_TEXT = "#b4b4b4"
BODY_FACE = "#f6f6f2"
BODY_EDGE = "#c9c9c0"

LABELS = {
    "ko": {
        "forget": "망각 게이트",
        "input": "입력 게이트",
        "candidate": "후보 값",
        "output": "출력 게이트",
        "cell_state": "셀 상태",
        "hidden": "은닉 상태",
        "rnn": "은닉 상태 계산",
        "reset": "리셋 게이트",
        "update": "업데이트 게이트",
        "gru_candidate": "후보 은닉 상태",
    },
    "en": {
        "forget": "forget gate",
        "input": "input gate",
        "candidate": "candidate\nvalues",
        "output": "output gate",
        "cell_state": "cell state",
        "hidden": "hidden state",
        "rnn": "new hidden state",
        "reset": "reset gate",
        "update": "update gate",
        "gru_candidate": "candidate\nstate",
    },
}

LSTM_PARTS = ("cell_state", "forget", "input", "candidate", "update", "output", "hidden",
              "inputs")
RNN_PARTS = ("inputs", "tanh", "hidden")
GRU_PARTS = ("reset", "update", "candidate", "hidden", "inputs")
_GROUPS = {"gates": {"lstm": ("forget", "input", "output"), "gru": ("reset", "update")}}


# ----------------------------------------------------------------------------------------
# Drawing helpers: every element belongs to one or more parts and is lit or dimmed
# ----------------------------------------------------------------------------------------


def _resolve_lang(lang: str | None) -> str:
    if lang is None:
        from . import get_lang

        lang = get_lang()
    if lang not in LABELS:
        raise ValueError(f"lang must be 'ko' or 'en', got {lang!r}")
    return lang


def _resolve_highlight(highlight, parts: tuple[str, ...], cell: str) -> set[str] | None:
    """``None`` (all lit) or the set of lit part names; unknown names raise ValueError."""
    if highlight is None:
        return None
    names = [highlight] if isinstance(highlight, str) else list(highlight)
    lit: set[str] = set()
    for name in names:
        if name in _GROUPS and cell in _GROUPS[name]:
            lit.update(_GROUPS[name][cell])
        elif name in parts:
            lit.add(name)
        else:
            raise ValueError(f"unknown part {name!r} for the {cell} cell; parts: {parts}")
    return lit


def new_figure(figsize=FIGSIZE, **kwargs) -> Figure:
    """A figure that a notebook shows exactly once, as the value of the cell (all chapters).

    It is made by pyplot, so Jupyter's and Colab's inline backend knows how to show it,
    then closed at once, so it is not shown a second time at the end of the cell and does
    not pile up in pyplot's list of open figures.
    """
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=figsize, dpi=100, **kwargs)
    plt.close(fig)
    return fig


def _new_axes(ax, lang: str, extra_top: float = 0.0):
    """The axes of a diagram: 16 x 9 units, or taller by ``extra_top`` (and as much wider,
    to keep 16:9), centred on the same drawing."""
    use_korean_font()
    if ax is None:
        fig = new_figure(FIGSIZE)
        ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    else:
        fig = ax.figure
    widen = extra_top * 16 / 9
    ax.set_xlim(-widen / 2, 16 + widen / 2)
    ax.set_ylim(-0.75, 8.25 + extra_top)
    ax.set_aspect("equal")
    ax.axis("off")
    return fig, ax


class _Pen:
    """Draws on ``ax``; an element is lit when one of its parts is lit (or all are)."""

    def __init__(self, ax, lit: set[str] | None, backward: bool = False):
        self.ax = ax
        self.lit = lit
        # backward: arrows point the other way and the values are labelled as gradients
        self.backward = backward

    def on(self, parts: Iterable[str]) -> bool:
        return self.lit is None or bool(self.lit & set(parts))

    def color(self, parts, color_of: str) -> str:
        return COLORS[color_of] if self.on(parts) else DIM_LINE

    def line(self, points, parts, color_of, arrow=True):
        """A polyline through ``points``, with an arrowhead at the end if ``arrow`` (at
        the start, pointing back, when the pen draws the backward pass)."""
        if arrow and self.backward:
            points = list(reversed(points))
        on = self.on(parts)
        color = self.color(parts, color_of)
        width = 2.6 if on else 1.8
        xs, ys = zip(*points, strict=True)
        z = 3 if on else 2
        if arrow:
            self.ax.plot(xs[:-1], ys[:-1], color=color, lw=width, solid_capstyle="round",
                         solid_joinstyle="round", zorder=z)
            self.ax.add_patch(mpatches.FancyArrowPatch(
                points[-2], points[-1], arrowstyle="-|>", mutation_scale=16, color=color,
                lw=width, shrinkA=0, shrinkB=0, zorder=z))
        else:
            self.ax.plot(xs, ys, color=color, lw=width, solid_capstyle="round",
                         solid_joinstyle="round", zorder=z)

    def dot(self, x, y, parts, color_of):
        self.ax.add_patch(mpatches.Circle((x, y), 0.09, color=self.color(parts, color_of),
                                          zorder=4))

    def box(self, x, y, text, parts, color_of, width=1.3, height=0.9):
        on = self.on(parts)
        color = self.color(parts, color_of)
        self.ax.add_patch(mpatches.FancyBboxPatch(
            (x - width / 2, y - height / 2), width, height,
            boxstyle="round,pad=0.02,rounding_size=0.15", facecolor=color if on else "white",
            edgecolor=color, lw=2.0, zorder=5))
        self.ax.text(x, y, text, ha="center", va="center", fontsize=15,
                     color="white" if on else DIM_TEXT, zorder=6)

    def node(self, x, y, kind, parts, color_of, r=0.3):
        """An operation node: ``"mul"`` (⊙: a circle with a dot), ``"add"`` (a circle with
        a plus), ``"tanh"`` or ``"one_minus"`` (small rounded boxes)."""
        on = self.on(parts)
        color = self.color(parts, color_of)
        lw = 2.2 if on else 1.6
        if kind in ("tanh", "one_minus"):
            w = 1.1 if kind == "tanh" else 0.9
            self.ax.add_patch(mpatches.FancyBboxPatch(
                (x - w / 2, y - 0.28), w, 0.56, boxstyle="round,pad=0.02,rounding_size=0.26",
                facecolor="white", edgecolor=color, lw=lw, zorder=5))
            text = r"$\tanh$" if kind == "tanh" else r"$1-$"
            self.ax.text(x, y, text, ha="center", va="center", fontsize=13,
                         color=color if on else DIM_TEXT, zorder=6)
            return
        self.ax.add_patch(mpatches.Circle((x, y), r, facecolor="white", edgecolor=color,
                                          lw=lw, zorder=5))
        if kind == "mul":
            self.ax.add_patch(mpatches.Circle((x, y), 0.075, color=color, zorder=6))
        elif kind == "add":
            k = r * 0.6
            self.ax.plot([x - k, x + k], [y, y], color=color, lw=lw, zorder=6)
            self.ax.plot([x, x], [y - k, y + k], color=color, lw=lw, zorder=6)

    def text(self, x, y, text, parts, color_of, size=12, ha="center", va="center"):
        on = self.on(parts)
        color = (COLORS[color_of] if color_of != "inputs" else "#222222") if on else DIM_TEXT
        if self.backward and text in GRADIENT_OF:
            text = GRADIENT_OF[text]
        self.ax.text(x, y, text, ha=ha, va=va, fontsize=size, color=color, zorder=7)


# What the backward pass carries where the forward pass carries a value: its gradient.
GRADIENT_OF = {rf"${v}$": rf"$\delta {v}$" for v in (
    "C_{t-1}", "C_t", "h_{t-1}", "h_t", "x_t", "f_t", "i_t", "o_t", r"\tilde{C}_t")}


def _body(ax, x0, y0, x1, y1):
    ax.add_patch(mpatches.FancyBboxPatch(
        (x0, y0), x1 - x0, y1 - y0, boxstyle="round,pad=0.02,rounding_size=0.5",
        facecolor=BODY_FACE, edgecolor=BODY_EDGE, lw=1.5, zorder=0))


def _gate_label(pen, x, name, parts, color_of, lang):
    """The name of a gate, under the input bus, in the gate's column."""
    pen.text(x, 1.25, LABELS[lang][name], parts, color_of, size=11.5)


def _ends(pen, y, left, right, parts, color_of, left_x=1.35, right_x=14.95):
    """The line entering on the left (labelled ``left``) and leaving on the right."""
    pen.text(left_x - 0.1, y, left, parts, color_of, size=15, ha="right")
    pen.text(right_x + 0.1, y, right, parts, color_of, size=15, ha="left")


def _x_in(pen, x, bus):
    """x_t coming up from below into the input bus (δx_t going down, backwards)."""
    ins = ("inputs",)
    pen.line([(x, -0.1), (x, bus)], ins, "inputs", arrow=pen.backward)
    pen.dot(x, bus, ins, "inputs")
    pen.text(x, -0.15, r"$x_t$", ins, "inputs", size=15, va="top")


# ----------------------------------------------------------------------------------------
# The three cells
# ----------------------------------------------------------------------------------------


def draw_lstm_cell(highlight=None, lang: str | None = None, ax=None, *,
                   backward: bool = False) -> Figure:
    """Draw the LSTM cell with some parts lit (chapters 04-10).

    ``highlight``: ``None`` (every part in colour), a part name, or several; the parts are
    ``"cell_state"``, ``"forget"``, ``"input"``, ``"candidate"``, ``"update"``,
    ``"output"``, ``"hidden"``, ``"inputs"`` and the group ``"gates"``. Returns the Figure.

    Two states leave on the right for the next step, ``C_t`` (top) and ``h_t`` (bottom);
    ``h_t`` also leaves upwards, as this step's output (chapter 08).

    ``backward=True`` draws the backward pass (chapter 10): every arrow reversed, so the
    gradients δC_t and δh_t come in on the right and δC_{t-1}, δh_{t-1} and δx_t leave on
    the left and at the bottom, and every value labelled as its gradient (δ).
    """
    lang = _resolve_lang(lang)
    lit = _resolve_highlight(highlight, LSTM_PARTS, "lstm")
    fig, ax = _new_axes(ax, lang, extra_top=0.75)
    pen = _Pen(ax, lit, backward=backward)
    _body(ax, 1.75, 0.25, 14.45, 8.05)
    top, mid, gate_y, bus = 7.35, 5.45, 3.55, 2.25
    xf, xi, xg, xo, xh = 4.5, 6.7, 8.9, 11.1, 12.9
    r = 0.3
    # cell state: C_{t-1} -> (⊙ f) -> (+) -> C_t
    cs = ("cell_state",)
    pen.line([(1.35, top), (xf - r, top)], cs, "cell_state", arrow=backward)
    pen.line([(xf + r, top), (xg - r, top)], cs, "cell_state", arrow=False)
    pen.line([(xg + r, top), (14.95, top)], cs, "cell_state")
    _ends(pen, top, r"$C_{t-1}$", r"$C_t$", cs, "cell_state")
    pen.text(2.1, top + 0.38, LABELS[lang]["cell_state"], cs, "cell_state", size=11.5,
             ha="left")
    # inputs: h_{t-1} from the left and x_t from below join into [h_{t-1}, x_t]
    ins = ("inputs",)
    pen.line([(1.35, bus), (xo, bus)], ins, "inputs", arrow=False)
    if backward:  # δh_{t-1} leaves on the left
        pen.line([(1.35, bus), (2.4, bus)], ins, "inputs")
    pen.text(1.25, bus, r"$h_{t-1}$", ins, "inputs", size=15, ha="right")
    _x_in(pen, 3.0, bus)
    # four columns: the gates and the candidate
    columns = [
        (xf, "forget", r"$\sigma$"),
        (xi, "input", r"$\sigma$"),
        (xg, "candidate", r"$\tanh$"),
        (xo, "output", r"$\sigma$"),
    ]
    for x, part, act in columns:
        pen.line([(x, bus), (x, gate_y - 0.45)], ("inputs", part), part)
        pen.dot(x, bus, ("inputs", part), "inputs")
        pen.box(x, gate_y, act, (part,), part, width=1.4 if part == "candidate" else 1.1)
        _gate_label(pen, x, part, (part,), part, lang)
    # forget: f_t ⊙ C_{t-1}
    pen.line([(xf, gate_y + 0.45), (xf, top - r)], ("forget",), "forget")
    pen.text(xf + 0.18, 5.2, r"$f_t$", ("forget",), "forget", size=15, ha="left")
    pen.node(xf, top, "mul", ("forget", "update", "cell_state"), "forget")
    # input and candidate: i_t ⊙ C~_t, added to the cell state
    pen.line([(xi, gate_y + 0.45), (xi, mid), (xg - r, mid)], ("input",), "input")
    pen.text(xi + 0.18, 4.55, r"$i_t$", ("input",), "input", size=15, ha="left")
    pen.line([(xg, gate_y + 0.45), (xg, mid - r)], ("candidate",), "candidate")
    pen.text(xg + 0.18, 4.55, r"$\tilde{C}_t$", ("candidate",), "candidate", size=15,
             ha="left")
    pen.node(xg, mid, "mul", ("input", "candidate", "update"), "update")
    pen.line([(xg, mid + r), (xg, top - r)], ("input", "candidate", "update"), "update")
    pen.node(xg, top, "add", ("update", "cell_state"), "update")
    # output: h_t = o_t ⊙ tanh(C_t)
    hid = ("hidden",)
    pen.line([(xh, top), (xh, mid + 0.28)], hid, "hidden")
    pen.dot(xh, top, hid, "hidden")
    pen.node(xh, mid, "tanh", hid, "hidden")
    pen.line([(xh, mid - 0.28), (xh, gate_y + r)], hid, "hidden")
    pen.line([(xo + 0.55, gate_y), (xh - r, gate_y)], ("output",), "output")
    pen.text((xo + xh) / 2 + 0.15, gate_y + 0.35, r"$o_t$", ("output",), "output", size=15)
    pen.node(xh, gate_y, "mul", ("output", "hidden"), "output")
    pen.line([(xh, gate_y - r), (xh, bus), (14.95, bus)], hid, "hidden")
    pen.text(15.05, bus, r"$h_t$", hid, "hidden", size=15, ha="left")
    pen.text(13.0, 1.25, LABELS[lang]["hidden"], hid, "hidden", size=11.5, ha="left")
    # h_t also leaves upwards, as the output; it passes under the cell-state line
    x_up, gap = 13.9, 0.22
    pen.dot(x_up, bus, hid, "hidden")
    pen.line([(x_up, bus), (x_up, top - gap)], hid, "hidden", arrow=False)
    pen.line([(x_up, top + gap), (x_up, 8.85)], hid, "hidden")
    pen.text(x_up + 0.2, 8.6, r"$h_t$", hid, "hidden", size=15, ha="left")
    return fig


def draw_rnn_cell(highlight=None, lang: str | None = None, ax=None) -> Figure:
    """Draw a plain (Elman) RNN cell, ``h_t = tanh(W [h_{t-1}, x_t] + b)`` (chapter 01).

    ``highlight``: ``None``, or one or several of ``"inputs"``, ``"tanh"``, ``"hidden"``.
    Returns the Figure.
    """
    lang = _resolve_lang(lang)
    lit = _resolve_highlight(highlight, RNN_PARTS, "rnn")
    fig, ax = _new_axes(ax, lang)
    pen = _Pen(ax, lit)
    _body(ax, 1.75, 0.25, 14.45, 8.05)
    bus, box_y, x_box, x_out = 2.25, 5.0, 8.0, 11.8
    ins = ("inputs",)
    pen.line([(1.35, bus), (x_box, bus)], ins, "inputs", arrow=False)
    pen.text(1.25, bus, r"$h_{t-1}$", ins, "inputs", size=15, ha="right")
    _x_in(pen, 4.0, bus)
    pen.line([(x_box, bus), (x_box, box_y - 0.6)], ("inputs", "tanh"), "tanh")
    pen.dot(x_box, bus, ("inputs", "tanh"), "inputs")
    pen.text(x_box + 0.25, 3.3, r"$W\,[h_{t-1}, x_t] + b$", ("inputs", "tanh"), "inputs",
             size=15, ha="left")
    pen.box(x_box, box_y, r"$\tanh$", ("tanh",), "tanh", width=2.0, height=1.2)
    pen.text(x_box, box_y + 1.05, LABELS[lang]["rnn"], ("tanh",), "tanh", size=11.5)
    hid = ("hidden",)
    pen.line([(x_box + 1.0, box_y), (x_out, box_y), (x_out, bus), (14.95, bus)], hid, "hidden")
    pen.text(15.05, bus, r"$h_t$", hid, "hidden", size=15, ha="left")
    pen.text(x_out + 0.2, 1.25, LABELS[lang]["hidden"], hid, "hidden", size=11.5, ha="left")
    return fig


GRU_FORMS = ("after", "before")


def draw_gru_cell(highlight=None, lang: str | None = None, ax=None, *,
                  form: str = "after") -> Figure:
    """Draw the GRU cell, ``h_t = (1 - z_t) ⊙ n_t + z_t ⊙ h_{t-1}`` (chapter 13).

    ``highlight``: ``None``, or one or several of ``"reset"``, ``"update"``,
    ``"candidate"``, ``"hidden"``, ``"inputs"`` and the group ``"gates"``.
    ``form`` says where the reset gate acts in the candidate:

    - ``"after"`` (the default; PyTorch, cuDNN, :mod:`lstm_lib.gru`):
      ``n_t = tanh(W_nx x_t + b_n + r_t ⊙ (W_nh h_{t-1} + b_hn))``. ``h_{t-1}`` passes
      the ``W_nh`` box first, then the ⊙ with ``r_t``.
    - ``"before"`` (Cho et al.'s published version, d2l):
      ``n_t = tanh(W_nx x_t + b_n + W_nh (r_t ⊙ h_{t-1}) + b_hn)``. The ⊙ comes first,
      then the ``W_nh`` box.

    In both, ``[h_{t-1}, x_t]`` feeds the two gates only; ``x_t`` alone comes up into the
    ``tanh`` along its own line, and ``h_{t-1}`` reaches the ``tanh`` only through the
    reset path. Returns the Figure.
    """
    lang = _resolve_lang(lang)
    lit = _resolve_highlight(highlight, GRU_PARTS, "gru")
    if form not in GRU_FORMS:
        raise ValueError(f"form must be one of {GRU_FORMS}, got {form!r}")
    fig, ax = _new_axes(ax, lang)
    pen = _Pen(ax, lit)
    _body(ax, 1.75, 0.25, 14.45, 8.05)
    top, mid, gate_y, bus, x_line = 7.35, 5.45, 3.55, 2.25, 0.75
    xr, xz, xn, x1m, x_in = 4.6, 8.0, 12.4, 10.2, 3.3
    r = 0.3
    hid = ("hidden",)
    # the hidden state runs along the top: h_{t-1} -> (⊙ z) -> (+) -> h_t
    pen.line([(1.35, top), (xz - r, top)], hid, "hidden", arrow=False)
    pen.line([(xz + r, top), (xn - r, top)], hid, "hidden", arrow=False)
    pen.line([(xn + r, top), (14.95, top)], hid, "hidden")
    _ends(pen, top, r"$h_{t-1}$", r"$h_t$", hid, "hidden")
    pen.text(2.6, top + 0.38, LABELS[lang]["hidden"], hid, "hidden", size=11.5, ha="left")
    # [h_{t-1}, x_t] feeds the two gates: h_{t-1} drops down to the bus, x_t comes from
    # below; the bus ends at the update gate
    ins = ("inputs",)
    cand = ("inputs", "candidate")
    pen.line([(2.3, top), (2.3, bus), (xz, bus)], ins, "inputs", arrow=False)
    pen.dot(2.3, top, ins, "inputs")
    pen.line([(x_in, -0.1), (x_in, x_line)], cand, "inputs", arrow=False)
    pen.line([(x_in, x_line), (x_in, bus)], ins, "inputs", arrow=False)
    pen.dot(x_in, bus, ins, "inputs")
    pen.text(x_in, -0.15, r"$x_t$", cand, "inputs", size=15, va="top")
    # x_t alone goes on, below the bus, up into the candidate's tanh
    pen.dot(x_in, x_line, cand, "inputs")
    pen.line([(x_in, x_line), (xn, x_line)], cand, "inputs", arrow=False)
    pen.line([(xn, x_line), (xn, gate_y - 0.45)], cand, "candidate")
    for x, part in ((xr, "reset"), (xz, "update")):
        pen.line([(x, bus), (x, gate_y - 0.45)], ("inputs", part), part)
        pen.dot(x, bus, ("inputs", part), "inputs")
        pen.box(x, gate_y, r"$\sigma$", (part,), part, width=1.1)
        _gate_label(pen, x, part, (part,), part, lang)
    pen.box(xn, gate_y, r"$\tanh$", ("candidate",), "candidate", width=1.4)
    pen.text(xn - 0.25, 1.25, LABELS[lang]["gru_candidate"], ("candidate",), "candidate",
             size=11.5, ha="right")
    # reset: r_t multiplies W_nh h_{t-1} + b_hn ("after") or h_{t-1} ("before"); the
    # result goes into the candidate (a gap where it crosses z's line)
    rst = ("reset",)
    rc = ("reset", "candidate")
    pen.dot(xr, top, rst, "reset")
    if form == "after":
        w_y = (top + mid + r) / 2
        pen.line([(xr, top), (xr, w_y + 0.28)], rst, "reset")
        _matrix_box(pen, xr, w_y, rc, "candidate")
        pen.line([(xr, w_y - 0.28), (xr, mid + r)], rc, "reset")
    else:
        pen.line([(xr, top), (xr, mid + r)], rst, "reset")
    pen.line([(xr, gate_y + 0.45), (xr, mid - r)], rst, "reset")
    pen.text(xr + 0.18, 4.55, r"$r_t$", rst, "reset", size=15, ha="left")
    pen.node(xr, mid, "mul", rst, "reset")
    gap = 0.22
    pen.line([(xr + r, mid), (6.3, mid), (6.3, 4.5), (xz - gap, 4.5)], rst, "reset",
             arrow=False)
    if form == "after":
        pen.line([(xz + gap, 4.5), (11.1, 4.5), (11.1, gate_y), (xn - 0.7, gate_y)], rc,
                 "reset")
    else:
        w_x = 9.35
        pen.line([(xz + gap, 4.5), (w_x - 0.55, 4.5)], rc, "reset")
        _matrix_box(pen, w_x, 4.5, rc, "candidate")
        pen.line([(w_x + 0.55, 4.5), (11.1, 4.5), (11.1, gate_y), (xn - 0.7, gate_y)], rc,
                 "reset")
    # update: z_t ⊙ h_{t-1} on the top line, (1 - z_t) ⊙ n_t from below
    upd = ("update",)
    pen.line([(xz, gate_y + 0.45), (xz, top - r)], upd, "update")
    pen.text(xz - 0.18, 6.4, r"$z_t$", upd, "update", size=15, ha="right")
    pen.node(xz, top, "mul", ("update", "hidden"), "update")
    pen.dot(xz, mid, upd, "update")
    pen.line([(xz, mid), (x1m - 0.45, mid)], upd, "update")
    pen.node(x1m, mid, "one_minus", upd, "update")
    pen.line([(x1m + 0.45, mid), (xn - r, mid)], upd, "update")
    # candidate n_t, mixed in and added to the top line
    pen.line([(xn, gate_y + 0.45), (xn, mid - r)], ("candidate",), "candidate")
    pen.text(xn + 0.18, 4.55, r"$n_t$", ("candidate",), "candidate", size=15, ha="left")
    pen.node(xn, mid, "mul", ("candidate", "update", "hidden"), "hidden")
    pen.line([(xn, mid + r), (xn, top - r)], ("candidate", "update", "hidden"), "hidden")
    pen.node(xn, top, "add", hid, "hidden")
    return fig


def _matrix_box(pen, x, y, parts, color_of):
    """The GRU's ``W_nh`` (with ``+ b_hn``): a small white box with a coloured frame."""
    on = pen.on(parts)
    color = pen.color(parts, color_of)
    pen.ax.add_patch(mpatches.FancyBboxPatch(
        (x - 0.55, y - 0.28), 1.1, 0.56, boxstyle="round,pad=0.02,rounding_size=0.1",
        facecolor="white", edgecolor=color, lw=2.2 if on else 1.6, zorder=5))
    pen.ax.text(x, y, r"$W_{nh}$", ha="center", va="center", fontsize=13,
                color=color if on else DIM_TEXT, zorder=6)
