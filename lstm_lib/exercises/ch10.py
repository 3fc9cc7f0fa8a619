"""Chapter 10 exercises: backpropagation through one LSTM step and through time.

- ``10.cell_backward``: from the gradients arriving at a step (δh_t and the belt's share
  of δC_t) to the gradients of the four pre-activations and of C_{t-1}.
- ``10.weight_gradient``: a gate's weight and bias gradients, summed over time.
- ``10.central_difference``: the numerical gradient that checks a backward pass.
"""

from __future__ import annotations

import numpy as np

from .. import lstm
from .core import case, register

# ----------------------------------------------------------------------------------------
# 10.cell_backward
# ----------------------------------------------------------------------------------------


def cell_backward(dh, dc, f, i, g, o, c_prev, c):
    tanh_c = np.tanh(c)
    dc_total = dc + dh * o * (1 - tanh_c**2)  # δC_t: the belt + the way through h_t
    da_f = dc_total * c_prev * f * (1 - f)  # δf_t ⊙ σ'
    da_i = dc_total * g * i * (1 - i)  # δi_t ⊙ σ'
    da_g = dc_total * i * (1 - g**2)  # δC~_t ⊙ tanh'
    da_o = dh * tanh_c * o * (1 - o)  # δo_t ⊙ σ'
    dc_prev = f * dc_total  # along the belt to C_{t-1}
    return da_f, da_i, da_g, da_o, dc_prev


def _step_values(rng, H):
    """Gate values of one consistent step: c = f c_prev + i g."""
    sig = lambda a: 1.0 / (1.0 + np.exp(-a))  # noqa: E731
    f, i, o = (sig(rng.normal(scale=1.5, size=H)) for _ in range(3))
    g = np.tanh(rng.normal(size=H))
    c_prev = rng.normal(scale=1.2, size=H)
    return {"f": f, "i": i, "g": g, "o": o, "c_prev": c_prev, "c": f * c_prev + i * g}


def _random_cell_args(rng):
    H = int(rng.integers(1, 6))
    return {"dh": rng.normal(size=H), "dc": rng.normal(size=H), **_step_values(rng, H)}


def _fixed_cell_args(dh, dc):
    values = {"f": np.array([0.9, 0.3, 0.6]), "i": np.array([0.2, 0.7, 0.5]),
              "g": np.array([-0.5, 0.8, 0.1]), "o": np.array([0.6, 0.4, 0.95]),
              "c_prev": np.array([1.5, -0.7, 0.3])}
    values["c"] = values["f"] * values["c_prev"] + values["i"] * values["g"]
    return {"dh": np.asarray(dh, float), "dc": np.asarray(dc, float), **values}


def _without_h_path(dh, dc, f, i, g, o, c_prev, c):
    # the belt's dc taken as all of δC_t
    da_o = dh * np.tanh(c) * o * (1 - o)
    return (dc * c_prev * f * (1 - f), dc * g * i * (1 - i), dc * i * (1 - g**2), da_o, f * dc)


def _tanh_of_c_prev(dh, dc, f, i, g, o, c_prev, c):
    return cell_backward(dh, dc, f, i, g, o, c_prev, c_prev)


def _sigma_prime_is_sigma(dh, dc, f, i, g, o, c_prev, c):
    dc_total = dc + dh * o * (1 - np.tanh(c) ** 2)
    return (dc_total * c_prev * f, dc_total * g * i, dc_total * i * (1 - g**2),
            dh * np.tanh(c) * o, f * dc_total)


def _no_forget_on_the_belt(dh, dc, f, i, g, o, c_prev, c):
    out = cell_backward(dh, dc, f, i, g, o, c_prev, c)
    return out[:4] + (dc + dh * o * (1 - np.tanh(c) ** 2),)


def _belt_only_to_c_prev(dh, dc, f, i, g, o, c_prev, c):
    return cell_backward(dh, dc, f, i, g, o, c_prev, c)[:4] + (f * dc,)


def _i_and_g_swapped(dh, dc, f, i, g, o, c_prev, c):
    dc_total = dc + dh * o * (1 - np.tanh(c) ** 2)
    da_f, _, _, da_o, dc_prev = cell_backward(dh, dc, f, i, g, o, c_prev, c)
    return da_f, dc_total * i * i * (1 - i), dc_total * g * (1 - g**2), da_o, dc_prev


def _o_without_tanh(dh, dc, f, i, g, o, c_prev, c):
    out = cell_backward(dh, dc, f, i, g, o, c_prev, c)
    return out[:3] + (dh * c * o * (1 - o), out[4])


register(
    name="10.cell_backward",
    title={"ko": "셀 한 걸음을 거꾸로", "en": "One cell step, backwards"},
    hint={
        "ko": "먼저 δC_t 전체를 구하세요: 벨트로 온 dc에 h_t = o ⊙ tanh(C_t)를 거쳐 온 몫 "
        "dh * o * (1 - np.tanh(c)**2)를 더합니다. 그다음 각 게이트의 기울기를 곱셈의 상대편에서 "
        "읽습니다: C_t = f ⊙ C_{t-1} + i ⊙ g이므로 δf = δC ⊙ C_{t-1}, δi = δC ⊙ g, δg = δC ⊙ i, "
        "그리고 δo = dh ⊙ tanh(C_t). 마지막으로 활성화 함수의 미분값을 곱합니다: 시그모이드는 "
        "s(1 - s), tanh는 1 - g**2. 벨트를 따라 C_{t-1}로 가는 기울기는 f ⊙ δC_t입니다.",
        "en": "First get all of δC_t: add to the belt's dc the part that comes through "
        "h_t = o ⊙ tanh(C_t), dh * o * (1 - np.tanh(c)**2). Then read each gate's gradient off "
        "the other factor of its product: C_t = f ⊙ C_{t-1} + i ⊙ g gives δf = δC ⊙ C_{t-1}, "
        "δi = δC ⊙ g, δg = δC ⊙ i, and δo = dh ⊙ tanh(C_t). Finally multiply by the "
        "activation's derivative: s(1 - s) for a sigmoid, 1 - g**2 for tanh. The gradient "
        "that goes along the belt to C_{t-1} is f ⊙ δC_t.",
    },
    reference=cell_backward,
    output_names=("da_f", "da_i", "da_g", "da_o", "dc_prev"),
    cases=[
        case("dh = 0: 기울기가 벨트로만 들어옴", "dh = 0: the gradient arrives on the belt only",
             **_fixed_cell_args([0.0, 0.0, 0.0], [1.0, -2.0, 0.5])),
        case("dc = 0: 기울기가 h_t로만 들어옴", "dc = 0: the gradient arrives through h_t only",
             **_fixed_cell_args([1.0, 0.5, -1.5], [0.0, 0.0, 0.0])),
        case("두 길 모두", "both ways at once",
             **_fixed_cell_args([0.7, -1.2, 0.4], [-0.3, 0.9, 1.1])),
    ],
    random_case=_random_cell_args,
    wrong={
        "the way through h_t left out of δC_t": _without_h_path,
        "tanh'(C_{t-1}) instead of tanh'(C_t)": _tanh_of_c_prev,
        "σ'(a) taken as σ(a)": _sigma_prime_is_sigma,
        "δC_{t-1} without the forget gate": _no_forget_on_the_belt,
        "δC_{t-1} from the belt's dc only": _belt_only_to_c_prev,
        "δi and δg swapped": _i_and_g_swapped,
        "δo = dh ⊙ C_t (tanh missing)": _o_without_tanh,
    },
)

# ----------------------------------------------------------------------------------------
# 10.weight_gradient
# ----------------------------------------------------------------------------------------


def weight_gradient(da_seq, z_seq):
    dW = np.zeros((da_seq.shape[1], z_seq.shape[1]))
    for da_t, z_t in zip(da_seq, z_seq, strict=True):
        dW += np.outer(da_t, z_t)  # δa_t z_t^T, one step's share
    return dW, da_seq.sum(axis=0)  # summed over time


def _random_weight_args(rng):
    T, H, D = (int(n) for n in rng.integers(2, 7, size=3))
    return {"da_seq": rng.normal(size=(T, H)), "z_seq": rng.normal(size=(T, H + D))}


register(
    name="10.weight_gradient",
    title={"ko": "시간에 걸쳐 더한 가중치 기울기", "en": "A weight gradient summed over time"},
    hint={
        "ko": "가중치 W는 모든 걸음에서 같은 행렬이므로, 기울기는 걸음마다의 몫을 더한 것입니다. "
        "걸음 t의 몫은 외적 np.outer(da_seq[t], z_seq[t])이고 모양은 (H, H + D)입니다. "
        "반복문으로 더해도 되고, 한 번의 행렬 곱 da_seq.T @ z_seq로 써도 됩니다. 편향의 기울기는 "
        "da_seq를 시간 축으로 더한 것입니다. 평균이 아니라 합입니다.",
        "en": "The weight W is the same matrix at every step, so its gradient is the sum of "
        "every step's share. Step t's share is the outer product np.outer(da_seq[t], "
        "z_seq[t]), of shape (H, H + D). Add them in a loop, or write the whole sum as one "
        "matrix product, da_seq.T @ z_seq. The bias gradient is da_seq summed over time: a "
        "sum, not a mean.",
    },
    reference=weight_gradient,
    output_names=("dW", "db"),
    cases=[
        case("한 걸음: 외적 하나", "one step: a single outer product",
             da_seq=np.array([[1.0, -2.0]]), z_seq=np.array([[0.5, 1.0, -1.0]])),
        case("세 걸음, H = 2, H + D = 3", "three steps, H = 2, H + D = 3",
             da_seq=np.array([[1.0, 0.0], [0.5, -1.0], [0.0, 2.0]]),
             z_seq=np.array([[1.0, 2.0, 0.0], [0.0, 1.0, -1.0], [3.0, 0.0, 1.0]])),
    ],
    random_case=_random_weight_args,
    wrong={
        "the last step only": lambda da, z: (np.outer(da[-1], z[-1]), da[-1]),
        "the mean over time instead of the sum": lambda da, z: (da.T @ z / len(da),
                                                                da.mean(axis=0)),
        "transposed: z^T δa, shape (H + D, H)": lambda da, z: (z.T @ da, da.sum(axis=0)),
        "bias gradient not summed": lambda da, z: (da.T @ z, da[0]),
        "the first step counted twice": lambda da, z: (da.T @ z + np.outer(da[0], z[0]),
                                                       da.sum(axis=0)),
    },
)

# ----------------------------------------------------------------------------------------
# 10.central_difference
# ----------------------------------------------------------------------------------------


def central_difference(f, x, eps):
    x = np.asarray(x, dtype=float)  # float64 even if x holds integers
    grad = np.zeros_like(x)
    for j in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[j] = eps  # move one entry only
        grad[j] = (f(x + step) - f(x - step)) / (2 * eps)
    return grad


class _Named:
    """A function argument that prints as a formula in check's feedback."""

    def __init__(self, fn, text):
        self.fn, self.text = fn, text

    def __call__(self, x):
        return self.fn(x)

    def __repr__(self):
        return self.text


def _lstm_loss(seed):
    """L(X) = Σ_t w_t · h_t for a small LSTM (D = 2, H = 3): X has shape (T, 2)."""
    rng = np.random.default_rng(seed)
    p = lstm.init_params(2, 3, rng=rng, forget_bias=1.0)
    w = rng.normal(size=(4, 3))

    def loss(X):
        out, _, _ = lstm.forward(X, p)
        return float(np.sum(w[: len(X)] * out))

    return _Named(loss, "L(X) = Σ_t w_t · h_t (a small LSTM, X: (4, 2))")


def _random_difference_args(rng):
    n = int(rng.integers(2, 6))
    w = rng.normal(size=n)
    fn = _Named(lambda x: float(np.sum(np.tanh(w * x) + 0.5 * (w * x) ** 2)),
                "f(x) = Σ tanh(w x) + (w x)² / 2")
    return {"f": fn, "x": rng.normal(size=n), "eps": 1e-4}


def _forward_difference(f, x, eps):
    grad = np.zeros_like(x)
    for j in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[j] = eps
        grad[j] = (f(x + step) - f(x)) / eps
    return grad


def _divided_by_eps(f, x, eps):
    return 2 * central_difference(f, x, eps)


def _all_entries_at_once(f, x, eps):
    value = (f(x + eps) - f(x - eps)) / (2 * eps)
    return np.full_like(x, value)


def _moved_and_not_restored(f, x, eps):
    grad = np.zeros_like(x)
    for j in np.ndindex(x.shape):
        x[j] += eps
        up = f(x)
        x[j] -= 2 * eps
        grad[j] = (up - f(x)) / (2 * eps)  # x[j] is left at x - eps
    return grad


register(
    name="10.central_difference",
    title={"ko": "중심 차분으로 기울기 재기", "en": "A gradient by central differences"},
    hint={
        "ko": "x와 모양이 같은 배열을 만들고, 성분 하나씩(np.ndindex(x.shape)로 돌면서) 그 성분만 "
        "eps만큼 올린 x와 내린 x에서 f를 계산합니다. 미분값은 (f(위) - f(아래)) / (2 * eps)입니다. "
        "x 자체를 바꾸지 말고 복사본(x.copy()나 x + step)에서 움직이세요. 한쪽 차분 "
        "(f(x + eps) - f(x)) / eps는 오차가 eps에 비례해서 이 검사를 통과하지 못합니다.",
        "en": "Make an array shaped like x and, one entry at a time (loop over "
        "np.ndindex(x.shape)), evaluate f with only that entry moved up by eps and then down "
        "by eps. The derivative is (f(up) - f(down)) / (2 * eps). Do not change x itself: "
        "move a copy (x.copy(), or x + step). The one-sided difference (f(x + eps) - f(x)) / "
        "eps has an error proportional to eps and fails this check.",
    },
    reference=central_difference,
    rtol=1e-6,
    atol=1e-9,
    exact_dtype=True,  # the statement asks for float64: float32 differences lose the digits
    cases=[
        case("f(x) = Σ x³: 미분값 3x²", "f(x) = Σ x³: the derivative is 3x²",
             f=_Named(lambda x: float(np.sum(x**3)), "f(x) = Σ x³"),
             x=np.array([1.0, -2.0, 0.5]), eps=1e-4),
        case("f(x) = Σ sin(x) x, 2×2 배열", "f(x) = Σ sin(x) x on a 2×2 array",
             f=_Named(lambda x: float(np.sum(np.sin(x) * x)), "f(x) = Σ sin(x) x"),
             x=np.array([[0.3, -1.2], [2.0, 0.7]]), eps=1e-4),
        case("작은 LSTM의 손실, X의 모양 (4, 2)", "a small LSTM's loss, X of shape (4, 2)",
             f=_lstm_loss(0), x=np.random.default_rng(7).normal(size=(4, 2)), eps=1e-4),
    ],
    random_case=_random_difference_args,
    wrong={
        "one-sided difference (f(x + eps) - f(x)) / eps": _forward_difference,
        "divided by eps instead of 2 eps": _divided_by_eps,
        "every entry moved at once": _all_entries_at_once,
        "x changed in place and not put back": _moved_and_not_restored,
    },
)
