"""Chapter 12 exercises: time-series forecasting.

- ``12.make_windows``: cut a series into input windows and targets, the target starting
  one step after the last input.
- ``12.seasonal_naive``: the seasonal-naive forecast of the next ``horizon`` values.
- ``12.mase``: the mean absolute scaled error, scaled on the training part.
"""

from __future__ import annotations

import numpy as np

from .core import case, register

# ----------------------------------------------------------------------------------------
# 12.make_windows
# ----------------------------------------------------------------------------------------


def make_windows(series, window, horizon):
    X, Y = [], []
    for o in range(window, len(series) - horizon + 1):  # o: how many values are known
        X.append(series[o - window:o])  # the window: the last `window` known values
        Y.append(series[o:o + horizon])  # the target: the next `horizon` values
    return np.array(X), np.array(Y)


def _origins(series, window, horizon):
    return range(window, len(series) - horizon + 1)


def _windows_target_at_last_input(series, window, horizon):
    o = _origins(series, window, horizon)
    return (np.array([series[k - window:k] for k in o]),
            np.array([series[k - 1:k - 1 + horizon] for k in o]))


def _windows_last_dropped(series, window, horizon):
    o = range(window, len(series) - horizon)
    return (np.array([series[k - window:k] for k in o]),
            np.array([series[k:k + horizon] for k in o]))


def _windows_input_includes_target(series, window, horizon):
    o = _origins(series, window, horizon)
    return (np.array([series[k - window + 1:k + 1] for k in o]),
            np.array([series[k:k + horizon] for k in o]))


def _windows_skip_one(series, window, horizon):
    o = range(window, len(series) - horizon)
    return (np.array([series[k - window:k] for k in o]),
            np.array([series[k + 1:k + 1 + horizon] for k in o]))


def _random_windows(rng):
    T = int(rng.integers(8, 20))
    return {"series": rng.normal(size=T).cumsum(), "window": int(rng.integers(1, 5)),
            "horizon": int(rng.integers(1, 4))}


register(
    name="12.make_windows",
    title={"ko": "창과 목표로 자르기", "en": "Cut a series into windows and targets"},
    hint={
        "ko": "값이 o개 알려진 시점(기점 o)마다 한 행을 만듭니다. 입력은 그 직전 window개, "
        "series[o - window:o]이고, 목표는 그다음 horizon개, series[o:o + horizon]입니다. "
        "o는 window부터 len(series) - horizon까지(끝 포함) 갑니다. 목표의 첫 값은 입력의 마지막 "
        "값 바로 다음 값이어야 하고, 마지막 행의 목표는 series의 마지막 값으로 끝나야 합니다.",
        "en": "Make one row for every origin o, the number of values known. The input is the "
        "window values just before it, series[o - window:o]; the target is the next horizon "
        "values, series[o:o + horizon]. o runs from window to len(series) - horizon, "
        "inclusive. The first target is the value right after the last input, and the last "
        "row's target ends with the series' last value.",
    },
    reference=make_windows,
    cases=[
        case("값이 곧 시점인 수열: 0, 1, ..., 9, 창 3, 2걸음",
             "the value is the time step: 0, 1, ..., 9, window 3, 2 steps",
             series=np.arange(10.0), window=3, horizon=2),
        case("창 1, 1걸음: 입력과 목표가 한 칸씩 어긋난 쌍",
             "window 1, 1 step: pairs one step apart",
             series=np.array([3.0, -1.0, 4.0, 1.5, 9.0]), window=1, horizon=1),
        case("창과 목표로 딱 한 행이 나오는 길이", "just long enough for one row",
             series=np.array([2.0, 7.0, 1.0, 8.0, 2.5]), window=3, horizon=2),
    ],
    random_case=_random_windows,
    output_names=("X", "Y"),
    wrong={
        "target starts at the last input (off by one)": _windows_target_at_last_input,
        "last window dropped": _windows_last_dropped,
        "input window includes the first target": _windows_input_includes_target,
        "target starts two steps after the last input": _windows_skip_one,
    },
)

# ----------------------------------------------------------------------------------------
# 12.seasonal_naive
# ----------------------------------------------------------------------------------------


def seasonal_naive(history, m, horizon):
    n = len(history)
    forecast = np.empty(horizon)
    for k in range(1, horizon + 1):  # k steps after the last known value
        forecast[k - 1] = history[n - m + (k - 1) % m]  # same season, last cycle
    return forecast


def _snaive_repeat_last(history, m, horizon):
    return np.full(horizon, history[-1])


def _snaive_off_by_one(history, m, horizon):
    n = len(history)
    return np.array([history[n - m + k % m - 1] for k in range(1, horizon + 1)])


def _snaive_first_cycle(history, m, horizon):
    return np.resize(history[:m], horizon)


def _snaive_no_wrap(history, m, horizon):
    n = len(history)
    return np.array([history[min(n - m + k - 1, n - 1)] for k in range(1, horizon + 1)])


def _random_snaive(rng):
    m = int(rng.integers(2, 6))
    n = int(rng.integers(m + 1, 3 * m + 3))
    return {"history": rng.normal(size=n).cumsum(), "m": m,
            "horizon": int(rng.integers(1, 3 * m))}


register(
    name="12.seasonal_naive",
    title={"ko": "계절 나이브 예측", "en": "The seasonal-naive forecast"},
    hint={
        "ko": "k걸음 뒤(k = 1, ..., horizon)의 예측은 같은 계절의 가장 최근 값입니다. "
        "마지막 한 주기 history[-m:]를 앞에서부터 차례로 쓰고, horizon이 m보다 길면 그 주기를 "
        "다시 처음부터 되풀이합니다. 인덱스로 쓰면 history[len(history) - m + (k - 1) % m]이고, "
        "np.resize(history[-m:], horizon)도 같은 값을 줍니다. 모양 (horizon,)의 배열을 돌려주세요.",
        "en": "The forecast k steps ahead (k = 1, ..., horizon) is the latest value of the same "
        "season. Use the last cycle, history[-m:], from its start; when horizon is longer "
        "than m, repeat that cycle from its start again. As an index that is "
        "history[len(history) - m + (k - 1) % m]; np.resize(history[-m:], horizon) gives the "
        "same. Return an array of shape (horizon,).",
    },
    reference=seasonal_naive,
    cases=[
        case("m = 4, 6걸음: 주기가 한 번 되풀이됨", "m = 4, 6 steps: the cycle repeats once",
             history=np.array([1.0, 5.0, 2.0, 8.0, 3.0, 6.0, 4.0, 9.0]), m=4, horizon=6),
        case("m = 3, 1걸음: 한 주기 전의 값", "m = 3, 1 step: the value one cycle back",
             history=np.array([0.5, 2.0, -1.0, 0.0, 4.0]), m=3, horizon=1),
        case("m = 12, 12걸음: 지난 한 해 그대로", "m = 12, 12 steps: last year as it was",
             history=np.arange(30.0) ** 1.5, m=12, horizon=12),
    ],
    random_case=_random_snaive,
    wrong={
        "repeats the last value (the naive forecast)": _snaive_repeat_last,
        "off by one within the cycle": _snaive_off_by_one,
        "uses the first cycle of the history, not the last": _snaive_first_cycle,
        "does not wrap when horizon > m": _snaive_no_wrap,
    },
)

# ----------------------------------------------------------------------------------------
# 12.mase
# ----------------------------------------------------------------------------------------


def mase(y_true, y_pred, y_train, m):
    mae = np.mean(np.abs(y_true - y_pred))  # the forecast's mean absolute error
    scale = np.mean(np.abs(y_train[m:] - y_train[:-m]))  # seasonal naive, in sample
    return float(mae / scale)


def _mase_scale_on_test(y_true, y_pred, y_train, m):
    return np.mean(np.abs(y_true - y_pred)) / np.mean(np.abs(y_true[m:] - y_true[:-m]))


def _mase_lag_one(y_true, y_pred, y_train, m):
    return np.mean(np.abs(y_true - y_pred)) / np.mean(np.abs(np.diff(y_train)))


def _mase_squared(y_true, y_pred, y_train, m):
    return np.mean((y_true - y_pred) ** 2) / np.mean((y_train[m:] - y_train[:-m]) ** 2)


def _mase_divides_by_n(y_true, y_pred, y_train, m):
    scale = np.sum(np.abs(y_train[m:] - y_train[:-m])) / len(y_train)
    return np.mean(np.abs(y_true - y_pred)) / scale


def _mase_no_abs_in_scale(y_true, y_pred, y_train, m):
    return np.mean(np.abs(y_true - y_pred)) / abs(np.mean(y_train[m:] - y_train[:-m]))


def _random_mase(rng):
    m = int(rng.integers(1, 5))
    n = int(rng.integers(2 * m + 3, 30))
    k = int(rng.integers(2 * m + 1, 12))
    y_train = rng.normal(size=n).cumsum() + np.sin(np.arange(n))
    y_true = rng.normal(size=k).cumsum()
    return {"y_true": y_true, "y_pred": y_true + rng.normal(size=k), "y_train": y_train,
            "m": m}


register(
    name="12.mase",
    title={"ko": "MASE 직접 계산하기", "en": "Compute MASE by hand"},
    hint={
        "ko": "분자는 예측의 평균 절대 오차 np.mean(np.abs(y_true - y_pred))입니다. 분모는 훈련 "
        "구간에서 계절 나이브 예측(m걸음 전 값)이 낸 평균 절대 오차, 곧 "
        "np.mean(np.abs(y_train[m:] - y_train[:-m]))입니다. 차이가 len(y_train) - m개이므로 "
        "그 개수로 평균을 냅니다. 분모는 시험 구간이 아니라 y_train에서 계산해야 합니다.",
        "en": "The numerator is the forecast's mean absolute error, "
        "np.mean(np.abs(y_true - y_pred)). The denominator is the mean absolute error of the "
        "seasonal-naive forecast (the value m steps back) over the training part: "
        "np.mean(np.abs(y_train[m:] - y_train[:-m])), an average over the len(y_train) - m "
        "differences. Compute it from y_train, not from the test period.",
    },
    reference=mase,
    cases=[
        case("m = 1: 나이브 예측의 오차로 나눔", "m = 1: scaled by the naive forecast's error",
             y_true=np.array([6.0, 7.0]), y_pred=np.array([5.0, 9.0]),
             y_train=np.array([1.0, 3.0, 2.0, 5.0, 4.0]), m=1),
        case("m = 2, 훈련 구간의 차이 세 개", "m = 2, three differences in the training part",
             y_true=np.array([6.0, 7.0, 6.5]), y_pred=np.array([5.0, 9.0, 6.0]),
             y_train=np.array([1.0, 3.0, 2.0, 5.0, 4.0]), m=2),
        case("m = 4, 오르내리는 훈련 구간", "m = 4, a training part that goes up and down",
             y_true=np.array([10.0, 12.0, 9.0, 11.0, 10.5]),
             y_pred=np.array([10.5, 11.0, 9.5, 12.0, 10.0]),
             y_train=np.array([1.0, 4.0, 2.0, 3.0, 2.0, 6.0, 3.0, 5.0, 4.0, 7.0, 3.0]), m=4),
    ],
    random_case=_random_mase,
    wrong={
        "scale computed on the test period": _mase_scale_on_test,
        "scale from the one-step naive forecast whatever m is": _mase_lag_one,
        "squared errors (that is a ratio of MSEs)": _mase_squared,
        "scale's sum divided by len(y_train), not len(y_train) - m": _mase_divides_by_n,
        "absolute value missing in the scale": _mase_no_abs_in_scale,
    },
)
