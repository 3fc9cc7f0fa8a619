"""Chapter 04 exercises: the cell state, a conveyor belt.

- ``04.cell_state_path``: the cell state after T steps when nothing is written (i_t = 0):
  C_T = f_T ⊙ ... ⊙ f_1 ⊙ C_0.
- ``04.belt_gradient``: the belt walked backwards when every step has a loss,
  L = ℓ_1 + ... + ℓ_T: the gradient with respect to C_0 along the belt alone,
  dL/dC_0 = Σ_t (f_1 ⊙ ... ⊙ f_t) ⊙ dℓ_t/dC_t. Unlike ``cell_state_path`` it sums over the
  steps, and each step's loss meets only the gates before it.
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


def belt_gradient(dl_dc, f_seq):
    # dl_dc[t - 1] is dℓ_t/dC_t: the loss of step t, L = ℓ_1 + ... + ℓ_T, through C_t alone
    g = np.zeros_like(dl_dc[0])  # what reaches C_T from later steps: nothing
    for t in range(len(f_seq), 0, -1):  # t = T, ..., 1
        g = g + dl_dc[t - 1]  # dL/dC_t along the belt: this step's loss and the later ones
        g = f_seq[t - 1] * g  # one step back: dC_t/dC_{t-1} = diag(f_t)
    return g  # dL/dC_0 along the belt, shape (H,)


def _random_gradient(rng):
    T, H = int(rng.integers(2, 9)), int(rng.integers(1, 6))
    return {"dl_dc": rng.normal(size=(T, H)), "f_seq": rng.uniform(0.05, 1.0, size=(T, H))}


def _only_last_loss(dl_dc, f_seq):
    return dl_dc[-1] * np.prod(f_seq, axis=0)


def _own_gate_missing(dl_dc, f_seq):
    g = np.zeros_like(dl_dc[0])
    for t in range(len(f_seq), 0, -1):
        g = f_seq[t - 1] * g + dl_dc[t - 1]  # adds ℓ_t after f_t: f_t never touches it
    return g


def _later_gates(dl_dc, f_seq):
    # multiplies ℓ_t by f_t ⋯ f_T (the gates after it) instead of f_1 ⋯ f_t
    later = np.cumprod(f_seq[::-1], axis=0)[::-1]
    return (later * dl_dc).sum(axis=0)


register(
    name="04.belt_gradient",
    title={"ko": "걸음마다 손실이 있을 때 벨트를 거꾸로 따라가는 기울기",
           "en": "The gradient along the belt when every step has a loss"},
    hint={
        "ko": "뒤에서부터 가세요. g = 0에서 시작해 t = T, ..., 1마다 두 가지를 합니다. 먼저 그 "
        "걸음의 손실이 C_t에 주는 기울기 dl_dc[t - 1]을 더하고 (그러면 g = dL/dC_t), 그다음 "
        "벨트를 한 걸음 거슬러 f_seq[t - 1]을 원소별로 곱합니다 (dC_t/dC_{t-1} = diag(f_t)). "
        "끝나면 g가 dL/dC_0, 모양 (H,)입니다. 반복문 없이 쓰면 "
        "(np.cumprod(f_seq, axis=0) * dl_dc).sum(axis=0)입니다.",
        "en": "Walk backwards. Start from g = 0 and, for t = T, ..., 1, do two things: first "
        "add this step's direct gradient dl_dc[t - 1] (now g = dL/dC_t), then step back "
        "along the belt by multiplying element-wise by f_seq[t - 1] (dC_t/dC_{t-1} = "
        "diag(f_t)). At the end g is dL/dC_0, shape (H,). Without a loop: "
        "(np.cumprod(f_seq, axis=0) * dl_dc).sum(axis=0).",
    },
    reference=belt_gradient,
    cases=[
        case("손실이 마지막 걸음에만 있음: f_T ⋯ f_1이 곱해짐",
             "a loss at the last step only: multiplied by f_T ⋯ f_1",
             dl_dc=np.array([[0.0, 0.0], [0.0, 0.0], [1.0, -0.5]]),
             f_seq=np.array([[0.5, 0.9], [0.5, 0.9], [0.5, 0.9]])),
        case("f = 1: 모든 걸음의 손실이 그대로 더해짐", "f = 1: every step's loss adds up intact",
             dl_dc=np.array([[1.0, 2.0], [0.5, -1.0], [0.25, 0.0], [-1.0, 1.0]]),
             f_seq=np.ones((4, 2))),
        case("손실이 첫 걸음에만 있음: f_1만 곱해짐",
             "a loss at the first step only: only f_1 applies",
             dl_dc=np.array([[2.0, -1.0, 1.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]),
             f_seq=np.array([[0.5, 0.2, 0.9], [0.1, 0.1, 0.1], [0.3, 0.3, 0.3]])),
        case("걸음마다 다른 손실과 게이트 값", "losses and gate values that change every step",
             dl_dc=np.array([[0.3, -2.0], [1.0, 0.5], [-0.7, 0.2]]),
             f_seq=np.array([[0.9, 0.2], [0.6, 1.0], [0.99, 0.7]])),
    ],
    random_case=_random_gradient,
    wrong={
        "only the last step's loss (dL/dC_T times every f)": _only_last_loss,
        "adds the loss of step t after multiplying by f_t": _own_gate_missing,
        "multiplies each loss by the later gates f_t ⋯ f_T": _later_gates,
        "every loss multiplied by the whole product f_T ⋯ f_1":
            lambda dl_dc, f_seq: dl_dc.sum(axis=0) * np.prod(f_seq, axis=0),
        "returns dL/dC_t for every t, shape (T, H)":
            lambda dl_dc, f_seq: np.cumsum(
                (np.cumprod(f_seq, axis=0) * dl_dc)[::-1], axis=0)[::-1],
        "adds the forget values instead of multiplying":
            lambda dl_dc, f_seq: (np.cumsum(f_seq, axis=0) * dl_dc).sum(axis=0),
    },
)
