"""Chapter 08 exercises: the output gate, the hidden state and a whole LSTM step.

- ``08.output_and_hidden``: o_t = σ(W_o [h_{t-1}, x_t] + b_o) and h_t = o_t ⊙ tanh(C_t).
- ``08.lstm_step``: one full step, returning ``(h, c)``; ``p`` is a real
  :class:`lstm_lib.lstm.LSTMParams` (what ``lstm.init_params`` returns), so a solution may
  use ``p.W_f`` ... ``p.b_o``, ``p.hidden_size`` or hand ``p`` to ``lstm.step``.
"""

from __future__ import annotations

import numpy as np

from .. import lstm as _lstm
from .core import case, random_sizes, register


def output_and_hidden(x, h_prev, c, W_o, b_o):
    a = W_o @ np.concatenate([h_prev, x]) + b_o  # pre-activation W_o [h_{t-1}, x_t] + b_o
    o = 1.0 / (1.0 + np.exp(-a))  # o_t = σ(a)
    h = o * np.tanh(c)  # h_t = o_t ⊙ tanh(C_t)
    return o, h


def _sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def _random_output_args(rng):
    D, H = random_sizes(rng)
    return {
        "x": rng.normal(size=D),
        "h_prev": rng.uniform(-1, 1, size=H),
        "c": rng.normal(scale=1.5, size=H),
        "W_o": rng.normal(scale=0.8, size=(H, H + D)),
        "b_o": rng.normal(scale=0.5, size=H),
    }


def _o(x, h_prev, W_o, b_o):
    return _sigmoid(W_o @ np.concatenate([h_prev, x]) + b_o)


register(
    name="08.output_and_hidden",
    title={"ko": "출력 게이트와 은닉 상태", "en": "The output gate and the hidden state"},
    hint={
        "ko": "출력 게이트 o는 다른 게이트와 같은 식입니다: σ(W_o [h_prev, x] + b_o). 은닉 상태는 "
        "새 셀 상태 c를 tanh로 -1과 1 사이로 누른 뒤 o를 원소별로 곱한 것입니다: "
        "h = o * np.tanh(c). 두 값을 `return o, h` 순서로 돌려주세요.",
        "en": "The output gate o has the same formula as the other gates: "
        "σ(W_o [h_prev, x] + b_o). The hidden state squashes the new cell state c with tanh "
        "into (-1, 1) and multiplies it element-wise by o: h = o * np.tanh(c). Return both, "
        "in the order `return o, h`.",
    },
    reference=output_and_hidden,
    output_names=("o", "h"),
    cases=[
        case("가중치와 편향이 0: o = 0.5", "weights and bias zero: o = 0.5",
             x=np.array([0.4, -0.6]), h_prev=np.array([0.1, 0.2, -0.3]),
             c=np.array([1.0, -1.0, 3.0]), W_o=np.zeros((3, 5)), b_o=np.zeros(3)),
        case("W_o가 h_prev[0]과 x[1]만 읽고 편향이 있음",
             "W_o reads only h_prev[0] and x[1], with a bias",
             x=np.array([0.4, -1.6]), h_prev=np.array([1.2, 0.2, -0.3]),
             c=np.array([2.5, -0.5, 0.2]),
             W_o=np.array([[1.0, 0, 0, 0, 0], [0, 0, 0, 0, 1.0], [0, 0, 0, 0, 0]]),
             b_o=np.array([0.2, -0.3, 1.0])),
    ],
    random_case=_random_output_args,
    wrong={
        "h = o ⊙ C (tanh missing)": lambda x, h_prev, c, W_o, b_o: (
            _o(x, h_prev, W_o, b_o), _o(x, h_prev, W_o, b_o) * c),
        "h = tanh(o ⊙ C)": lambda x, h_prev, c, W_o, b_o: (
            _o(x, h_prev, W_o, b_o), np.tanh(_o(x, h_prev, W_o, b_o) * c)),
        "[x_t, h_{t-1}] instead of [h_{t-1}, x_t]": lambda x, h_prev, c, W_o, b_o: (
            output_and_hidden(h_prev, x, c, W_o, b_o)),
        "C_t used where h_{t-1} belongs": lambda x, h_prev, c, W_o, b_o: (
            output_and_hidden(x, c, c, W_o, b_o)),
        "tanh for the output gate": lambda x, h_prev, c, W_o, b_o: (
            np.tanh(W_o @ np.concatenate([h_prev, x]) + b_o),
            np.tanh(W_o @ np.concatenate([h_prev, x]) + b_o) * np.tanh(c)),
        "returns (h, o)": lambda x, h_prev, c, W_o, b_o: (
            output_and_hidden(x, h_prev, c, W_o, b_o)[::-1]),
        "bias missing": lambda x, h_prev, c, W_o, b_o: (
            output_and_hidden(x, h_prev, c, W_o, 0 * b_o)),
    },
)

# ----------------------------------------------------------------------------------------
# 08.lstm_step
# ----------------------------------------------------------------------------------------


def lstm_step(x, h_prev, c_prev, p):
    z = np.concatenate([h_prev, x])  # [h_{t-1}, x_t]
    f = 1.0 / (1.0 + np.exp(-(p.W_f @ z + p.b_f)))  # forget gate f_t
    i = 1.0 / (1.0 + np.exp(-(p.W_i @ z + p.b_i)))  # input gate i_t
    g = np.tanh(p.W_g @ z + p.b_g)  # candidate values C̃_t
    o = 1.0 / (1.0 + np.exp(-(p.W_o @ z + p.b_o)))  # output gate o_t
    c = f * c_prev + i * g  # C_t = f_t ⊙ C_{t-1} + i_t ⊙ C̃_t
    h = o * np.tanh(c)  # h_t = o_t ⊙ tanh(C_t)
    return h, c


class LSTMParams(_lstm.LSTMParams):
    """A real :class:`lstm_lib.lstm.LSTMParams` (``isinstance`` holds, ``lstm.step`` accepts
    it; error messages name it ``LSTMParams``) whose repr is one short line of shapes, so
    that check()'s feedback stays readable."""

    def __repr__(self) -> str:
        return "<LSTMParams: " + ", ".join(
            f"{name} {array.shape}" for name, array in self.arrays().items()) + ">"


def _params(rng, D, H, scale=0.8):
    """Random weights, shaped (H, H + D) and (H,), larger than ``init_params``'s so that
    every gate's mistakes show."""
    p = {}
    for gate in "figo":
        p[f"W_{gate}"] = rng.normal(scale=scale, size=(H, H + D))
        p[f"b_{gate}"] = rng.normal(scale=0.5, size=H)
    return LSTMParams(**p)


def _zero_params(D, H, b_f=0.0, b_i=0.0, b_g=0.0, b_o=0.0):
    biases = {"f": b_f, "i": b_i, "g": b_g, "o": b_o}
    p = {}
    for gate in "figo":
        p[f"W_{gate}"] = np.zeros((H, H + D))
        p[f"b_{gate}"] = np.broadcast_to(np.asarray(biases[gate], dtype=float), (H,)).copy()
    return LSTMParams(**p)


def _random_step_args(rng):
    D, H = random_sizes(rng)
    return {
        "x": rng.normal(size=D),
        "h_prev": rng.uniform(-1, 1, size=H),
        "c_prev": rng.normal(scale=1.5, size=H),
        "p": _params(rng, D, H),
    }


def _step_variant(concat="hx", f_act=_sigmoid, i_act=_sigmoid, g_act=np.tanh, h_from="c",
                  h_tanh=True, swap_fi=False, bias=True, swap_out=False, ctx_from_c=False):
    """An LSTM step with one or more deliberate mistakes (for the tests)."""

    def step(x, h_prev, c_prev, p):
        first = c_prev if ctx_from_c else h_prev
        z = np.concatenate([first, x] if concat == "hx" else [x, first])
        k = 1.0 if bias else 0.0
        Wf, bf, Wi, bi = (p.W_i, p.b_i, p.W_f, p.b_f) if swap_fi else (p.W_f, p.b_f, p.W_i, p.b_i)
        f = f_act(Wf @ z + k * bf)
        i = i_act(Wi @ z + k * bi)
        g = g_act(p.W_g @ z + k * p.b_g)
        o = _sigmoid(p.W_o @ z + k * p.b_o)
        c = f * c_prev + i * g
        inner = c if h_from == "c" else c_prev
        h = o * (np.tanh(inner) if h_tanh else inner)
        return (c, h) if swap_out else (h, c)

    return step


register(
    name="08.lstm_step",
    title={"ko": "LSTM 한 걸음 전체", "en": "A whole LSTM step"},
    hint={
        "ko": "z = np.concatenate([h_prev, x])를 한 번 만들고, 게이트 셋 (f, i, o: 시그모이드)과 "
        "후보 값 g (tanh)를 계산합니다. 그다음 c = f * c_prev + i * g, h = o * np.tanh(c) 순서로 "
        "구하세요. h에는 새 c가 들어갑니다. `return h, c` 순서를 지키세요. p는 "
        "lstm.init_params가 돌려주는 LSTMParams입니다. p.W_f의 모양은 (H, H + D)이고, "
        "p.hidden_size가 H입니다.",
        "en": "Build z = np.concatenate([h_prev, x]) once, compute the three gates (f, i, o: "
        "sigmoid) and the candidate g (tanh). Then c = f * c_prev + i * g and "
        "h = o * np.tanh(c), in that order: h uses the new c. Return them as `return h, c`. "
        "p is an LSTMParams, as lstm.init_params returns: p.W_f has shape (H, H + D), "
        "p.hidden_size is H.",
    },
    reference=lstm_step,
    output_names=("h", "c"),
    cases=[
        case("모든 가중치와 편향이 0", "all weights and biases zero",
             x=np.array([0.5, -1.0, 2.0]), h_prev=np.array([0.3, -0.7]),
             c_prev=np.array([1.0, -2.0]), p=_zero_params(3, 2)),
        case("가중치는 0, 게이트마다 다른 편향", "weights zero, a different bias for each gate",
             x=np.array([0.5, -1.0, 2.0]), h_prev=np.array([0.3, -0.7]),
             c_prev=np.array([1.0, -2.0]),
             p=_zero_params(3, 2, b_f=[2.0, -2.0], b_i=[-1.0, 1.0], b_g=[0.5, -0.5],
                            b_o=[1.0, 0.0])),
        case("고정된 무작위 가중치, H = 2, D = 3", "fixed random weights, H = 2, D = 3",
             x=np.array([0.2, -1.0, 0.7]), h_prev=np.array([0.5, -0.4]),
             c_prev=np.array([0.8, -1.2]), p=_params(np.random.default_rng(2024), 3, 2)),
        case("lstm.init_params(2, 4, rng=7)의 가중치, H = 4, D = 2",
             "the weights of lstm.init_params(2, 4, rng=7), H = 4, D = 2",
             x=np.array([1.0, -0.5]), h_prev=np.array([0.2, -0.1, 0.6, -0.9]),
             c_prev=np.array([1.5, -0.3, 0.0, 2.0]),
             p=LSTMParams(**_lstm.init_params(2, 4, rng=7).arrays())),
    ],
    random_case=_random_step_args,
    wrong={
        "returns (c, h)": _step_variant(swap_out=True),
        "h from C_{t-1} instead of C_t": _step_variant(h_from="c_prev"),
        "C_{t-1} used where h_{t-1} belongs": _step_variant(ctx_from_c=True),
        "[x_t, h_{t-1}] instead of [h_{t-1}, x_t]": _step_variant(concat="xh"),
        "sigmoid for the candidate": _step_variant(g_act=_sigmoid),
        "tanh for the input gate": _step_variant(i_act=np.tanh),
        "tanh for the forget gate": _step_variant(f_act=np.tanh),
        "biases missing": _step_variant(bias=False),
        "h = o ⊙ C (tanh missing)": _step_variant(h_tanh=False),
        "forget and input weights swapped": _step_variant(swap_fi=True),
    },
)
