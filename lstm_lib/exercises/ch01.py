"""Chapter 01 exercises: the vanilla RNN.

- ``01.rnn_step``: one step, h_t = tanh(W [h_{t-1}, x_t] + b), for one example.
- ``01.rnn_forward``: the same step looped over a sequence X of shape (T, D), returning
  every hidden state h_1, ..., h_T as an array of shape (T, H).
"""

from __future__ import annotations

import numpy as np

from .core import case, random_sizes, register

# ----------------------------------------------------------------------------------------
# 01.rnn_step
# ----------------------------------------------------------------------------------------


def rnn_step(x, h_prev, W, b):
    z = np.concatenate([h_prev, x])  # [h_{t-1}, x_t], shape (H + D,)
    return np.tanh(W @ z + b)  # h_t = tanh(W [h_{t-1}, x_t] + b), shape (H,)


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _random_step(rng):
    D, H = random_sizes(rng)
    return {
        "x": rng.normal(size=D),
        "h_prev": rng.uniform(-1, 1, size=H),
        "W": rng.normal(scale=0.7, size=(H, H + D)),
        "b": rng.normal(scale=0.5, size=H),
    }


register(
    name="01.rnn_step",
    title={"ko": "RNN 한 걸음", "en": "One RNN step"},
    hint={
        "ko": "h_prev와 x를 이 순서로 이어 붙여 길이 H + D인 벡터를 만드세요: "
        "np.concatenate([h_prev, x]). 모양이 (H, H + D)인 W를 그 벡터에 곱하고 (W @ z) "
        "b를 더한 뒤 np.tanh를 씌우면 모양 (H,)인 h_t가 나옵니다.",
        "en": "Join h_prev and x, in this order, into one vector of length H + D: "
        "np.concatenate([h_prev, x]). Multiply it by W, of shape (H, H + D) (W @ z), add b "
        "and apply np.tanh; the result h_t has shape (H,).",
    },
    reference=rnn_step,
    cases=[
        case("가중치와 편향이 모두 0: tanh(0) = 0", "all weights and biases zero: tanh(0) = 0",
             x=np.array([0.5, -1.0, 2.0]), h_prev=np.array([0.3, -0.7]),
             W=np.zeros((2, 5)), b=np.zeros(2)),
        case("가중치는 0, 편향만 있음: h = tanh(b)", "weights zero, bias only: h = tanh(b)",
             x=np.array([0.5, -1.0, 2.0]), h_prev=np.array([0.3, -0.7]),
             W=np.zeros((2, 5)), b=np.array([0.5, -1.5])),
        case("W가 h_prev[1]과 x[0]만 읽음", "W reads only h_prev[1] and x[0]",
             x=np.array([0.8, -1.0, -2.0]), h_prev=np.array([1.5, -0.5]),
             W=np.array([[0, 1.0, 0, 0, 0], [0, 0, 1.0, 0, 0]]), b=np.array([0.1, -0.2])),
    ],
    random_case=_random_step,
    wrong={
        "[x_t, h_{t-1}] instead of [h_{t-1}, x_t]":
            lambda x, h_prev, W, b: np.tanh(W @ np.concatenate([x, h_prev]) + b),
        "sigmoid instead of tanh":
            lambda x, h_prev, W, b: _sigmoid(W @ np.concatenate([h_prev, x]) + b),
        "bias missing":
            lambda x, h_prev, W, b: np.tanh(W @ np.concatenate([h_prev, x])),
        "no activation (linear)":
            lambda x, h_prev, W, b: W @ np.concatenate([h_prev, x]) + b,
        "transposed weight":
            lambda x, h_prev, W, b: np.tanh(np.concatenate([h_prev, x]) @ W + b),
        "h_{t-1} ignored":
            lambda x, h_prev, W, b: np.tanh(W[:, len(h_prev):] @ x + b),
        "tanh applied before the bias":
            lambda x, h_prev, W, b: np.tanh(W @ np.concatenate([h_prev, x])) + b,
    },
)

# ----------------------------------------------------------------------------------------
# 01.rnn_forward
# ----------------------------------------------------------------------------------------


def rnn_forward(X, h0, W, b):
    T = X.shape[0]
    H = h0.shape[0]
    hs = np.empty((T, H))  # row t - 1 holds h_t
    h = h0
    for t in range(T):
        h = np.tanh(W @ np.concatenate([h, X[t]]) + b)  # the same W and b at every step
        hs[t] = h
    return hs


def _random_sequence(rng):
    D, H = random_sizes(rng)
    T = int(rng.integers(2, 7))
    return {
        "X": rng.normal(size=(T, D)),
        "h0": rng.uniform(-1, 1, size=H),
        "W": rng.normal(scale=0.7, size=(H, H + D)),
        "b": rng.normal(scale=0.5, size=H),
    }


def _forward_with_h0(X, h0, W, b):
    return np.vstack([h0, rnn_forward(X, h0, W, b)[:-1]])  # h_0 .. h_{T-1}


def _forward_zero_start(X, h0, W, b):
    return rnn_forward(X, np.zeros_like(h0), W, b)


def _forward_no_recurrence(X, h0, W, b):
    return np.array([np.tanh(W @ np.concatenate([h0, x]) + b) for x in X])


def _forward_last_only(X, h0, W, b):
    return rnn_forward(X, h0, W, b)[-1]


def _forward_all_states(X, h0, W, b):
    return np.vstack([h0, rnn_forward(X, h0, W, b)])  # h_0 .. h_T, shape (T + 1, H)


def _forward_reversed(X, h0, W, b):
    return rnn_forward(X[::-1], h0, W, b)


register(
    name="01.rnn_forward",
    title={"ko": "시퀀스 전체 펼치기", "en": "Unroll over a sequence"},
    hint={
        "ko": "h = h0에서 시작해 t = 0, 1, ..., T-1마다 h = tanh(W [h, X[t]] + b)로 h를 "
        "갈아 끼우고, 새 h를 차례로 모으세요. 돌려줄 것은 h_1부터 h_T까지, 모양 (T, H)인 "
        "배열입니다. h0 자체는 넣지 않습니다. 모든 걸음에서 같은 W와 b를 씁니다.",
        "en": "Start from h = h0; for t = 0, 1, ..., T-1 replace h by tanh(W [h, X[t]] + b) "
        "and collect each new h. Return h_1 to h_T as one array of shape (T, H); h0 itself "
        "is not included. Every step uses the same W and b.",
    },
    reference=rnn_forward,
    cases=[
        case("한 걸음짜리 시퀀스 (T = 1)", "a sequence of one step (T = 1)",
             X=np.array([[0.5, -1.0, 2.0]]), h0=np.array([0.3, -0.7]),
             W=np.array([[0.5, -0.2, 0.3, 0.1, -0.4], [0.2, 0.6, -0.5, 0.2, 0.1]]),
             b=np.array([0.1, -0.1])),
        case("h0가 0이 아닌 네 걸음", "four steps from a nonzero h0",
             X=np.array([[1.0, 0.0, -1.0], [0.5, 0.5, 0.5], [-2.0, 1.0, 0.0], [0.0, 0.0, 1.0]]),
             h0=np.array([0.9, -0.9]),
             W=np.array([[0.8, -0.3, 0.3, 0.1, -0.4], [0.4, 0.7, -0.5, 0.2, 0.6]]),
             b=np.array([0.2, -0.3])),
        case("입력이 첫 걸음에만 있음: 기억이 얼마나 남나",
             "input only at the first step: how much is remembered",
             X=np.array([[2.0], [0.0], [0.0], [0.0], [0.0]]), h0=np.zeros(3),
             W=np.array([[0.5, 0.2, 0.0, 1.0], [0.0, 0.5, 0.2, -1.0], [0.2, 0.0, 0.5, 0.5]]),
             b=np.zeros(3)),
    ],
    random_case=_random_sequence,
    wrong={
        "returns h_0 .. h_{T-1} (shifted by one step)": _forward_with_h0,
        "ignores h0 and starts from zeros": _forward_zero_start,
        "uses h0 at every step (no recurrence)": _forward_no_recurrence,
        "returns only the last state": _forward_last_only,
        "includes h_0: shape (T + 1, H)": _forward_all_states,
        "runs the sequence backwards": _forward_reversed,
    },
)
