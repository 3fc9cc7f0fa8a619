"""Activation functions for the NumPy cells, written so that they never overflow.

Chapter 01 meets tanh, chapter 05 meets the sigmoid (every gate is one), and chapter 02
uses their derivatives to explain why gradients vanish. All functions work element-wise
on arrays of any shape and keep a float32 or float64 input's dtype.

Why "numerically stable"? The textbook formula ``1 / (1 + exp(-x))`` computes
``exp(1000)`` for ``x = -1000``, which overflows (NumPy warns and returns ``inf``). The
sigmoid below uses ``tanh`` instead, which only ever returns numbers in [-1, 1], so it
never overflows or warns, whatever the input's magnitude.

Like every NumPy function these work element by element, so a NaN in the input gives NaN
in that element of the output, and ``+inf``/``-inf`` map to the limits 1 and 0 (sigmoid) or
1 and -1 (tanh). Checking for NaN is the job of the cells (``lstm_lib.rnn``, ``lstm``,
``gru``), which refuse NaN and infinity in their inputs once, on entry, instead of at
every one of the thousands of calls they make to these functions.
"""

from __future__ import annotations

import numpy as np

__all__ = ["sigmoid", "sigmoid_derivative", "tanh", "tanh_derivative"]


def _as_float_array(x) -> np.ndarray:
    """Turn ``x`` into a float array (float32/float64 kept, integers become float64)."""
    x = np.asarray(x)
    if x.dtype.kind in "biu":
        x = x.astype(np.float64)
    if x.dtype.kind != "f":
        raise TypeError(f"x must be a real floating-point array, got dtype {x.dtype}")
    return x


def sigmoid(x, out=None):
    """Logistic sigmoid ``1 / (1 + exp(-x))``, squashing any real number into (0, 1).

    Taught in chapter 05 (the forget gate; every gate is a sigmoid). Computed through the
    identity ``sigmoid(x) = (1 + tanh(x / 2)) / 2``: tanh never overflows, so this is
    stable for inputs of any magnitude and costs one transcendental function per element.
    The absolute error is at the level of rounding (1e-16 in float64); for very negative
    inputs (below about -37 in float64) the result rounds to 0.0 instead of a tiny
    positive number.

    ``out``, as in NumPy, is an optional array (of ``x``'s shape and dtype) to write the
    result into instead of a new one; the cells use it to fill their caches directly.
    """
    x = _as_float_array(x)
    if out is None:
        out = np.empty_like(x)
    np.multiply(x, 0.5, out=out)
    np.tanh(out, out=out)
    out *= 0.5
    out += 0.5
    return out if out.ndim else out[()]  # a NumPy scalar for a scalar input


def sigmoid_derivative(x):
    """Derivative of the sigmoid, ``sigmoid(x) * (1 - sigmoid(x))``; at most 0.25 (at 0).

    Taught in chapter 02 (vanishing gradients: each step through a sigmoid multiplies the
    gradient by at most 1/4) and used in chapter 10's backward pass.
    """
    s = sigmoid(x)
    return s * (1 - s)


def tanh(x, out=None):
    """Hyperbolic tangent, squashing any real number into (-1, 1).

    Taught in chapter 01 (the RNN's activation) and chapter 06 (the candidate values).
    NumPy's ``np.tanh`` is already stable (``tanh(1e4)`` is exactly 1.0 with no warning);
    this wrapper only turns lists and integers into float arrays, as :func:`sigmoid` does.
    ``out`` is an optional array to write the result into, as in NumPy.
    """
    return np.tanh(_as_float_array(x), out=out)


def tanh_derivative(x):
    """Derivative of tanh, ``1 - tanh(x)**2``; at most 1 (at 0), tiny for large ``|x|``.

    Taught in chapter 02 (vanishing gradients through a tanh RNN) and chapter 10.
    """
    t = tanh(x)
    return 1 - t * t
