"""Chapter 03 exercises: the long-term dependency problem.

- ``03.make_task``: build a batch of the "remember the first symbol" task from its symbols.
- ``03.accuracy``: from logits to accuracy.
- ``03.per_step_factor``: estimate the per-step factor r from gradient norms that shrink
  (roughly) like r**k with the distance k.
"""

from __future__ import annotations

import numpy as np

from .core import case, register

# ----------------------------------------------------------------------------------------
# 03.make_task
# ----------------------------------------------------------------------------------------


def make_task(symbols, n_symbols):
    T, B = symbols.shape  # time-major: symbols[t - 1, b] is what sequence b shows at step t
    X = np.zeros((T, B, n_symbols))
    for t in range(T):
        for b in range(B):
            X[t, b, symbols[t, b]] = 1.0  # one-hot
    y = symbols[0].copy()  # the answer is the symbol of the first step, t = 1
    return X, y


def _one_hot(symbols, n_symbols):
    return np.eye(n_symbols)[symbols]


_MAKE_TASK_WRONG = {
    "target taken from the last step":
        lambda symbols, n_symbols: (_one_hot(symbols, n_symbols), symbols[-1].copy()),
    "off by one: target from step 1":
        lambda symbols, n_symbols: (_one_hot(symbols, n_symbols), symbols[1].copy()),
    "batch-first X (B, T, K)":
        lambda symbols, n_symbols: (_one_hot(symbols, n_symbols).transpose(1, 0, 2),
                                    symbols[0].copy()),
    "symbol index as a single channel instead of one-hot":
        lambda symbols, n_symbols: (symbols[:, :, None].astype(float), symbols[0].copy()),
    "one-hot of width max symbol + 1, not n_symbols":
        lambda symbols, n_symbols: (np.eye(symbols.max() + 1)[symbols], symbols[0].copy()),
}


def _random_symbols(rng):
    T = int(rng.integers(2, 7))
    B = int(rng.integers(1, 5))
    B = B + 1 if B == T else B
    n_symbols = int(rng.integers(3, 6))
    return {"symbols": rng.integers(0, n_symbols - 1, size=(T, B)), "n_symbols": n_symbols}


register(
    name="03.make_task",
    title={"ko": "첫 기호 기억하기 과제 만들기", "en": "Build the remember-the-first-symbol task"},
    hint={
        "ko": "symbols의 모양은 (T, B)이고 symbols[t - 1, b]는 b번째 시퀀스가 시점 t에 "
        "보여 주는 기호입니다. X는 시간 축이 먼저 오는 (T, B, n_symbols) 모양의 원-핫 실수 "
        "배열이어야 하고, np.eye(n_symbols)[symbols]가 바로 그것입니다. 정답 y는 맨 처음 "
        "시점 t = 1의 기호, 곧 symbols[0]입니다. 마지막 시점이 아닙니다.",
        "en": "symbols has shape (T, B); symbols[t - 1, b] is the symbol sequence b shows at "
        "step t. X must be one-hot floats, time-major, of shape (T, B, n_symbols); "
        "np.eye(n_symbols)[symbols] is exactly that. The target y is the symbol of the very "
        "first step, t = 1, that is symbols[0], not the last step.",
    },
    reference=make_task,
    cases=[
        case("T = 3, B = 2, 기호 4개", "T = 3, B = 2, four symbols",
             symbols=np.array([[2, 0], [1, 3], [3, 1]]), n_symbols=4),
        case("가장 큰 기호가 나오지 않는 배치: 너비는 n_symbols",
             "the largest symbol never appears: the width is n_symbols",
             symbols=np.array([[0, 1, 1], [1, 0, 0], [0, 0, 1], [1, 1, 0]]), n_symbols=3),
        case("시퀀스 하나, 다섯 걸음", "one sequence, five steps",
             symbols=np.array([[1], [0], [2], [2], [0]]), n_symbols=3),
    ],
    random_case=_random_symbols,
    output_names=("X", "y"),
    wrong=_MAKE_TASK_WRONG,
)

# ----------------------------------------------------------------------------------------
# 03.accuracy
# ----------------------------------------------------------------------------------------


def accuracy(logits, y):
    predicted = logits.argmax(axis=1)  # logits: (B, K), one row per sequence
    return float(np.mean(predicted == y))  # the fraction of rows predicted right


def _random_logits(rng):
    B = int(rng.integers(5, 12))
    K = int(rng.integers(2, 5))
    return {"logits": rng.normal(size=(B, K)), "y": rng.integers(0, K, size=B)}


register(
    name="03.accuracy",
    title={"ko": "로짓에서 정확도로", "en": "From logits to accuracy"},
    hint={
        "ko": "logits의 모양은 (B, K)입니다. 행마다 가장 큰 값의 위치(argmax, axis=1)가 예측한 "
        "기호입니다. 그 예측이 y와 같은 행의 비율(0과 1 사이의 float)을 돌려주세요. "
        "개수나 백분율이 아닙니다.",
        "en": "logits has shape (B, K). In each row, the position of the largest value "
        "(argmax along axis=1) is the predicted symbol. Return the fraction of rows whose "
        "prediction equals y, a float between 0 and 1 (not a count, not a percentage).",
    },
    reference=accuracy,
    cases=[
        case("네 개 중 세 개 맞음", "three of four right",
             logits=np.array([[2.0, 0.1, -1.0], [0.0, 0.3, 0.2], [1.0, 2.0, 3.0],
                              [0.5, 0.4, 0.0]]),
             y=np.array([0, 1, 2, 1])),
        case("B = 2, K = 5: 하나 맞음", "B = 2, K = 5: one right",
             logits=np.array([[0.1, 0.2, 0.9, 0.3, -0.5], [1.0, -1.0, 0.0, 0.5, 0.2]]),
             y=np.array([2, 4])),
        case("음수 로짓", "negative logits",
             logits=np.array([[-3.0, -1.0], [-0.5, -2.0], [-1.0, -0.1]]),
             y=np.array([1, 0, 0])),
    ],
    random_case=_random_logits,
    wrong={
        "argmax over the batch axis (axis=0)":
            lambda logits, y: float(np.mean(logits.argmax(axis=0)[: len(y)] == y)),
        "argmin instead of argmax":
            lambda logits, y: float(np.mean(logits.argmin(axis=1) == y)),
        "a count instead of a fraction":
            lambda logits, y: float(np.sum(logits.argmax(axis=1) == y)),
        "a percentage instead of a fraction":
            lambda logits, y: float(100 * np.mean(logits.argmax(axis=1) == y)),
    },
)


# ----------------------------------------------------------------------------------------
# 03.per_step_factor
# ----------------------------------------------------------------------------------------


def per_step_factor(norms):
    k = np.arange(len(norms))  # the distance of each norm: 0, 1, 2, ...
    slope, intercept = np.polyfit(k, np.log(norms), 1)  # log g_k ≈ log g_0 + k log r
    return float(np.exp(slope))  # r


def _noisy_geometric(rng):
    n = int(rng.integers(6, 15))
    r = float(rng.uniform(0.3, 0.95))
    g0 = float(rng.uniform(0.5, 5.0))
    noise = np.exp(rng.normal(scale=0.3, size=n))
    return {"norms": g0 * r ** np.arange(n) * noise}


register(
    name="03.per_step_factor",
    title={"ko": "한 걸음마다 곱해지는 비율 추정하기", "en": "Estimate the per-step factor"},
    hint={
        "ko": "norms는 1차원 배열이고 norms[k]는 거리 k(k = 0, 1, 2, ...)에서 잰 기울기 "
        "크기이며, 대략 g_0 · r^k처럼 줄어듭니다. 로그를 취하면 log norms[k] ≈ log g_0 + "
        "k · log r, 즉 k에 대한 직선입니다. np.polyfit(k, np.log(norms), 1)로 최소 제곱 "
        "직선을 맞추면 첫 값이 그 직선의 경사 log r이고, np.exp로 r을 구해 float 하나로 "
        "돌려주세요. 처음과 마지막 값만 쓰면 잡음에 휘둘립니다. 이 장의 2차원 norms에 "
        "쓰려면 np.median(norms, axis=0)을 넘기세요.",
        "en": "norms is a 1-D array; norms[k] is a gradient norm measured at distance k "
        "(k = 0, 1, 2, ...), shrinking roughly like g_0 · r**k. Take logs: log norms[k] ≈ "
        "log g_0 + k · log r, a straight line in k. Fit it by least squares with "
        "np.polyfit(k, np.log(norms), 1); the first number is the slope log r; return np.exp "
        "of it as one float. Using only the first and the last value lets the noise decide. "
        "For this chapter's 2-D norms, pass np.median(norms, axis=0).",
    },
    reference=per_step_factor,
    cases=[
        case("정확한 기하급수: r = 0.5", "exactly geometric: r = 0.5",
             norms=np.array([1.0, 0.5, 0.25, 0.125, 0.0625])),
        case("정확한 기하급수: 3 · 0.8^k", "exactly geometric: 3 · 0.8**k",
             norms=3.0 * 0.8 ** np.arange(8)),
        case("잡음이 섞인 값", "with noise",
             norms=np.array([1.0, 0.9, 0.3, 0.35, 0.1, 0.08, 0.02])),
    ],
    random_case=_noisy_geometric,
    rtol=1e-6,
    wrong={
        "last over first, without the k-th root":
            lambda norms: float(norms[-1] / norms[0]),
        "only the first and the last value":
            lambda norms: float((norms[-1] / norms[0]) ** (1.0 / (len(norms) - 1))),
        "returns log r instead of r":
            lambda norms: float(np.polyfit(np.arange(len(norms)), np.log(norms), 1)[0]),
        "arithmetic mean of the ratios":
            lambda norms: float(np.mean(norms[1:] / norms[:-1])),
        "fits a line to the norms themselves, not their logs":
            lambda norms: float(1.0 + np.polyfit(np.arange(len(norms)), norms, 1)[0]),
    },
)
