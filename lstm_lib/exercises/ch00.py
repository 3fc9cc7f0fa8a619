"""Chapter 00 exercise: a warm-up that shows how ``check`` works.

- ``00.sigmoid``: the logistic sigmoid σ(z) = 1 / (1 + e^{-z}), element-wise.
"""

from __future__ import annotations

import numpy as np

from .core import case, register


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))  # σ(z), element by element


register(
    name="00.sigmoid",
    title={"ko": "시그모이드 함수", "en": "The sigmoid function"},
    hint={
        "ko": "σ(z) = 1 / (1 + e^(-z))입니다. NumPy의 np.exp는 배열의 원소마다 계산하므로 "
        "반복문이 필요 없습니다.",
        "en": "σ(z) = 1 / (1 + e^(-z)). NumPy's np.exp works element by element, so no "
        "loop is needed.",
    },
    reference=sigmoid,
    cases=[
        case("z = 0이면 0.5", "z = 0 gives 0.5", z=np.zeros(3)),
        case("양수와 음수가 섞인 벡터", "a vector of positive and negative values",
             z=np.array([-3.0, -0.5, 0.0, 0.5, 3.0])),
        case("2차원 배열", "a 2-D array", z=np.array([[1.0, -2.0], [4.0, -0.25]])),
    ],
    random_case=lambda rng: {"z": rng.normal(0.0, 3.0, size=(4, 3))},
    wrong={
        "tanh instead of sigmoid": np.tanh,
        "1 - σ(z) (sign of the exponent flipped)": lambda z: 1.0 / (1.0 + np.exp(z)),
        "e^(-z) in the numerator": lambda z: np.exp(-z) / (1.0 + np.exp(-z)),
        "σ'(z) instead of σ(z)": lambda z: sigmoid(z) * (1.0 - sigmoid(z)),
    },
)
