"""How far back a gradient reaches: Jacobian products through time, for RNN and LSTM.

Chapter 02 measures, for a plain tanh RNN, the size of

.. code-block:: text

    ∂h_T/∂h_t = J_T J_{T-1} ... J_{t+1},     J_k = ∂h_k/∂h_{k-1} = diag(1 - h_k**2) W_hh

for every t, and shows that it shrinks or grows geometrically with the distance T - t.
Chapters 04 and 10 reuse the LSTM counterpart, where the cell state adds the path
``∂c_k/∂c_{k-1} = diag(f_k)``.

Conventions (every function here):

- one unbatched sequence: ``X`` has shape (T, D), ``h0``/``c0`` shape (H,) or None (zeros);
- norms are returned *by time index*: ``norms[t] = ||∂h_T/∂h_t||`` for ``t = 0, ..., T``,
  so ``norms[T] = 1`` (the identity) and ``norms[::-1]`` is the same list by distance
  ``d = T - t``;
- ``ord`` is passed to ``np.linalg.norm``: 2 (the default) is the spectral norm, the
  largest factor by which the product can stretch any vector; ``"fro"`` is cheaper.
"""

from __future__ import annotations

import numpy as np

from . import _checks
from . import lstm as _lstm
from . import rnn as _rnn

__all__ = [
    "orthogonal",
    "scaled_rnn_params",
    "rnn_step_jacobians",
    "product_norms",
    "rnn_gradient_norms",
    "rnn_norms_by_distance",
    "lstm_step_jacobians",
    "lstm_gradient_norms",
    "global_norm",
    "clip_by_global_norm",
    "draw_gradient_norms",
    "power_of_ten_labels",
    "draw_norms_panel",
]


def orthogonal(n: int, rng=None) -> np.ndarray:
    """A random n x n orthogonal matrix (chapter 02): every singular value is exactly 1.

    Drawn uniformly (Haar measure) by the QR decomposition of a Gaussian matrix with the
    signs of R's diagonal folded into Q. ``rng`` is a Generator, an int seed or None.
    """
    rng = np.random.default_rng(rng)
    q, r = np.linalg.qr(rng.normal(size=(n, n)))
    return q * np.sign(np.diag(r))


def scaled_rnn_params(input_size: int, hidden_size: int, scale: float, *, rng=None,
                      dtype=np.float64) -> _rnn.RNNParams:
    """RNN parameters whose recurrent weight is ``scale`` times an orthogonal matrix (chapter 02).

    ``W_hh = scale * Q`` has every singular value equal to ``scale``, so ``scale`` is
    exactly ``||W_hh||_2``, the most one step can stretch a vector before the tanh. The
    input weights and bias are PyTorch's default initialisation
    (:func:`lstm_lib.rnn.init_params`).
    """
    rng = np.random.default_rng(rng)
    p = _rnn.init_params(input_size, hidden_size, rng=rng, dtype=np.float64)
    p.W[:, :hidden_size] = scale * orthogonal(hidden_size, rng)
    return _rnn.RNNParams(W=p.W.astype(dtype), b=p.b.astype(dtype))


def _unbatched(X, name="X") -> np.ndarray:
    X = np.asarray(X)
    if X.ndim != 2:
        raise ValueError(f"{name} must be one sequence of shape (T, D), got shape {X.shape}")
    return X


def rnn_step_jacobians(p: _rnn.RNNParams, X, h0=None) -> np.ndarray:
    """The one-step Jacobians ``J_k = ∂h_k/∂h_{k-1} = diag(1 - h_k**2) W_hh`` (chapter 02).

    Runs :func:`lstm_lib.rnn.forward` on one sequence ``X`` (T, D) and returns an array of
    shape (T, H, H) whose entry ``k - 1`` is ``J_k``, for ``k = 1, ..., T``.
    """
    X = _unbatched(X)
    outputs, _, _ = _rnn.forward(X, p, h0)
    H = p.hidden_size
    W_hh = p.W[:, :H]
    slopes = 1.0 - outputs * outputs  # tanh'(a_k) = 1 - h_k**2, shape (T, H)
    return slopes[:, :, None] * W_hh[None, :, :]  # diag(slope_k) @ W_hh for every k


def product_norms(jacobians, ord=2) -> np.ndarray:
    """Norms of the backward products of one-step Jacobians (chapter 02).

    ``jacobians`` has shape (T, n, n), entry ``k - 1`` being ``∂s_k/∂s_{k-1}``. Returns
    ``norms`` of shape (T + 1,) with ``norms[t] = ||J_T ... J_{t+1}||`` (so ``norms[T]`` is
    the norm of the identity: 1 for the spectral norm). The product is accumulated from
    the end, the way backpropagation through time walks: ``P <- P @ J_k``.
    """
    jacobians = np.asarray(jacobians)
    T, n, _ = jacobians.shape
    norms = np.empty(T + 1)
    P = np.eye(n, dtype=jacobians.dtype)
    norms[T] = np.linalg.norm(P, ord)
    for k in range(T, 0, -1):
        P = P @ jacobians[k - 1]
        norms[k - 1] = np.linalg.norm(P, ord)
    return norms


def rnn_gradient_norms(p: _rnn.RNNParams, X, h0=None, ord=2) -> np.ndarray:
    """``norms[t] = ||∂h_T/∂h_t||`` for ``t = 0, ..., T`` on one sequence (chapter 02).

    The vector a loss sends back from ``h_T`` reaches ``h_t`` multiplied by the transpose
    of this matrix, so its size bounds how much step t can learn from step T.
    """
    return product_norms(rnn_step_jacobians(p, X, h0), ord=ord)


def rnn_norms_by_distance(scale: float, *, T: int = 60, hidden_size: int = 32,
                          input_size: int = 4, seeds=(0, 1, 2), input_std: float = 1.0,
                          ord=2) -> np.ndarray:
    """Chapter 02's experiment: ``||∂h_T/∂h_{T-d}||`` for d = 0..T, one row per seed.

    For each seed: a :func:`scaled_rnn_params` network with ``||W_hh||_2 = scale``, an
    input sequence of standard normal values times ``input_std``, h_0 = 0. Returns an
    array of shape (len(seeds), T + 1) ordered by distance (column 0 is d = 0).
    """
    rows = []
    for seed in seeds:
        rng = np.random.default_rng(seed)
        p = scaled_rnn_params(input_size, hidden_size, scale, rng=rng)
        X = input_std * rng.normal(size=(T, input_size))
        rows.append(rnn_gradient_norms(p, X, ord=ord)[::-1])
    return np.array(rows)


def lstm_step_jacobians(p: _lstm.LSTMParams, X, h0=None, c0=None) -> dict[str, np.ndarray]:
    """One-step Jacobians of the LSTM state ``(h, c)`` (chapters 04 and 10).

    Runs :func:`lstm_lib.lstm.forward` on one sequence ``X`` (T, D). Returns a dict of
    arrays of shape (T, H, H), entry ``k - 1`` for step k:

    - ``"cc"``: ``∂c_k/∂c_{k-1} = diag(f_k)``, the cell state's own path;
    - ``"ch"``: ``∂c_k/∂h_{k-1}`` (through the gates and the candidate);
    - ``"hc"``: ``∂h_k/∂c_{k-1} = diag(o_k (1 - tanh(c_k)**2) f_k)``;
    - ``"hh"``: ``∂h_k/∂h_{k-1}``;

    and ``"full"`` of shape (T, 2H, 2H), the blocks arranged as
    ``[[hh, hc], [ch, cc]]`` for the stacked state ``[h, c]``.
    """
    X = _unbatched(X)
    _, _, cache = _lstm.forward(X, p, h0, c0)
    H = p.hidden_size
    f, i, g, o = (a[:, 0] for a in (cache.f, cache.i, cache.g, cache.o))
    tanh_c = cache.tanh_c[:, 0]
    c_prev = cache.c[:-1, 0]
    Wf, Wi, Wg, Wo = (W[:, :H] for W in (p.W_f, p.W_i, p.W_g, p.W_o))

    def rows(scale, W):  # diag(scale_k) @ W for every k: (T, H) x (H, H) -> (T, H, H)
        return scale[:, :, None] * W[None]

    cc = np.einsum("ti,ij->tij", f, np.eye(H))
    ch = (rows(c_prev * f * (1 - f), Wf) + rows(g * i * (1 - i), Wi)
          + rows(i * (1 - g * g), Wg))
    through_c = o * (1 - tanh_c * tanh_c)  # ∂h_k/∂c_k, element-wise
    hc = through_c[:, :, None] * cc
    hh = rows(tanh_c * o * (1 - o), Wo) + through_c[:, :, None] * ch
    full = np.concatenate([np.concatenate([hh, hc], axis=2),
                           np.concatenate([ch, cc], axis=2)], axis=1)
    return {"hh": hh, "hc": hc, "ch": ch, "cc": cc, "full": full}


def lstm_gradient_norms(p: _lstm.LSTMParams, X, h0=None, c0=None, ord=2) -> dict[str, np.ndarray]:
    """Gradient norms through an LSTM, by time index t = 0..T (chapters 04 and 10).

    Returns a dict of arrays of shape (T + 1,):

    - ``"state"``: ``||∂(h_T, c_T)/∂(h_t, c_t)||``, every path;
    - ``"cell"``: ``||∂c_T/∂c_t||``, the cell-to-cell block of that product (every path);
    - ``"hidden"``: ``||∂h_T/∂h_t||``, the hidden-to-hidden block (every path);
    - ``"carousel"``: ``||diag(f_T ... f_{t+1})||``, the cell state's direct path alone.
    """
    J = lstm_step_jacobians(p, X, h0, c0)
    T, H = J["cc"].shape[:2]
    out = {name: np.empty(T + 1) for name in ("state", "cell", "hidden", "carousel")}
    P = np.eye(2 * H)
    direct = np.ones(H)
    for k in range(T, -1, -1):
        if k < T:
            P = P @ J["full"][k]
            direct = direct * J["cc"][k].diagonal()
        out["state"][k] = np.linalg.norm(P, ord)
        out["hidden"][k] = np.linalg.norm(P[:H, :H], ord)
        out["cell"][k] = np.linalg.norm(P[H:, H:], ord)
        out["carousel"][k] = np.linalg.norm(np.diag(direct), ord)
    return out


def global_norm(grads) -> float:
    """The norm of all gradient arrays taken together, as one long vector (chapter 02)."""
    return float(np.sqrt(sum(float(np.sum(np.square(g))) for g in grads)))


def clip_by_global_norm(grads, max_norm: float):
    """Gradient clipping by global norm (chapter 02; Pascanu et al., 2013).

    ``grads`` is a list of arrays. If their :func:`global_norm` exceeds ``max_norm``,
    every array is multiplied by the same factor ``max_norm / norm``; otherwise they are
    returned unchanged (as copies). Returns ``(clipped, norm)``, ``norm`` measured before
    clipping. The direction of the whole gradient never changes, only its length.
    ``torch.nn.utils.clip_grad_norm_`` does the same (with a 1e-6 guard in the divisor).
    """
    norm = global_norm(grads)
    factor = max_norm / norm if norm > max_norm else 1.0
    return [np.asarray(g) * factor for g in grads], norm


def power_of_ten_labels(ax, axis: str = "y") -> None:
    """Label a log-scale axis as 10^k in matplotlib's math font (chapters 01 and 02).

    The default log labels are set in the text font; the Korean font has no minus sign,
    so 10^-20 would come out with a missing glyph (and a warning on stderr). Math text
    ($10^{-20}$) is drawn with DejaVu Sans, which has every glyph.
    """
    import matplotlib.ticker as mticker

    def label(value, _pos):
        if value <= 0:
            return ""
        exponent = np.log10(value)
        if abs(exponent - round(exponent)) > 1e-9:
            return ""
        return f"$10^{{{int(round(exponent))}}}$"

    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(mticker.FuncFormatter(label))
    target.set_minor_formatter(mticker.NullFormatter())


_DRAW_TEXT = {
    "ko": {
        "xlabel": "시간 거리 d = T - t",
        "ylabel": r"$\|\partial h_T / \partial h_t\|$ (로그 눈금)",
        "title": "기울기 노름과 시간 거리 (T = {T}, H = {H})",
        "label": r"$\|W_{{hh}}\| = {s:g}$",
        "bound": r"상한 $\|W_{hh}\|^d$",
        "panel_title": r"$\|W_{{hh}}\| = {s:g}$ (T = {T}, H = {H}, 시드 {n}개)",
    },
    "en": {
        "xlabel": "distance in time d = T - t",
        "ylabel": r"$\|\partial h_T / \partial h_t\|$ (log scale)",
        "title": "Gradient norm against distance (T = {T}, H = {H})",
        "label": r"$\|W_{{hh}}\| = {s:g}$",
        "bound": r"bound $\|W_{hh}\|^d$",
        "panel_title": r"$\|W_{{hh}}\| = {s:g}$ (T = {T}, H = {H}, {n} seeds)",
    },
}


def draw_gradient_norms(scales, *, T: int = 60, hidden_size: int = 32, input_size: int = 4,
                        seeds=(0, 1, 2), input_std: float = 1.0, show_bound: bool = True,
                        ylim=(1e-30, 1e30), lang: str | None = None, ax=None):
    """Chapter 02's plot and explorer: gradient norm against distance, log scale.

    One curve per value in ``scales`` (a number or a list): the geometric mean over
    ``seeds`` of :func:`rnn_norms_by_distance`, with the individual seeds as thin lines.
    With ``show_bound``, the dashed line ``scale**d`` is the upper bound that holds because
    tanh's slope is at most 1. Returns the matplotlib Figure (drawn with pyplot, so a
    notebook cell ends with ``plt.show()``).
    """
    import matplotlib.pyplot as plt

    from . import get_lang
    from .fonts import use_korean_font

    use_korean_font()
    lang = lang if lang in _DRAW_TEXT else get_lang()
    text = _DRAW_TEXT[lang]
    scales = [scales] if np.isscalar(scales) else list(scales)
    if ax is None:
        fig, ax = plt.subplots(figsize=(7.5, 4.2))
    else:
        fig = ax.figure
    d = np.arange(T + 1)
    colors = plt.get_cmap("coolwarm")(np.linspace(0.05, 0.95, max(len(scales), 2)))
    if len(scales) == 1:
        colors = ["tab:red" if scales[0] > 1 else "tab:blue"]
    for s, color in zip(scales, colors[: len(scales)], strict=True):
        runs = rnn_norms_by_distance(s, T=T, hidden_size=hidden_size, input_size=input_size,
                                     seeds=seeds, input_std=input_std)
        tiny = np.finfo(float).tiny
        for row in runs:
            ax.plot(d, np.maximum(row, tiny), color=color, lw=0.6, alpha=0.35)
        mean = np.exp(np.mean(np.log(np.maximum(runs, tiny)), axis=0))
        ax.plot(d, mean, color=color, lw=2.2, label=text["label"].format(s=s))
        if show_bound:
            ax.plot(d, float(s) ** d, color=color, lw=1, ls="--")
    if show_bound:
        ax.plot([], [], color="0.4", lw=1, ls="--", label=text["bound"])
    ax.set_yscale("log")
    power_of_ten_labels(ax)
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.set_xlim(0, T)
    ax.axhline(1.0, color="0.6", lw=0.8)
    ax.set_xlabel(text["xlabel"])
    ax.set_ylabel(text["ylabel"])
    ax.set_title(text["title"].format(T=T, H=hidden_size))
    ax.legend(loc="upper left", fontsize=9, ncol=2)
    ax.grid(True, which="major", alpha=0.3)
    return fig


def draw_norms_panel(fig, lang: str | None = None, scale: float = 2.0, T: int = 60,
                     hidden_size: int = 32):
    """Chapter 02's explorer panel: :func:`draw_gradient_norms` for one ``scale`` on ``fig``.

    Follows the ``draw(fig, lang=..., **values)`` convention of
    :func:`lstm_lib.widgets.explorer` and :func:`lstm_lib.widgets.static_twin`. The
    panel's title names ``scale``, so panels side by side tell themselves apart.
    """
    from . import get_lang

    ax = fig.add_subplot()
    seeds = (0, 1, 2)
    draw_gradient_norms([scale], T=T, hidden_size=hidden_size, lang=lang, ax=ax,
                        seeds=seeds, ylim=(1e-16, 1e16))
    text = _DRAW_TEXT[lang if lang in _DRAW_TEXT else get_lang()]
    ax.set_title(text["panel_title"].format(s=scale, T=T, H=hidden_size, n=len(seeds)))
    return ax


# ----------------------------------------------------------------------------------------
# Chapter 10: checking a backward pass, truncated BPTT, and input gradients through time
# ----------------------------------------------------------------------------------------

__all__ += [
    "central_difference",
    "truncated_lstm_backward",
    "lstm_input_gradient_norms",
    "input_gradient_norms",
]


def central_difference(fun, array, eps: float = 1e-6) -> np.ndarray:
    """The gradient of a scalar ``fun()`` with respect to ``array``, numerically (chapter 10).

    ``fun`` takes no arguments and reads ``array`` (a closure). Every entry of ``array``
    is moved in place to ``a + eps``, then ``a - eps``, and put back exactly as it was;
    the entry of the result is ``(fun() at a + eps - fun() at a - eps) / (2 eps)``. The
    formula's own error is of order ``eps**2``; rounding adds about ``1e-16 / eps``
    relative to the size of ``fun()``. With float64 and ``eps = 1e-6`` both are around
    1e-10, which is why a backward pass is checked in float64: float32 (rounding 1e-7)
    would bury the comparison in noise, so it is refused.

    Returns an array of ``array``'s shape and dtype. Costs ``2 * array.size`` calls.
    """
    if not isinstance(array, np.ndarray):
        raise TypeError(f"array must be a NumPy array (it is changed in place and restored), "
                        f"got {type(array).__name__}")
    if array.dtype != np.float64:
        raise TypeError(f"array must be float64 for a meaningful check, got {array.dtype}; "
                        f"use array.astype(np.float64) and a float64 model")
    if not callable(fun):
        raise TypeError(f"fun must be a function of no arguments, got {type(fun).__name__}")
    eps = float(eps)
    if not np.isfinite(eps) or eps <= 0:
        raise ValueError(f"eps must be a positive number, got {eps}")

    def value() -> float:
        out = fun()
        if np.ndim(out) != 0:
            raise ValueError(f"fun() must return one number (a scalar loss), got shape "
                             f"{np.shape(out)}")
        out = float(out)
        if not np.isfinite(out):
            raise ValueError(f"fun() returned {out}")
        return out

    grad = np.empty_like(array)
    for index in np.ndindex(array.shape):
        old = array[index]
        try:
            array[index] = old + eps
            up = value()
            array[index] = old - eps
            down = value()
        finally:
            array[index] = old  # put back exactly, even if fun raised
        grad[index] = (up - down) / (2 * eps)
    return grad


def truncated_lstm_backward(d_outputs, cache: _lstm.LSTMCache, window: int, d_final=None):
    """Truncated backpropagation through time for :func:`lstm_lib.lstm.forward` (chapter 10).

    Time is cut into chunks of ``window`` steps from the start, ``[0, window)``,
    ``[window, 2 window)``, ..., as a long stream is cut in practice. Inside a chunk the
    gradient flows exactly as in :func:`lstm_lib.lstm.backward`; at the start of a chunk
    it stops: the state ``(h, c)`` entering the chunk is treated as a constant (PyTorch's
    ``state.detach()``). So a loss at step t reaches back at most to the start of its
    chunk, and nothing flows from one chunk into the one before it. With
    ``window >= T`` the result is :func:`lstm_lib.lstm.backward`'s.

    ``d_outputs`` (same shape as ``outputs``, or None) and ``d_final`` (``(dh_T, dc_T)``,
    either may be None; it enters the last chunk) are as in :func:`lstm_lib.lstm.backward`.
    Returns ``(dX, grads)``: the truncated gradients with respect to the input and the
    parameters (an :class:`lstm_lib.lstm.LSTMParams`, summed over the chunks).
    """
    if not isinstance(cache, _lstm.LSTMCache):
        raise TypeError(f"cache must be the LSTMCache returned by lstm.forward, "
                        f"got {type(cache).__name__}")
    if isinstance(window, bool) or not isinstance(window, int | np.integer) or window < 1:
        raise ValueError(f"window must be a positive integer number of steps, got {window!r}")
    p, X = cache.params, cache.X
    T, B, _ = X.shape
    H = p.hidden_size
    seq_shape = (T, H) if cache.unbatched else (T, B, H)
    d_outputs = _checks.gradient(d_outputs, seq_shape, p.dtype, "d_outputs").reshape(T, B, H)
    if d_final is None:
        d_final = (None, None)
    if not isinstance(d_final, tuple | list) or len(d_final) != 2:
        raise TypeError("d_final must be a pair (dh_T, dc_T) (either may be None), "
                        f"got {type(d_final).__name__}")
    final_shape = (H,) if cache.unbatched else (B, H)
    d_final = tuple(_checks.gradient(d, final_shape, p.dtype, name).reshape(B, H)
                    for d, name in zip(d_final, ("dh_T", "dc_T"), strict=True))

    dX = np.zeros_like(X)
    total = {name: np.zeros_like(array) for name, array in p.arrays().items()}
    for start in range(0, T, int(window)):
        end = min(start + int(window), T)
        # The chunk again, from the state that entered it, now a constant.
        _, _, chunk = _lstm.forward(X[start:end], p, cache.h[start], cache.c[start])
        last = end == T
        dX[start:end], _, grads = _lstm.backward(d_outputs[start:end], chunk,
                                                 d_final if last else None)
        for name, array in grads.arrays().items():
            total[name] += array
    if cache.unbatched:
        dX = dX[:, 0]
    return dX, _lstm.LSTMParams(**total)


def lstm_input_gradient_norms(p: _lstm.LSTMParams, X, readout, h0=None, c0=None,
                              keep=("h", "c")) -> np.ndarray:
    """``||∂(readout · h_T)/∂x_t||`` for every step t and every sequence (chapter 10).

    A linear read-out of the last hidden state, ``y = readout · h_T``, stands for the
    model's prediction. ``X`` is (T, B, D) or (T, D); ``readout`` has shape (H,). One
    backward pass gives the gradient with respect to every input; the result is its norm
    over the D features: shape (T, B), or (T,) for one sequence. Row t is step t, so row
    ``T - 1 - k`` is the input k steps before the end.

    ``keep`` names the ways by which the gradient may go back from one step to the one
    before, as in chapter 10's ``bptt``: ``"h"`` through ``h_{t-1}`` (and the four weight
    blocks), ``"c"`` along the cell state (the belt, ``f_t ⊙ δC_t``). Both, the default,
    give the exact gradient (:func:`lstm_lib.lstm.backward`); ``keep=("c",)`` keeps the
    belt alone, the gradient the 1997 LSTM learnt from. Either way, the input of the last
    step gets its exact gradient, since it reaches ``h_T`` without crossing a step.
    """
    _checks.params(p, _lstm.LSTMParams, "lstm")
    readout = _checks.as_array(readout, "readout", p.dtype)
    _checks.check_shape(readout, (p.hidden_size,), "readout")
    _checks.check_finite(readout, "readout")
    if isinstance(keep, str) or not set(keep) <= {"h", "c"}:
        raise ValueError(f"keep must be a tuple of 'h' and/or 'c', got {keep!r}")
    _, _, cache = _lstm.forward(X, p, h0, c0)
    B = cache.X.shape[1]
    if set(keep) == {"h", "c"}:
        dh_T = readout if cache.unbatched else np.tile(readout, (B, 1))
        dX, _, _ = _lstm.backward(None, cache, d_final=(dh_T, None))
        return np.linalg.norm(dX, axis=-1)
    norms = np.linalg.norm(_input_gradient_keeping(cache, np.tile(readout, (B, 1)), keep),
                           axis=-1)
    return norms[:, 0] if cache.unbatched else norms


def _input_gradient_keeping(cache: _lstm.LSTMCache, dh_T: np.ndarray, keep) -> np.ndarray:
    """``∂(readout · h_T)/∂X`` with only the ways in ``keep`` from a step to the one before.

    The loop of :func:`lstm_lib.lstm.backward`, with the gradient that leaves a step
    through ``h_{t-1}`` (``"h"``) or along the belt to ``C_{t-1}`` (``"c"``) set to zero
    unless ``keep`` names it. Returns dX of shape (T, B, D).
    """
    p, X = cache.params, cache.X
    T, B, D = X.shape
    H = p.hidden_size
    W_x, W_h, _ = _lstm.fused_weights(p)
    gates = cache.gates
    d_act = gates * (1 - gates)  # σ' for i, f, o
    d_act[:, :, 2 * H : 3 * H] = 1 - gates[:, :, 2 * H : 3 * H] ** 2  # tanh' for g
    dX = np.empty_like(X)
    dh, dc = dh_T.astype(p.dtype), np.zeros((B, H), dtype=p.dtype)
    for t in reversed(range(T)):
        i, f, g, o = (gates[t, :, n * H : (n + 1) * H] for n in range(4))
        dc = dc + dh * o * (1 - cache.tanh_c[t] ** 2)  # δC_t: belt + through h_t
        d_gates = np.concatenate([dc * g, dc * cache.c[t], dc * i, dh * cache.tanh_c[t]],
                                 axis=1)
        dA = d_gates * d_act[t]
        dX[t] = dA @ W_x.T
        dh = dA @ W_h.T if "h" in keep else np.zeros_like(dh)
        dc = dc * f if "c" in keep else np.zeros_like(dc)
    return dX


def input_gradient_norms(model, X) -> np.ndarray:
    """``||∂ŷ/∂x_t||`` for every step t and every sequence of a PyTorch model (chapter 10).

    ``model`` maps a batch ``X`` of shape (T, B, D) (time first) to one prediction per
    sequence, shape (B,) or (B, 1): :class:`lstm_lib.models.SequenceModel` with
    ``every_step=False``. ``X`` is a NumPy array or a tensor; it is converted to the
    model's dtype. Returns a NumPy array of shape (T, B): entry ``[t, b]`` is the norm,
    over the D input features, of the gradient of sequence b's prediction with respect to
    its input at step t.

    Sequences in a batch do not interact, so the gradient of the sum of the predictions
    gives each sequence its own gradient in one backward pass. The model's parameters
    are not touched (their ``.grad`` stays as it was), and the model is evaluated in
    ``eval()`` mode and put back in the mode it was in.
    """
    import torch

    dtype = next(model.parameters()).dtype
    x = torch.as_tensor(np.asarray(X) if not isinstance(X, torch.Tensor) else X)
    if x.dim() != 3:
        raise ValueError(f"X must be a batch of sequences of shape (T, B, D), got "
                         f"{tuple(x.shape)}")
    if not torch.isfinite(x).all():
        raise ValueError("X contains NaN or infinity")
    x = x.detach().to(dtype).clone().requires_grad_(True)
    B = x.shape[1]
    was_training = model.training
    model.eval()
    try:
        with torch.enable_grad():
            out = model(x)
            if out.shape not in ((B,), (B, 1)):
                raise ValueError(f"the model must give one prediction per sequence, (B,) or "
                                 f"(B, 1) with B = {B}; got {tuple(out.shape)}")
            (grad,) = torch.autograd.grad(out.sum(), x)
    finally:
        model.train(was_training)
    return grad.norm(dim=-1).detach().cpu().numpy()
