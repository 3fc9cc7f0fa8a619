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

Layers and directions (chapter 09). A multi-layer or bidirectional ``nn.LSTM`` is a list of
such cells: :func:`from_state_dict` reads its ``state_dict`` into ``layers``, a list with one
entry per layer, each a tuple of one :class:`LSTMParams` (one direction) or two (forward,
backward); :func:`forward_layers` runs them exactly as ``nn.LSTM`` does (no dropout) and
returns ``(output, (h_n, c_n))`` in ``nn.LSTM``'s shapes, ``batch_first`` included;
:func:`init_layers` and :func:`to_state_dict` go the other way.

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

import re
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
    "init_layers",
    "forward_layers",
    "from_state_dict",
    "to_state_dict",
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

    if isinstance(module, nn.LSTM) and (module.num_layers != 1 or module.bidirectional) \
            and module.proj_size == 0:
        raise ValueError(
            f"from_torch reads one layer and one direction; this nn.LSTM has "
            f"num_layers={module.num_layers}, bidirectional={module.bidirectional}. "
            f"Use lstm.from_state_dict(module.state_dict()) and lstm.forward_layers for it")
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


# ----------------------------------------------------------------------------------------
# Layers and directions: what nn.LSTM(num_layers=..., bidirectional=...) computes (chapter 09)
# ----------------------------------------------------------------------------------------


def _as_layers(layers) -> list[tuple[LSTMParams, ...]]:
    """Check ``layers`` (see :func:`forward_layers`) and return it as a list of tuples."""
    if isinstance(layers, LSTMParams) or not isinstance(layers, list | tuple) or not layers:
        raise TypeError("layers must be a non-empty list with one entry per layer, each an "
                        "LSTMParams or a pair (forward, backward) of them; "
                        f"got {type(layers).__name__}")
    result = []
    for n, layer in enumerate(layers):
        directions = (layer,) if isinstance(layer, LSTMParams) else tuple(layer)
        if len(directions) not in (1, 2) or not all(isinstance(p, LSTMParams)
                                                  for p in directions):
            raise TypeError(f"layers[{n}] must be an LSTMParams or a pair (forward, backward) "
                            f"of LSTMParams, got {type(layer).__name__}")
        for p in directions:
            p.check()
        result.append(directions)
    first = result[0][0]
    H, k = first.hidden_size, len(result[0])
    for n, directions in enumerate(result):
        if len(directions) != k:
            raise ValueError(f"every layer needs the same number of directions: layers[0] has "
                             f"{k}, layers[{n}] has {len(directions)}")
        for p in directions:
            if p.hidden_size != H or p.dtype != first.dtype:
                raise ValueError(f"layers[{n}] has hidden size {p.hidden_size} and dtype "
                                 f"{p.dtype}; layers[0] has {H} and {first.dtype}")
            if n > 0 and p.input_size != k * H:
                raise ValueError(f"layers[{n}] reads the {k * H} outputs of the layer below "
                                 f"({k} direction(s) of H={H}), so its input size must be "
                                 f"{k * H}, got {p.input_size}")
        if n > 0 and len({p.input_size for p in directions}) != 1:
            raise ValueError(f"the directions of layers[{n}] have different input sizes")
    if len({p.input_size for p in result[0]}) != 1:
        raise ValueError("the directions of layers[0] have different input sizes")
    return result


def init_layers(input_size: int, hidden_size: int, num_layers: int = 1,
                bidirectional: bool = False, *, rng=None, dtype=np.float64):
    """Random parameters for a stack of LSTM layers, as :func:`forward_layers` takes them.

    Chapter 09. Layer 0 reads ``input_size`` features; every layer above reads the
    ``k * hidden_size`` outputs of the layer below (k = 2 directions if ``bidirectional``,
    else 1). Each cell is drawn by :func:`init_params` with the same ``rng``.
    """
    _checks.sizes(input_size, hidden_size)
    if isinstance(num_layers, bool) or not isinstance(num_layers, int) or num_layers < 1:
        raise ValueError(f"num_layers must be a positive integer, got {num_layers!r}")
    if not isinstance(bidirectional, bool | np.bool_):
        raise TypeError(f"bidirectional must be True or False, got {bidirectional!r}")
    rng = _checks.generator(rng)
    k = 2 if bidirectional else 1
    layers = []
    for n in range(num_layers):
        D = input_size if n == 0 else k * hidden_size
        layers.append(tuple(init_params(D, hidden_size, rng=rng, dtype=dtype) for _ in range(k)))
    return layers


def _stacked_state(value, n_states: int, batch: int, H: int, unbatched: bool, dtype, name):
    """Check ``h0``/``c0`` of shape (L*k, B, H), or (L*k, H) unbatched; None means zeros."""
    if value is None:
        return np.zeros((n_states, batch, H), dtype=dtype)
    array = _checks.as_array(value, name, dtype)
    expected = (n_states, H) if unbatched else (n_states, batch, H)
    if array.shape != expected:
        raise ValueError(f"{name} must have shape {expected} (num_layers * num_directions, "
                         f"{'' if unbatched else 'B, '}H), as nn.LSTM's; it is not affected "
                         f"by batch_first. Got {array.shape}")
    _checks.check_finite(array, name)
    return array.reshape(n_states, batch, H)


def forward_layers(X, layers, h0=None, c0=None, *, batch_first: bool = False):
    """Run a stack of LSTM layers, each in one or two directions, exactly as ``nn.LSTM``.

    Chapter 09. ``layers`` is a list with one entry per layer, each an :class:`LSTMParams`
    (one direction) or a pair ``(forward, backward)`` (what :func:`from_state_dict` returns).
    ``X`` is (T, B, D), or (B, T, D) with ``batch_first=True``, or (T, D) unbatched;
    ``h0`` and ``c0`` are (L*k, B, H) (or (L*k, H) unbatched), with row ``l*k + d`` for
    layer ``l`` and direction ``d``, whatever ``batch_first`` says (None means zeros).

    Returns ``(output, (h_n, c_n))`` as ``nn.LSTM`` does: ``output`` holds the top layer's
    ``h_t`` for every t, the two directions side by side, shape (T, B, k*H) (or (B, T, k*H)
    with ``batch_first``); ``h_n`` and ``c_n`` (L*k, B, H) hold every layer's and
    direction's *final* state. The backward direction reads the sequence from x_T to x_1,
    so its final state is ``output[0, :, H:]``, not ``output[-1, :, H:]``.

    Each layer is :func:`forward` run once per direction (the backward one on the reversed
    sequence, its outputs reversed back); layer l + 1 reads layer l's ``output``.
    Forward only: :func:`backward` is for one layer and one direction.
    """
    layers = _as_layers(layers)
    first = layers[0][0]
    dtype, H, k, L = first.dtype, first.hidden_size, len(layers[0]), len(layers)
    X = _checks.as_array(X, "X", dtype)
    if X.ndim == 3 and batch_first:
        if X.shape[-1] != first.input_size:
            raise ValueError(f"X must have shape (B, T, {first.input_size}) with "
                             f"batch_first=True, got {X.shape}")
        X = X.transpose(1, 0, 2)  # to (T, B, D)
    X, unbatched = _checks.sequence(X, first.input_size, dtype)
    T, B, _ = X.shape
    h0 = _stacked_state(h0, L * k, B, H, unbatched, dtype, "h0")
    c0 = _stacked_state(c0, L * k, B, H, unbatched, dtype, "c0")

    inputs = X  # the sequence the next layer reads, (T, B, D) then (T, B, k*H)
    h_n, c_n = [], []
    for n, directions in enumerate(layers):
        outputs = []
        for d, p in enumerate(directions):
            row = n * k + d
            sequence = inputs if d == 0 else inputs[::-1]  # the backward direction: x_T first
            out, (h_T, c_T), _ = forward(sequence, p, h0[row], c0[row])
            outputs.append(out if d == 0 else out[::-1])  # back in time order
            h_n.append(h_T)
            c_n.append(c_T)
        inputs = np.concatenate(outputs, axis=-1)  # (T, B, k*H): directions side by side
    output, h_n, c_n = inputs, np.stack(h_n), np.stack(c_n)
    if unbatched:
        return output[:, 0], (h_n[:, 0], c_n[:, 0])
    if batch_first:
        output = np.ascontiguousarray(output.transpose(1, 0, 2))
    return output, (h_n, c_n)


_STATE_DICT_NAME = re.compile(
    r"^(weight_ih|weight_hh|bias_ih|bias_hh|weight_hr)_l(\d+)(_reverse)?$")


def from_state_dict(state_dict) -> list[tuple[LSTMParams, ...]]:
    """Read an ``nn.LSTM``'s ``state_dict()`` into ``layers`` for :func:`forward_layers`.

    Chapter 09. Works for any ``num_layers``, ``bidirectional`` and ``bias``, read from the
    names (``weight_ih_l{k}``, ``..._reverse``); tensors or NumPy arrays (float32 or
    float64). Each direction of each layer becomes an :class:`LSTMParams` via
    :func:`from_fused`, so its bias is ``bias_ih + bias_hh``. An ``nn.LSTM`` itself is
    accepted too. Projections (``proj_size > 0``) cannot be represented and are refused.
    """
    if hasattr(state_dict, "state_dict") and callable(state_dict.state_dict):
        state_dict = state_dict.state_dict()
    if not hasattr(state_dict, "items"):
        raise TypeError(f"expected an nn.LSTM state_dict (a mapping of names to tensors), "
                        f"got {type(state_dict).__name__}")
    arrays, found = {}, {}
    for name, value in state_dict.items():
        match = _STATE_DICT_NAME.match(name)
        if match is None:
            prefix, _, last = name.rpartition(".")
            hint = (f"; this looks like the state_dict of a model that contains an LSTM: "
                    f"pass that submodule's state_dict (model.{prefix}.state_dict()), or "
                    f"strip the prefix {prefix + '.'!r} from the names"
                    if prefix and _STATE_DICT_NAME.match(last) else "")
            raise ValueError(f"unexpected entry {name!r}: an nn.LSTM state_dict holds "
                             f"weight_ih_l0, weight_hh_l0, bias_ih_l0, ... only{hint}")
        kind, layer, reverse = match.group(1), int(match.group(2)), bool(match.group(3))
        if kind == "weight_hr":
            raise ValueError("this LSTM has projections (proj_size > 0, weight_hr_l*), which "
                             "lstm_lib does not represent")
        array = (_checks.numpy_from_torch(value) if hasattr(value, "detach")
                 else np.array(value, copy=True))
        arrays[name] = array
        found.setdefault(layer, set()).add(int(reverse))
    if not found:
        raise ValueError("the state_dict is empty")
    L = max(found) + 1
    directions = found[0]
    if sorted(found) != list(range(L)) or any(found[n] != directions for n in found) \
            or 0 not in directions:
        raise ValueError(f"the state_dict's layers and directions are incomplete: "
                         f"{ {n: sorted(d) for n, d in sorted(found.items())} }")
    layers = []
    for n in range(L):
        cells = []
        for d in sorted(directions):
            suffix = f"_l{n}" + ("_reverse" if d else "")
            for kind in ("weight_ih", "weight_hh"):
                if kind + suffix not in arrays:
                    raise ValueError(f"{kind + suffix} is missing from the state_dict")
            cells.append(from_fused(arrays["weight_ih" + suffix], arrays["weight_hh" + suffix],
                                    arrays.get("bias_ih" + suffix),
                                    arrays.get("bias_hh" + suffix)))
        layers.append(tuple(cells))
    return _as_layers(layers)


def to_state_dict(layers) -> dict[str, np.ndarray]:
    """``layers`` as an ``nn.LSTM`` state_dict of NumPy arrays (chapter 09).

    Names as ``nn.LSTM``'s (``weight_ih_l0``, ..., ``bias_hh_l1_reverse``); ``bias_ih``
    holds each gate's bias and ``bias_hh`` is zero. Load it with
    ``module.load_state_dict({k: torch.from_numpy(v) for k, v in sd.items()})`` into an
    ``nn.LSTM`` built with the same sizes, ``num_layers`` and ``bidirectional``.
    """
    state = {}
    for n, directions in enumerate(_as_layers(layers)):
        for d, p in enumerate(directions):
            suffix = f"_l{n}" + ("_reverse" if d else "")
            for kind, array in p.to_fused().items():
                state[kind + suffix] = array
    return state
