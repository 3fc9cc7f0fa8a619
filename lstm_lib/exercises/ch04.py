"""Chapter 04 exercises: the cell state, a conveyor belt.

- ``04.cell_state_path``: the cell state after T steps when nothing is written (i_t = 0):
  C_T = f_T ⊙ ... ⊙ f_1 ⊙ C_0.
- ``04.belt_gradient``: the same road walked backwards: the gradient of a loss with respect
  to C_0 along the conveyor belt alone, dL/dC_0 = dL/dC_T ⊙ f_T ⊙ ... ⊙ f_1.
"""

from __future__ import annotations

import numpy as np

from .core import case, register

# ----------------------------------------------------------------------------------------
# 04.cell_state_path
# ----------------------------------------------------------------------------------------


def cell_state_path(c0, f_seq):
    c = c0  # C_0
    for f in f_seq:  # f_seq[t] is the forget gate of step t + 1, shape (H,)
        c = f * c  # C_t = f_t ⊙ C_{t-1} + i_t ⊙ C~_t, with i_t = 0
    return c  # C_T, shape (H,)


def _random_path(rng):
    T, H = int(rng.integers(2, 9)), int(rng.integers(1, 6))
    return {"c0": rng.normal(scale=2.0, size=H), "f_seq": rng.uniform(0.05, 1.0, size=(T, H))}


register(
    name="04.cell_state_path",
    title={"ko": "아무것도 쓰지 않는 컨베이어 벨트", "en": "A conveyor belt with nothing written"},
    hint={
        "ko": "c = c0에서 시작해 f_seq의 행을 차례로 꺼내며 c = f * c를 반복하세요. "
        "입력 게이트가 0이므로 더할 것은 없습니다. 모든 곱은 원소별 곱(*)이고, 결과는 "
        "C_T 하나, 모양 (H,)입니다. 반복문 대신 c0 * np.prod(f_seq, axis=0)도 됩니다.",
        "en": "Start from c = c0 and, taking the rows of f_seq in turn, repeat c = f * c. "
        "The input gate is 0, so nothing is added. Every product is element-wise (*), and "
        "the result is the single C_T of shape (H,). Instead of a loop, "
        "c0 * np.prod(f_seq, axis=0) works too.",
    },
    reference=cell_state_path,
    cases=[
        case("f = 0.5가 세 번: 1/8만 남음", "f = 0.5 three times: 1/8 is left",
             c0=np.array([1.0, -2.0]), f_seq=np.full((3, 2), 0.5)),
        case("f = 1이면 그대로, f = 0이 한 번이면 0", "f = 1 keeps everything; one f = 0 erases",
             c0=np.array([0.7, 0.7]), f_seq=np.array([[1.0, 1.0], [1.0, 0.0], [1.0, 1.0]])),
        case("걸음마다 다른 망각 게이트 값", "forget values that change every step",
             c0=np.array([2.0, 1.0, -1.0]),
             f_seq=np.array([[0.9, 0.5, 0.2], [0.8, 1.0, 0.5], [0.5, 0.9, 0.7],
                             [0.95, 0.6, 1.0]])),
    ],
    random_case=_random_path,
    wrong={
        "sum of the forget values instead of their product":
            lambda c0, f_seq: c0 * f_seq.sum(axis=0),
        "off by one: the last step is missing":
            lambda c0, f_seq: c0 * np.prod(f_seq[:-1], axis=0),
        "off by one: the first step is missing":
            lambda c0, f_seq: c0 * np.prod(f_seq[1:], axis=0),
        "the first forget value raised to the power T":
            lambda c0, f_seq: c0 * f_seq[0] ** len(f_seq),
        "keeps 1 - f instead of f":
            lambda c0, f_seq: c0 * np.prod(1.0 - f_seq, axis=0),
        "returns every C_t, shape (T, H)":
            lambda c0, f_seq: c0 * np.cumprod(f_seq, axis=0),
        "adds the kept part to C_0":
            lambda c0, f_seq: c0 + c0 * np.prod(f_seq, axis=0),
    },
)

# ----------------------------------------------------------------------------------------
# 04.belt_gradient
# ----------------------------------------------------------------------------------------


def belt_gradient(dc_T, f_seq):
    dc = dc_T  # dL/dC_T
    for f in f_seq[::-1]:  # walk back in time: f_T first, f_1 last
        dc = f * dc  # dC_t/dC_{t-1} along the belt is diag(f_t)
    return dc  # dL/dC_0 along the belt, shape (H,)


def _random_gradient(rng):
    T, H = int(rng.integers(2, 9)), int(rng.integers(1, 6))
    return {"dc_T": rng.normal(size=H), "f_seq": rng.uniform(0.05, 1.0, size=(T, H))}


register(
    name="04.belt_gradient",
    title={"ko": "벨트를 거꾸로 따라가는 기울기",
           "en": "The gradient, walking back along the belt"},
    hint={
        "ko": "한 걸음 뒤로 갈 때마다 벨트 위의 기울기에는 그 걸음의 망각 게이트 값이 원소별로 "
        "곱해집니다: dC_{t-1} = f_t * dC_t. dc_T에서 시작해 f_T부터 f_1까지 곱하세요. "
        "가중치 행렬도, tanh의 미분도 들어가지 않습니다. 결과의 모양은 (H,)입니다.",
        "en": "Each step back along the belt multiplies the gradient element-wise by that "
        "step's forget value: dC_{t-1} = f_t * dC_t. Start from dc_T and multiply by f_T "
        "down to f_1. No weight matrix and no tanh derivative are involved. The result has "
        "shape (H,).",
    },
    reference=belt_gradient,
    cases=[
        case("f = 1이 네 번: 기울기가 그대로", "f = 1 four times: the gradient arrives intact",
             dc_T=np.array([1.0, -0.5]), f_seq=np.ones((4, 2))),
        case("f = 0.5가 두 번, f = 0.9가 한 번", "f = 0.5 twice and f = 0.9 once",
             dc_T=np.array([1.0, 2.0, -1.0]),
             f_seq=np.array([[0.5, 0.5, 0.5], [0.5, 0.5, 0.5], [0.9, 0.9, 0.9]])),
        case("걸음마다 다른 망각 게이트 값", "forget values that change every step",
             dc_T=np.array([0.3, -2.0]),
             f_seq=np.array([[0.9, 0.2], [0.6, 1.0], [0.99, 0.7]])),
    ],
    random_case=_random_gradient,
    wrong={
        "adds the forget values instead of multiplying":
            lambda dc_T, f_seq: dc_T * f_seq.sum(axis=0),
        "stops one step early (f_1 missing)":
            lambda dc_T, f_seq: dc_T * np.prod(f_seq[1:], axis=0),
        "only the last step's forget value":
            lambda dc_T, f_seq: dc_T * f_seq[-1],
        "divides by f instead of multiplying":
            lambda dc_T, f_seq: dc_T / np.prod(f_seq, axis=0),
        "multiplies by tanh'(f) as in an RNN":
            lambda dc_T, f_seq: dc_T * np.prod(1.0 - np.tanh(f_seq) ** 2, axis=0),
    },
)
