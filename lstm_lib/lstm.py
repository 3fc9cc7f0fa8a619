"""The LSTM cell in NumPy: one step, a whole sequence, and backpropagation through time.

This is the code chapters 04-10 build up piece by piece. The equations, for one time
step, with ``[h_{t-1}, x_t]`` the concatenation of the previous hidden state and the input
(hidden state first, as in the book's notation):

.. code-block:: text

    f_t = sigmoid(W_f [h_{t-1}, x_t] + b_f)      forget gate          (chapter 05)
    i_t = sigmoid(W_i [h_{t-1}, x_t] + b_i)      input gate           (chapter 06)
    g_t =    tanh(W_g [h_{t-1}, x_t] + b_g)      candidate values C~  (chapter 06)
    c_t = f_t * c_{t-1} + i_t * g_t              cell state update    (chapters 04, 07)
    o_t = sigmoid(W_o [h_{t-1}, x_t] + b_o)      output gate          (chapter 08)
    h_t = o_t * tanh(c_t)                        hidden state         (chapter 08)

Every ``W_k`` has shape (H, H + D): its first H columns act on ``h_{t-1}``, the last D on
``x_t``. ``*`` is the element-wise product (the book writes it as a circled dot).

PyTorch's fused layout (chapter 09). ``nn.LSTM`` stacks the four gates into
``weight_ih_l0`` (4H, D) and ``weight_hh_l0`` (4H, H), in the order **i, f, g, o**, and keeps
two bias vectors ``bias_ih_l0`` and ``bias_hh_l0`` (4H,) that are simply added. The two
biases cannot be told apart from outside (only their sum reaches any gate), so this
module keeps **one bias per gate, their sum**:

- :func:`from_torch` (and :func:`from_fused`) stores ``b_k = bias_ih[k] + bias_hh[k]``;
- :func:`to_torch` (and :meth:`LSTMParams.to_fused`) puts ``b_k`` in ``bias_ih`` and zeros in
  ``bias_hh``.

So "round trip" means: ``from_torch(to_torch(p))`` gives back arrays identical to ``p``'s,
bit for bit; ``to_torch(from_torch(m))`` has ``m``'s weights bit for bit, biases with the
same sum, and gives ``m``'s outputs up to float rounding of that sum (the tests check
1e-12 in float64).

Shapes, dtypes and bad input (the same in :mod:`lstm_lib.rnn` and :mod:`lstm_lib.gru`):
sequences are time-major, (T, B, D), or (T, D) for one unbatched sequence; :func:`step`
takes one example as 1-D vectors (D,) and (H,) or a batch as (B, D) and (B, H). Inputs,
states and parameters share one dtype, float32 or float64, which outputs and gradients
keep; mixing the two raises ``TypeError`` naming both (convert with ``p.astype(...)`` or
``X.astype(...)``), while lists and integer arrays are converted to the parameters' dtype.
A wrong shape raises ``ValueError`` with the expected and the actual shape; NaN or
infinity in any input raises ``ValueError`` with its position.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _checks
from .functional import sigmoid, tanh

__all__ = [
    "LSTMParams",
    "LSTMCache",
    "init_params",
    "step",
    "forward",
    "backward",
    "fused_weights",
    "from_fused",
    "from_torch",
    "to_torch",
]

TORCH_GATE_ORDER = ("i", "f", "g", "o")  # the order of the blocks in PyTorch's fused weights


@dataclass
class LSTMParams(_checks.ConcatParams):
    """The LSTM's weights, one matrix and one bias per gate (chapters 05-09).

    ``W_f, W_i, W_g, W_o`` have shape (H, H + D) and act on ``[h_{t-1}, x_t]``;
    ``b_f, b_i, b_g, b_o`` have shape (H,). :func:`backward` returns its gradients in the
    same dataclass, so ``grads.W_f`` is the gradient of ``W_f``.
    ``hidden_size``, ``input_size``, ``dtype``, ``arrays()``, ``astype()`` and ``check()``
    come from :class:`lstm_lib._checks.ConcatParams`, shared by the three cells.
    """

    W_f: np.ndarray
    W_i: np.ndarray
    W_g: np.ndarray
    W_o: np.ndarray
    b_f: np.ndarray
    b_i: np.ndarray
    b_g: np.ndarray
    b_o: np.ndarray

    def to_fused(self) -> dict[str, np.ndarray]:
        """PyTorch's fused layout (chapter 09), as NumPy arrays.

        Returns ``{"weight_ih": (4H, D), "weight_hh": (4H, H), "bias_ih": (4H,),
        "bias_hh": (4H,)}`` with gate blocks in the order i, f, g, o; ``bias_ih`` holds the
        biases and ``bias_hh`` is zero (only their sum matters).
        """
        H = self.hidden_size
        W = [getattr(self, f"W_{k}") for k in TORCH_GATE_ORDER]
        b = [getattr(self, f"b_{k}") for k in TORCH_GATE_ORDER]
        weight_ih = np.concatenate([W_k[:, H:] for W_k in W])  # the columns acting on x_t
        weight_hh = np.concatenate([W_k[:, :H] for W_k in W])  # the columns acting on h_{t-1}
        bias_ih = np.concatenate(b)
        return {
            "weight_ih": weight_ih,
            "weight_hh": weight_hh,
            "bias_ih": bias_ih,
            "bias_hh": np.zeros_like(bias_ih),
        }


@dataclass
class LSTMCache:
    """What :func:`forward` remembers for :func:`backward` (chapter 10).

    Shapes are batched even for an unbatched call: ``X`` (T, B, D); ``h`` and ``c`` (T + 1,
    B, H), where index 0 is the initial state; ``gates`` (T, B, 4H), the activated gates
    side by side in the order i, f, g, o (``cache.f`` or ``cache.gate("f")`` is one gate,
    (T, B, H)); ``tanh_c`` (T, B, H).
    """

    params: LSTMParams
    X: np.ndarray
    h: np.ndarray
    c: np.ndarray
    gates: np.ndarray
    tanh_c: np.ndarray
    unbatched: bool

    def gate(self, name: str) -> np.ndarray:
        """One gate's values for every step, (T, B, H): ``name`` is "i", "f", "g" or "o"."""
        H = self.h.shape[-1]
        n = TORCH_GATE_ORDER.index(name)
        return self.gates[:, :, n * H : (n + 1) * H]

    @property
    def i(self) -> np.ndarray:
        """The input gate i_t for every step, (T, B, H)."""
        return self.gate("i")

    @property
    def f(self) -> np.ndarray:
        """The forget gate f_t for every step, (T, B, H)."""
        return self.gate("f")

    @property
    def g(self) -> np.ndarray:
        """The candidate values g_t (C~_t) for every step, (T, B, H)."""
        return self.gate("g")

    @property
    def o(self) -> np.ndarray:
        """The output gate o_t for every step, (T, B, H)."""
        return self.gate("o")


def init_params(
    input_size: int,
    hidden_size: int,
    *,
    rng=None,
    dtype=np.float64,
    forget_bias: float | None = None,
) -> LSTMParams:
    """Random LSTM parameters with the same distribution as PyTorch's (chapter 09).

    Every weight is drawn uniformly from ``(-1/sqrt(H), 1/sqrt(H))``. PyTorch draws its two
    bias vectors, ``bias_ih`` and ``bias_hh``, from that range too, and only their sum acts;
    so each bias here is the sum of two such draws, spread over ``(-2/sqrt(H), 2/sqrt(H))``
    with twice the variance of one draw (chapter 05). ``forget_bias``, if
    given, sets every entry of ``b_f`` to that value instead: a positive forget bias (1.0
    is common, Gers et al. 2000; Jozefowicz et al. 2015) keeps the forget gate open at the
    start of training, so the cell state remembers by default (chapter 05).

    ``rng`` is a ``np.random.Generator``, an int seed, or None to follow NumPy's global
    seed. The values are drawn in float64 and then converted to ``dtype``, so float32 and
    float64 parameters from the same seed agree up to rounding.
    """
    _checks.sizes(input_size, hidden_size)
    dtype = _checks.float_dtype(dtype)
    rng = _checks.generator(rng)
    H, D = hidden_size, input_size
    bound = 1.0 / np.sqrt(H)

    def uniform(*shape):
        return rng.uniform(-bound, bound, size=shape).astype(dtype)

    weights = {f"W_{k}": uniform(H, H + D) for k in "figo"}
    biases = {f"b_{k}": uniform(H) + uniform(H) for k in "figo"}  # bias_ih + bias_hh
    if forget_bias is not None:
        biases["b_f"] = np.full(H, forget_bias, dtype=dtype)
    return LSTMParams(**weights, **biases)


def step(x, h, c, p: LSTMParams):
    """One LSTM step, written exactly as the equations (chapters 04-09).

    ``x`` has shape (D,) for one example or (B, D) for a batch; ``h`` and ``c`` have shape
    (H,) or (B, H) to match (None means zeros). Returns ``(h_new, c_new, cache)``, where
    ``cache`` is a dict of every intermediate value: ``"z"`` (the concatenation
    ``[h_{t-1}, x_t]``), the gates ``"f"``, ``"i"``, ``"g"``, ``"o"``, ``"c_prev"``, ``"c"``,
    ``"tanh_c"``, ``"h_prev"``, ``"h"``.
    """
    _checks.params(p, LSTMParams, "lstm")
    x2, unbatched = _checks.vector_or_batch(x, p.input_size, p.dtype, "x", "D")
    B = x2.shape[0]
    h = _checks.state(h, B, p.hidden_size, unbatched, p.dtype, "h")
    c = _checks.state(c, B, p.hidden_size, unbatched, p.dtype, "c")
    if unbatched:  # work on 1-D vectors, exactly as the chapters write them
        x, h, c = x2[0], h[0], c[0]
    else:
        x = x2

    z = np.concatenate([h, x], axis=-1)  # [h_{t-1}, x_t]
    f = sigmoid(z @ p.W_f.T + p.b_f)  # forget gate: how much of c_{t-1} to keep
    i = sigmoid(z @ p.W_i.T + p.b_i)  # input gate: how much of the candidate to write
    g = tanh(z @ p.W_g.T + p.b_g)  # candidate values C~_t
    o = sigmoid(z @ p.W_o.T + p.b_o)  # output gate: how much of the cell to show
    c_new = f * c + i * g  # the cell state update
    tanh_c = tanh(c_new)
    h_new = o * tanh_c

    cache = {"z": z, "f": f, "i": i, "g": g, "o": o, "c_prev": c, "c": c_new,
             "tanh_c": tanh_c, "h_prev": h, "h": h_new}
    return h_new, c_new, cache


def fused_weights(p: LSTMParams):
    """The four gates side by side, ready for one matrix product per step (chapter 09).

    Returns ``(W_x, W_h, b)`` with ``W_x`` (D, 4H), ``W_h`` (H, 4H) and ``b`` (4H,); the
    column blocks are in PyTorch's order i, f, g, o, so that
    ``x @ W_x + h @ W_h + b`` gives all four gates' pre-activations at once.
    """
    fused = p.to_fused()
    W_x = np.ascontiguousarray(fused["weight_ih"].T)  # transposed once, stored row by row
    W_h = np.ascontiguousarray(fused["weight_hh"].T)
    return W_x, W_h, fused["bias_ih"]


def forward(X, p: LSTMParams, h0=None, c0=None):
    """Run the LSTM over a whole sequence (chapter 09).

    ``X`` has shape (T, B, D), time first as in PyTorch, or (T, D) for one unbatched
    sequence; ``h0`` and ``c0`` have shape (B, H) or (H,) (None means zeros).

    Returns ``(outputs, (h_T, c_T), cache)``: ``outputs`` holds every ``h_t``, shape
    (T, B, H) or (T, H); ``cache`` is what :func:`backward` needs.

    It computes the same numbers as calling :func:`step` T times, organised for speed:

    1. the input's share of all four gates, for all T steps, in *one* matrix product
       before the loop (it does not depend on ``h``);
    2. inside the loop, one matrix product ``h @ W_h`` gives all four gates at once;
    3. the activations run on whole contiguous blocks rather than on column slices, and
       write their results straight into the cache.

    float32 input stays float32 throughout (the constants are Python numbers, which NumPy
    does not let widen an array's dtype), which halves the memory traffic of float64.
    """
    _checks.params(p, LSTMParams, "lstm")
    X, unbatched = _checks.sequence(X, p.input_size, p.dtype)
    T, B, D = X.shape
    H = p.hidden_size
    h = _checks.state(h0, B, H, unbatched, p.dtype, "h0")
    c = _checks.state(c0, B, H, unbatched, p.dtype, "c0")
    W_x, W_h, b = fused_weights(p)

    # 1. The input projection for every time step at once: (T*B, D) @ (D, 4H).
    A_x = (X.reshape(T * B, D) @ W_x).reshape(T, B, 4 * H)
    A_x += b  # in place: no second (T, B, 4H) array

    hs = np.empty((T + 1, B, H), dtype=p.dtype)
    cs = np.empty((T + 1, B, H), dtype=p.dtype)
    gates = np.empty((T, B, 4 * H), dtype=p.dtype)  # i, f, g, o after their activations
    tanh_cs = np.empty((T, B, H), dtype=p.dtype)
    hs[0], cs[0] = h, c
    for t in range(T):
        # 2. All four gates' pre-activations with one (B, H) @ (H, 4H) product.
        a = A_x[t] + hs[t] @ W_h
        # 3. One sigmoid over the whole (B, 4H) block, then tanh for g's block (faster
        #    than three calls on column slices, which are not contiguous in memory),
        #    written straight into the cache with ``out=``.
        sigmoid(a, out=gates[t])
        tanh(a[:, 2 * H : 3 * H], out=gates[t, :, 2 * H : 3 * H])
        i, f, g, o = (gates[t, :, n * H : (n + 1) * H] for n in range(4))
        cs[t + 1] = f * cs[t] + i * g  # the cell state update (chapter 07)
        tanh(cs[t + 1], out=tanh_cs[t])
        hs[t + 1] = o * tanh_cs[t]  # the hidden state (chapter 08)

    cache = LSTMCache(p, X, hs, cs, gates, tanh_cs, unbatched)
    outputs, h_T, c_T = hs[1:].copy(), hs[T].copy(), cs[T].copy()
    if unbatched:
        outputs, h_T, c_T = outputs[:, 0], h_T[0], c_T[0]
    return outputs, (h_T, c_T), cache


def backward(d_outputs, cache: LSTMCache, d_final=None):
    """Backpropagation through time for :func:`forward` (chapter 10).

    ``d_outputs`` is the loss's gradient with respect to ``outputs`` (same shape; None
    means zeros, e.g. when the loss only looks at the final state). ``d_final`` is
    ``(dh_T, dc_T)``, the gradient with respect to the final state (None, or either part
    None, means zeros).

    Returns ``(dX, (dh_0, dc_0), grads)``: the gradients with respect to the input, the
    initial state and the parameters (an :class:`LSTMParams`).

    The loop walks back in time and only computes what depends on the step before: the
    gradient of each gate's pre-activation, ``dA[t]``. What does not is moved out of it:
    the activations' derivatives are computed for all steps before the loop, and the
    weight gradients (sums over time of outer products) after it, one matrix product each.
    """
    if not isinstance(cache, LSTMCache):
        raise TypeError(f"cache must be the LSTMCache returned by lstm.forward, "
                        f"got {type(cache).__name__}")
    p, X = cache.params, cache.X
    T, B, D = X.shape
    H = p.hidden_size
    batch_shape = (B, H) if not cache.unbatched else (H,)
    seq_shape = (T, B, H) if not cache.unbatched else (T, H)
    if d_final is None:
        d_final = (None, None)
    if not isinstance(d_final, tuple | list) or len(d_final) != 2:
        raise TypeError("d_final must be a pair (dh_T, dc_T) (either may be None), "
                        f"got {type(d_final).__name__}")
    dh = _checks.gradient(d_final[0], batch_shape, p.dtype, "dh_T").reshape(B, H)
    dc = _checks.gradient(d_final[1], batch_shape, p.dtype, "dc_T").reshape(B, H)
    d_outputs = _checks.gradient(d_outputs, seq_shape, p.dtype, "d_outputs").reshape(T, B, H)
    W_x, W_h, _ = fused_weights(p)

    # The activations' local derivatives do not depend on the incoming gradient, so they
    # are computed for all steps at once, before the loop.
    gates = cache.gates
    d_act = gates * (1 - gates)  # sigmoid' = s (1 - s) for the blocks i, f, o
    d_act[:, :, 2 * H : 3 * H] = 1 - gates[:, :, 2 * H : 3 * H] ** 2  # tanh' for g
    d_tanh_c = 1 - cache.tanh_c**2

    dA = np.empty((T, B, 4 * H), dtype=p.dtype)  # gradients of the gates' pre-activations
    for t in reversed(range(T)):
        i, f, g, o = (gates[t, :, n * H : (n + 1) * H] for n in range(4))
        dh = dh + d_outputs[t]  # h_t feeds the output and the next step
        dc = dc + dh * o * d_tanh_c[t]  # h_t = o_t * tanh(c_t); c_t also feeds c_{t+1}
        # c_t = f_t * c_{t-1} + i_t * g_t and h_t = o_t * tanh(c_t) give, for i, f, g, o:
        d_gates = np.concatenate([dc * g, dc * cache.c[t], dc * i, dh * cache.tanh_c[t]], axis=1)
        dA[t] = d_gates * d_act[t]  # back through the sigmoids and the tanh
        dc = dc * f  # to c_{t-1}: along the cell state, scaled only by the forget gate
        dh = dA[t] @ W_h.T  # to h_{t-1}: back through all four gates at once

    # After the loop: every weight gradient in one product over all T*B rows.
    dA_rows = dA.reshape(T * B, 4 * H)
    dW_x = X.reshape(T * B, D).T @ dA_rows  # (D, 4H)
    dW_h = cache.h[:-1].reshape(T * B, H).T @ dA_rows  # (H, 4H)
    db = dA_rows.sum(axis=0)
    dX = (dA_rows @ W_x.T).reshape(T, B, D)
    grads = from_fused(dW_x.T, dW_h.T, db)
    if cache.unbatched:
        return dX[:, 0], (dh[0], dc[0]), grads
    return dX, (dh, dc), grads


def from_fused(weight_ih, weight_hh, bias_ih=None, bias_hh=None) -> LSTMParams:
    """Split PyTorch's fused arrays (NumPy) into per-gate parameters (chapter 09).

    ``weight_ih`` (4H, D) and ``weight_hh`` (4H, H) hold the blocks i, f, g, o;
    ``W_k = [weight_hh[k] | weight_ih[k]]`` (hidden columns first). The bias is
    ``b_k = bias_ih[k] + bias_hh[k]`` (a missing bias counts as zero).
    """
    weight_ih, weight_hh, H = _checks.fused_arrays(
        {"weight_ih": weight_ih, "weight_hh": weight_hh}, blocks=4)
    bias = (_checks.fused_bias(bias_ih, 4, H, "bias_ih", weight_hh.dtype)
            + _checks.fused_bias(bias_hh, 4, H, "bias_hh", weight_hh.dtype))
    params = {}
    for n, k in enumerate(TORCH_GATE_ORDER):
        rows = slice(n * H, (n + 1) * H)
        params[f"W_{k}"] = np.concatenate([weight_hh[rows], weight_ih[rows]], axis=1)
        params[f"b_{k}"] = bias[rows].copy()
    result = LSTMParams(**{name: params[name] for name in
                           ("W_f", "W_i", "W_g", "W_o", "b_f", "b_i", "b_g", "b_o")})
    result.check()
    return result


def from_torch(module) -> LSTMParams:
    """Parameters of a PyTorch ``nn.LSTM`` (one layer, one direction) or ``nn.LSTMCell``.

    Chapter 09 uses this to show that the NumPy code and ``nn.LSTM`` compute the same
    thing. The two PyTorch biases are stored as their sum (see the module docstring).
    ``batch_first`` does not matter here: it changes the input layout, not the weights;
    :func:`forward` always takes time-major input.
    """
    import torch.nn as nn

    names = _checks.torch_module(module, nn.LSTM, nn.LSTMCell, "nn.LSTM")
    return from_fused(*(_checks.numpy_from_torch(getattr(module, name, None)) for name in names))


def to_torch(p: LSTMParams, *, cell: bool = False, batch_first: bool = False):
    """A PyTorch ``nn.LSTM`` (or ``nn.LSTMCell`` with ``cell=True``) holding ``p``.

    Chapter 09. The module has ``p``'s dtype (float32 or float64); ``bias_ih`` holds the
    biases and ``bias_hh`` is zero. ``batch_first`` is passed on to ``nn.LSTM``.
    """
    import torch.nn as nn

    _checks.params(p, LSTMParams, "lstm")
    dtype = _checks.torch_dtype(p.dtype)
    if cell:
        module = nn.LSTMCell(p.input_size, p.hidden_size, dtype=dtype)
    else:
        module = nn.LSTM(p.input_size, p.hidden_size, batch_first=batch_first, dtype=dtype)
    _checks.copy_into_torch(module, p.to_fused(), suffix="" if cell else "_l0")
    return module
