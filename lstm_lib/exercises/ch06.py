"""Chapter 06 exercises: the input gate and the candidate values.

- ``06.input_gate``: i_t = σ(W_i [h_{t-1}, x_t] + b_i) for one example.
- ``06.candidate``: C̃_t = tanh(W_g [h_{t-1}, x_t] + b_g) (``g`` in code, as in PyTorch).
"""

from __future__ import annotations

import numpy as np

from .core import case, random_gate_args, register


def input_gate(x, h_prev, W_i, b_i):
    a = W_i @ np.concatenate([h_prev, x]) + b_i  # pre-activation W_i [h_{t-1}, x_t] + b_i
    return 1.0 / (1.0 + np.exp(-a))  # i_t = σ(a)


def candidate(x, h_prev, W_g, b_g):
    a = W_g @ np.concatenate([h_prev, x]) + b_g  # pre-activation W_g [h_{t-1}, x_t] + b_g
    return np.tanh(a)  # C̃_t = tanh(a)


def _sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def _fixed_cases(weight, bias, zero_label):
    """The same three fixed cases for both exercises (H = 2, D = 3)."""
    x, h_prev = np.array([0.5, -1.0, 2.0]), np.array([0.3, -0.7])
    return [
        case(*zero_label, x=x, h_prev=h_prev, **{weight: np.zeros((2, 5)), bias: np.zeros(2)}),
        case("가중치는 0, 편향만 있음", "weights zero, bias only", x=x, h_prev=h_prev,
             **{weight: np.zeros((2, 5)), bias: np.array([1.5, -0.5])}),
        case("가중치가 h_prev[0]과 x[2]만 읽음", "the weight reads only h_prev[0] and x[2]",
             x=np.array([0.2, -1.0, -2.0]), h_prev=np.array([1.5, -0.5]),
             **{weight: np.array([[1.0, 0, 0, 0, 0], [0, 0, 0, 0, 1.0]]),
                bias: np.array([0.5, 0.5])}),
    ]


def _wrong_versions(act, other_act):
    """The usual mistakes, for an exercise whose activation is ``act``."""
    return {
        "[x_t, h_{t-1}] instead of [h_{t-1}, x_t]":
            lambda x, h_prev, W, b: act(W @ np.concatenate([x, h_prev]) + b),
        "the other activation (tanh <-> sigmoid)":
            lambda x, h_prev, W, b: other_act(W @ np.concatenate([h_prev, x]) + b),
        "bias missing":
            lambda x, h_prev, W, b: act(W @ np.concatenate([h_prev, x])),
        "transposed weight":
            lambda x, h_prev, W, b: act(np.concatenate([h_prev, x]) @ W + b),
        "x_t only, h_{t-1} ignored":
            lambda x, h_prev, W, b: act(W[:, len(h_prev):] @ x + b),
        "no activation":
            lambda x, h_prev, W, b: W @ np.concatenate([h_prev, x]) + b,
    }


register(
    name="06.input_gate",
    title={"ko": "입력 게이트 계산하기", "en": "Compute the input gate"},
    hint={
        "ko": "망각 게이트와 같은 모양의 식입니다. np.concatenate([h_prev, x])에 W_i를 곱하고 "
        "b_i를 더한 뒤 시그모이드를 씌우세요. 입력 게이트는 '얼마나 쓸지'를 0과 1 사이로 "
        "정하므로 tanh가 아니라 시그모이드입니다.",
        "en": "The same shape of formula as the forget gate: multiply np.concatenate([h_prev, x]) "
        "by W_i, add b_i, apply the sigmoid. The input gate decides how much to write, a "
        "number between 0 and 1, so it is a sigmoid, not a tanh.",
    },
    reference=input_gate,
    cases=_fixed_cases("W_i", "b_i", ("가중치와 편향이 모두 0: σ(0) = 0.5",
                                      "all weights and biases zero: σ(0) = 0.5")),
    random_case=lambda rng: random_gate_args(rng, "W_i", "b_i"),
    wrong=_wrong_versions(_sigmoid, np.tanh),
)

register(
    name="06.candidate",
    title={"ko": "후보 값 계산하기", "en": "Compute the candidate values"},
    hint={
        "ko": "입력 게이트와 같은 식에 활성화 함수만 다릅니다: np.tanh. 후보 값은 셀 상태에 "
        "더할 내용이므로 -1과 1 사이이고, 음수도 될 수 있어야 합니다.",
        "en": "The same formula as the input gate with a different activation: np.tanh. The "
        "candidate values are what may be added to the cell state, so they lie between -1 "
        "and 1 and can be negative.",
    },
    reference=candidate,
    cases=_fixed_cases("W_g", "b_g", ("가중치와 편향이 모두 0: tanh(0) = 0",
                                      "all weights and biases zero: tanh(0) = 0")),
    random_case=lambda rng: random_gate_args(rng, "W_g", "b_g"),
    wrong=_wrong_versions(np.tanh, _sigmoid),
)
