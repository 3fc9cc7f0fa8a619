"""The gated recurrent unit (GRU) in NumPy, as PyTorch computes it (chapter 13).

One step, with ``[h_{t-1}, x_t]`` the concatenation of the previous hidden state and the
input (hidden state first, as everywhere in the book):

.. code-block:: text

    r_t = sigmoid(W_r [h_{t-1}, x_t] + b_r)                          reset gate
    z_t = sigmoid(W_z [h_{t-1}, x_t] + b_z)                          update gate
    n_t = tanh(W_nx x_t + b_n + r_t * (W_nh h_{t-1} + b_hn))          candidate
    h_t = (1 - z_t) * n_t + z_t * h_{t-1}

``W_r``, ``W_z`` and ``W_n`` have shape (H, H + D); ``W_nh = W_n[:, :H]`` acts on
``h_{t-1}`` and ``W_nx = W_n[:, H:]`` on ``x_t``. The candidate needs *two* biases: ``b_n``
outside the reset and ``b_hn`` inside it, because the reset gate multiplies the whole
hidden projection, bias included. There is no separate cell state: ``h`` is the memory.

**How this differs from Cho et al. (2014).** The original GRU applies the reset gate to
the hidden state *before* the matrix product, ``n_t = tanh(W x_t + U (r_t * h_{t-1}))``.
PyTorch (like cuDNN; ONNX calls it ``linear_before_reset``) applies it *after* the
product and its bias, ``r_t * (W_nh h_{t-1} + b_hn)``, which lets all three gates'
hidden projections be computed in one matrix product per step. The two are different
functions with the same number of parameters; neither is a special case of the other.
The final interpolation, ``h_t = (1 - z_t) * n_t + z_t * h_{t-1}``, is Cho et al.'s: a
``z_t`` near 1 keeps the old state. (Some texts, Chung et al. 2014 among them, swap the
roles of ``z_t`` and ``1 - z_t``.) :func:`step_reset_before` and :func:`forward_reset_before`
compute Cho et al.'s published form (and d2l's) with the same parameters, so that
chapter 13 can show that only :func:`step` matches ``nn.GRU``.

PyTorch's ``nn.GRU`` stores ``weight_ih_l0`` (3H, D) and ``weight_hh_l0`` (3H, H) with
blocks in the order r, z, n, and two biases (3H,). For r and z only the sum of the two
biases matters, so :func:`from_torch` keeps ``b_r``, ``b_z`` as sums; for n it keeps
``b_n = bias_ih[n]`` and ``b_hn = bias_hh[n]`` apart. :func:`to_torch` writes
``[b_r, b_z, b_n]`` to ``bias_ih`` and ``[0, 0, b_hn]`` to ``bias_hh``. Round trips:
``from_torch(to_torch(p))`` gives back ``p``'s arrays bit for bit; ``to_torch(from_torch(m))``
has ``m``'s weights bit for bit and gives its outputs up to float rounding of the r and z
bias sums.

Shapes, dtypes and the errors raised for bad input are as described in
:mod:`lstm_lib.lstm`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _checks
from .functional import sigmoid, tanh

__all__ = [
    "GRUParams",
    "GRUCache",
    "init_params",
    "step",
    "forward",
    "backward",
    "fused_weights",
    "from_fused",
    "from_torch",
    "to_torch",
    "step_reset_before",
    "forward_reset_before",
    "step_jacobians",
]

TORCH_GATE_ORDER = ("r", "z", "n")  # the order of the blocks in PyTorch's fused weights


@dataclass
class GRUParams(_checks.ConcatParams):
    """The GRU's weights (chapter 13).

    ``W_r, W_z, W_n`` have shape (H, H + D) and act on ``[h_{t-1}, x_t]`` (for ``W_n``, its
    two halves are used separately, see the module docstring); ``b_r, b_z, b_n, b_hn``
    have shape (H,). :func:`backward` returns its gradients in the same dataclass.
    ``hidden_size``, ``input_size``, ``dtype``, ``arrays()``, ``astype()`` and ``check()``
    come from :class:`lstm_lib._checks.ConcatParams`, shared by the three cells.
    """

    W_r: np.ndarray
    W_z: np.ndarray
    W_n: np.ndarray
    b_r: np.ndarray
    b_z: np.ndarray
    b_n: np.ndarray
    b_hn: np.ndarray

    def to_fused(self) -> dict[str, np.ndarray]:
        """PyTorch's fused layout (chapter 13), as NumPy arrays.

        ``{"weight_ih": (3H, D), "weight_hh": (3H, H), "bias_ih": (3H,), "bias_hh": (3H,)}``,
        blocks in the order r, z, n; ``bias_ih = [b_r, b_z, b_n]``,
        ``bias_hh = [0, 0, b_hn]``.
        """
        H = self.hidden_size
        W = [getattr(self, f"W_{k}") for k in TORCH_GATE_ORDER]
        return {
            "weight_ih": np.concatenate([W_k[:, H:] for W_k in W]),
            "weight_hh": np.concatenate([W_k[:, :H] for W_k in W]),
            "bias_ih": np.concatenate([self.b_r, self.b_z, self.b_n]),
            "bias_hh": np.concatenate([np.zeros_like(self.b_r), np.zeros_like(self.b_z),
                                       self.b_hn]),
        }


@dataclass
class GRUCache:
    """What :func:`forward` remembers for :func:`backward` (chapter 13).

    Batched shapes even for an unbatched call: ``X`` (T, B, D); ``h`` (T + 1, B, H) with
    ``h[0]`` the initial state; ``r, z, n`` and ``hn`` (= ``W_nh h_{t-1} + b_hn``) (T, B, H).
    """

    params: GRUParams
    X: np.ndarray
    h: np.ndarray
    r: np.ndarray
    z: np.ndarray
    n: np.ndarray
    hn: np.ndarray
    unbatched: bool


def init_params(input_size: int, hidden_size: int, *, rng=None, dtype=np.float64) -> GRUParams:
    """Random GRU parameters with the same distribution as PyTorch's (chapter 13).

    Every weight and the biases ``b_n`` and ``b_hn`` are drawn uniformly from
    ``(-1/sqrt(H), 1/sqrt(H))``. ``b_r`` and ``b_z`` are each the sum of two such draws,
    because PyTorch adds its ``bias_ih`` and ``bias_hh`` in those two gates. ``rng`` is a
    ``np.random.Generator``, an int seed, or None to follow NumPy's global seed; values are
    drawn in float64 and converted to ``dtype``.
    """
    _checks.sizes(input_size, hidden_size)
    dtype = _checks.float_dtype(dtype)
    rng = _checks.generator(rng)
    H, D = hidden_size, input_size
    bound = 1.0 / np.sqrt(H)

    def uniform(*shape):
        return rng.uniform(-bound, bound, size=shape).astype(dtype)

    weights = {f"W_{k}": uniform(H, H + D) for k in "rzn"}
    biases = {"b_r": uniform(H) + uniform(H), "b_z": uniform(H) + uniform(H),  # ih + hh
              "b_n": uniform(H), "b_hn": uniform(H)}
    return GRUParams(**weights, **biases)


def step(x, h, p: GRUParams):
    """One GRU step, written as the equations (chapter 13).

    ``x`` has shape (D,) or (B, D); ``h`` has shape (H,) or (B, H) to match (None means
    zeros). Returns ``(h_new, cache)`` with ``cache`` a dict: ``"z_in"`` (the concatenation
    ``[h_{t-1}, x_t]``), the gates ``"r"`` and ``"z"``, the candidate ``"n"``, ``"hn"``
    (``W_nh h_{t-1} + b_hn``), ``"h_prev"``, ``"h"``.
    """
    _checks.params(p, GRUParams, "gru")
    x2, unbatched = _checks.vector_or_batch(x, p.input_size, p.dtype, "x", "D")
    h = _checks.state(h, x2.shape[0], p.hidden_size, unbatched, p.dtype, "h")
    x, h = (x2[0], h[0]) if unbatched else (x2, h)
    H = p.hidden_size

    hx = np.concatenate([h, x], axis=-1)  # [h_{t-1}, x_t]
    r = sigmoid(hx @ p.W_r.T + p.b_r)  # reset gate
    z = sigmoid(hx @ p.W_z.T + p.b_z)  # update gate
    hn = h @ p.W_n[:, :H].T + p.b_hn  # the hidden state's share of the candidate
    n = tanh(x @ p.W_n[:, H:].T + p.b_n + r * hn)  # candidate: reset scales hn
    h_new = (1 - z) * n + z * h  # z near 1 keeps the old state
    cache = {"z_in": hx, "r": r, "z": z, "n": n, "hn": hn, "h_prev": h, "h": h_new}
    return h_new, cache


def fused_weights(p: GRUParams):
    """The three blocks side by side for one matrix product per step (chapter 13).

    Returns ``(W_x, W_h, b_x, b_h)``: ``W_x`` (D, 3H), ``W_h`` (H, 3H), ``b_x`` (3H,)
    = ``[b_r, b_z, b_n]``, ``b_h`` (3H,) = ``[0, 0, b_hn]``; column blocks r, z, n.
    """
    fused = p.to_fused()
    W_x = np.ascontiguousarray(fused["weight_ih"].T)  # transposed once, stored row by row
    W_h = np.ascontiguousarray(fused["weight_hh"].T)
    return W_x, W_h, fused["bias_ih"], fused["bias_hh"]


def forward(X, p: GRUParams, h0=None):
    """Run the GRU over a sequence (chapter 13).

    ``X`` has shape (T, B, D), time first, or (T, D) for one unbatched sequence; ``h0`` has
    shape (B, H) or (H,) (None means zeros). Returns ``(outputs, h_T, cache)``: ``outputs``
    holds every ``h_t``, shape (T, B, H) or (T, H).

    As for the LSTM: the input's share of all three blocks for all steps in one matrix
    product before the loop, then one ``h @ W_h`` per step for all three blocks.
    """
    _checks.params(p, GRUParams, "gru")
    X, unbatched = _checks.sequence(X, p.input_size, p.dtype)
    T, B, D = X.shape
    H = p.hidden_size
    W_x, W_h, b_x, b_h = fused_weights(p)

    A_x = (X.reshape(T * B, D) @ W_x).reshape(T, B, 3 * H)  # all steps at once
    A_x += b_x  # in place: no second (T, B, 3H) array
    hs = np.empty((T + 1, B, H), dtype=p.dtype)
    r_s, z_s, n_s, hn_s = (np.empty((T, B, H), dtype=p.dtype) for _ in range(4))
    hs[0] = _checks.state(h0, B, H, unbatched, p.dtype, "h0")
    for t in range(T):
        a_x, a_h = A_x[t], hs[t] @ W_h + b_h  # (B, 3H) each, blocks r, z, n
        rz = sigmoid(a_x[:, : 2 * H] + a_h[:, : 2 * H])  # both gates in one call
        r = r_s[t] = rz[:, :H]
        z = z_s[t] = rz[:, H:]
        hn = hn_s[t] = a_h[:, 2 * H :]
        n = n_s[t] = tanh(a_x[:, 2 * H :] + r * hn)
        hs[t + 1] = (1 - z) * n + z * hs[t]

    cache = GRUCache(p, X, hs, r_s, z_s, n_s, hn_s, unbatched)
    outputs, h_T = hs[1:].copy(), hs[T].copy()
    if unbatched:
        return outputs[:, 0], h_T[0], cache
    return outputs, h_T, cache


def backward(d_outputs, cache: GRUCache, d_final=None):
    """Backpropagation through time for :func:`forward` (chapter 13).

    ``d_outputs`` is the loss's gradient with respect to ``outputs`` (same shape; None
    means zeros) and ``d_final`` the gradient with respect to ``h_T`` (None means zeros).
    Returns ``(dX, dh_0, grads)`` with ``grads`` a :class:`GRUParams`.

    ``h_{t-1}`` reaches ``h_t`` directly through ``z_t * h_{t-1}`` (the GRU's shortcut, like
    the LSTM's cell state) and through the three blocks of ``W_h``.
    """
    if not isinstance(cache, GRUCache):
        raise TypeError(f"cache must be the GRUCache returned by gru.forward, "
                        f"got {type(cache).__name__}")
    p, X, hs = cache.params, cache.X, cache.h
    T, B, D = X.shape
    H = p.hidden_size
    state_shape, seq_shape = ((H,), (T, H)) if cache.unbatched else ((B, H), (T, B, H))
    dh = _checks.gradient(d_final, state_shape, p.dtype, "d_final").reshape(B, H)
    d_outputs = _checks.gradient(d_outputs, seq_shape, p.dtype, "d_outputs").reshape(T, B, H)
    W_x, W_h, _, _ = fused_weights(p)

    # The activations' local derivatives, for all steps at once, before the loop.
    r_s, z_s, n_s, hn_s = cache.r, cache.z, cache.n, cache.hn
    d_r, d_z, d_n = r_s * (1 - r_s), z_s * (1 - z_s), 1 - n_s**2

    dA_x = np.empty((T, B, 3 * H), dtype=p.dtype)  # gradients of x @ W_x + b_x
    dA_h = np.empty((T, B, 3 * H), dtype=p.dtype)  # gradients of h @ W_h + b_h
    for t in reversed(range(T)):
        dh = dh + d_outputs[t]
        # h_t = (1 - z) * n + z * h_{t-1} and n = tanh(a_x_n + r * hn):
        da_n = dh * (1 - z_s[t]) * d_n[t]
        da_r = da_n * hn_s[t] * d_r[t]
        da_z = dh * (hs[t] - n_s[t]) * d_z[t]
        dA_x[t] = np.concatenate([da_r, da_z, da_n], axis=1)
        dA_h[t] = np.concatenate([da_r, da_z, da_n * r_s[t]], axis=1)  # reset scales hn
        dh = dh * z_s[t] + dA_h[t] @ W_h.T  # to h_{t-1}: the shortcut plus the three blocks

    dA_x_rows, dA_h_rows = dA_x.reshape(T * B, 3 * H), dA_h.reshape(T * B, 3 * H)
    dW_x = X.reshape(T * B, D).T @ dA_x_rows  # (D, 3H), summed over all steps
    dW_h = hs[:-1].reshape(T * B, H).T @ dA_h_rows  # (H, 3H)
    grads = from_fused(dW_x.T, dW_h.T, dA_x_rows.sum(axis=0))
    grads.b_hn = dA_h_rows[:, 2 * H : 3 * H].sum(axis=0)
    dX = (dA_x_rows @ W_x.T).reshape(T, B, D)
    if cache.unbatched:
        return dX[:, 0], dh[0], grads
    return dX, dh, grads


def from_fused(weight_ih, weight_hh, bias_ih=None, bias_hh=None) -> GRUParams:
    """Parameters from PyTorch-layout NumPy arrays (chapter 13).

    Blocks r, z, n; ``W_k = [weight_hh[k] | weight_ih[k]]`` (hidden columns first);
    ``b_r``, ``b_z`` are the sums of the two biases' blocks, ``b_n = bias_ih[n]`` and
    ``b_hn = bias_hh[n]`` (a missing bias counts as zero).
    """
    weight_ih, weight_hh, H = _checks.fused_arrays(
        {"weight_ih": weight_ih, "weight_hh": weight_hh}, blocks=3)
    bias_ih = _checks.fused_bias(bias_ih, 3, H, "bias_ih", weight_hh.dtype)
    bias_hh = _checks.fused_bias(bias_hh, 3, H, "bias_hh", weight_hh.dtype)
    rows = {k: slice(n * H, (n + 1) * H) for n, k in enumerate(TORCH_GATE_ORDER)}
    weights = {f"W_{k}": np.concatenate([weight_hh[rows[k]], weight_ih[rows[k]]], axis=1)
               for k in TORCH_GATE_ORDER}
    params = GRUParams(
        **weights,
        b_r=bias_ih[rows["r"]] + bias_hh[rows["r"]],
        b_z=bias_ih[rows["z"]] + bias_hh[rows["z"]],
        b_n=bias_ih[rows["n"]].copy(),
        b_hn=bias_hh[rows["n"]].copy(),
    )
    params.check()
    return params


def from_torch(module) -> GRUParams:
    """Parameters of a PyTorch ``nn.GRU`` (one layer, one direction) or ``nn.GRUCell``.

    Chapter 13. See the module docstring for how the two biases are mapped.
    """
    import torch.nn as nn

    names = _checks.torch_module(module, nn.GRU, nn.GRUCell, "nn.GRU")
    return from_fused(*(_checks.numpy_from_torch(getattr(module, name, None)) for name in names))


def to_torch(p: GRUParams, *, cell: bool = False, batch_first: bool = False):
    """A PyTorch ``nn.GRU`` (or ``nn.GRUCell`` with ``cell=True``) holding ``p`` (chapter 13).

    Same dtype as ``p``; ``bias_ih = [b_r, b_z, b_n]`` and ``bias_hh = [0, 0, b_hn]``.
    """
    import torch.nn as nn

    _checks.params(p, GRUParams, "gru")
    dtype = _checks.torch_dtype(p.dtype)
    if cell:
        module = nn.GRUCell(p.input_size, p.hidden_size, dtype=dtype)
    else:
        module = nn.GRU(p.input_size, p.hidden_size, batch_first=batch_first, dtype=dtype)
    _checks.copy_into_torch(module, p.to_fused(), suffix="" if cell else "_l0")
    return module


# ----------------------------------------------------------------------------------------
# The other form, and the one-step Jacobians (chapter 13)
# ----------------------------------------------------------------------------------------


def step_reset_before(x, h, p: GRUParams):
    """One GRU step with the reset gate *before* the matrix product (chapter 13).

    Cho et al.'s published form (EMNLP 2014, arXiv v3), which d2l's from-scratch GRU also
    uses, written with this module's parameters::

        n_t = tanh(W_nx x_t + b_n + W_nh (r_t * h_{t-1}) + b_hn)

    ``b_n`` and ``b_hn`` are both outside the reset here, so only their sum matters. The
    gates and the interpolation are those of :func:`step`. This is **not** what
    ``nn.GRU`` computes (:func:`step` is); the two agree only where ``r_t = 1``. Shapes and
    the cache are as in :func:`step`.
    """
    _checks.params(p, GRUParams, "gru")
    x2, unbatched = _checks.vector_or_batch(x, p.input_size, p.dtype, "x", "D")
    h = _checks.state(h, x2.shape[0], p.hidden_size, unbatched, p.dtype, "h")
    x, h = (x2[0], h[0]) if unbatched else (x2, h)
    H = p.hidden_size

    hx = np.concatenate([h, x], axis=-1)  # [h_{t-1}, x_t]
    r = sigmoid(hx @ p.W_r.T + p.b_r)  # reset gate
    z = sigmoid(hx @ p.W_z.T + p.b_z)  # update gate
    hn = (r * h) @ p.W_n[:, :H].T + p.b_hn  # reset first, then the matrix product
    n = tanh(x @ p.W_n[:, H:].T + p.b_n + hn)  # candidate
    h_new = (1 - z) * n + z * h
    cache = {"z_in": hx, "r": r, "z": z, "n": n, "hn": hn, "h_prev": h, "h": h_new}
    return h_new, cache


def forward_reset_before(X, p: GRUParams, h0=None):
    """Run :func:`step_reset_before` over a sequence (chapter 13).

    ``X`` has shape (T, B, D) or (T, D); ``h0`` (B, H), (H,) or None (zeros). Returns
    ``(outputs, h_T)`` with ``outputs`` of shape (T, B, H) or (T, H). There is no
    backward pass for this form in lstm_lib; chapter 13 uses it for comparison only.
    """
    _checks.params(p, GRUParams, "gru")
    X, unbatched = _checks.sequence(X, p.input_size, p.dtype)
    T, B, _ = X.shape
    h = _checks.state(h0, B, p.hidden_size, unbatched, p.dtype, "h0")
    outputs = np.empty((T, B, p.hidden_size), dtype=p.dtype)
    for t in range(T):
        h, _ = step_reset_before(X[t], h, p)
        outputs[t] = h
    if unbatched:
        return outputs[:, 0], h[0]
    return outputs, h.copy()


def step_jacobians(p: GRUParams, X, h0=None) -> dict[str, np.ndarray]:
    """The one-step Jacobians ``∂h_t/∂h_{t-1}`` of :func:`forward` (chapter 13).

    For one sequence ``X`` of shape (T, D) (``h0`` of shape (H,) or None), returns a dict
    of arrays of shape (T, H, H), entry ``t - 1`` for step t:

    - ``"direct"``: ``diag(z_t)``, the path of ``z_t * h_{t-1}`` alone, the GRU's
      counterpart of the LSTM's ``∂C_t/∂C_{t-1} = diag(f_t)``;
    - ``"full"``: every path, ``diag(z_t)`` plus the paths through the candidate
      (``W_nh``, and ``W_r`` through the reset gate) and through the update gate
      (``W_z``):

    .. code-block:: text

        ∂h_t/∂h_{t-1} = diag(z) + diag((1 - z)(1 - n²)) [diag(r) W_nh + diag(m r(1 - r)) W_rh]
                        + diag((h_{t-1} - n) z(1 - z)) W_zh

    with ``W_rh = W_r[:, :H]``, ``W_zh = W_z[:, :H]``, ``W_nh = W_n[:, :H]`` and
    ``m = W_nh h_{t-1} + b_hn`` (the cache calls it ``hn``). Feed either entry to
    :func:`lstm_lib.gradients.product_norms` for ``||∂h_T/∂h_t||``.
    """
    X = np.asarray(X)
    if X.ndim != 2:
        raise ValueError(f"X must be one sequence of shape (T, D), got shape {X.shape}")
    _, _, cache = forward(X, p, h0)
    H = p.hidden_size
    r, z, n, hn = (a[:, 0] for a in (cache.r, cache.z, cache.n, cache.hn))
    h_prev = cache.h[:-1, 0]
    W_rh, W_zh, W_nh = p.W_r[:, :H], p.W_z[:, :H], p.W_n[:, :H]

    def rows(scale, W):  # diag(scale_t) @ W for every t: (T, H) x (H, H) -> (T, H, H)
        return scale[:, :, None] * W[None]

    direct = np.einsum("ti,ij->tij", z, np.eye(H, dtype=p.dtype))
    through_n = (1 - z) * (1 - n * n)  # ∂h_t/∂n_t times tanh'
    full = (direct + rows(through_n * r, W_nh) + rows(through_n * hn * r * (1 - r), W_rh)
            + rows((h_prev - n) * z * (1 - z), W_zh))
    return {"direct": direct, "full": full}
