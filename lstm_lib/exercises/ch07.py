"""Chapter 07 exercises: updating the cell state.

- ``07.cell_update``: C_t = f_t ⊙ C_{t-1} + i_t ⊙ C̃_t for one step.
- ``07.cell_over_time``: the same update run over T steps, returning C_1, ..., C_T.
"""

from __future__ import annotations

import numpy as np

from .core import case, register


def cell_update(c_prev, f, i, g):
    return f * c_prev + i * g  # C_t = f_t ⊙ C_{t-1} + i_t ⊙ C̃_t


def _random_step(rng):
    H = int(rng.integers(1, 7))
    return {
        "c_prev": rng.normal(scale=2.0, size=H),
        "f": rng.uniform(0, 1, size=H),
        "i": rng.uniform(0, 1, size=H),
        "g": rng.uniform(-1, 1, size=H),
    }


register(
    name="07.cell_update",
    title={"ko": "셀 상태 한 걸음 업데이트", "en": "One cell-state update"},
    hint={
        "ko": "두 부분을 더합니다: 남길 것 f * c_prev 와 새로 쓸 것 i * g. 모두 원소별 곱(*)이고 "
        "행렬 곱(@, np.dot)이 아닙니다. c_prev를 제자리에서 바꾸지 말고 새 배열을 돌려주세요.",
        "en": "Add two parts: what is kept, f * c_prev, and what is written, i * g. Both are "
        "element-wise products (*), not matrix products (@, np.dot). Return a new array; do "
        "not change c_prev in place.",
    },
    reference=cell_update,
    cases=[
        case("f = 1, i = 0: 그대로 유지", "f = 1, i = 0: keep everything",
             c_prev=np.array([0.5, -2.0, 1.0]), f=np.ones(3), i=np.zeros(3),
             g=np.array([0.9, -0.3, 0.1])),
        case("f = 0, i = 1: 모두 지우고 새로 씀", "f = 0, i = 1: erase and write",
             c_prev=np.array([0.5, -2.0, 1.0]), f=np.zeros(3), i=np.ones(3),
             g=np.array([0.9, -0.3, 0.1])),
        case("게이트 값이 섞인 경우", "mixed gate values",
             c_prev=np.array([2.0, -1.0, 0.4]), f=np.array([0.9, 0.1, 0.5]),
             i=np.array([0.2, 0.8, 0.5]), g=np.array([1.0, -1.0, 0.5])),
    ],
    random_case=_random_step,
    wrong={
        "f and i swapped roles": lambda c_prev, f, i, g: f * g + i * c_prev,
        "input gate missing": lambda c_prev, f, i, g: f * c_prev + g,
        "(f + i) * C_{t-1}": lambda c_prev, f, i, g: (f + i) * c_prev,
        "forget applied after adding": lambda c_prev, f, i, g: f * (c_prev + i * g),
        "dot products instead of element-wise": lambda c_prev, f, i, g: (
            np.dot(f, c_prev) + np.dot(i, g)),
    },
)


def cell_over_time(c0, f_seq, i_seq, g_seq):
    c = c0  # C_0
    cs = []
    for t in range(len(f_seq)):  # row t holds the gates of step t + 1
        c = f_seq[t] * c + i_seq[t] * g_seq[t]  # C_t = f_t ⊙ C_{t-1} + i_t ⊙ C̃_t
        cs.append(c)
    return np.stack(cs)  # C_1, ..., C_T: shape (T, H)


def _random_sequence(rng):
    T, H = int(rng.integers(2, 9)), int(rng.integers(1, 5))
    return {
        "c0": rng.normal(size=H),
        "f_seq": rng.uniform(0, 1, size=(T, H)),
        "i_seq": rng.uniform(0, 1, size=(T, H)),
        "g_seq": rng.uniform(-1, 1, size=(T, H)),
    }


def _starts_at_c0(c0, f_seq, i_seq, g_seq):
    cs = cell_over_time(c0, f_seq, i_seq, g_seq)
    return np.concatenate([c0[None], cs[:-1]])  # C_0, ..., C_{T-1}


def _includes_c0(c0, f_seq, i_seq, g_seq):
    return np.concatenate([c0[None], cell_over_time(c0, f_seq, i_seq, g_seq)])


def _no_carry(c0, f_seq, i_seq, g_seq):
    return np.stack([f * c0 + i * g for f, i, g in zip(f_seq, i_seq, g_seq, strict=True)])


def _gate_one_step_late(c0, f_seq, i_seq, g_seq):
    c, cs = c0, []
    for t in range(len(f_seq)):
        c = f_seq[t - 1] * c + i_seq[t - 1] * g_seq[t]
        cs.append(c)
    return np.stack(cs)


def _last_only(c0, f_seq, i_seq, g_seq):
    return cell_over_time(c0, f_seq, i_seq, g_seq)[-1]


register(
    name="07.cell_over_time",
    title={"ko": "셀 상태를 시간에 따라 굴리기", "en": "Run the cell state through time"},
    hint={
        "ko": "c = c0에서 시작해 각 행을 차례로 꺼내 c = f * c + i * g로 바꾸고, 바꾼 뒤의 c를 "
        "모읍니다. 파이썬의 행 번호는 0부터이므로 f_seq[k], i_seq[k], g_seq[k]는 셋 모두 "
        "k + 1번째 걸음의 값입니다. 돌려줄 것은 C_1, ..., C_T를 쌓은 (T, H) 배열이며, C_0는 "
        "들어가지 않습니다 (np.stack).",
        "en": "Start from c = c0; take the rows in turn, set c = f * c + i * g and collect c "
        "after the update. Python counts rows from 0, so f_seq[k], i_seq[k] and g_seq[k] all "
        "belong to step k + 1. Return C_1, ..., C_T stacked into a (T, H) array; C_0 is not "
        "part of it (np.stack).",
    },
    reference=cell_over_time,
    cases=[
        case("f = 1, i = 0 동안 값이 그대로", "f = 1, i = 0: the value is kept",
             c0=np.array([0.5, -1.0]), f_seq=np.ones((3, 2)), i_seq=np.zeros((3, 2)),
             g_seq=np.full((3, 2), 0.7)),
        case("1번 걸음에 쓰고, 유지하다가, 4번 걸음에 절반을 지움",
             "write at step 1, keep, halve at step 4",
             c0=np.zeros(2), f_seq=np.array([[0, 0], [1, 1], [1, 1], [0.5, 0.5]]),
             i_seq=np.array([[1, 1], [0, 0], [0, 0], [0, 0]], dtype=float),
             g_seq=np.array([[1, -1], [0.3, 0.3], [0.3, 0.3], [0.3, 0.3]])),
        case("걸음마다 다른 게이트 값", "gate values that change every step",
             c0=np.array([1.0, 2.0]), f_seq=np.array([[0.9, 0.5], [0.2, 1.0], [0.7, 0.3]]),
             i_seq=np.array([[0.1, 0.5], [0.9, 0.0], [0.4, 0.6]]),
             g_seq=np.array([[-1.0, 0.5], [0.8, -0.2], [0.3, 0.9]])),
    ],
    random_case=_random_sequence,
    wrong={
        "off by one: returns C_0, ..., C_{T-1}": _starts_at_c0,
        "includes C_0: shape (T + 1, H)": _includes_c0,
        "every step starts again from C_0": _no_carry,
        "gates taken one step late": _gate_one_step_late,
        "only the last C_T": _last_only,
    },
)
