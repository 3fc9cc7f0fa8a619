"""Data for the training chapters: long-dependency tasks (chapters 03 and 11).

Every generator takes the random source as ``rng``: a ``numpy.random.Generator`` or an
integer seed. The same seed always gives the same batch, so an experiment repeats exactly.
Sequences are time-major, ``(T, B, D)``, as everywhere in the book (PyTorch's default);
targets are one value per sequence, ``(B,)``.

- :func:`remember_first`: the answer is the symbol shown at the very first step, and the
  network has to carry it across ``T - 1`` steps of distractors (chapter 03).
- :func:`adding_problem`: add the two marked numbers in a sequence of random numbers
  (Hochreiter & Schmidhuber 1997, experiment 4, in the form of Le, Jaitly & Hinton 2015;
  chapter 11). ``min_gap`` keeps both marks that many steps away from the end, the control
  of chapter 11: a gap that every sequence has, not only some.
"""

from __future__ import annotations

import numpy as np

__all__ = ["as_rng", "remember_first", "adding_problem"]


def as_rng(rng) -> np.random.Generator:
    """Return ``rng`` itself if it is a ``numpy.random.Generator``, else one seeded by it.

    ``rng`` must be a Generator or a non-negative integer seed; ``None`` is refused on
    purpose, because an unseeded batch would make an experiment impossible to repeat.
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, bool) or not isinstance(rng, int | np.integer):
        raise TypeError(
            f"rng must be a numpy.random.Generator or an integer seed, got {type(rng).__name__}")
    return np.random.default_rng(int(rng))


def _check_sizes(T, batch_size, T_min: int) -> None:
    for name, value, low in (("T", T, T_min), ("batch_size", batch_size, 1)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer):
            raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
        if value < low:
            raise ValueError(f"{name} must be at least {low}, got {value}")


def remember_first(T: int, batch_size: int, rng, n_symbols: int = 4,
                   dtype=np.float32) -> tuple[np.ndarray, np.ndarray]:
    """A batch of the "remember the first symbol" task (chapter 03).

    Each sequence has ``T`` steps. Every step shows one of ``n_symbols`` symbols, one-hot;
    the symbols are drawn uniformly and independently. The target is the symbol of the
    **first** step, ``t = 0``; the ``T - 1`` steps after it are distractors that carry no
    information about the answer. To answer after the last step, a network must carry one
    symbol across ``T - 1`` steps of input it has to ignore. A network that has not learnt
    to do that cannot beat the chance accuracy ``1 / n_symbols``.

    Returns ``X`` of shape ``(T, batch_size, n_symbols)`` (time-major, ``dtype``) and
    ``y`` of shape ``(batch_size,)`` (int64, values in ``0 .. n_symbols - 1``), with
    ``X[0].argmax(-1) == y``.
    """
    _check_sizes(T, batch_size, T_min=1)
    if n_symbols < 2:
        raise ValueError(f"n_symbols must be at least 2, got {n_symbols}")
    rng = as_rng(rng)
    symbols = rng.integers(0, n_symbols, size=(T, batch_size))
    X = np.eye(n_symbols, dtype=dtype)[symbols]
    y = symbols[0].astype(np.int64)
    assert X.shape == (T, batch_size, n_symbols) and y.shape == (batch_size,)
    return X, y


def adding_problem(T: int, batch_size: int, rng, dtype=np.float32,
                   min_gap: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A batch of the adding problem (Hochreiter & Schmidhuber 1997; chapters 03 and 11).

    Each step carries two numbers: a value drawn uniformly from [0, 1], and a marker that is
    1 at exactly two steps and 0 elsewhere. One marked step lies in the first half of the
    sequence, the other in the second half. The target is the sum of the two marked values,
    a number in [0, 2]. Always answering 1 (the mean of the target) gives a mean squared
    error of 1/6 ≈ 0.167, the baseline a model must beat.

    This is the form of Le, Jaitly & Hinton (2015) and Arjovsky et al. (2016). In the
    original (experiment 4 of Hochreiter & Schmidhuber 1997) the values lie in [-1, 1], the
    first mark is among the first ten steps, the target is rescaled to [0, 1] and the
    length varies a little; chapter 11 explains what the difference does.

    ``min_gap`` (chapter 11's control): the marks are placed in the first ``T - min_gap``
    steps only (one in each half of them), so every marked value lies at least
    ``min_gap`` steps before the end, while the values go on to the last step. With the
    default 0, the second mark can fall on the very last steps, and the random numbers
    are exactly those of the plain task.

    Returns ``X`` of shape ``(T, batch_size, 2)`` (channel 0 the values, channel 1 the
    markers) and ``y`` of shape ``(batch_size,)``, both in ``dtype``. ``T`` must be at
    least ``min_gap + 2``.
    """
    if isinstance(min_gap, bool) or not isinstance(min_gap, int | np.integer) or min_gap < 0:
        raise ValueError(f"min_gap must be a non-negative integer, got {min_gap!r}")
    _check_sizes(T, batch_size, T_min=2 + int(min_gap))
    rng = as_rng(rng)
    span = T - int(min_gap)  # the marks fall in steps 0 .. span - 1
    half = span // 2
    values = rng.uniform(0.0, 1.0, size=(T, batch_size))
    first = rng.integers(0, half, size=batch_size)
    second = rng.integers(half, span, size=batch_size)
    markers = np.zeros((T, batch_size))
    columns = np.arange(batch_size)
    markers[first, columns] = 1.0
    markers[second, columns] = 1.0
    X = np.stack([values, markers], axis=-1).astype(dtype)
    y = (values[first, columns] + values[second, columns]).astype(dtype)
    assert X.shape == (T, batch_size, 2) and y.shape == (batch_size,)
    return X, y
