"""minGRU (Feng et al. 2024): a gated recurrence that a scan computes in parallel (chapter 15).

The minimal GRU drops the previous state from the gate and from the candidate::

    z_t  = σ(W_z x_t + b_z)                      update gate, from x_t alone
    h̃_t  = g(W_h x_t + b_h)                      candidate, from x_t alone
    h_t  = (1 − z_t) ⊙ h_{t−1} + z_t ⊙ h̃_t

Because neither z_t nor h̃_t looks at h_{t−1}, the recurrence is linear in h,
``h_t = a_t ⊙ h_{t−1} + b_t`` with ``a_t = 1 − z_t`` and ``b_t = z_t ⊙ h̃_t``, and every
``a_t`` and ``b_t`` can be computed for the whole sequence at once. What is left is a
*scan* (a prefix computation), and a scan need not run step by step:

- :func:`forward_loop`: the recurrence, one step after the other (the reference).
- :func:`scan_doubling`: Hillis & Steele's doubling scan (1986). Round ``k`` combines every
  position with the one ``2**k`` steps back; after ``ceil(log2 T)`` rounds every ``h_t`` is
  done. Multiplications and additions only, any sign.
- :func:`scan_log`: the log-space scan of Heinsen (2023) that the minGRU paper uses: a
  cumulative sum and a cumulative log-sum-exp. It takes logarithms, so it needs ``b_t > 0``
  and ``h_0 >= 0``; that is why the paper passes the candidate through ``g`` (:func:`g`),
  which is positive, instead of leaving it linear.

The trap (lucidrains/minGRU-pytorch#9): a scan must start from the same ``h_0`` as the
loop. Feeding it ``log g(h_0)`` where the loop uses ``h_0`` (or the other way round) gives
outputs that differ from the loop whenever ``h_0 != 0``; :func:`forward` always gives
the scan ``log h_0``, and the tests check loop and scans against each other with
``h_0 != 0``.

:class:`MinGRU` is the same layer in PyTorch (modes ``"loop"``, ``"doubling"``, ``"log"``),
for training on chapter 11's adding problem with :class:`MinGRUModel`. Sequences are
time-major, ``(T, B, D)``, as everywhere in the book.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

import numpy as np
import torch
from torch import nn

from . import _checks
from .functional import _as_float_array, sigmoid

__all__ = [
    "MinGRUParams",
    "init_params",
    "g",
    "log_g",
    "coefficients",
    "forward_loop",
    "scan_doubling",
    "scan_log",
    "doubling_rounds",
    "forward",
    "MinGRU",
    "MinGRUModel",
    "to_torch",
    "from_torch",
]

METHODS = ("loop", "doubling", "log")
CANDIDATES = ("g", "linear")


@dataclass
class MinGRUParams:
    """The minGRU's weights (chapter 15): ``W_z``, ``W_h`` of shape (H, D) and ``b_z``,
    ``b_h`` of shape (H,). Unlike the GRU's, they act on ``x_t`` only: there is no
    ``h_{t-1}`` column."""

    W_z: np.ndarray
    W_h: np.ndarray
    b_z: np.ndarray
    b_h: np.ndarray

    @property
    def hidden_size(self) -> int:
        return self.W_z.shape[0]

    @property
    def input_size(self) -> int:
        return self.W_z.shape[1]

    @property
    def dtype(self) -> np.dtype:
        return self.W_z.dtype

    def arrays(self) -> dict[str, np.ndarray]:
        """The four arrays by name, in the order of the fields."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def check(self) -> None:
        """Raise a clear error for a wrong shape, a mixed dtype or a NaN."""
        for name, array in self.arrays().items():
            if not isinstance(array, np.ndarray):
                raise TypeError(f"{name} must be a NumPy array, got {type(array).__name__}")
        _checks.float_dtype(self.W_z.dtype)
        if self.W_z.ndim != 2:
            raise ValueError(f"W_z must have shape (H, D), got {self.W_z.shape}")
        H, D = self.W_z.shape
        shapes = {"W_z": (H, D), "W_h": (H, D), "b_z": (H,), "b_h": (H,)}
        for name, array in self.arrays().items():
            _checks.check_shape(array, shapes[name], name)
            if array.dtype != self.W_z.dtype:
                raise TypeError(f"{name} has dtype {array.dtype} but W_z has {self.W_z.dtype}")
            _checks.check_finite(array, name)


def init_params(input_size: int, hidden_size: int, *, rng=None,
                dtype=np.float64) -> MinGRUParams:
    """Random minGRU parameters, drawn as ``nn.Linear`` draws its own (chapter 15).

    Every weight and bias is uniform in ``(-1/sqrt(D), 1/sqrt(D))``, ``D`` the input size:
    the distribution of :class:`MinGRU`'s two ``nn.Linear`` layers. ``rng`` is a
    ``np.random.Generator``, an int seed, or None to follow NumPy's global seed.
    """
    _checks.sizes(input_size, hidden_size)
    dtype = _checks.float_dtype(dtype)
    rng = _checks.generator(rng)
    H, D = hidden_size, input_size
    bound = 1.0 / math.sqrt(D)

    def uniform(*shape):
        return rng.uniform(-bound, bound, size=shape).astype(dtype)

    return MinGRUParams(W_z=uniform(H, D), W_h=uniform(H, D), b_z=uniform(H), b_h=uniform(H))


# ----------------------------------------------------------------------------------------
# The candidate's activation g and its logarithm (the paper's appendix)
# ----------------------------------------------------------------------------------------


def g(x):
    """``x + 0.5`` for ``x >= 0``, ``σ(x)`` below: positive, continuous, linear above 0.

    The minGRU paper's activation for the candidate of its log-space version: the log-space
    scan takes ``log h̃_t``, so ``h̃_t`` must be positive (chapter 15).
    """
    x = _as_float_array(x)
    # σ(x) as exp(log σ(x)): stays positive far below 0, where 1 / (1 + e^-x) rounds to 0
    return np.where(x >= 0, np.maximum(x, 0) + 0.5, np.exp(_log_sigmoid(np.minimum(x, 0))))


def log_g(x):
    """``log g(x)``, computed without overflow or ``log(0)`` for any ``x`` (chapter 15).

    ``log(x + 0.5)`` above 0 and ``log σ(x) = −softplus(−x)`` below, the paper's ``log_g``.
    """
    x = _as_float_array(x)
    return np.where(x >= 0, np.log(np.maximum(x, 0) + 0.5), _log_sigmoid(np.minimum(x, 0)))


def _log_sigmoid(x):
    return -np.logaddexp(0, -x)  # log σ(x) = −softplus(−x), stable for any x


# ----------------------------------------------------------------------------------------
# NumPy: the coefficients, the loop and the two scans
# ----------------------------------------------------------------------------------------


def _inputs(X, p: MinGRUParams, h0, candidate: str):
    if not isinstance(p, MinGRUParams):
        raise TypeError(f"expected MinGRUParams (from mingru.init_params), got "
                        f"{type(p).__name__}")
    p.check()
    if candidate not in CANDIDATES:
        raise ValueError(f"candidate must be one of {CANDIDATES}, got {candidate!r}")
    X, unbatched = _checks.sequence(X, p.input_size, p.dtype)
    h0 = _checks.state(h0, X.shape[1], p.hidden_size, unbatched, p.dtype, "h0")
    return X, h0, unbatched


def _pre_activations(X, p):
    k = X @ p.W_z.T + p.b_z  # (T, B, H): the gate's pre-activation
    u = X @ p.W_h.T + p.b_h  # (T, B, H): the candidate's pre-activation
    return k, u


def coefficients(X, p: MinGRUParams, candidate: str = "g"):
    """``a_t = 1 − z_t`` and ``b_t = z_t ⊙ h̃_t`` for every step at once (chapter 15).

    ``X`` is (T, B, D) (or (T, D)); returns ``(a, b)``, each (T, B, H) (or (T, H)). Both
    come from ``X`` alone, which is what lets a scan replace the loop. ``candidate="g"``
    is the paper's positive candidate ``g(W_h x + b_h)``; ``"linear"`` leaves it linear, as
    in the paper's first, sequential-mode formulation.
    """
    X, _, unbatched = _inputs(X, p, None, candidate)
    k, u = _pre_activations(X, p)
    z = sigmoid(k)
    h_tilde = g(u) if candidate == "g" else u
    a, b = sigmoid(-k), z * h_tilde  # 1 − σ(k) = σ(−k), exact for large k too
    return (a[:, 0], b[:, 0]) if unbatched else (a, b)


def forward_loop(X, p: MinGRUParams, h0=None, candidate: str = "g"):
    """The minGRU one step after the other: ``h_t = (1 − z_t) ⊙ h_{t−1} + z_t ⊙ h̃_t``.

    ``X`` (T, B, D) or (T, D); ``h0`` (B, H) or (H,), None for zeros. Returns every
    ``h_t`` for t = 1..T, shape (T, B, H) (or (T, H)). The reference for the scans.
    """
    X, h, unbatched = _inputs(X, p, h0, candidate)
    k, u = _pre_activations(X, p)
    outputs = np.empty_like(k)
    for t in range(X.shape[0]):
        z = sigmoid(k[t])  # update gate z_t, from x_t alone
        h_tilde = g(u[t]) if candidate == "g" else u[t]  # candidate h̃_t
        h = (1 - z) * h + z * h_tilde
        outputs[t] = h
    return outputs[:, 0] if unbatched else outputs


def doubling_rounds(T: int) -> int:
    """How many rounds :func:`scan_doubling` needs for ``T`` steps: ``ceil(log2 T)``."""
    if isinstance(T, bool) or not isinstance(T, int | np.integer) or T < 1:
        raise ValueError(f"T must be a positive integer, got {T!r}")
    return int(T - 1).bit_length()


def _check_scan_inputs(a, b, h0, names=("a", "b")):
    a = np.asarray(a)
    b = np.asarray(b)
    for name, array in zip(names, (a, b), strict=True):
        if array.dtype.kind != "f":
            raise TypeError(f"{name} must be a float array, got dtype {array.dtype}")
        if array.ndim < 1 or array.shape[0] == 0:
            raise ValueError(f"{name} must have shape (T, ...) with T >= 1, got {array.shape}")
    if a.shape != b.shape:
        raise ValueError(f"{names[0]} and {names[1]} must have the same shape (T, ...), "
                         f"got {a.shape} and {b.shape}")
    if h0 is not None:
        h0 = np.asarray(h0, dtype=a.dtype)
        if h0.shape != a.shape[1:]:
            raise ValueError(f"h0 must have shape {a.shape[1:]} (one step of {names[0]}), "
                             f"got {h0.shape}")
        if np.isnan(h0).any():
            raise ValueError("h0 contains NaN")
    for name, array in zip(names, (a, b), strict=True):
        if np.isnan(array).any():
            raise ValueError(f"{name} contains NaN")
    return a, b, h0


def scan_doubling(a, b, h0=None):
    """``h_t = a_t ⊙ h_{t−1} + b_t`` for t = 1..T by doubling (Hillis & Steele 1986).

    ``a`` and ``b`` are (T, ...) arrays, ``h0`` has the shape of one step (None means 0).
    Each position holds an affine map ``h ↦ A h + B``; round ``k`` composes it with the map
    ``2**k`` positions back, ``(A, B) ∘ (A', B') = (A A', A B' + B)``. After
    :func:`doubling_rounds` rounds position t holds the map from ``h_0`` to ``h_t``. Each
    round is one vectorised operation over all positions: ``ceil(log2 T)`` dependent steps
    instead of ``T``, at the price of ``T log2 T`` work instead of ``T``. Chapter 15.
    """
    a, b, h0 = _check_scan_inputs(a, b, h0)
    A, B = a.copy(), b.copy()
    T, d = a.shape[0], 1
    while d < T:
        B[d:] = A[d:] * B[:-d] + B[d:]  # right side is evaluated before the assignment
        A[d:] = A[d:] * A[:-d]
        d *= 2
    return B if h0 is None else A * h0 + B


def scan_log(log_a, log_b, log_h0=None):
    """``h_t = a_t ⊙ h_{t−1} + b_t`` from logarithms, the minGRU paper's scan (Heinsen 2023).

    With ``A_t = a_1 ⋯ a_t``, ``h_t = A_t (h_0 + Σ_{k≤t} b_k / A_k)``, so
    ``log h_t = log A_t + logcumsumexp(log h_0, log b_1 − log A_1, ..., log b_t − log A_t)``:
    one cumulative sum and one cumulative log-sum-exp, nothing divided, nothing that
    overflows. ``log_a``, ``log_b`` are (T, ...); ``log_h0`` has the shape of one step
    (None, or ``-inf``, means ``h_0 = 0``). It only works for positive ``a``, ``b`` and
    ``h_0 >= 0``. Returns ``h`` (not its log), (T, ...). Chapter 15.
    """
    log_a, log_b, log_h0 = _check_scan_inputs(log_a, log_b, log_h0, ("log_a", "log_b"))
    a_star = np.cumsum(log_a, axis=0)  # log A_t
    terms = log_b - a_star  # log(b_t / A_t)
    if log_h0 is not None:  # prepend log h_0 (its A_0 is 1, log 1 = 0)
        terms = np.concatenate([log_h0[None], terms])
        return np.exp(a_star + np.logaddexp.accumulate(terms, axis=0)[1:])
    return np.exp(a_star + np.logaddexp.accumulate(terms, axis=0))


def forward(X, p: MinGRUParams, h0=None, method: str = "doubling", candidate: str = "g"):
    """The minGRU over a sequence, by ``method`` ``"loop"``, ``"doubling"`` or ``"log"``.

    Same inputs and output as :func:`forward_loop`; the three methods agree to rounding
    (chapter 15 asserts it with ``h0 != 0``). ``"log"`` computes ``log a_t``, ``log b_t``
    from the pre-activations without loss (``log σ(k) = −softplus(−k)``) and gives the scan
    ``log h_0``, the logarithm of the loop's own ``h_0``; it needs ``candidate="g"`` and
    ``h0 >= 0``.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    if method == "loop":
        return forward_loop(X, p, h0, candidate)
    X, h, unbatched = _inputs(X, p, h0, candidate)
    if method == "doubling":
        k, u = _pre_activations(X, p)
        h_tilde = g(u) if candidate == "g" else u
        out = scan_doubling(sigmoid(-k), sigmoid(k) * h_tilde, h)
    else:
        if candidate != "g":
            raise ValueError("the log-space scan needs a positive candidate: "
                             "use candidate='g' or another method")
        if (h < 0).any():
            raise ValueError("the log-space scan takes log h0, so h0 must be >= 0; "
                             "use method='doubling' or 'loop' for a negative h0")
        k, u = _pre_activations(X, p)
        with np.errstate(divide="ignore"):  # h0 = 0 gives log h0 = -inf, which is exact
            log_h0 = np.log(h)
        out = scan_log(_log_sigmoid(-k), _log_sigmoid(k) + log_g(u), log_h0)
    return out[:, 0] if unbatched else out


# ----------------------------------------------------------------------------------------
# PyTorch
# ----------------------------------------------------------------------------------------


def _torch_g(x: torch.Tensor) -> torch.Tensor:
    return torch.where(x >= 0, x + 0.5, torch.sigmoid(x))


def _torch_log_g(x: torch.Tensor) -> torch.Tensor:
    return torch.where(x >= 0, (torch.relu(x) + 0.5).log(),
                       -nn.functional.softplus(-x))


def _doubling_in_place(A: torch.Tensor, B: torch.Tensor, reverse: bool = False) -> None:
    """Hillis-Steele on (T, ...) tensors, in place. Forward in time, afterwards
    ``B[t] = h_t`` for ``h_0 = 0`` and ``A[t] = a_1 ⋯ a_t``; with ``reverse=True`` the same
    from the last step backwards (``B[t] = b_t + A[t] B[t+1]``). No autograd here:
    :class:`_ScanLayer` supplies the backward pass."""
    T, d = A.shape[0], 1
    while d < T:
        if reverse:
            B[:-d] += A[:-d] * B[d:]  # the right side is a new tensor, made before the update
            A[:-d] *= A[d:].clone()
        else:
            B[d:] += A[d:] * B[:-d]
            A[d:] *= A[:-d].clone()
        d *= 2


def _scan_autograd(a: torch.Tensor, b: torch.Tensor, h0: torch.Tensor) -> torch.Tensor:
    """The doubling scan with ordinary tensor operations, so autograd differentiates it."""
    A, B = a, b
    T, d = a.shape[0], 1
    while d < T:
        B = torch.cat([B[:d], A[d:] * B[:-d] + B[d:]])
        A = torch.cat([A[:d], A[d:] * A[:-d]])
        d *= 2
    return A * h0 + B


class _ScanLayer(torch.autograd.Function):
    """The minGRU's recurrence from its pre-activations, by doubling, forward and backward.

    Forward: ``z = σ(k)``, ``h̃ = g(u)``, ``a = 1 − z``, ``b = z ⊙ h̃``, then the scan of
    ``h_t = a_t ⊙ h_{t−1} + b_t``. The backward pass of a linear recurrence is a linear
    recurrence too, run backwards: with ``γ_t = ∂L/∂h_t`` (all the paths),
    ``γ_t = ∂L/∂h_t|direct + a_{t+1} γ_{t+1}``, so it is a scan as well (``ceil(log2 T)``
    rounds); then ``∂L/∂b_t = γ_t``, ``∂L/∂a_t = γ_t h_{t−1}``, ``∂L/∂h_0 = a_1 γ_1``, and the
    chain rule through ``a``, ``b``, ``σ`` and ``g`` gives ``∂L/∂k`` and ``∂L/∂u``. Written by
    hand so that one autograd node replaces a dozen small ones (chapter 15).
    """

    @staticmethod
    def forward(ctx, k, u, h0):
        with torch.no_grad():
            z = torch.sigmoid(k)
            h_tilde = _torch_g(u)
            A, h = 1 - z, z * h_tilde
            _doubling_in_place(A, h)
            h += A * h0
        ctx.save_for_backward(k, u, z, h_tilde, h, h0)
        return h

    @staticmethod
    def backward(ctx, grad_h):
        k, u, z, h_tilde, h, h0 = ctx.saved_tensors
        with torch.no_grad():
            A = torch.empty_like(z)  # a_{t+1} = 1 − z_{t+1}, and 0 after the last step
            A[:-1], A[-1] = 1 - z[1:], 0.0
            gamma = grad_h.clone()
            _doubling_in_place(A, gamma, reverse=True)  # γ_t = grad_t + a_{t+1} γ_{t+1}
            h_prev = torch.empty_like(h)
            h_prev[0], h_prev[1:] = h0, h[:-1]
            grad_h0 = (1 - z[0]) * gamma[0]
            # a = 1 − z and b = z h̃: ∂L/∂z = γ (h̃ − h_{t−1}); σ' = z (1 − z)
            grad_k = gamma * (h_tilde - h_prev) * z * (1 - z)
            s = torch.sigmoid(u)
            grad_u = gamma * z * torch.where(u >= 0, torch.ones_like(u), s * (1 - s))
        return grad_k, grad_u, grad_h0


class MinGRU(nn.Module):
    """The minGRU layer in PyTorch (chapter 15): ``forward(x, h0=None) -> (output, h_T)``.

    ``x`` is (T, B, D); ``h0`` is (B, H) or None for zeros; ``output`` is (T, B, H) and
    ``h_T`` (B, H). Two ``nn.Linear`` layers, ``linear_z`` and ``linear_h``, make the gate and
    the candidate's pre-activations for the whole sequence at once. ``mode`` chooses how
    the recurrence is computed: ``"loop"`` (step by step, autograd through the loop),
    ``"doubling"`` (Hillis-Steele scan forward and, for the gradients, backward in time;
    any sign) or ``"log"`` (the paper's log-space scan; ``h0`` must be >= 0). All
    three give the same numbers and the same gradients (the tests check it).
    """

    def __init__(self, input_size: int, hidden_size: int, mode: str = "doubling",
                 candidate: str = "g", dtype: torch.dtype | None = None):
        super().__init__()
        _checks.sizes(input_size, hidden_size)
        if mode not in METHODS:
            raise ValueError(f"mode must be one of {METHODS}, got {mode!r}")
        if candidate not in CANDIDATES:
            raise ValueError(f"candidate must be one of {CANDIDATES}, got {candidate!r}")
        if mode == "log" and candidate != "g":
            raise ValueError("the log-space scan needs candidate='g'")
        self.input_size, self.hidden_size = input_size, hidden_size
        self.mode, self.candidate = mode, candidate
        self.linear_z = nn.Linear(input_size, hidden_size, dtype=dtype)
        self.linear_h = nn.Linear(input_size, hidden_size, dtype=dtype)

    def forward(self, x: torch.Tensor, h0: torch.Tensor | None = None):
        if x.dim() != 3 or x.shape[-1] != self.input_size:
            raise ValueError(f"x must have shape (T, B, {self.input_size}), got {tuple(x.shape)}")
        T, B = x.shape[:2]
        if h0 is not None and tuple(h0.shape) != (B, self.hidden_size):
            raise ValueError(f"h0 must have shape ({B}, {self.hidden_size}), "
                             f"got {tuple(h0.shape)}")
        k, u = self.linear_z(x), self.linear_h(x)  # (T, B, H) each, all steps at once
        if self.mode == "loop":
            h_tilde = _torch_g(u) if self.candidate == "g" else u
            h = x.new_zeros(B, self.hidden_size) if h0 is None else h0
            z, outputs = torch.sigmoid(k), []
            for t in range(T):
                h = (1 - z[t]) * h + z[t] * h_tilde[t]
                outputs.append(h)
            output = torch.stack(outputs)
        elif self.mode == "doubling":
            start = x.new_zeros(B, self.hidden_size) if h0 is None else h0
            if self.candidate == "g":
                output = _ScanLayer.apply(k, u, start)
            else:  # a linear candidate: the same scan through autograd's small operations
                output = _scan_autograd(torch.sigmoid(-k), torch.sigmoid(k) * u, start)
        else:  # "log": the paper's scan, with log h0 (not log g(h0)) in front
            if h0 is not None and bool((h0 < 0).any()):
                raise ValueError("mode='log' takes log h0, so h0 must be >= 0")
            log_a = -nn.functional.softplus(k)  # log(1 − z_t)
            log_b = -nn.functional.softplus(-k) + _torch_log_g(u)  # log(z_t h̃_t)
            a_star = log_a.cumsum(0)
            terms = log_b - a_star
            if h0 is not None:
                terms = torch.cat([h0.log()[None], terms])
                output = (a_star + terms.logcumsumexp(0)[1:]).exp()
            else:
                output = (a_star + terms.logcumsumexp(0)).exp()
        return output, output[-1]


class MinGRUModel(nn.Module):
    """minGRU layers and a linear read-out from the last step, for chapter 11's tasks.

    The interface of :class:`lstm_lib.models.SequenceModel` with ``every_step=False``:
    ``x`` (T, B, D) -> (B, output_size). ``num_layers`` minGRU layers are stacked plainly
    (the authors' code wraps each in a residual block with normalisation; chapter 15
    does not).
    """

    def __init__(self, input_size: int, hidden_size: int, output_size: int,
                 num_layers: int = 1, mode: str = "doubling"):
        super().__init__()
        if isinstance(num_layers, bool) or not isinstance(num_layers, int) or num_layers < 1:
            raise ValueError(f"num_layers must be a positive integer, got {num_layers!r}")
        sizes = [input_size] + [hidden_size] * num_layers
        self.layers = nn.ModuleList(MinGRU(sizes[n], hidden_size, mode=mode)
                                    for n in range(num_layers))
        self.head = nn.Linear(hidden_size, output_size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for layer in self.layers:
            x, _ = layer(x)
        return self.head(x[-1])


def to_torch(p: MinGRUParams, mode: str = "doubling", candidate: str = "g") -> MinGRU:
    """A :class:`MinGRU` holding ``p``'s weights, in ``p``'s precision (chapter 15)."""
    if not isinstance(p, MinGRUParams):
        raise TypeError(f"expected MinGRUParams, got {type(p).__name__}")
    p.check()
    dtype = torch.float64 if p.dtype == np.float64 else torch.float32
    layer = MinGRU(p.input_size, p.hidden_size, mode=mode, candidate=candidate, dtype=dtype)
    with torch.no_grad():
        layer.linear_z.weight.copy_(torch.from_numpy(p.W_z))
        layer.linear_z.bias.copy_(torch.from_numpy(p.b_z))
        layer.linear_h.weight.copy_(torch.from_numpy(p.W_h))
        layer.linear_h.bias.copy_(torch.from_numpy(p.b_h))
    return layer


def from_torch(layer: MinGRU) -> MinGRUParams:
    """The NumPy parameters of a :class:`MinGRU` (copies; chapter 15)."""
    if not isinstance(layer, MinGRU):
        raise TypeError(f"expected mingru.MinGRU, got {type(layer).__name__}")

    def copy(t):
        return _checks.numpy_from_torch(t)

    return MinGRUParams(W_z=copy(layer.linear_z.weight), W_h=copy(layer.linear_h.weight),
                        b_z=copy(layer.linear_z.bias), b_h=copy(layer.linear_h.bias))
