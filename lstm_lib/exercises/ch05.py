"""Chapter 05 exercises: the forget gate.

- ``05.forget_gate``: compute f_t = σ(W_f [h_{t-1}, x_t] + b_f) for one example.
- ``05.survival_steps``: how many steps a stored value lasts when the forget gate stays at
  f (0 < f < 1): the first k with f**k strictly below the threshold. The fixed tie cases
  (f**k equal to the threshold) use powers that are exact in binary (0.5**2, 0.75**2): with
  decimal values such as (0.9, 0.81) the loop and floor(log t / log f) + 1 can differ by
  one step, and the random cases avoid ties.

This file is the pattern for every ``chNN.py``: reference functions, fixed cases, a
random-case generator, known wrong versions, one ``register(...)`` call per exercise.
"""

from __future__ import annotations

import math

import numpy as np

from .core import case, random_gate_args, register

# ----------------------------------------------------------------------------------------
# 05.forget_gate
# ----------------------------------------------------------------------------------------


def forget_gate(x, h_prev, W_f, b_f):
    a = W_f @ np.concatenate([h_prev, x]) + b_f  # pre-activation W_f [h_{t-1}, x_t] + b_f
    return 1.0 / (1.0 + np.exp(-a))  # f_t = σ(a)


def _sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


_FORGET_WRONG = {
    "[x_t, h_{t-1}] instead of [h_{t-1}, x_t]":
        lambda x, h_prev, W_f, b_f: _sigmoid(W_f @ np.concatenate([x, h_prev]) + b_f),
    "tanh instead of sigmoid":
        lambda x, h_prev, W_f, b_f: np.tanh(W_f @ np.concatenate([h_prev, x]) + b_f),
    "bias missing":
        lambda x, h_prev, W_f, b_f: _sigmoid(W_f @ np.concatenate([h_prev, x])),
    "transposed weight":
        lambda x, h_prev, W_f, b_f: _sigmoid(np.concatenate([h_prev, x]) @ W_f + b_f),
    "sigmoid with the sign flipped":
        lambda x, h_prev, W_f, b_f: 1.0 / (1.0 + np.exp(W_f @ np.concatenate([h_prev, x]) + b_f)),
    "x_t only, h_{t-1} ignored":
        lambda x, h_prev, W_f, b_f: _sigmoid(W_f[:, len(h_prev):] @ x + b_f),
}

register(
    name="05.forget_gate",
    title={"ko": "망각 게이트 계산하기", "en": "Compute the forget gate"},
    hint={
        "ko": "먼저 h_prev와 x를 이 순서로 이어 붙이세요: np.concatenate([h_prev, x]). "
        "그 벡터에 W_f를 곱하고 (W_f @ ...) b_f를 더하면 사전 활성화 a가 됩니다. 여기에 "
        "시그모이드 1 / (1 + np.exp(-a))를 씌우면 0과 1 사이의 f_t가 나옵니다. W_f의 모양은 "
        "(H, H + D)입니다.",
        "en": "First join h_prev and x, in this order: np.concatenate([h_prev, x]). "
        "Multiply by W_f (W_f @ ...) and add b_f: that is the pre-activation a. Apply the "
        "sigmoid 1 / (1 + np.exp(-a)) to get f_t between 0 and 1. W_f has shape (H, H + D).",
    },
    reference=forget_gate,
    cases=[
        case("가중치와 편향이 모두 0: σ(0) = 0.5", "all weights and biases zero: σ(0) = 0.5",
             x=np.array([0.5, -1.0, 2.0]), h_prev=np.array([0.3, -0.7]),
             W_f=np.zeros((2, 5)), b_f=np.zeros(2)),
        case("가중치는 0, 편향만 있음: f = σ(b_f)", "weights zero, bias only: f = σ(b_f)",
             x=np.array([0.5, -1.0, 2.0]), h_prev=np.array([0.3, -0.7]),
             W_f=np.zeros((2, 5)), b_f=np.array([2.0, -1.0])),
        case("W_f가 h_prev[0]과 x[2]만 읽음", "W_f reads only h_prev[0] and x[2]",
             x=np.array([0.2, -1.0, -2.0]), h_prev=np.array([1.5, -0.5]),
             W_f=np.array([[1.0, 0, 0, 0, 0], [0, 0, 0, 0, 1.0]]), b_f=np.array([0.5, 0.5])),
    ],
    random_case=lambda rng: random_gate_args(rng, "W_f", "b_f"),
    wrong=_FORGET_WRONG,
)

# ----------------------------------------------------------------------------------------
# 05.survival_steps
# ----------------------------------------------------------------------------------------


def survival_steps(f, threshold):
    # 0 < f < 1 and 0 < threshold < 1; the first k with f**k < threshold (strictly below)
    value, steps = 1.0, 0  # C_0 = 1; nothing is written (i_t = 0)
    while value >= threshold:  # still at or above the threshold: one more step
        value = f * value  # C_t = f ⊙ C_{t-1}
        steps += 1
    return steps


def _steps_off_by_one(f, threshold):
    return survival_steps(f, threshold) - 1


def _steps_keep_one_minus_f(f, threshold):
    return survival_steps(1.0 - f, threshold)


def _steps_no_ceil(f, threshold):
    return math.log(threshold) / math.log(f)


def _steps_round(f, threshold):
    return round(math.log(threshold) / math.log(f))


def _steps_ceil(f, threshold):
    # the smallest k with f**k <= threshold: wrong when f**k lands exactly on the threshold
    return math.ceil(math.log(threshold) / math.log(f))


def _steps_loop_strict(f, threshold):
    value, steps = 1.0, 0
    while value > threshold:  # stops when the value equals the threshold: not below yet
        value = f * value
        steps += 1
    return steps


register(
    name="05.survival_steps",
    title={"ko": "기억은 몇 걸음 버티나", "en": "How many steps does a memory last?"},
    hint={
        "ko": "셀 상태에 1을 넣고, 새로 쓰는 것 없이 (i_t = 0) 매 걸음 망각 게이트 값 f를 "
        "곱합니다: C_t = f * C_{t-1}. 값이 처음으로 threshold보다 작아지는 걸음 수 n을 "
        "돌려주세요 (0 < f < 1). f는 '지우는 양'이 아니라 '남기는 비율'입니다. while 반복문이 "
        "가장 쉽습니다. 값이 threshold와 같으면 아직 '작아진' 것이 아니므로 한 걸음 더 갑니다. "
        "공식으로 풀려면 f**n < threshold를 n에 대해 풀어 "
        "math.floor(math.log(threshold) / math.log(f)) + 1을 쓰세요. math.ceil은 f**n이 "
        "threshold와 정확히 같을 때 (f = 0.5, threshold = 0.25) 한 걸음 모자랍니다. 이런 경계는 "
        "f의 거듭제곱이 이진수로 정확할 때 (f = 0.5, 0.75, ...)만 분명합니다. f = 0.9, "
        "threshold = 0.81처럼 십진 소수는 반올림되어 저장되므로 경계에서 반복문과 공식이 한 걸음 "
        "어긋날 수 있고, check는 그런 경우를 묻지 않습니다.",
        "en": "Put 1 into the cell state and, writing nothing new (i_t = 0), multiply by the "
        "forget-gate value f at every step: C_t = f * C_{t-1}. Return the number of steps n "
        "after which the value is first below threshold. f is the fraction kept, not the "
        "fraction erased (0 < f < 1). A while loop is simplest; a value equal to threshold "
        "is not below it yet, so take one more step. For a formula, solve f**n < threshold "
        "for n: math.floor(math.log(threshold) / math.log(f)) + 1. math.ceil is one step "
        "short when f**n lands exactly on threshold (f = 0.5, threshold = 0.25). Such ties "
        "are well defined only when the powers of f are exact in binary (f = 0.5, 0.75, ...); "
        "decimal values such as f = 0.9, threshold = 0.81 are stored rounded, so at a tie the "
        "loop and the formula can differ by one step, and check() does not ask about them.",
    },
    reference=survival_steps,
    cases=[
        case("f = 0.5, threshold = 0.01", "f = 0.5, threshold = 0.01", f=0.5, threshold=0.01),
        case("f = 0.9, threshold = 0.01", "f = 0.9, threshold = 0.01", f=0.9, threshold=0.01),
        case("f = 0.99, threshold = 0.01", "f = 0.99, threshold = 0.01", f=0.99, threshold=0.01),
        case("f = 0.2, threshold = 0.3: 한 걸음", "f = 0.2, threshold = 0.3: one step",
             f=0.2, threshold=0.3),
        case("f = 0.5, threshold = 0.25: 두 걸음 뒤 값이 threshold와 같음 (아직 작지 않음)",
             "f = 0.5, threshold = 0.25: after two steps the value equals threshold "
             "(not below yet)", f=0.5, threshold=0.25),
        case("f = 0.75, threshold = 0.5625: 두 걸음 뒤 값이 threshold와 같음 (이진수로 정확)",
             "f = 0.75, threshold = 0.5625: after two steps the value equals threshold "
             "(exact in binary)", f=0.75, threshold=0.5625),
    ],
    random_case=lambda rng: {
        "f": float(rng.uniform(0.1, 0.995)),
        "threshold": float(rng.uniform(0.001, 0.5)),
    },
    wrong={
        "off by one: counts the last step still above the threshold": _steps_off_by_one,
        "treats f as the fraction erased": _steps_keep_one_minus_f,
        "formula without rounding down (a float)": _steps_no_ceil,
        "formula with round": _steps_round,
        "formula with ceil (one short when f**n equals threshold)": _steps_ceil,
        "loop that stops when the value equals threshold": _steps_loop_strict,
    },
)
