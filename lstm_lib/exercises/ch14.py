"""Chapter 14 exercises: the LSTM and the GRU, compared.

- ``14.matched_hidden_size``: the hidden size of the ``nn.GRU`` whose parameter count is
  closest to that of ``nn.LSTM(input_size, hidden_size)`` (ties go to the smaller size).
  The fixed cases include a tie (D = 5, H = 26: 30 and 31 are equally far) and a case
  where rounding the real root of the quadratic gives the wrong integer (D = 4, H = 20:
  the root is 23.5 and a bit, yet 23 is closer in count than 24).
- ``14.cifg_step``: one step of the LSTM with coupled input and forget gates (CIFG,
  Greff et al. 2017), f_t = 1 - i_t, the coupling the GRU's update gate makes.
- ``14.sign_flip_p``: the exact two-sided p-value of the paired sign-flip test over a
  few seeds. The cases use integers and binary fractions, whose sums are exact, so that
  ties between sign patterns are well defined.

``p`` in ``14.cifg_step`` is a :class:`lstm_lib.lstm.LSTMParams` (what
``lstm.init_params`` returns), in a subclass whose only difference is a short ``repr``.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from ..lstm import LSTMParams, init_params
from .core import case, random_sizes, register

# ----------------------------------------------------------------------------------------
# 14.matched_hidden_size
# ----------------------------------------------------------------------------------------


def matched_hidden_size(input_size, hidden_size):
    D, H = input_size, hidden_size
    target = 4 * H * (D + H) + 8 * H  # nn.LSTM(D, H): four blocks, two bias vectors

    def gru_count(h):
        return 3 * h * (D + h) + 6 * h  # nn.GRU(D, h): three blocks, two bias vectors

    # the GRU count grows with h and passes the target before h = 2H: try them all
    return min(range(1, 2 * H + 2), key=lambda h: (abs(gru_count(h) - target), h))


def _matched_variant(kind):
    def matched(input_size, hidden_size):
        D, H = input_size, hidden_size
        lstm_count = 4 * H * (D + H) + (4 if kind == "effective" else 8) * H
        b = 3 * D + 6 if kind != "effective" else 3 * D + 4
        root = (-b + math.sqrt(b * b + 12 * lstm_count)) / 6  # 3h² + bh = count
        if kind == "sqrt rule":
            return round(H * math.sqrt(4 / 3))
        if kind == "root, not rounded":
            return root
        if kind == "ceil":
            return math.ceil(root)
        if kind == "floor":
            return math.floor(root)
        if kind == "round":
            return round(root)
        if kind == "ties to the larger":
            def count(h):
                return 3 * h * (D + h) + 6 * h
            return min(range(1, 2 * H + 2),
                       key=lambda h: (abs(count(h) - lstm_count), -h))
        # "effective": the biases that act (4H and 4H) instead of PyTorch's 8H and 6H
        return min(range(1, 2 * H + 2),
                   key=lambda h: (abs(3 * h * (D + h) + 4 * h - lstm_count), h))

    return matched


register(
    name="14.matched_hidden_size",
    title={"ko": "매개변수 수를 맞춘 GRU의 크기", "en": "A GRU sized to match the LSTM"},
    hint={
        "ko": "nn.LSTM(D, H)의 매개변수는 4H(D + H) + 8H개, nn.GRU(D, h)는 3h(D + h) + 6h개"
        "입니다. 가장 쉬운 길은 h = 1, 2, ...를 차례로 넣어 보고 차이의 절댓값이 가장 작은 "
        "h를 고르는 것입니다. h = 2H면 GRU 쪽이 이미 더 크므로 거기까지 보면 충분합니다. "
        "차이가 같은 두 h가 있으면 작은 쪽을 고르세요: min(..., key=lambda h: (차이, h)). "
        "이차방정식의 근을 쓰려면 그 근 양옆의 두 정수를 모두 넣어 보고 개수가 더 가까운 "
        "쪽을 고르세요. 근을 반올림하면 틀릴 때가 있습니다. 정수를 돌려주세요.",
        "en": "nn.LSTM(D, H) has 4H(D + H) + 8H parameters and nn.GRU(D, h) has "
        "3h(D + h) + 6h. The easiest way is to try h = 1, 2, ... and keep the h with the "
        "smallest absolute difference; at h = 2H the GRU already has more, so stop there. "
        "When two sizes are equally far, take the smaller: min(..., key=lambda h: "
        "(difference, h)). If you use the root of the quadratic, try both integers next to "
        "it and keep the one whose count is closer; rounding the root is sometimes wrong. "
        "Return an integer.",
    },
    reference=matched_hidden_size,
    cases=[
        case("D = 2, H = 16: 11장의 덧셈 문제 모델", "D = 2, H = 16: chapter 11's adding "
             "model", input_size=2, hidden_size=16),
        case("D = 1, H = 1: 가장 작은 크기", "D = 1, H = 1: the smallest size",
             input_size=1, hidden_size=1),
        case("D = 100, H = 10: 입력이 훨씬 큼", "D = 100, H = 10: a much larger input",
             input_size=100, hidden_size=10),
        case("D = 8, H = 128: 비율 규칙 H·√(4/3)이 틀리는 곳",
             "D = 8, H = 128: where the ratio rule H·√(4/3) is wrong",
             input_size=8, hidden_size=128),
        case("D = 5, H = 26: h = 30과 31의 차이가 같음 (작은 쪽)",
             "D = 5, H = 26: h = 30 and 31 are equally far (the smaller)",
             input_size=5, hidden_size=26),
        case("D = 4, H = 20: 근은 23.5를 조금 넘지만 개수로는 23이 더 가까움",
             "D = 4, H = 20: the root is a little above 23.5, yet 23 is closer in count",
             input_size=4, hidden_size=20),
    ],
    # sizes small enough that a solution which builds nn.GRU(D, h) for every h and
    # counts numel(), as the statement allows, stays far below check's time limit
    random_case=lambda rng: {"input_size": int(rng.integers(1, 31)),
                             "hidden_size": int(rng.integers(1, 101))},
    wrong={
        "the ratio rule round(H * sqrt(4/3))": _matched_variant("sqrt rule"),
        "the real root itself, a float": _matched_variant("root, not rounded"),
        "the first size whose count is at least the LSTM's": _matched_variant("ceil"),
        "the last size whose count is at most the LSTM's": _matched_variant("floor"),
        "the root rounded to the nearest integer": _matched_variant("round"),
        "ties to the larger size": _matched_variant("ties to the larger"),
        "the biases that act (4H each) instead of PyTorch's count":
            _matched_variant("effective"),
    },
)

# ----------------------------------------------------------------------------------------
# 14.cifg_step
# ----------------------------------------------------------------------------------------


@dataclass(repr=False)
class _Params(LSTMParams):
    """LSTMParams with a one-line repr for check's feedback."""

    def __repr__(self) -> str:
        H, D = self.hidden_size, self.input_size
        return (f"<LSTMParams H={H}, D={D}: W_f, W_i, W_g, W_o ({H}, {H + D}); "
                f"b_f, b_i, b_g, b_o ({H},)>")


def _sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def cifg_step(x, h_prev, c_prev, p):
    z = np.concatenate([h_prev, x])  # [h_{t-1}, x_t]
    i = 1.0 / (1.0 + np.exp(-(p.W_i @ z + p.b_i)))  # input gate
    f = 1.0 - i  # coupled: what is written pushes out as much of the old (W_f unused)
    g = np.tanh(p.W_g @ z + p.b_g)  # candidate values
    o = 1.0 / (1.0 + np.exp(-(p.W_o @ z + p.b_o)))  # output gate
    c = f * c_prev + i * g
    h = o * np.tanh(c)
    return h, c


def _cifg_variant(kind):
    def step(x, h_prev, c_prev, p):
        z = np.concatenate([x, h_prev] if kind == "xh" else [h_prev, x])
        i = _sigmoid(p.W_i @ z + p.b_i)
        f = {"lstm": _sigmoid(p.W_f @ z + p.b_f), "f = i": i}.get(kind, 1.0 - i)
        if kind == "i from W_f":  # coupled the other way round: i = 1 - f, f from W_f
            f = _sigmoid(p.W_f @ z + p.b_f)
            i = 1.0 - f
        g = np.tanh(p.W_g @ z + p.b_g)
        o = _sigmoid(p.W_o @ z + p.b_o)
        c = f * c_prev + i * g
        if kind == "no output gate":
            return np.tanh(c), c
        if kind == "no tanh":
            return o * c, c
        return o * np.tanh(c), c

    return step


def _random_params(rng, D, H, scale=2.0):
    p = init_params(D, H, rng=rng)
    return _Params(**{name: scale * array for name, array in p.arrays().items()})


def _random_cifg_args(rng):
    D, H = random_sizes(rng)
    return {"x": rng.normal(size=D), "h_prev": rng.uniform(-1, 1, size=H),
            "c_prev": rng.normal(size=H), "p": _random_params(rng, D, H)}


def _bias_only_params(D, H, b_f, b_i, b_g, b_o):
    def full(value):
        return np.broadcast_to(np.asarray(value, dtype=float), (H,)).copy()

    zeros = np.zeros((H, H + D))
    return _Params(W_f=zeros.copy(), W_i=zeros.copy(), W_g=zeros.copy(), W_o=zeros.copy(),
                   b_f=full(b_f), b_i=full(b_i), b_g=full(b_g), b_o=full(b_o))


register(
    name="14.cifg_step",
    title={"ko": "입력·망각 게이트를 묶은 LSTM 한 걸음 (CIFG)",
           "en": "One step of the LSTM with coupled gates (CIFG)"},
    hint={
        "ko": "z = np.concatenate([h_prev, x])로 이어 붙이고, 입력 게이트 "
        "i = σ(W_i z + b_i), 후보 값 g = tanh(W_g z + b_g), 출력 게이트 o = σ(W_o z + b_o)를 "
        "구합니다. 망각 게이트는 따로 계산하지 않고 f = 1 - i로 둡니다 (p.W_f와 p.b_f는 쓰지 "
        "않습니다). 그다음은 보통의 LSTM과 같습니다: c = f * c_prev + i * g, "
        "h = o * tanh(c). (h, c)를 이 순서로 돌려주세요.",
        "en": "Join z = np.concatenate([h_prev, x]) and compute the input gate "
        "i = σ(W_i z + b_i), the candidate values g = tanh(W_g z + b_g) and the output gate "
        "o = σ(W_o z + b_o). Do not compute a forget gate of its own: f = 1 - i (p.W_f and "
        "p.b_f are not used). The rest is the ordinary LSTM: c = f * c_prev + i * g, "
        "h = o * tanh(c). Return (h, c), in this order.",
    },
    reference=cifg_step,
    cases=[
        case("가중치는 0, 편향만: i = σ(1), 그리고 b_f는 무시됨",
             "weights zero, biases only: i = σ(1), and b_f is ignored",
             x=np.array([0.5, -1.0, 2.0]), h_prev=np.array([0.6, -0.4]),
             c_prev=np.array([1.5, -2.0]),
             p=_bias_only_params(3, 2, b_f=[3.0, -3.0], b_i=1.0, b_g=[0.5, -0.5],
                                 b_o=[2.0, -1.0])),
        case("고정된 무작위 가중치, H = 2, D = 3", "fixed random weights, H = 2, D = 3",
             x=np.array([0.2, -1.0, 0.7]), h_prev=np.array([0.5, -0.4]),
             c_prev=np.array([0.8, -1.1]),
             p=_random_params(np.random.default_rng(2024), 3, 2)),
        case("고정된 무작위 가중치, H = 3, D = 1", "fixed random weights, H = 3, D = 1",
             x=np.array([1.3]), h_prev=np.array([0.2, -0.8, 0.5]),
             c_prev=np.array([-0.3, 2.2, 0.9]),
             p=_random_params(np.random.default_rng(7), 1, 3)),
    ],
    random_case=_random_cifg_args,
    output_names=("h", "c"),
    wrong={
        "the ordinary LSTM (a forget gate from W_f)": _cifg_variant("lstm"),
        "f = i instead of f = 1 - i": _cifg_variant("f = i"),
        "coupled the other way: f from W_f, i = 1 - f": _cifg_variant("i from W_f"),
        "[x_t, h_{t-1}] instead of [h_{t-1}, x_t]": _cifg_variant("xh"),
        "no output gate": _cifg_variant("no output gate"),
        "h = o * c (no tanh)": _cifg_variant("no tanh"),
    },
)

# ----------------------------------------------------------------------------------------
# 14.sign_flip_p
# ----------------------------------------------------------------------------------------


def sign_flip_p(differences):
    from itertools import product

    d = np.asarray(differences, dtype=float)
    observed = abs(d.sum())
    # every way of flipping the signs: (2**n, n) rows of +1 and -1
    signs = np.array(list(product([1.0, -1.0], repeat=len(d))))
    sums = np.abs(signs @ d)
    return float(np.mean(sums >= observed - 1e-9 * max(1.0, observed)))


def _sign_variant(kind):
    def test(differences):
        d = np.asarray(differences, dtype=float)
        n = len(d)
        signs = np.array(list(itertools.product([1.0, -1.0], repeat=n)))
        sums = signs @ d
        if kind == "one-sided":
            return float(np.mean(sums >= d.sum() - 1e-9))
        if kind == "strict":
            return float(np.mean(np.abs(sums) > abs(d.sum()) + 1e-9))
        if kind == "count":
            return int(np.sum(np.abs(sums) >= abs(d.sum()) - 1e-9))
        if kind == "minus one":
            return float(np.sum(np.abs(sums) >= abs(d.sum()) - 1e-9) / (2**n - 1))
        # "sign test": a binomial test on the number of positive differences only
        k = int(np.sum(d > 0))
        tail = min(k, n - k)
        p = 2 * sum(math.comb(n, j) for j in range(tail + 1)) / 2**n
        return float(min(1.0, p))

    return test


def _random_sign_args(rng):
    n = int(rng.integers(2, 11))
    return {"differences": 25.0 * rng.integers(-12, 13, size=n)}


register(
    name="14.sign_flip_p",
    title={"ko": "시드 몇 개로 하는 부호 뒤집기 검정", "en": "A sign-flip test over a few seeds"},
    hint={
        "ko": "두 모델의 차이가 시드와 무관하게 0을 중심으로 대칭이라면, 각 차이의 부호는 "
        "+와 - 가운데 어느 것이어도 똑같이 그럴듯합니다. n개 차이의 부호를 바꾸는 2**n가지 "
        "방법을 모두 만들고 (itertools.product([1, -1], repeat=n)), 방법마다 합의 절댓값을 "
        "구하세요. 관측한 합의 절댓값 이상인 방법의 비율이 p입니다 (관측한 부호 배열 자신도 "
        "셉니다). 반올림 때문에 같은 값이 조금 달라질 수 있으니 관측값에서 1e-9만큼 뺀 값과 "
        "비교하세요. 합 대신 평균을 써도 됩니다. 실수 하나를 돌려주세요.",
        "en": "If the difference between two models is symmetric about 0 whatever the seed, "
        "each difference is as likely to carry a + as a - sign. Make all 2**n ways of "
        "choosing the signs of n differences (itertools.product([1, -1], repeat=n)) and, for "
        "each, the absolute value of the sum. p is the fraction of ways whose absolute sum "
        "is at least the observed one (the observed pattern counts too). Compare with the "
        "observed value minus 1e-9, since rounding can make equal values differ slightly. "
        "The mean works as well as the sum. Return one float.",
    },
    reference=sign_flip_p,
    cases=[
        case("다섯 시드 모두 같은 쪽: 2/32", "all five seeds on the same side: 2/32",
             differences=np.array([25.0, 50.0, 75.0, 100.0, 300.0])),
        case("다섯 시드 모두 음수", "all five seeds negative",
             differences=np.array([-100.0, -25.0, -50.0, -75.0, -325.0])),
        case("합이 0: 모든 배열이 관측값 이상", "the sum is 0: every pattern reaches it",
             differences=np.array([100.0, -100.0])),
        case("차이가 모두 0", "every difference is 0", differences=np.array([0.0, 0.0, 0.0])),
        case("크기가 중요함: 부호 검정과 답이 다름",
             "sizes matter: a sign test gives another answer",
             differences=np.array([0.5, -0.25, 1.0, 0.75, -0.125, 0.25])),
        case("시드 하나", "a single seed", differences=np.array([2.0])),
    ],
    random_case=_random_sign_args,
    wrong={
        "one-sided (no absolute value)": _sign_variant("one-sided"),
        "strictly greater (the observed pattern not counted)": _sign_variant("strict"),
        "the number of patterns instead of the fraction": _sign_variant("count"),
        "divides by 2**n - 1": _sign_variant("minus one"),
        "a sign test on the number of positive differences": _sign_variant("sign test"),
    },
)
