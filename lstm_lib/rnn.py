"""The plain (Elman) recurrent network with tanh, in NumPy: forward and backward.

Chapter 01 builds it; chapter 02 uses its backward pass to show gradients vanishing and
exploding. One step, with ``[h_{t-1}, x_t]`` the concatenation of the previous hidden
state and the input (hidden state first, as everywhere in the book):

.. code-block:: text

    h_t = tanh(W [h_{t-1}, x_t] + b)

``W`` has shape (H, H + D). Many texts write the same thing with two matrices,
``tanh(W_hh h_{t-1} + W_xh x_t + b)``: ``W_hh`` is ``W[:, :H]`` and ``W_xh`` is ``W[:, H:]``.

PyTorch's ``nn.RNN`` stores ``weight_ih_l0`` = ``W[:, H:]`` (H, D), ``weight_hh_l0`` =
``W[:, :H]`` (H, H) and two biases that are simply added. As in :mod:`lstm_lib.lstm`,
:func:`from_torch` keeps their sum ``b = bias_ih + bias_hh`` and :func:`to_torch` writes
``b`` into ``bias_ih`` and zeros into ``bias_hh``. ``from_torch(to_torch(p))`` gives back
``p``'s arrays bit for bit; ``to_torch(from_torch(m))`` has ``m``'s weights bit for bit and
gives its outputs up to float rounding of the bias sum.

Shapes, dtypes and the errors raised for bad input are as described in
:mod:`lstm_lib.lstm`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _checks
from .functional import tanh

__all__ = [
    "RNNParams",
    "RNNCache",
    "init_params",
    "step",
    "forward",
    "backward",
    "from_fused",
    "from_torch",
    "to_torch",
]


@dataclass
class RNNParams(_checks.ConcatParams):
    """The RNN's weights (chapter 01): ``W`` (H, H + D) acting on ``[h_{t-1}, x_t]``, ``b`` (H,).

    :func:`backward` returns its gradients in the same dataclass.
    ``hidden_size``, ``input_size``, ``dtype``, ``arrays()``, ``astype()`` and ``check()``
    come from :class:`lstm_lib._checks.ConcatParams`, shared by the three cells.
    """

    W: np.ndarray
    b: np.ndarray

    def to_fused(self) -> dict[str, np.ndarray]:
        """PyTorch's layout: ``weight_ih`` (H, D), ``weight_hh`` (H, H), ``bias_ih``, ``bias_hh``.

        ``bias_ih`` holds ``b`` and ``bias_hh`` is zero (only their sum matters).
        """
        H = self.hidden_size
        return {
            "weight_ih": self.W[:, H:].copy(),
            "weight_hh": self.W[:, :H].copy(),
            "bias_ih": self.b.copy(),
            "bias_hh": np.zeros_like(self.b),
        }


@dataclass
class RNNCache:
    """What :func:`forward` remembers for :func:`backward` (chapter 02).

    ``X`` is (T, B, D) and ``h`` is (T + 1, B, H) with ``h[0]`` the initial state, even for
    an unbatched call.
    """

    params: RNNParams
    X: np.ndarray
    h: np.ndarray
    unbatched: bool


def init_params(input_size: int, hidden_size: int, *, rng=None, dtype=np.float64) -> RNNParams:
    """Random RNN parameters with the same distribution as PyTorch's (chapter 01).

    Every weight is drawn uniformly from ``(-1/sqrt(H), 1/sqrt(H))``; the bias is the sum of
    two such draws, because PyTorch adds its two bias vectors ``bias_ih`` and ``bias_hh``
    (chapter 05). ``rng`` is a
    ``np.random.Generator``, an int seed, or None to follow NumPy's global seed; values are
    drawn in float64 and converted to ``dtype``.
    """
    _checks.sizes(input_size, hidden_size)
    dtype = _checks.float_dtype(dtype)
    rng = _checks.generator(rng)
    H, D = hidden_size, input_size
    bound = 1.0 / np.sqrt(H)
    W = rng.uniform(-bound, bound, size=(H, H + D)).astype(dtype)
    b = (rng.uniform(-bound, bound, size=H) + rng.uniform(-bound, bound, size=H)).astype(dtype)
    return RNNParams(W=W, b=b)


def step(x, h, p: RNNParams):
    """One RNN step, ``h_t = tanh(W [h_{t-1}, x_t] + b)`` (chapter 01).

    ``x`` has shape (D,) or (B, D); ``h`` has shape (H,) or (B, H) to match (None means
    zeros). Returns ``(h_new, cache)`` with ``cache`` a dict: ``"z"`` (the concatenation
    ``[h_{t-1}, x_t]``), ``"a"`` (the pre-activation), ``"h_prev"``, ``"h"``.
    """
    _checks.params(p, RNNParams, "rnn")
    x2, unbatched = _checks.vector_or_batch(x, p.input_size, p.dtype, "x", "D")
    h = _checks.state(h, x2.shape[0], p.hidden_size, unbatched, p.dtype, "h")
    x, h = (x2[0], h[0]) if unbatched else (x2, h)

    z = np.concatenate([h, x], axis=-1)  # [h_{t-1}, x_t]
    a = z @ p.W.T + p.b
    h_new = tanh(a)
    return h_new, {"z": z, "a": a, "h_prev": h, "h": h_new}


def forward(X, p: RNNParams, h0=None):
    """Run the RNN over a sequence (chapter 01).

    ``X`` has shape (T, B, D), time first, or (T, D) for one unbatched sequence; ``h0`` has
    shape (B, H) or (H,) (None means zeros). Returns ``(outputs, h_T, cache)``: ``outputs``
    holds every ``h_t``, shape (T, B, H) or (T, H).

    The input's share ``x_t @ W_xh`` does not depend on the hidden state, so it is computed
    for all time steps in one matrix product before the loop.
    """
    _checks.params(p, RNNParams, "rnn")
    X, unbatched = _checks.sequence(X, p.input_size, p.dtype)
    T, B, D = X.shape
    H = p.hidden_size
    hs = np.empty((T + 1, B, H), dtype=p.dtype)
    hs[0] = _checks.state(h0, B, H, unbatched, p.dtype, "h0")
    W_h = np.ascontiguousarray(p.W[:, :H].T)  # (H, H), ready for row vectors
    W_x = np.ascontiguousarray(p.W[:, H:].T)  # (D, H)

    A_x = (X.reshape(T * B, D) @ W_x).reshape(T, B, H)  # all steps at once
    A_x += p.b  # in place: no second (T, B, H) array
    for t in range(T):
        hs[t + 1] = tanh(A_x[t] + hs[t] @ W_h)

    cache = RNNCache(p, X, hs, unbatched)
    outputs, h_T = hs[1:].copy(), hs[T].copy()
    if unbatched:
        return outputs[:, 0], h_T[0], cache
    return outputs, h_T, cache


def backward(d_outputs, cache: RNNCache, d_final=None):
    """Backpropagation through time for :func:`forward` (chapter 02).

    ``d_outputs`` is the loss's gradient with respect to ``outputs`` (same shape; None
    means zeros) and ``d_final`` the gradient with respect to ``h_T`` (None means zeros).
    Returns ``(dX, dh_0, grads)`` with ``grads`` an :class:`RNNParams`.

    Each step back multiplies the gradient by ``diag(1 - h_t**2) @ W_hh``: chapter 02's
    reason why it shrinks or grows geometrically with the distance in time.
    """
    if not isinstance(cache, RNNCache):
        raise TypeError(f"cache must be the RNNCache returned by rnn.forward, "
                        f"got {type(cache).__name__}")
    p, X, hs = cache.params, cache.X, cache.h
    T, B, D = X.shape
    H = p.hidden_size
    state_shape, seq_shape = ((H,), (T, H)) if cache.unbatched else ((B, H), (T, B, H))
    dh = _checks.gradient(d_final, state_shape, p.dtype, "d_final").reshape(B, H)
    d_outputs = _checks.gradient(d_outputs, seq_shape, p.dtype, "d_outputs").reshape(T, B, H)
    W_h, W_x = p.W[:, :H], p.W[:, H:]

    dA = np.empty((T, B, H), dtype=p.dtype)  # gradients of the pre-activations
    for t in reversed(range(T)):
        dh = dh + d_outputs[t]
        dA[t] = dh * (1 - hs[t + 1] * hs[t + 1])  # through the tanh
        dh = dA[t] @ W_h  # to h_{t-1}

    dA_rows = dA.reshape(T * B, H)
    dW_h = dA_rows.T @ hs[:-1].reshape(T * B, H)  # summed over all steps in one product
    dW_x = dA_rows.T @ X.reshape(T * B, D)
    grads = RNNParams(W=np.concatenate([dW_h, dW_x], axis=1), b=dA_rows.sum(axis=0))
    dX = (dA_rows @ W_x).reshape(T, B, D)
    if cache.unbatched:
        return dX[:, 0], dh[0], grads
    return dX, dh, grads


def from_fused(weight_ih, weight_hh, bias_ih=None, bias_hh=None) -> RNNParams:
    """Parameters from PyTorch-layout NumPy arrays (chapter 01).

    ``W = [weight_hh | weight_ih]`` (hidden columns first), ``b = bias_ih + bias_hh``
    (a missing bias counts as zero).
    """
    weight_ih, weight_hh, H = _checks.fused_arrays(
        {"weight_ih": weight_ih, "weight_hh": weight_hh}, blocks=1)
    b = (_checks.fused_bias(bias_ih, 1, H, "bias_ih", weight_hh.dtype)
         + _checks.fused_bias(bias_hh, 1, H, "bias_hh", weight_hh.dtype))
    params = RNNParams(W=np.concatenate([weight_hh, weight_ih], axis=1), b=b)
    params.check()
    return params


def from_torch(module) -> RNNParams:
    """Parameters of a PyTorch ``nn.RNN`` (tanh, one layer, one direction) or ``nn.RNNCell``.

    Chapter 01. The two PyTorch biases are stored as their sum (see the module docstring).
    """
    import torch.nn as nn

    names = _checks.torch_module(module, nn.RNN, nn.RNNCell, "nn.RNN")
    if module.nonlinearity != "tanh":
        raise ValueError(f"only nonlinearity='tanh' is supported, got {module.nonlinearity!r}")
    return from_fused(*(_checks.numpy_from_torch(getattr(module, name, None)) for name in names))


def to_torch(p: RNNParams, *, cell: bool = False, batch_first: bool = False):
    """A PyTorch ``nn.RNN`` (or ``nn.RNNCell`` with ``cell=True``) holding ``p`` (chapter 01).

    Same dtype as ``p``; ``bias_ih`` holds ``b`` and ``bias_hh`` is zero.
    """
    import torch.nn as nn

    _checks.params(p, RNNParams, "rnn")
    dtype = _checks.torch_dtype(p.dtype)
    if cell:
        module = nn.RNNCell(p.input_size, p.hidden_size, dtype=dtype)
    else:
        module = nn.RNN(p.input_size, p.hidden_size, batch_first=batch_first, dtype=dtype)
    _checks.copy_into_torch(module, p.to_fused(), suffix="" if cell else "_l0")
    return module
