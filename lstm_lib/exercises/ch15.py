"""Chapter 15 exercises: the scan behind the minGRU, and causal attention.

- ``15.linear_scan``: every ``h_t`` of ``h_t = a_t ⊙ h_{t−1} + b_t`` for t = 1..T, from a
  given ``h_0`` (a loop, the doubling scan and the log-space scan all pass).
- ``15.causal_attention``: scaled dot-product attention in which step t sees steps 1..t.

Arrays are float64, one sequence at a time, time along axis 0.
"""

from __future__ import annotations

import numpy as np

from .core import case, register

# ----------------------------------------------------------------------------------------
# 15.linear_scan
# ----------------------------------------------------------------------------------------


def linear_scan(a, b, h0):
    h, states = h0, []
    for a_t, b_t in zip(a, b, strict=True):  # t = 1..T
        h = a_t * h + b_t  # h_t = a_t ⊙ h_{t−1} + b_t
        states.append(h)
    return np.array(states)  # (T, H): h_1 .. h_T, not h_0


def _g(x):
    return np.where(x >= 0, x + 0.5, 1.0 / (1.0 + np.exp(-x)))


def _scan_from_zero(a, b, h0):
    return linear_scan(a, b, np.zeros_like(h0))


def _scan_from_g_h0(a, b, h0):
    return linear_scan(a, b, _g(h0))  # lucidrains/minGRU-pytorch#9: g applied to the state


def _scan_shifted_output(a, b, h0):
    states = linear_scan(a, b, h0)
    return np.concatenate([h0[None], states[:-1]])  # h_0 .. h_{T−1}


def _scan_b_inside(a, b, h0):
    h, states = h0, []
    for a_t, b_t in zip(a, b, strict=True):
        h = a_t * (h + b_t)
        states.append(h)
    return np.array(states)


def _scan_b_late(a, b, h0):
    h, states = h0, []
    b_prev = np.zeros_like(h0)
    for a_t, b_t in zip(a, b, strict=True):
        h = a_t * h + b_prev  # b_{t−1} instead of b_t
        states.append(h)
        b_prev = b_t
    return np.array(states)


def _random_scan_args(rng):
    T, H = int(rng.integers(1, 31)), int(rng.integers(1, 6))
    return {"a": rng.uniform(0.05, 1.0, size=(T, H)), "b": rng.uniform(0.01, 2.0, size=(T, H)),
            "h0": rng.uniform(0.1, 2.0, size=H)}


register(
    name="15.linear_scan",
    title={"ko": "선형 점화식 h_t = a_t h_(t-1) + b_t 풀기",
           "en": "Solve the linear recurrence h_t = a_t h_(t-1) + b_t"},
    hint={
        "ko": "h = h0에서 시작해 a와 b의 행 t마다(행 t가 걸음 t + 1입니다) "
        "h = a[t] * h + b[t]로 바꾸고, 바뀐 h를 하나씩 모아 (T, H) 배열로 돌려주세요. "
        "돌려줄 것은 h_1부터 h_T까지이고 h_0은 넣지 않습니다. h0을 0으로 바꾸거나 "
        "g(h0)처럼 다른 값으로 바꾸지 마세요. 반복문이 싫으면 배가 스캔(라운드 k에서 "
        "2**k 걸음 앞의 (A, B)와 합치기)이나 로그 공간의 누적 합으로도 풀 수 있습니다.",
        "en": "Start from h = h0 and, for each row t of a and b (row t is step t + 1), set "
        "h = a[t] * h + b[t]; collect each new h into a (T, H) array. Return h_1 to h_T; "
        "h_0 is not part of the answer. Do not replace h0 by 0 or by something like g(h0). "
        "If you prefer no loop, the doubling scan (round k combines each (A, B) with the "
        "one 2**k steps back) or cumulative sums in log space work too.",
    },
    reference=linear_scan,
    cases=[
        case("a = 0.5, b = 1, h0 = 2: h_t = 2 고정", "a = 0.5, b = 1, h0 = 2: h_t stays 2",
             a=np.full((4, 1), 0.5), b=np.ones((4, 1)), h0=np.array([2.0])),
        case("a = 1: h0에 b를 차례로 더함", "a = 1: h0 plus a running sum of b",
             a=np.ones((5, 2)), b=np.array([[1.0, 0.5], [2.0, 0.5], [3.0, 0.5], [4.0, 0.5],
                                             [5.0, 0.5]]), h0=np.array([10.0, 1.0])),
        case("한 걸음만: h_1 = a_1 h_0 + b_1", "one step: h_1 = a_1 h_0 + b_1",
             a=np.array([[0.2, 0.9, 0.5]]), b=np.array([[1.0, 0.1, 0.3]]),
             h0=np.array([3.0, 1.0, 0.4])),
        case("h0가 작고 a가 1에 가까움: h0를 g(h0)로 바꾸면 드러남",
             "small h0, a near 1: replacing h0 by g(h0) shows",
             a=np.full((6, 2), 0.95), b=np.full((6, 2), 0.05), h0=np.array([0.1, 1.5])),
    ],
    random_case=_random_scan_args,
    wrong={
        "starts from zero instead of h0": _scan_from_zero,
        "starts from g(h0) instead of h0 (the minGRU-pytorch#9 trap)": _scan_from_g_h0,
        "returns h_0 .. h_(T-1) instead of h_1 .. h_T": _scan_shifted_output,
        "h_t = a_t (h_(t-1) + b_t)": _scan_b_inside,
        "adds b_(t-1) instead of b_t": _scan_b_late,
    },
)

# ----------------------------------------------------------------------------------------
# 15.causal_attention
# ----------------------------------------------------------------------------------------


def causal_attention(Q, K, V):
    d = Q.shape[1]
    scores = Q @ K.T / np.sqrt(d)  # (T, T): q_t · k_s / √d
    future = np.triu(np.ones(scores.shape, dtype=bool), k=1)  # s > t
    scores = np.where(future, -np.inf, scores)  # step t may not look ahead
    weights = np.exp(scores - scores.max(axis=1, keepdims=True))
    weights = weights / weights.sum(axis=1, keepdims=True)  # softmax over s, row by row
    return weights @ V  # (T, d_v)


def _softmax_rows(scores):
    w = np.exp(scores - scores.max(axis=1, keepdims=True))
    return w / w.sum(axis=1, keepdims=True)


def _mask(T, k=1):
    return np.triu(np.ones((T, T), dtype=bool), k=k)


def _attn_no_scale(Q, K, V):
    return _softmax_rows(np.where(_mask(len(Q)), -np.inf, Q @ K.T)) @ V


def _attn_scale_by_d(Q, K, V):
    return _softmax_rows(np.where(_mask(len(Q)), -np.inf, Q @ K.T / Q.shape[1])) @ V


def _attn_no_mask(Q, K, V):
    return _softmax_rows(Q @ K.T / np.sqrt(Q.shape[1])) @ V


def _attn_strict_past(Q, K, V):
    scores = np.where(_mask(len(Q), k=0), -np.inf, Q @ K.T / np.sqrt(Q.shape[1]))
    scores[0, 0] = 0.0  # step 1 would see nothing at all; give it itself
    return _softmax_rows(scores) @ V


def _attn_softmax_over_queries(Q, K, V):
    scores = np.where(_mask(len(Q)), -np.inf, Q @ K.T / np.sqrt(Q.shape[1]))
    w = np.exp(scores - scores.max(axis=0, keepdims=True))
    return (w / w.sum(axis=0, keepdims=True)) @ V


def _attn_mask_after_softmax(Q, K, V):
    w = _softmax_rows(Q @ K.T / np.sqrt(Q.shape[1]))
    return np.where(_mask(len(Q)), 0.0, w) @ V  # zeroed, but rows no longer sum to 1


def _random_attention_args(rng):
    T, d = int(rng.integers(1, 9)), int(rng.integers(1, 6))
    d_v = d + 1 if rng.random() < 0.5 else int(rng.integers(1, 6))
    return {"Q": rng.normal(size=(T, d)), "K": rng.normal(size=(T, d)),
            "V": rng.normal(size=(T, d_v))}


register(
    name="15.causal_attention",
    title={"ko": "인과적 어텐션 계산하기", "en": "Compute causal attention"},
    hint={
        "ko": "점수 행렬 S = Q @ K.T / sqrt(d)를 만드세요(d = Q.shape[1], 모양 (T, T)). "
        "s > t인 칸, 곧 대각선 위쪽을 -inf로 가린 다음 행마다 softmax를 합니다(axis=1, "
        "큰 값을 빼고 exp). 그 가중치 행렬에 V를 곱하면 (T, d_v)입니다. 대각선은 가리지 "
        "않습니다. 걸음 t는 자기 자신도 봅니다.",
        "en": "Form the scores S = Q @ K.T / sqrt(d) (d = Q.shape[1]; shape (T, T)). Mask the "
        "entries with s > t, those above the diagonal, with -inf, then take a softmax along each "
        "row (axis=1; subtract the row maximum before exp). Multiply the weights by V to get "
        "(T, d_v). Keep the diagonal: step t also sees itself.",
    },
    reference=causal_attention,
    cases=[
        case("한 걸음: 출력은 v_1 그대로", "one step: the output is v_1",
             Q=np.array([[0.3, -1.0]]), K=np.array([[2.0, 0.5]]), V=np.array([[1.0, -2.0, 3.0]])),
        case("Q = 0: 지금까지의 V를 고르게 평균", "Q = 0: the plain average of V so far",
             Q=np.zeros((4, 2)), K=np.arange(8.0).reshape(4, 2),
             V=np.array([[4.0], [0.0], [2.0], [-6.0]])),
        # rows of Q K^T that are not constant, so that the scale changes the weights
        case("d = 4: √d로 나누는지 봅니다", "d = 4: is the score divided by √d?",
             Q=np.array([[2.0, 0.0, 0.0, 0.0], [0.0, 2.0, 0.0, 0.0], [0.0, 0.0, 2.0, 0.0]]),
             K=np.arange(12.0).reshape(3, 4) / 4,
             V=np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])),
    ],
    random_case=_random_attention_args,
    wrong={
        "no division by sqrt(d)": _attn_no_scale,
        "divided by d instead of sqrt(d)": _attn_scale_by_d,
        "no causal mask": _attn_no_mask,
        "the diagonal is masked too": _attn_strict_past,
        "softmax over the queries (axis 0)": _attn_softmax_over_queries,
        "future weights zeroed after the softmax (rows not renormalised)":
            _attn_mask_after_softmax,
    },
)
