"""Chapter 02 exercises: vanishing and exploding gradients.

- ``02.jacobian_product``: ∂h_T/∂h_0 = J_T ... J_1 with J_k = diag(1 - h_k²) W_hh, from the
  hidden states h_1, ..., h_T of a tanh RNN.
- ``02.clip_by_norm``: gradient clipping by global norm for a pair of gradients (dW, db).
- ``02.predicted_factor``: the per-step factor s * RMS(tanh') predicted from the derivatives.
"""

from __future__ import annotations

import numpy as np

from .core import case, register

# ----------------------------------------------------------------------------------------
# 02.jacobian_product
# ----------------------------------------------------------------------------------------


def jacobian_product(hs, W_hh):
    H = W_hh.shape[0]
    P = np.eye(H)  # ∂h_T/∂h_T
    for h in hs[::-1]:  # k = T, T-1, ..., 1: walk back in time as BPTT does
        J = np.diag(1 - h**2) @ W_hh  # J_k = ∂h_k/∂h_{k-1} = diag(1 - h_k²) W_hh
        P = P @ J  # now ∂h_T/∂h_{k-1}
    return P


def _product_forward_order(hs, W_hh):
    P = np.eye(W_hh.shape[0])
    for h in hs[::-1]:
        P = np.diag(1 - h**2) @ W_hh @ P  # J_1 ... J_T: the order reversed
    return P


def _product_no_slope(hs, W_hh):
    return np.linalg.matrix_power(W_hh, len(hs))


def _product_slope_1_minus_h(hs, W_hh):
    P = np.eye(W_hh.shape[0])
    for h in hs[::-1]:
        P = P @ (np.diag(1 - h) @ W_hh)
    return P


def _product_transposed(hs, W_hh):
    return jacobian_product(hs, W_hh.T)


def _product_slope_on_right(hs, W_hh):
    P = np.eye(W_hh.shape[0])
    for h in hs[::-1]:
        P = P @ (W_hh @ np.diag(1 - h**2))
    return P


def _product_one_step_short(hs, W_hh):
    return jacobian_product(hs[1:], W_hh)


def _random_states(rng):
    H = int(rng.integers(2, 5))
    T = int(rng.integers(2, 6))
    return {
        "hs": rng.uniform(-0.95, 0.95, size=(T, H)),
        "W_hh": rng.normal(scale=1.0, size=(H, H)),
    }


register(
    name="02.jacobian_product",
    title={"ko": "야코비 행렬 곱 ∂h_T/∂h_0", "en": "The Jacobian product ∂h_T/∂h_0"},
    hint={
        "ko": "한 걸음의 야코비 행렬은 J_k = diag(1 - h_k**2) @ W_hh입니다 "
        "(np.diag(1 - h**2) @ W_hh). 단위 행렬 P = np.eye(H)에서 시작해 k = T부터 1까지 "
        "거꾸로 가며 P = P @ J_k로 오른쪽에 곱하세요. hs[k-1]이 h_k이고, 결과는 "
        "J_T ... J_1 순서의 곱, 모양 (H, H)입니다.",
        "en": "One step's Jacobian is J_k = diag(1 - h_k**2) @ W_hh "
        "(np.diag(1 - h**2) @ W_hh). Start from the identity P = np.eye(H) and walk back "
        "from k = T to 1, multiplying on the right: P = P @ J_k. hs[k-1] is h_k; the result "
        "is the product J_T ... J_1, of shape (H, H).",
    },
    reference=jacobian_product,
    cases=[
        case("한 걸음, h_1 = 0: 결과는 W_hh 그대로", "one step with h_1 = 0: the result is W_hh",
             hs=np.zeros((1, 2)), W_hh=np.array([[0.5, 2.0], [-1.0, 0.3]])),
        case("두 걸음, 대각이 아닌 W_hh", "two steps, a non-diagonal W_hh",
             hs=np.array([[0.5, -0.2], [0.9, 0.1]]), W_hh=np.array([[1.0, 2.0], [0.0, 1.5]])),
        case("세 걸음, H = 3", "three steps, H = 3",
             hs=np.array([[0.1, 0.2, -0.3], [0.7, -0.6, 0.0], [-0.4, 0.8, 0.5]]),
             W_hh=np.array([[0.9, -0.5, 0.2], [0.3, 1.1, -0.7], [0.0, 0.4, 0.6]])),
    ],
    random_case=_random_states,
    wrong={
        "product in forward order J_1 ... J_T": _product_forward_order,
        "tanh's slope left out: W_hh^T": _product_no_slope,
        "slope written as 1 - h instead of 1 - h²": _product_slope_1_minus_h,
        "W_hh transposed": _product_transposed,
        "W_hh diag(slope) instead of diag(slope) W_hh": _product_slope_on_right,
        "one step short": _product_one_step_short,
    },
)

# ----------------------------------------------------------------------------------------
# 02.clip_by_norm
# ----------------------------------------------------------------------------------------


def clip_by_norm(dW, db, threshold):
    norm = np.sqrt(np.sum(dW**2) + np.sum(db**2))  # one norm for all the gradients together
    if norm > threshold:
        scale = threshold / norm  # the same factor for every array: direction unchanged
        return dW * scale, db * scale
    return dW.copy(), db.copy()  # short enough: leave it alone


def _clip_elementwise(dW, db, threshold):
    return np.clip(dW, -threshold, threshold), np.clip(db, -threshold, threshold)


def _clip_always(dW, db, threshold):
    norm = np.sqrt(np.sum(dW**2) + np.sum(db**2))
    return dW * threshold / norm, db * threshold / norm


def _clip_each_array(dW, db, threshold):
    def one(g):
        n = np.linalg.norm(g)
        return g * threshold / n if n > threshold else g.copy()

    return one(dW), one(db)


def _clip_squared_norm(dW, db, threshold):
    sq = np.sum(dW**2) + np.sum(db**2)
    return (dW * threshold / sq, db * threshold / sq) if sq > threshold else (dW.copy(), db.copy())


def _clip_weight_only(dW, db, threshold):
    norm = np.sqrt(np.sum(dW**2) + np.sum(db**2))
    return (dW * threshold / norm, db.copy()) if norm > threshold else (dW.copy(), db.copy())


def _random_grads(rng):
    H = int(rng.integers(1, 5))
    n = int(rng.integers(2, 7))
    size = float(rng.choice([0.05, 1.0, 50.0]))
    return {
        "dW": rng.normal(scale=size, size=(H, n)),
        "db": rng.normal(scale=size, size=H),
        "threshold": float(rng.uniform(0.5, 5.0)),
    }


register(
    name="02.clip_by_norm",
    title={"ko": "전체 노름으로 기울기 클리핑", "en": "Clip gradients by their global norm"},
    hint={
        "ko": "dW와 db를 한 벡터로 보고 노름을 구하세요: np.sqrt(np.sum(dW**2) + np.sum(db**2)). "
        "그 노름이 threshold보다 클 때만 두 배열에 같은 배율 threshold / norm을 곱합니다. "
        "작거나 같으면 그대로 (복사본을) 돌려주세요. 원소마다 자르는 np.clip은 방향을 바꿉니다.",
        "en": "Treat dW and db as one vector and take its norm: "
        "np.sqrt(np.sum(dW**2) + np.sum(db**2)). Only when that norm exceeds threshold, "
        "multiply both arrays by the same factor threshold / norm; otherwise return them "
        "unchanged (copies). Clipping each element with np.clip would change the direction.",
    },
    reference=clip_by_norm,
    output_names=("dW", "db"),
    cases=[
        case("노름 5 > 1: 길이 1로 줄임", "norm 5 > 1: shrink to length 1",
             dW=np.array([[3.0, 0.0]]), db=np.array([4.0]), threshold=1.0),
        case("노름 5 < 10: 그대로", "norm 5 < 10: unchanged",
             dW=np.array([[3.0, 0.0]]), db=np.array([4.0]), threshold=10.0),
        case("원소 하나만 큼: 방향 유지", "one large element: keep the direction",
             dW=np.array([[100.0, 0.5], [-0.2, 0.1]]), db=np.array([0.3, -0.4]),
             threshold=2.0),
        case("배열마다 노름이 threshold보다 작지만 합치면 큼",
             "each array below the threshold, together above it",
             dW=np.array([[0.6, 0.6], [0.6, 0.6]]), db=np.array([0.9, 0.9]), threshold=1.5),
    ],
    random_case=_random_grads,
    wrong={
        "clips each element (np.clip)": _clip_elementwise,
        "rescales even when below the threshold": _clip_always,
        "clips each array by its own norm": _clip_each_array,
        "divides by the squared norm": _clip_squared_norm,
        "rescales dW but not db": _clip_weight_only,
    },
)

# ----------------------------------------------------------------------------------------
# 02.predicted_factor
# ----------------------------------------------------------------------------------------


def predicted_factor(derivatives, scale):
    rms = np.sqrt(np.mean(np.square(derivatives)))  # the root mean square of tanh'
    return float(scale * rms)  # s * RMS: what one step does to a vector's length


def _random_derivatives(rng):
    T = int(rng.integers(2, 6))
    H = int(rng.integers(2, 6))
    return {"derivatives": rng.uniform(0.0, 1.0, size=(T, H)) ** float(rng.uniform(0.5, 3)),
            "scale": float(rng.uniform(0.5, 3.0))}


register(
    name="02.predicted_factor",
    title={"ko": "한 걸음의 배율 예측하기", "en": "Predict the per-step factor"},
    hint={
        "ko": "derivatives의 원소 δ를 모두 제곱해 평균을 내고(np.mean(np.square(...))), "
        "제곱근을 씌운 것이 RMS입니다. 배열의 모양은 상관없습니다. 여기에 scale을 곱해 "
        "float 하나로 돌려주세요. 미분값의 평균에 scale을 곱하면 배율을 작게 잡습니다.",
        "en": "Square every element δ of derivatives, average them (np.mean(np.square(...))) "
        "and take the square root: that is the RMS, whatever the array's shape. Multiply "
        "it by scale and return one float. The mean of the derivatives times scale "
        "underestimates the factor.",
    },
    reference=predicted_factor,
    cases=[
        case("모든 미분값이 같음: 평균 = RMS", "all derivatives equal: mean = RMS",
             derivatives=np.full((3, 4), 0.5), scale=2.0),
        case("반은 포화(0), 반은 1: RMS는 평균보다 큼",
             "half saturated (0), half 1: the RMS exceeds the mean",
             derivatives=np.array([[0.0, 1.0], [1.0, 0.0]]), scale=2.0),
        case("1차원 배열", "a 1-D array",
             derivatives=np.array([0.9, 0.1, 0.5, 0.3, 0.05]), scale=3.0),
    ],
    random_case=_random_derivatives,
    wrong={
        "s times the mean": lambda derivatives, scale: float(scale * np.mean(derivatives)),
        "the RMS without s": lambda derivatives, scale: float(
            np.sqrt(np.mean(np.square(derivatives)))),
        "s times the mean square (no square root)": lambda derivatives, scale: float(
            scale * np.mean(np.square(derivatives))),
        "s times the square root of the mean": lambda derivatives, scale: float(
            scale * np.sqrt(np.mean(derivatives))),
        "s times the largest derivative": lambda derivatives, scale: float(
            scale * np.max(derivatives)),
        "s squared times the mean square": lambda derivatives, scale: float(
            scale**2 * np.mean(np.square(derivatives))),
    },
)
