"""Activation functions for the NumPy cells, written so that they never overflow.

Chapter 01 meets tanh, chapter 05 meets the sigmoid (every gate is one), and chapter 02
uses their derivatives to explain why gradients vanish. All functions work element-wise
on arrays of any shape and keep a float32 or float64 input's dtype.

Why "numerically stable"? The textbook formula ``1 / (1 + exp(-x))`` computes
``exp(1000)`` for ``x = -1000``, which overflows (NumPy warns and returns ``inf``). The
version below only ever computes ``exp(-|x|)``, a number between 0 and 1, so it is exact
to the last bit for large inputs of either sign and never warns.

NaN in the input raises ``ValueError`` (a NaN usually means a bug upstream, and silently
passing it on hides where it came from). ``+inf`` and ``-inf`` are fine: they map to the
limits 1 and 0 (sigmoid) or 1 and -1 (tanh).
"""

from __future__ import annotations

import numpy as np

__all__ = ["sigmoid", "sigmoid_derivative", "tanh", "tanh_derivative"]


def _as_float_array(x, name: str = "x") -> np.ndarray:
    """Turn ``x`` into a float array (float32/float64 kept, integers become float64)."""
    x = np.asarray(x)
    if x.dtype.kind in "biu":
        x = x.astype(np.float64)
    if x.dtype.kind != "f":
        raise TypeError(f"{name} must be a real floating-point array, got dtype {x.dtype}")
    if np.isnan(x).any():
        raise ValueError(f"{name} contains NaN; refusing to pass it on silently")
    return x


def sigmoid(x):
    """Logistic sigmoid ``1 / (1 + exp(-x))``, squashing any real number into (0, 1).

    Taught in chapter 05 (the forget gate; every gate is a sigmoid). Stable for inputs of
    any magnitude: for ``x >= 0`` it uses ``1 / (1 + exp(-x))`` and for ``x < 0`` the equal
    form ``exp(x) / (1 + exp(x))``, so ``exp`` only ever sees a non-positive number.
    """
    x = _as_float_array(x)
    z = np.exp(-np.abs(x))  # in (0, 1]: cannot overflow
    return np.where(x >= 0, 1 / (1 + z), z / (1 + z))


def sigmoid_derivative(x):
    """Derivative of the sigmoid, ``sigmoid(x) * (1 - sigmoid(x))``; at most 0.25 (at 0).

    Taught in chapter 02 (vanishing gradients: each step through a sigmoid multiplies the
    gradient by at most 1/4) and used in chapter 10's backward pass.
    """
    s = sigmoid(x)
    return s * (1 - s)


def tanh(x):
    """Hyperbolic tangent, squashing any real number into (-1, 1).

    Taught in chapter 01 (the RNN's activation) and chapter 06 (the candidate values).
    NumPy's ``np.tanh`` is already stable (``tanh(1e4)`` is exactly 1.0 with no warning);
    this wrapper adds the same input checks as :func:`sigmoid`.
    """
    return np.tanh(_as_float_array(x))


def tanh_derivative(x):
    """Derivative of tanh, ``1 - tanh(x)**2``; at most 1 (at 0), tiny for large ``|x|``.

    Taught in chapter 02 (vanishing gradients through a tanh RNN) and chapter 10.
    """
    t = tanh(x)
    return 1 - t * t
