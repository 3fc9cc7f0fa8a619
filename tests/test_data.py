"""Tests for lstm_lib.data: the long-dependency task generators (chapters 03 and 11)."""

from __future__ import annotations

import numpy as np
import pytest

from lstm_lib.data import adding_problem, as_rng, remember_first


def test_as_rng_accepts_a_generator_or_a_seed_and_refuses_none():
    g = np.random.default_rng(3)
    assert as_rng(g) is g
    assert as_rng(5).integers(1000) == np.random.default_rng(5).integers(1000)
    assert as_rng(np.int64(5)).integers(1000) == np.random.default_rng(5).integers(1000)
    for bad in (None, 1.5, "3", True):
        with pytest.raises(TypeError):
            as_rng(bad)


@pytest.mark.parametrize("T,B,K", [(1, 1, 2), (5, 3, 4), (40, 17, 6)])
def test_remember_first_shapes_and_target(T, B, K):
    X, y = remember_first(T, B, rng=0, n_symbols=K)
    assert X.shape == (T, B, K) and X.dtype == np.float32
    assert y.shape == (B,) and y.dtype == np.int64
    assert set(np.unique(X)) <= {0.0, 1.0}
    np.testing.assert_array_equal(X.sum(-1), 1.0)  # one symbol per step, one-hot
    np.testing.assert_array_equal(X[0].argmax(-1), y)  # the answer is the first step
    assert y.min() >= 0 and y.max() < K


def test_remember_first_is_deterministic_and_time_major():
    X1, y1 = remember_first(12, 8, rng=7)
    X2, y2 = remember_first(12, 8, rng=np.random.default_rng(7))
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    X3, _ = remember_first(12, 8, rng=8)
    assert not np.array_equal(X1, X3)
    # a Generator advances: two batches from one generator differ
    g = np.random.default_rng(0)
    assert not np.array_equal(remember_first(12, 8, g)[0], remember_first(12, 8, g)[0])
    X64, _ = remember_first(3, 2, rng=0, dtype=np.float64)
    assert X64.dtype == np.float64


def test_remember_first_distractors_carry_no_information():
    X, y = remember_first(30, 20000, rng=1, n_symbols=4)
    # symbols are uniform, and the last step (or any step after the first) does not predict y
    freq = np.bincount(y, minlength=4) / len(y)
    np.testing.assert_allclose(freq, 0.25, atol=0.015)
    last = X[-1].argmax(-1)
    assert abs((last == y).mean() - 0.25) < 0.015


def test_adding_problem_shapes_markers_and_target():
    T, B = 20, 500
    X, y = adding_problem(T, B, rng=2)
    assert X.shape == (T, B, 2) and y.shape == (B,) and X.dtype == y.dtype == np.float32
    markers = X[:, :, 1]
    np.testing.assert_array_equal(markers.sum(0), 2.0)
    assert markers[: T // 2].sum(0).tolist() == [1.0] * B  # one mark in each half
    np.testing.assert_allclose((X[:, :, 0] * markers).sum(0), y, rtol=1e-6)
    assert 0.0 <= X[:, :, 0].min() and X[:, :, 0].max() <= 1.0
    # always answering 1 gives a mean squared error near 1/6
    X, y = adding_problem(50, 20000, rng=3)
    assert abs(((y - 1.0) ** 2).mean() - 1 / 6) < 0.01


def test_adding_problem_is_deterministic():
    a = adding_problem(9, 4, rng=11)
    b = adding_problem(9, 4, rng=11)
    for u, v in zip(a, b, strict=True):
        np.testing.assert_array_equal(u, v)


@pytest.mark.parametrize("fn", [remember_first, adding_problem])
def test_bad_sizes_are_refused(fn):
    with pytest.raises(ValueError):
        fn(0, 4, rng=0)
    with pytest.raises(ValueError):
        fn(5, 0, rng=0)
    with pytest.raises(TypeError):
        fn(5.0, 4, rng=0)
    with pytest.raises(TypeError):
        fn(5, 4, rng=None)


def test_adding_problem_needs_two_steps():
    with pytest.raises(ValueError):
        adding_problem(1, 4, rng=0)


def test_remember_first_needs_two_symbols():
    with pytest.raises(ValueError):
        remember_first(5, 4, rng=0, n_symbols=1)


def test_adding_problem_min_gap_keeps_the_marks_away_from_the_end():
    T, gap, B = 30, 12, 4000
    X, y = adding_problem(T, B, rng=5, min_gap=gap)
    markers = X[:, :, 1]
    np.testing.assert_array_equal(markers.sum(0), 2.0)
    assert markers[T - gap:].sum() == 0  # nothing marked in the last `gap` steps
    span = T - gap
    assert markers[: span // 2].sum(0).tolist() == [1.0] * B  # one in each half of the span
    np.testing.assert_allclose((X[:, :, 0] * markers).sum(0), y, rtol=1e-6)
    # the values go on to the last step, and every position of the span is used
    assert X[T - gap:, :, 0].std() > 0.2
    assert set(np.flatnonzero(markers.sum(1))) == set(range(span))
    assert abs(((y - 1.0) ** 2).mean() - 1 / 6) < 0.01  # the same baseline


def test_adding_problem_min_gap_zero_is_the_plain_task():
    for u, v in zip(adding_problem(9, 5, rng=3), adding_problem(9, 5, rng=3, min_gap=0),
                    strict=True):
        np.testing.assert_array_equal(u, v)


def test_adding_problem_min_gap_is_checked():
    adding_problem(7, 2, rng=0, min_gap=5)  # two steps left for the two marks
    with pytest.raises(ValueError):
        adding_problem(7, 2, rng=0, min_gap=6)
    for bad in (-1, 1.5, True):
        with pytest.raises(ValueError):
            adding_problem(7, 2, rng=0, min_gap=bad)
