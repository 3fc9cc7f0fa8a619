"""Tests for lstm_lib.widgets: the explorers build headless with no frontend, react to
their sliders, and their static twins draw the same thing; no warnings in either language."""

from __future__ import annotations

import io
import logging
import warnings

import matplotlib

matplotlib.use("Agg")

import ipywidgets
import numpy as np
import pytest
from matplotlib.figure import Figure

from lstm_lib import widgets as W

LANGS = ["ko", "en"]
PNG = b"\x89PNG"


@pytest.fixture(autouse=True)
def _strict(caplog):
    """Every warning is an error; matplotlib may not log warnings (e.g. missing fonts)."""
    caplog.set_level(logging.WARNING, logger="matplotlib")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield
    assert not caplog.records, [r.getMessage() for r in caplog.records]


def _sliders(box):
    controls = box.children[0]
    return [w for column in controls.children for w in column.children]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("make", [W.gate_explorer, W.cell_state_explorer])
def test_explorer_builds_headless_and_redraws(make, lang):
    box = make(lang=lang)
    assert isinstance(box, ipywidgets.VBox)
    image = box.children[1]
    assert isinstance(image, ipywidgets.Image) and bytes(image.value).startswith(PNG)
    first = bytes(image.value)
    slider = _sliders(box)[0]
    slider.value = slider.min if slider.value != slider.min else slider.max
    assert bytes(image.value).startswith(PNG) and bytes(image.value) != first
    labels = " ".join(s.description for s in _sliders(box))
    has_korean = any("\uac00" <= ch <= "\ud7a3" for ch in labels)
    assert has_korean == (lang == "ko"), labels


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("make,n", [(W.gate_static, 3), (W.cell_state_static, 3)])
def test_static_twin_draws_every_preset(make, n, lang):
    fig = make(lang=lang)
    assert isinstance(fig, Figure)
    assert len(fig.subfigs) == n
    fig.savefig(io.BytesIO(), format="png")
    titles = [sf._suptitle.get_text() for sf in fig.subfigs]
    assert all(titles)
    if lang == "ko":
        assert all(any("\uac00" <= ch <= "\ud7a3" for ch in t) for t in titles)


def test_generic_explorer_and_twin_for_a_new_chapter():
    calls = []

    def draw(fig, lang="ko", w=1.0, n=3):
        calls.append((lang, w, n))
        ax = fig.add_subplot()
        ax.plot(np.arange(n), w * np.arange(n))
        ax.set_title({"ko": "직선", "en": "a line"}[lang])

    box = W.explorer(draw, {"w": (-2.0, 2.0, 0.5, 1.0), "n": (2, 10, 1, 3)},
                     labels={"w": {"ko": "기울기", "en": "slope"}}, lang="en")
    w_slider, n_slider = _sliders(box)
    assert isinstance(w_slider, ipywidgets.FloatSlider) and w_slider.description == "slope"
    assert isinstance(n_slider, ipywidgets.IntSlider) and n_slider.description == "n"
    n_slider.value = 7
    assert calls[-1] == ("en", 1.0, 7)
    fig = W.static_twin(draw, [{"w": -1.0}, {"w": 0.0}, {"w": 1.0}, {"w": 2.0}],
                        titles=["a", "b", {"ko": "다", "en": "c"}, "d"], lang="ko", ncols=2)
    assert len(fig.subfigs) == 4 and calls[-1] == ("ko", 2.0, 3)
    fig.savefig(io.BytesIO(), format="png")


def test_explorer_accepts_a_ready_widget():
    slider = ipywidgets.IntRangeSlider(min=1, max=5, value=(2, 3))
    seen = []
    box = W.explorer(lambda fig, lang, span: seen.append(span) or fig.add_subplot(),
                     {"span": slider}, lang="ko")
    assert _sliders(box) == [slider] and seen == [(2, 3)]


def test_cell_state_trace_follows_the_update_rule():
    f, i, g, o = W.gate_schedule(T=6, f=0.5, i=1.0, g=0.8, o=1.0, write=(2, 2), erase_at=5)
    assert list(i) == [0, 1, 0, 0, 0, 0] and f[4] == 0.0 and f[0] == 0.5
    C, h = W.cell_state_trace(f, i, g, o)
    assert C.shape == h.shape == (7,)
    np.testing.assert_allclose(C, [0, 0, 0.8, 0.4, 0.2, 0.0, 0.0])
    np.testing.assert_allclose(h, np.tanh(C) * np.r_[0, o])
    f, i, g, o = W.gate_schedule(T=40, f=0.9, i=1.0, g=0.8, o=0.6, write=(1, 40))
    C, h = W.cell_state_trace(f, i, g, o)
    assert C.max() > 1 and np.abs(h).max() < 0.6  # C can grow past 1; h stays bounded


@pytest.mark.parametrize("lang", LANGS)
def test_draw_functions_fill_a_figure(lang):
    for draw in (W.draw_gate, W.draw_cell_state):
        fig = Figure(figsize=(8, 3.2), layout="constrained")
        draw(fig, lang=lang)
        assert len(fig.axes) == 2
        fig.savefig(io.BytesIO(), format="png")
    png = W.render_png(W.draw_gate, {"b": -3.0}, lang=lang)
    assert png.startswith(PNG)
