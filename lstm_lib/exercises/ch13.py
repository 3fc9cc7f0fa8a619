"""Chapter 13 exercises: the GRU.

- ``13.gru_step``: one GRU step as PyTorch computes it (the reset gate after the matrix
  product), returning h_t.
- ``13.gru_param_count``: the number of parameters of ``nn.GRU(D, H, num_layers,
  bidirectional=...)``.
- ``13.gru_step_jacobian``: ∂h_t/∂h_{t-1} for one step, an (H, H) matrix.

``p`` is a :class:`lstm_lib.gru.GRUParams` (what ``gru.init_params`` returns): ``p.W_r``,
``p.W_z``, ``p.W_n`` of shape (H, H + D) acting on ``[h_{t-1}, x_t]`` and ``p.b_r``,
``p.b_z``, ``p.b_n``, ``p.b_hn`` of shape (H,). The cases use a subclass whose only
difference is a short ``repr``, so that ``check``'s feedback stays readable.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..gru import GRUParams, init_params
from .core import case, random_sizes, register


@dataclass(repr=False)
class _Params(GRUParams):
    """GRUParams with a one-line repr for check's feedback."""

    def __repr__(self) -> str:
        H, D = self.hidden_size, self.input_size
        return f"<GRUParams H={H}, D={D}: W_r, W_z, W_n ({H}, {H + D}); b_r, b_z, b_n, b_hn ({H},)>"


def _sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def _random_params(rng, D, H, scale=2.0):
    p = init_params(D, H, rng=rng)
    return _Params(**{name: scale * array for name, array in p.arrays().items()})


def _zero_params(D, H, b_r=0.0, b_z=0.0, b_n=0.0, b_hn=0.0):
    def full(value):
        return np.broadcast_to(np.asarray(value, dtype=float), (H,)).copy()

    return _Params(W_r=np.zeros((H, H + D)), W_z=np.zeros((H, H + D)),
                   W_n=np.zeros((H, H + D)), b_r=full(b_r), b_z=full(b_z), b_n=full(b_n),
                   b_hn=full(b_hn))


def _random_step_args(rng):
    D, H = random_sizes(rng)
    return {"x": rng.normal(size=D), "h_prev": rng.uniform(-1, 1, size=H),
            "p": _random_params(rng, D, H)}


# ----------------------------------------------------------------------------------------
# 13.gru_step
# ----------------------------------------------------------------------------------------


def gru_step(x, h_prev, p):
    H = len(h_prev)
    hx = np.concatenate([h_prev, x])  # [h_{t-1}, x_t]
    r = 1.0 / (1.0 + np.exp(-(p.W_r @ hx + p.b_r)))  # reset gate
    z = 1.0 / (1.0 + np.exp(-(p.W_z @ hx + p.b_z)))  # update gate
    m = p.W_n[:, :H] @ h_prev + p.b_hn  # m_t = W_nh h_{t-1} + b_hn
    n = np.tanh(p.W_n[:, H:] @ x + p.b_n + r * m)  # the reset scales all of m_t
    return (1.0 - z) * n + z * h_prev  # z near 1 keeps h_{t-1}


def _step_variant(reset="after", flip_z=False, concat="hx", b_hn=True, gate_act=_sigmoid,
                  out="h"):
    """A GRU step with one deliberate mistake (for the tests)."""

    def step(x, h_prev, p):
        H = len(h_prev)
        hx = np.concatenate([h_prev, x] if concat == "hx" else [x, h_prev])
        r = gate_act(p.W_r @ hx + p.b_r)
        z = gate_act(p.W_z @ hx + p.b_z)
        W_nh, W_nx = (p.W_n[:, :H], p.W_n[:, H:]) if concat == "hx" else (
            p.W_n[:, -H:], p.W_n[:, :-H])
        bias_hn = p.b_hn if b_hn else 0.0 * p.b_hn
        if reset == "after":
            n = np.tanh(W_nx @ x + p.b_n + r * (W_nh @ h_prev + bias_hn))
        elif reset == "before":  # Cho et al. (EMNLP) and d2l
            n = np.tanh(W_nx @ x + p.b_n + W_nh @ (r * h_prev) + bias_hn)
        elif reset == "bias outside":
            n = np.tanh(W_nx @ x + p.b_n + r * (W_nh @ h_prev) + bias_hn)
        else:  # no reset at all
            n = np.tanh(W_nx @ x + p.b_n + W_nh @ h_prev + bias_hn)
        if out == "n":
            return n
        return z * n + (1 - z) * h_prev if flip_z else (1 - z) * n + z * h_prev

    return step


register(
    name="13.gru_step",
    title={"ko": "GRU 한 걸음 (PyTorch의 식)", "en": "One GRU step (PyTorch's equations)"},
    hint={
        "ko": "hx = np.concatenate([h_prev, x])로 이어 붙이고 두 게이트 r = σ(W_r hx + b_r), "
        "z = σ(W_z hx + b_z)를 구합니다. 후보 n은 W_n을 둘로 나눠 씁니다: H = len(h_prev)일 때 "
        "W_n[:, :H]는 h_prev에, W_n[:, H:]는 x에 곱합니다. 리셋 게이트는 행렬 곱과 b_hn을 더한 "
        "*뒤에* 곱합니다: n = tanh(W_nx x + b_n + r * (W_nh h_prev + b_hn)). 마지막으로 "
        "h = (1 - z) * n + z * h_prev (z가 1에 가까우면 h_prev를 그대로 남김).",
        "en": "Join hx = np.concatenate([h_prev, x]) and compute the two gates "
        "r = σ(W_r hx + b_r) and z = σ(W_z hx + b_z). The candidate n uses W_n in two parts: "
        "with H = len(h_prev), W_n[:, :H] multiplies h_prev and W_n[:, H:] multiplies x. The "
        "reset gate multiplies *after* the matrix product and b_hn: "
        "n = tanh(W_nx x + b_n + r * (W_nh h_prev + b_hn)). Finally "
        "h = (1 - z) * n + z * h_prev (z near 1 keeps h_prev).",
    },
    reference=gru_step,
    cases=[
        case("가중치는 0, 편향만: b_hn이 리셋 안쪽에 있는지 봅니다",
             "weights zero, biases only: is b_hn inside the reset?",
             x=np.array([0.5, -1.0, 2.0]), h_prev=np.array([0.6, -0.4]),
             p=_zero_params(3, 2, b_r=[-1.0, 2.0], b_z=[0.5, -1.5], b_n=[0.2, -0.3],
                            b_hn=[1.5, -1.0])),
        case("W_n이 h_prev[1]과 x[0]만 읽음, r과 z는 편향으로 고정",
             "W_n reads only h_prev[1] and x[0]; r and z fixed by their biases",
             x=np.array([0.8, -0.5, 0.3]), h_prev=np.array([0.9, -0.7]),
             p=_Params(W_r=np.zeros((2, 5)), W_z=np.zeros((2, 5)),
                       W_n=np.array([[0.0, 1.5, 1.0, 0.0, 0.0], [0.0, -2.0, 0.5, 0.0, 0.0]]),
                       b_r=np.array([-2.0, 1.0]), b_z=np.array([1.0, -1.0]),
                       b_n=np.array([0.1, 0.2]), b_hn=np.array([0.0, 0.3]))),
        case("고정된 무작위 가중치, H = 2, D = 3", "fixed random weights, H = 2, D = 3",
             x=np.array([0.2, -1.0, 0.7]), h_prev=np.array([0.5, -0.4]),
             p=_random_params(np.random.default_rng(2024), 3, 2)),
    ],
    random_case=_random_step_args,
    wrong={
        "reset before the matrix product (Cho et al., d2l)": _step_variant(reset="before"),
        "z and 1 - z swapped (Chung et al.'s convention)": _step_variant(flip_z=True),
        "[x_t, h_{t-1}] instead of [h_{t-1}, x_t]": _step_variant(concat="xh"),
        "b_hn missing": _step_variant(b_hn=False),
        "b_hn outside the reset": _step_variant(reset="bias outside"),
        "no reset gate": _step_variant(reset="none"),
        "tanh for the gates": _step_variant(gate_act=np.tanh),
        "returns the candidate n instead of h": _step_variant(out="n"),
    },
)

# ----------------------------------------------------------------------------------------
# 13.gru_param_count
# ----------------------------------------------------------------------------------------


def gru_param_count(input_size, hidden_size, num_layers, bidirectional):
    directions = 2 if bidirectional else 1
    H, total = hidden_size, 0
    for layer in range(num_layers):
        D = input_size if layer == 0 else directions * H  # later layers read h
        total += directions * (3 * H * (D + H) + 6 * H)  # weights + two biases
    return total


def _count_variant(blocks=3, biases=2, deep_input="h", double=True):
    def count(input_size, hidden_size, num_layers, bidirectional):
        directions = 2 if (bidirectional and double) else 1
        H, total = hidden_size, 0
        for layer in range(num_layers):
            if layer == 0 or deep_input == "D":
                D = input_size
            else:
                D = H if deep_input == "H" else directions * H
            total += directions * (blocks * H * (D + H) + biases * blocks * H)
        return total

    return count


def _random_count_args(rng):
    return {"input_size": int(rng.integers(1, 40)), "hidden_size": int(rng.integers(1, 50)),
            "num_layers": int(rng.integers(1, 4)), "bidirectional": bool(rng.integers(0, 2))}


register(
    name="13.gru_param_count",
    title={"ko": "nn.GRU의 매개변수 수", "en": "How many parameters does nn.GRU have?"},
    hint={
        "ko": "층 하나, 방향 하나에는 weight_ih (3H, D), weight_hh (3H, H), 편향 두 개 (3H,)가 "
        "있습니다: 3H(D + H) + 6H. 양방향이면 방향마다 따로 있어 두 배입니다. 두 번째 층부터는 "
        "입력이 아래층의 출력이므로 D 대신 H × 방향 수를 씁니다.",
        "en": "One layer in one direction has weight_ih (3H, D), weight_hh (3H, H) and two "
        "biases (3H,): 3H(D + H) + 6H. A bidirectional layer has one such set per direction. "
        "From the second layer on, the input is the output of the layer below, so use "
        "H times the number of directions instead of D.",
    },
    reference=gru_param_count,
    cases=[
        case("D = 10, H = 20, 층 1개", "D = 10, H = 20, one layer",
             input_size=10, hidden_size=20, num_layers=1, bidirectional=False),
        case("D = 3, H = 5, 층 2개", "D = 3, H = 5, two layers",
             input_size=3, hidden_size=5, num_layers=2, bidirectional=False),
        case("D = 4, H = 3, 층 2개, 양방향", "D = 4, H = 3, two layers, bidirectional",
             input_size=4, hidden_size=3, num_layers=2, bidirectional=True),
        case("D = 1, H = 1, 층 1개, 양방향", "D = 1, H = 1, one layer, bidirectional",
             input_size=1, hidden_size=1, num_layers=1, bidirectional=True),
    ],
    random_case=_random_count_args,
    wrong={
        "LSTM's formula (four blocks)": _count_variant(blocks=4),
        "one bias vector instead of two": _count_variant(biases=1),
        "later layers read D inputs": _count_variant(deep_input="D"),
        "later layers read H inputs even when bidirectional": _count_variant(deep_input="H"),
        "bidirectional not doubled": _count_variant(double=False),
    },
)

# ----------------------------------------------------------------------------------------
# 13.gru_step_jacobian
# ----------------------------------------------------------------------------------------


def gru_step_jacobian(x, h_prev, p):
    H = len(h_prev)
    hx = np.concatenate([h_prev, x])
    r = 1.0 / (1.0 + np.exp(-(p.W_r @ hx + p.b_r)))
    z = 1.0 / (1.0 + np.exp(-(p.W_z @ hx + p.b_z)))
    m = p.W_n[:, :H] @ h_prev + p.b_hn  # m_t = W_nh h_{t-1} + b_hn
    n = np.tanh(p.W_n[:, H:] @ x + p.b_n + r * m)
    # h = (1 - z) n + z h_prev: the direct path, then the paths through n (via W_nh and
    # via r) and through z; each row i is the derivative of h[i].
    dn = (1 - n**2)[:, None] * (r[:, None] * p.W_n[:, :H]
                                + (m * r * (1 - r))[:, None] * p.W_r[:, :H])
    dz = (z * (1 - z))[:, None] * p.W_z[:, :H]
    return np.diag(z) + (1 - z)[:, None] * dn + (h_prev - n)[:, None] * dz


def _jacobian_variant(keep="all"):
    def jacobian(x, h_prev, p):
        H = len(h_prev)
        hx = np.concatenate([h_prev, x])
        r = _sigmoid(p.W_r @ hx + p.b_r)
        z = _sigmoid(p.W_z @ hx + p.b_z)
        hn = p.W_n[:, :H] @ h_prev + p.b_hn
        n = np.tanh(p.W_n[:, H:] @ x + p.b_n + r * hn)
        through_r = (hn * r * (1 - r))[:, None] * p.W_r[:, :H]
        dn = (1 - n**2)[:, None] * (r[:, None] * p.W_n[:, :H]
                                    + (0 if keep == "no r path" else through_r))
        dz = (z * (1 - z))[:, None] * p.W_z[:, :H]
        if keep == "direct only":
            return np.diag(z)
        J = np.diag(z) + (1 - z)[:, None] * dn
        if keep != "no z path":
            J = J + (h_prev - n)[:, None] * dz
        return J.T if keep == "transposed" else J

    return jacobian


def _jacobian_one_minus_z(x, h_prev, p):
    z = _sigmoid(p.W_z @ np.concatenate([h_prev, x]) + p.b_z)
    return gru_step_jacobian(x, h_prev, p) - np.diag(z) + np.diag(1 - z)


register(
    name="13.gru_step_jacobian",
    title={"ko": "한 걸음의 야코비 행렬 ∂h_t/∂h_{t-1}",
           "en": "One step's Jacobian ∂h_t/∂h_{t-1}"},
    hint={
        "ko": "h = (1 - z) * n + z * h_prev를 h_prev로 미분합니다. 세 갈래를 더하세요: "
        "(1) z * h_prev가 직접 주는 diag(z), (2) n을 거치는 길 "
        "diag((1 - z)(1 - n²)) [diag(r) W_nh + diag(m r(1 - r)) W_rh], (3) z를 거치는 길 "
        "diag((h_prev - n) z(1 - z)) W_zh. 여기서 W_rh = W_r[:, :H], "
        "W_zh = W_z[:, :H], W_nh = W_n[:, :H], m = W_nh h_prev + b_hn입니다. i행에는 "
        "h[i]를 h_prev의 각 칸으로 미분한 값이 들어갑니다. 유한 차분으로 답을 확인하려면 "
        "중심 차분을 쓰세요: (f(h + ε e_j) - f(h - ε e_j)) / (2ε), ε = 1e-5 정도. 채점은 "
        "상대 오차 1e-4, 절대 오차 1e-6까지 받아 줍니다.",
        "en": "Differentiate h = (1 - z) * n + z * h_prev with respect to h_prev and add three "
        "paths: (1) diag(z) from z * h_prev directly, (2) through n: diag((1 - z)(1 - n²)) "
        "[diag(r) W_nh + diag(m r(1 - r)) W_rh], (3) through z: diag((h_prev - n) z(1 - z)) "
        "W_zh, where W_rh = W_r[:, :H], W_zh = W_z[:, :H], W_nh = W_n[:, :H] and "
        "m = W_nh h_prev + b_hn. Row i holds the derivatives of h[i] with respect to each "
        "entry of h_prev. To check with finite differences, use central differences "
        "(f(h + ε e_j) - f(h - ε e_j)) / (2ε) with ε around 1e-5; the checker allows a "
        "relative error of 1e-4 and an absolute error of 1e-6.",
    },
    reference=gru_step_jacobian,
    # Loose enough for finite differences (central differences, or forward differences
    # with a well-chosen step); every registered mistake is still caught
    # (tests/test_exercises.py).
    rtol=1e-4,
    atol=1e-6,
    cases=[
        case("가중치가 모두 0: diag(z)만 남음", "all weights zero: only diag(z) is left",
             x=np.array([0.5, -1.0, 2.0]), h_prev=np.array([0.6, -0.4]),
             p=_zero_params(3, 2, b_r=[-1.0, 2.0], b_z=[0.5, -1.5], b_n=[0.2, -0.3],
                            b_hn=[1.5, -1.0])),
        case("고정된 무작위 가중치, H = 2, D = 3", "fixed random weights, H = 2, D = 3",
             x=np.array([0.2, -1.0, 0.7]), h_prev=np.array([0.5, -0.4]),
             p=_random_params(np.random.default_rng(2024), 3, 2)),
        case("고정된 무작위 가중치, H = 3, D = 1", "fixed random weights, H = 3, D = 1",
             x=np.array([1.3]), h_prev=np.array([0.2, -0.8, 0.5]),
             p=_random_params(np.random.default_rng(7), 1, 3)),
    ],
    random_case=_random_step_args,
    wrong={
        "only the direct path diag(z)": _jacobian_variant("direct only"),
        "the path through the reset gate missing": _jacobian_variant("no r path"),
        "the path through the update gate missing": _jacobian_variant("no z path"),
        "transposed (columns are the derivatives of h[i])": _jacobian_variant("transposed"),
        "diag(1 - z) for the direct path": _jacobian_one_minus_z,
    },
)
