"""Chapter 11 exercises: training on long dependencies.

- ``11.contributions``: split the cell state C_T into what each step wrote and kept,
  equation (11.3).
- ``11.mse_if_linear``: the loss of a prediction that responds to the two marked values
  with slopes s_1 and s_2, equation (11.4).
- ``11.steps_used``: how many training steps a run used when it stops at the first
  held-out evaluation below a threshold (what :func:`lstm_lib.train.steps_to_solve`
  reads, with the budget for a run that never got there).
"""

from __future__ import annotations

import numpy as np

from .core import case, register

# ----------------------------------------------------------------------------------------
# 11.contributions
# ----------------------------------------------------------------------------------------


def contributions(f, i, g):
    T = f.shape[0]
    keep = np.ones_like(f)  # keep[t] = f[t+1] * ... * f[T-1]; 1 for the last step
    for t in range(T - 2, -1, -1):
        keep[t] = keep[t + 1] * f[t + 1]
    return keep * i * g  # row t: what step t wrote, times what survived after it


def _gates(rng, T, H):
    return {
        "f": rng.uniform(0.05, 0.95, size=(T, H)),
        "i": rng.uniform(0.05, 0.95, size=(T, H)),
        "g": rng.uniform(-0.95, 0.95, size=(T, H)),
    }


def _contrib_with_own_f(f, i, g):  # keeps f_t itself too
    return np.cumprod(f[::-1], axis=0)[::-1] * i * g


def _contrib_from_the_front(f, i, g):  # products of the gates *before* step t
    keep = np.ones_like(f)
    keep[1:] = np.cumprod(f, axis=0)[:-1]
    return keep * i * g


def _contrib_no_input_gate(f, i, g):
    return contributions(f, np.ones_like(i), g)


def _contrib_sum_only(f, i, g):  # C_T itself, not split by step
    return contributions(f, i, g).sum(axis=0)


register(
    name="11.contributions",
    title={"ko": "C_T를 걸음별로 나누기", "en": "Split C_T by the step that wrote it"},
    hint={
        "ko": "식 (11.3)에서 걸음 t의 몫은 (f_{t+1} ⊙ ⋯ ⊙ f_T) ⊙ i_t ⊙ g_t입니다. f_t 자신은 "
        "곱하지 않습니다: 걸음 t에 쓴 값은 그 뒤의 망각 게이트만 거칩니다. 마지막 걸음의 곱은 "
        "빈 곱이므로 1입니다. 뒤에서부터 거꾸로 누적하는 반복문이 가장 쉽습니다. 돌려줄 배열은 "
        "f와 같은 (T, H) 모양이고, 행을 모두 더하면 C_T가 됩니다.",
        "en": "In equation (11.3) the share of step t is (f_{t+1} ⊙ ⋯ ⊙ f_T) ⊙ i_t ⊙ g_t. "
        "Do not multiply by f_t itself: what step t wrote passes only the forget gates after "
        "it. For the last step the product is empty, so it is 1. A loop that accumulates "
        "from the back is simplest. Return a (T, H) array, like f; its rows add up to C_T.",
    },
    reference=contributions,
    cases=[
        case("망각 게이트가 모두 1: 쓴 값이 그대로 남음", "every forget gate 1: what was "
             "written stays", f=np.ones((3, 2)), i=np.full((3, 2), 0.5),
             g=np.array([[0.2, -0.4], [0.6, 0.1], [-0.3, 0.8]])),
        case("망각 게이트 0.5: 두 걸음 전의 값은 4분의 1", "forget gate 0.5: two steps back, "
             "a quarter is left", f=np.full((3, 1), 0.5), i=np.ones((3, 1)),
             g=np.array([[1.0], [1.0], [1.0]])),
        case("걸음마다 다른 게이트", "different gates at every step",
             f=np.array([[0.9, 0.2], [0.5, 0.7], [0.3, 0.6], [0.8, 0.4]]),
             i=np.array([[0.1, 0.9], [0.7, 0.2], [0.4, 0.5], [0.6, 0.3]]),
             g=np.array([[0.5, -0.5], [-0.2, 0.3], [0.9, -0.8], [0.1, 0.4]])),
    ],
    random_case=lambda rng: _gates(rng, int(rng.integers(2, 9)), int(rng.integers(1, 5))),
    wrong={
        "multiplies by f_t of the same step too": _contrib_with_own_f,
        "multiplies by the gates before step t, not after": _contrib_from_the_front,
        "forgets the input gate": _contrib_no_input_gate,
        "returns C_T, not the share of each step": _contrib_sum_only,
    },
)

# ----------------------------------------------------------------------------------------
# 11.mse_if_linear
# ----------------------------------------------------------------------------------------


def mse_if_linear(s1, s2):
    # prediction 1 + s1 (v1 - 1/2) + s2 (v2 - 1/2); v1, v2 independent, variance 1/12 each
    return ((1 - s1) ** 2 + (1 - s2) ** 2) / 12


register(
    name="11.mse_if_linear",
    title={"ko": "민감도로 손실 예측하기", "en": "The loss from the two slopes"},
    hint={
        "ko": "오차는 y - ŷ = (1 - s1)(v1 - 1/2) + (1 - s2)(v2 - 1/2)입니다. v1과 v2는 서로 "
        "독립이고 평균이 1/2, 분산이 1/12인 균등분포이므로, 제곱의 평균은 두 항의 분산을 "
        "더한 것입니다. 각 항의 분산은 (1 - s)² × 1/12입니다.",
        "en": "The error is y - ŷ = (1 - s1)(v1 - 1/2) + (1 - s2)(v2 - 1/2). v1 and v2 are "
        "independent uniform numbers with mean 1/2 and variance 1/12, so the mean square "
        "is the sum of the two terms' variances, each (1 - s)² × 1/12.",
    },
    reference=mse_if_linear,
    cases=[
        case("둘 다 0: 평균으로 답하기", "both 0: predicting the mean", s1=0.0, s2=0.0),
        case("둘 다 1: 완벽한 답", "both 1: the perfect answer", s1=1.0, s2=1.0),
        case("한쪽만 배움", "only one of them learnt", s1=0.0, s2=1.0),
        case("서로 다른 민감도", "different slopes", s1=0.3, s2=0.8),
    ],
    random_case=lambda rng: {"s1": float(rng.uniform(-0.5, 1.5)),
                             "s2": float(rng.uniform(-0.5, 1.5))},
    wrong={
        "divides by 6 (the variance of the sum) instead of 12":
            lambda s1, s2: ((1 - s1) ** 2 + (1 - s2) ** 2) / 6,
        "treats the two slopes as one": lambda s1, s2: (2 - s1 - s2) ** 2 / 12,
        "forgets the square": lambda s1, s2: ((1 - s1) + (1 - s2)) / 12,
        "uses E[v²] = 1/3 instead of the variance 1/12":
            lambda s1, s2: ((1 - s1) ** 2 + (1 - s2) ** 2) / 3,
    },
)

# ----------------------------------------------------------------------------------------
# 11.steps_used
# ----------------------------------------------------------------------------------------


def steps_used(eval_steps, eval_losses, threshold, budget):
    for step, loss in zip(eval_steps, eval_losses, strict=True):
        if loss < threshold:  # strictly below: solved here, training stops
            return step
    return budget  # never below: the whole budget was used


def _used_at_or_below(eval_steps, eval_losses, threshold, budget):
    for step, loss in zip(eval_steps, eval_losses, strict=True):
        if loss <= threshold:
            return step
    return budget


def _used_index(eval_steps, eval_losses, threshold, budget):
    for k, loss in enumerate(eval_losses):
        if loss < threshold:
            return k
    return budget


def _used_last_crossing(eval_steps, eval_losses, threshold, budget):
    below = [s for s, loss in zip(eval_steps, eval_losses, strict=True) if loss < threshold]
    return below[-1] if below else budget


def _used_nothing_when_unsolved(eval_steps, eval_losses, threshold, budget):
    for step, loss in zip(eval_steps, eval_losses, strict=True):
        if loss < threshold:
            return step
    return 0


register(
    name="11.steps_used",
    title={"ko": "학습 반복을 몇 번 썼나", "en": "How many training steps did a run use?"},
    hint={
        "ko": "eval_steps와 eval_losses를 나란히 보며, 손실이 threshold보다 처음으로 작아진 "
        "평가의 학습 반복 번호(리스트 안의 순번이 아니라 eval_steps의 값)를 돌려주세요. "
        "같으면 아직 못 푼 것입니다. 끝까지 작아지지 않으면 예산 전체를 쓴 것이므로 "
        "budget을 돌려주세요.",
        "en": "Walk through eval_steps and eval_losses together and return the step (the "
        "value in eval_steps, not its position) of the first evaluation whose loss is "
        "below threshold; equal is not below. If no loss ever gets below, the run used its "
        "whole budget: return budget.",
    },
    reference=steps_used,
    cases=[
        case("중간에 풂", "solved halfway", eval_steps=[0, 25, 50, 75, 100],
             eval_losses=[0.9, 0.17, 0.16, 0.008, 0.004], threshold=0.01, budget=100),
        case("끝내 못 풂: 예산 전체", "never solved: the whole budget",
             eval_steps=[0, 25, 50, 60], eval_losses=[0.9, 0.17, 0.16, 0.17],
             threshold=0.01, budget=60),
        case("threshold와 같은 값은 아직 아님", "a loss equal to the threshold is not below",
             eval_steps=[0, 10, 20, 30], eval_losses=[0.5, 0.25, 0.01, 0.002],
             threshold=0.01, budget=30),
        case("한 번 내려갔다 다시 올라감: 처음 내려간 곳", "dips below, then rises: the first "
             "dip counts", eval_steps=[0, 5, 10, 15], eval_losses=[0.3, 0.05, 0.2, 0.04],
             threshold=0.1, budget=15),
    ],
    random_case=lambda rng: _random_run(rng),
    wrong={
        "counts a loss equal to the threshold as solved": _used_at_or_below,
        "returns the position in the list, not the step": _used_index,
        "returns the last evaluation below the threshold": _used_last_crossing,
        "returns 0, not the budget, when the run never solves it": _used_nothing_when_unsolved,
    },
)


def _random_run(rng):
    every = int(rng.integers(5, 30))
    n = int(rng.integers(4, 12))
    steps = [every * k for k in range(n)]
    losses = [float(x) for x in np.sort(rng.uniform(0.0, 0.3, size=n))[::-1]]
    # as lstm_lib.train records it: step 0 first, the budget last
    return {"eval_steps": steps, "eval_losses": losses,
            "threshold": float(rng.uniform(0.02, 0.2)), "budget": steps[-1]}
