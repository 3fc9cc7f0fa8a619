"""Tests for lstm_lib.viz: every cell diagram builds headless in both languages, with any
part lit, without warnings, without clipped or colliding labels."""

from __future__ import annotations

import functools
import io
import itertools
import logging
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from lstm_lib import viz

CELLS = {
    "lstm": (viz.draw_lstm_cell, viz.LSTM_PARTS),
    "rnn": (viz.draw_rnn_cell, viz.RNN_PARTS),
    "gru": (viz.draw_gru_cell, viz.GRU_PARTS),
    "gru_before": (functools.partial(viz.draw_gru_cell, form="before"), viz.GRU_PARTS),
    "lstm_backward": (functools.partial(viz.draw_lstm_cell, backward=True), viz.LSTM_PARTS),
}
# Lighting a part changes colours, never text, so the layout is checked on two variants
# per cell and every single part is built (and rendered) once below.
LAYOUTS = [(cell, hl) for cell, (_, parts) in CELLS.items() for hl in [None, list(parts[:2])]]
SINGLE_PARTS = [(cell, part) for cell, (_, parts) in CELLS.items() for part in parts]


def _build(cell, highlight, lang):
    """Build and render a diagram with every warning an error; return (fig, renderer)."""
    draw = CELLS[cell][0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = draw(highlight=highlight, lang=lang)
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        fig.savefig(io.BytesIO(), format="png", dpi=100)
    return fig, canvas.get_renderer()


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("cell,highlight", LAYOUTS)
def test_diagram_builds_without_warnings_or_clipping(cell, highlight, lang, caplog):
    caplog.set_level(logging.WARNING, logger="matplotlib")
    fig, renderer = _build(cell, highlight, lang)
    assert isinstance(fig, Figure)
    assert tuple(fig.get_size_inches()) == viz.FIGSIZE
    assert not caplog.records, [r.getMessage() for r in caplog.records]
    page = fig.bbox
    texts = [t for t in fig.axes[0].texts if t.get_text().strip()]
    boxes = [t.get_window_extent(renderer) for t in texts]
    for text, box in zip(texts, boxes, strict=True):
        assert page.x0 <= box.x0 and box.x1 <= page.x1, f"{text.get_text()!r} clipped"
        assert page.y0 <= box.y0 and box.y1 <= page.y1, f"{text.get_text()!r} clipped"
        assert text.get_fontsize() >= 11, f"{text.get_text()!r} is too small"
    for (a, box_a), (b, box_b) in itertools.combinations(zip(texts, boxes, strict=True), 2):
        assert not box_a.overlaps(box_b), f"{a.get_text()!r} collides with {b.get_text()!r}"


@pytest.mark.parametrize("cell,part", SINGLE_PARTS)
def test_every_part_can_be_lit(cell, part, caplog):
    caplog.set_level(logging.WARNING, logger="matplotlib")
    fig, _ = _build(cell, part, "ko" if len(part) % 2 else "en")
    assert not caplog.records


def test_labels_follow_the_language():
    for lang, words in [("ko", ["망각 게이트", "입력 게이트", "출력 게이트", "후보 값",
                                "셀 상태", "은닉 상태"]),
                        ("en", ["forget gate", "input gate", "output gate", "candidate",
                                "cell state", "hidden state"])]:
        fig, _ = _build("lstm", None, lang)
        shown = " ".join(t.get_text() for t in fig.axes[0].texts)
        for word in words:
            assert word in shown, (lang, word)


def test_language_defaults_to_the_edition(monkeypatch):
    import lstm_lib

    monkeypatch.setitem(lstm_lib._state, "lang", "en")
    fig = viz.draw_lstm_cell()
    assert "forget gate" in " ".join(t.get_text() for t in fig.axes[0].texts)


def _colors_used(fig):
    ax = fig.axes[0]
    found = set()
    for artist in [*ax.lines, *ax.patches]:
        for getter in ("get_color", "get_edgecolor", "get_facecolor"):
            if hasattr(artist, getter):
                try:
                    found.add(to_hex(getattr(artist, getter)()))
                except (ValueError, TypeError):
                    pass
    return found


@pytest.mark.parametrize("cell", list(CELLS))
def test_highlight_lights_its_part_and_dims_the_rest(cell):
    draw, parts = CELLS[cell]
    everything = _colors_used(draw(lang="en"))
    for part in parts:
        color = viz.COLORS[part]
        assert color in everything
        assert color in _colors_used(draw(highlight=part, lang="en")), part
    # lighting one part leaves another part's own colour out
    lit, absent = {"lstm": ("output", "forget"), "rnn": ("hidden", "tanh"),
                   "gru": ("update", "reset"), "gru_before": ("update", "reset"),
                   "lstm_backward": ("output", "forget")}[cell]
    assert viz.COLORS[absent] not in _colors_used(draw(highlight=lit, lang="en"))


def test_gates_group_and_several_parts():
    gates = _colors_used(viz.draw_lstm_cell(highlight="gates", lang="en"))
    assert {viz.COLORS["forget"], viz.COLORS["input"], viz.COLORS["output"]} <= gates
    assert viz.COLORS["candidate"] not in gates


def test_bad_arguments_raise_clearly():
    with pytest.raises(ValueError, match="unknown part"):
        viz.draw_lstm_cell(highlight="forgot")
    with pytest.raises(ValueError, match="unknown part"):
        viz.draw_rnn_cell(highlight=["tanh", "cell_state"])
    with pytest.raises(ValueError, match="lang"):
        viz.draw_gru_cell(lang="de")


def test_figures_stay_out_of_pyplot_and_can_draw_into_an_axes():
    before = plt.get_fignums()
    viz.draw_lstm_cell(lang="en")
    assert plt.get_fignums() == before
    fig = Figure()
    ax = fig.add_subplot()
    assert viz.draw_gru_cell(ax=ax, lang="ko") is fig


def test_lstm_cell_sends_h_t_two_ways_and_c_t_on():
    """h_t leaves twice (to the next step and up, as the output); C_t leaves once."""
    for lang in ("ko", "en"):
        shown = [t.get_text() for t in viz.draw_lstm_cell(lang=lang).axes[0].texts]
        assert shown.count(r"$h_t$") == 2 and shown.count(r"$C_t$") == 1, shown


def _text_at(fig, text):
    """The data coordinates of the one text artist that reads ``text``."""
    found = [t.get_position() for t in fig.axes[0].texts if t.get_text() == text]
    assert len(found) == 1, (text, found)
    return found[0]


def _mul_nodes(fig):
    """Centres of the ⊙ nodes: a white circle of radius 0.3 with a dot inside."""
    import matplotlib.patches as mpatches

    return [p.center for p in fig.axes[0].patches
            if isinstance(p, mpatches.Circle) and abs(p.radius - 0.3) < 1e-9]


def test_gru_cell_draws_the_reset_where_each_form_puts_it():
    """Reset after (PyTorch, the default): h_{t-1} meets W_nh, then r_t. Reset before
    (Cho et al., d2l): r_t first, then W_nh. In both, the tanh gets x_t on its own line
    and h_{t-1} only through the reset path."""
    for lang in ("ko", "en"):
        after = viz.draw_gru_cell(lang=lang)
        before = viz.draw_gru_cell(lang=lang, form="before")
        for fig in (after, before):
            r_x, r_y = _text_at(fig, r"$r_t$")
            reset_mul = min(_mul_nodes(fig), key=lambda c: abs(c[0] - r_x))
            w_x, w_y = _text_at(fig, r"$W_{nh}$")
            if fig is after:  # on the way down from h_{t-1} to the ⊙, above it
                assert abs(w_x - reset_mul[0]) < 1e-9 and w_y > reset_mul[1]
            else:  # on the way from the ⊙ to the tanh, to its right and below
                assert w_x > reset_mul[0] + 1 and w_y < reset_mul[1]
            # the bus [h_{t-1}, x_t] ends at the update gate: no line on it reaches
            # the candidate's column
            xn = _text_at(fig, r"$n_t$")[0]
            for line in fig.axes[0].lines:
                xs, ys = line.get_data()
                on_bus = [x for x, y in zip(xs, ys, strict=True) if abs(y - 2.25) < 1e-9]
                assert all(x < xn - 1 for x in on_bus), (xs, ys)


def test_gru_cell_refuses_an_unknown_form():
    with pytest.raises(ValueError, match="form"):
        viz.draw_gru_cell(form="middle")


def test_lstm_backward_pass_labels_gradients_and_reverses_the_arrows():
    """Chapter 10: the same cell, every value shown as its gradient, every arrow reversed:
    δC_t and δh_t come in on the right, δC_{t-1}, δh_{t-1} and δx_t leave left and below."""
    import matplotlib.patches as mpatches

    def arrows(fig):
        return [p for p in fig.axes[0].patches if isinstance(p, mpatches.FancyArrowPatch)]

    for lang in ("ko", "en"):
        fwd = viz.draw_lstm_cell(lang=lang)
        back = viz.draw_lstm_cell(lang=lang, backward=True)
        shown = [t.get_text() for t in back.axes[0].texts]
        for value in ("C_{t-1}", "C_t", "h_{t-1}", "x_t"):
            assert rf"$\delta {value}$" in shown and rf"${value}$" not in shown, value
        assert shown.count(r"$\delta h_t$") == 2
        # the forward arrows, reversed, plus the three that leave: C_{t-1}, h_{t-1}, x_t
        assert len(arrows(back)) == len(arrows(fwd)) + 3
        # δC_{t-1} leaves on the left: an arrowhead pointing left at the cell state's start
        heads = [p._posA_posB for p in arrows(back)]
        assert any(b[0] < a[0] and b[0] < 2 for a, b in heads)
