"""Input checks shared by the NumPy cells (``rnn``, ``lstm``, ``gru``).

Every public function of the cells runs its inputs through these helpers first, so a
wrong shape, a wrong dtype or a NaN is reported where it enters, with the expected and
the actual value in the message, instead of surfacing as a confusing error (or a silent
NaN) many lines later. Nothing here is taught in a chapter; the appendix's
troubleshooting page lists the messages.
"""

from __future__ import annotations

from dataclasses import fields

import numpy as np

FLOAT_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


def float_dtype(dtype) -> np.dtype:
    """Return ``dtype`` as a NumPy dtype, accepting only float32 and float64."""
    try:
        dtype = np.dtype(dtype)
    except TypeError as err:
        raise TypeError(f"dtype must be float32 or float64, got {dtype!r}") from err
    if dtype not in FLOAT_DTYPES:
        raise TypeError(f"dtype must be float32 or float64, got {dtype}")
    return dtype


def as_array(value, name: str, dtype: np.dtype) -> np.ndarray:
    """Convert ``value`` to an array of the parameters' ``dtype``.

    Python lists, scalars and integer arrays are converted; a float array of the *other*
    precision is refused (converting it silently would hide a float32/float64 mix-up).
    """
    if not isinstance(value, np.ndarray | list | tuple | int | float | np.number):
        raise TypeError(f"{name} must be a NumPy array, got {type(value).__name__}")
    array = np.asarray(value)
    if array.dtype.kind in "biu":
        return array.astype(dtype)
    if array.dtype.kind != "f":
        raise TypeError(f"{name} must hold real numbers (float32 or float64), got {array.dtype}")
    if array.dtype != dtype:
        raise TypeError(
            f"{name} has dtype {array.dtype} but the parameters are {dtype}; "
            f"convert one of them, e.g. {name}.astype(np.{dtype})"
        )
    return array


def check_finite(array: np.ndarray, name: str) -> None:
    """Raise ``ValueError`` naming the first NaN or infinity in ``array``, if any."""
    if not np.isfinite(array).all():
        bad = np.argwhere(~np.isfinite(array))[0]
        where = tuple(int(i) for i in bad)
        value = array[where] if where else array
        raise ValueError(f"{name} contains NaN or infinity ({value} at index {where})")


def check_shape(array: np.ndarray, expected: tuple, name: str) -> None:
    """Raise ``ValueError`` unless ``array.shape == expected``."""
    if array.shape != tuple(expected):
        raise ValueError(f"{name} must have shape {tuple(expected)}, got {array.shape}")


def sequence(X, input_size: int, dtype: np.dtype, name: str = "X") -> tuple[np.ndarray, bool]:
    """Check a sequence ``X`` of shape (T, B, D) or (T, D); return it as (T, B, D).

    The second value says whether ``X`` was unbatched (T, D), so outputs can be returned in
    the same form.
    """
    X = as_array(X, name, dtype)
    if X.ndim not in (2, 3):
        raise ValueError(
            f"{name} must have shape (T, B, D) or (T, D) with D={input_size}, "
            f"got {X.ndim}-D shape {X.shape}"
        )
    if X.shape[-1] != input_size:
        expected = f"(T, B, {input_size})" if X.ndim == 3 else f"(T, {input_size})"
        raise ValueError(f"{name} must have shape {expected}, got {X.shape}")
    if X.shape[0] == 0 or (X.ndim == 3 and X.shape[1] == 0):
        raise ValueError(f"{name} must hold at least one time step and one example, "
                         f"got shape {X.shape}")
    check_finite(X, name)
    unbatched = X.ndim == 2
    return (X[:, None, :] if unbatched else X), unbatched


def vector_or_batch(value, size: int, dtype: np.dtype, name: str, what: str = "D"):
    """Check one step's input: shape (size,) or (B, size). Return it as (B, size) + flag."""
    array = as_array(value, name, dtype)
    if array.ndim not in (1, 2) or array.shape[-1] != size:
        raise ValueError(
            f"{name} must have shape ({what},) or (B, {what}) with {what}={size}, "
            f"got {array.shape}"
        )
    check_finite(array, name)
    unbatched = array.ndim == 1
    return (array[None, :] if unbatched else array), unbatched


def state(value, batch: int, hidden_size: int, unbatched: bool, dtype: np.dtype, name: str):
    """Check an initial or incoming state; ``None`` means zeros. Return it as (B, H)."""
    if value is None:
        return np.zeros((batch, hidden_size), dtype=dtype)
    array = as_array(value, name, dtype)
    expected = (hidden_size,) if unbatched else (batch, hidden_size)
    check_shape(array, expected, name)
    check_finite(array, name)
    return array.reshape(batch, hidden_size)


def gradient(value, expected_shape: tuple, dtype: np.dtype, name: str) -> np.ndarray:
    """Check an incoming gradient; ``None`` means zeros."""
    if value is None:
        return np.zeros(expected_shape, dtype=dtype)
    array = as_array(value, name, dtype)
    check_shape(array, expected_shape, name)
    check_finite(array, name)
    return array


def params(p, params_type: type, module: str) -> None:
    """Check that ``p`` is the right parameter dataclass with consistent, finite arrays."""
    if not isinstance(p, params_type):
        raise TypeError(
            f"expected {params_type.__name__} (from {module}.init_params or "
            f"{module}.from_torch), got {type(p).__name__}"
        )
    p.check()


def sizes(input_size, hidden_size) -> None:
    """Raise ``ValueError`` unless both sizes are positive integers."""
    for name, size in (("input_size", input_size), ("hidden_size", hidden_size)):
        if isinstance(size, bool) or not isinstance(size, int | np.integer) or size < 1:
            raise ValueError(f"{name} must be a positive integer, got {size!r}")


def generator(rng) -> np.random.Generator:
    """A NumPy Generator from ``rng``: a Generator, an int seed, or None (global seed)."""
    if rng is None:
        # Draw the seed from NumPy's global generator, so lstm_lib.setup(seed=...) (which
        # calls np.random.seed) makes init_params reproducible.
        return np.random.default_rng(np.random.randint(0, 2**31 - 1))
    if isinstance(rng, np.random.Generator):
        return rng
    return np.random.default_rng(rng)


def numpy_from_torch(tensor) -> np.ndarray | None:
    """A NumPy copy of a PyTorch parameter (None stays None); float32/float64 only."""
    if tensor is None:
        return None
    array = tensor.detach().cpu().numpy().copy()
    float_dtype(array.dtype)
    return array


def fused_arrays(arrays: dict, blocks: int) -> tuple[np.ndarray, np.ndarray, int]:
    """Check PyTorch-style ``weight_ih`` (kH, D) and ``weight_hh`` (kH, H); return them and H."""
    weight_ih, weight_hh = np.asarray(arrays["weight_ih"]), np.asarray(arrays["weight_hh"])
    if weight_hh.ndim != 2 or weight_hh.shape[0] != blocks * weight_hh.shape[1]:
        raise ValueError(f"weight_hh must have shape ({blocks}H, H), got {weight_hh.shape}")
    H = weight_hh.shape[1]
    if weight_ih.ndim != 2 or weight_ih.shape[0] != blocks * H:
        raise ValueError(f"weight_ih must have shape ({blocks}H, D) = ({blocks * H}, D), "
                         f"got {weight_ih.shape}")
    return weight_ih, weight_hh, H


def fused_bias(bias, blocks: int, H: int, name: str, dtype) -> np.ndarray:
    """A PyTorch bias of shape (kH,) as an array; None (``bias=False``) becomes zeros."""
    if bias is None:
        return np.zeros(blocks * H, dtype=dtype)
    bias = np.asarray(bias)
    check_shape(bias, (blocks * H,), name)
    return bias


def torch_module(module, single: type, cell: type, blocks_name: str) -> tuple[str, ...]:
    """Check a PyTorch recurrent module; return the names of its four parameters.

    ``single`` is the sequence class (``nn.LSTM``, ...), ``cell`` the cell class
    (``nn.LSTMCell``, ...). Only one layer, one direction and no projection can be
    represented by the NumPy cells.
    """
    if isinstance(module, cell):
        return ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
    if not isinstance(module, single):
        raise TypeError(f"expected torch.nn.{single.__name__} or torch.nn.{cell.__name__}, "
                        f"got {type(module).__name__}")
    proj_size = getattr(module, "proj_size", 0)
    if module.num_layers != 1 or module.bidirectional or proj_size != 0:
        raise ValueError(
            f"from_torch needs a one-layer, one-direction {blocks_name} without projection; "
            f"got num_layers={module.num_layers}, bidirectional={module.bidirectional}, "
            f"proj_size={proj_size}"
        )
    return ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0")


def torch_dtype(dtype: np.dtype):
    """The PyTorch dtype matching a NumPy float32/float64 dtype."""
    import torch

    return torch.float64 if dtype == np.float64 else torch.float32


def copy_into_torch(module, arrays: dict, suffix: str) -> None:
    """Copy NumPy ``arrays`` ({"weight_ih": ..., ...}) into ``module``'s parameters."""
    import torch

    with torch.no_grad():
        for name, array in arrays.items():
            getattr(module, name + suffix).copy_(torch.from_numpy(array))


def param_arrays(arrays: dict, shapes: dict) -> None:
    """Check a parameter dataclass's arrays: NumPy, expected shape, one float dtype, finite."""
    first = next(iter(arrays.values()))
    if not isinstance(first, np.ndarray):
        raise TypeError(f"parameters must be NumPy arrays, got {type(first).__name__}")
    dtype = float_dtype(first.dtype)
    for name, array in arrays.items():
        if not isinstance(array, np.ndarray):
            raise TypeError(f"{name} must be a NumPy array, got {type(array).__name__}")
        check_shape(array, shapes[name], name)
        if array.dtype != dtype:
            raise TypeError(f"{name} has dtype {array.dtype}, but the other parameters "
                            f"have {dtype}")
        check_finite(array, name)


def concat_weight(W, name: str = "W") -> tuple[int, int]:
    """(H, D) from a weight of shape (H, H + D) acting on [h, x]; ValueError otherwise."""
    if not isinstance(W, np.ndarray) or W.ndim != 2 or W.shape[1] <= W.shape[0]:
        shape = getattr(W, "shape", type(W).__name__)
        raise ValueError(f"{name} must be a 2-D array of shape (H, H + D), got {shape}")
    return W.shape[0], W.shape[1] - W.shape[0]


class ConcatParams:
    """What RNNParams, LSTMParams and GRUParams share (chapters 01, 09, 13).

    Each is a dataclass whose weights ``W_*`` have shape (H, H + D) and act on
    ``[h_{t-1}, x_t]``, and whose biases ``b_*`` have shape (H,).
    """

    def _first_weight(self) -> np.ndarray:
        return getattr(self, fields(self)[0].name)

    @property
    def hidden_size(self) -> int:
        """H, the size of the hidden state."""
        return self._first_weight().shape[0]

    @property
    def input_size(self) -> int:
        """D, the size of one input vector."""
        W = self._first_weight()
        return W.shape[1] - W.shape[0]

    @property
    def dtype(self) -> np.dtype:
        """float32 or float64, shared by every array."""
        return self._first_weight().dtype

    def arrays(self) -> dict[str, np.ndarray]:
        """All arrays by name, in the dataclass's field order."""
        return {field.name: getattr(self, field.name) for field in fields(self)}

    def astype(self, dtype):
        """A copy with every array converted to ``dtype`` (float32 or float64)."""
        dtype = float_dtype(dtype)
        return type(self)(**{name: array.astype(dtype) for name, array in self.arrays().items()})

    def check(self) -> None:
        """Raise ``ValueError``/``TypeError`` unless shapes, dtypes and values are sound."""
        first = fields(self)[0].name
        H, D = concat_weight(self._first_weight(), first)
        shapes = {name: (H, H + D) if name.startswith("W") else (H,) for name in self.arrays()}
        param_arrays(self.arrays(), shapes)
