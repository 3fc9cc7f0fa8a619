"""Tests for the time-series part of lstm_lib.data (chapter 12): the bundled series, windows,
chronological splits, rolling origins and the training-only scaler.

The windowing tests are written to catch the classic bugs: a target that equals the last
input (an off-by-one that makes any model look perfect at copying), a last window dropped,
and scaling statistics that see the test period.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lstm_lib.data import (
    ForecastTask,
    Scaler,
    chronological_split,
    forecast_task,
    load_co2,
    load_seattle_weather,
    make_windows,
    rolling_origins,
)

# --- the bundled series ------------------------------------------------------------------


def test_co2_is_monthly_complete_and_says_what_was_filled():
    s = load_co2()
    assert len(s) == 526 and s.name == "co2"
    assert s.index[0] == pd.Timestamp("1958-03-01") and s.index[-1] == pd.Timestamp("2001-12-01")
    assert (s.index == pd.date_range("1958-03-01", "2001-12-01", freq="MS")).all()
    assert not s.isna().any() and s.dtype == np.float64
    assert s.attrs["filled"] == ["1958-06", "1958-10", "1964-02", "1964-03", "1964-04"]
    assert s.attrs["weeks"] == 2284 and s.attrs["weekly_missing"] == 59
    # a filled month lies on the straight line between its measured neighbours
    assert s["1958-05-01"] > s["1958-06-01"] > s["1958-07-01"]  # the summer fall
    # a measured month is the mean of its measured weeks
    import statsmodels.api as sm

    weekly = sm.datasets.co2.load_pandas().data["co2"]
    march_1990 = weekly["1990-03-01":"1990-03-31"].dropna()
    assert s["1990-03-01"] == pytest.approx(march_1990.mean(), abs=1e-12)
    # trend and season: about +1.3 ppm a year, and a yearly cycle of several ppm
    assert 0.9 < (s.iloc[-12:].mean() - s.iloc[:12].mean()) / 43 < 1.6
    assert s["1990"].max() - s["1990"].min() > 4


def test_seattle_weather_is_daily_complete_in_a_fixed_column_order():
    w = load_seattle_weather()
    assert list(w.columns) == ["temp_max", "temp_min", "precipitation", "wind"]
    assert len(w) == 1461 and not w.isna().any().any()
    assert (w.index == pd.date_range("2012-01-01", "2015-12-31", freq="D")).all()
    assert (w["temp_max"] >= w["temp_min"]).all() and (w["precipitation"] >= 0).all()


def test_forecast_tasks_have_the_documented_splits():
    co2 = forecast_task("co2")
    assert (co2.n_train, co2.m, co2.horizon) == (346, 12, 12)
    assert co2.dates[co2.val.start] == pd.Timestamp("1987-01-01")
    assert co2.dates[co2.test.start] == pd.Timestamp("1992-01-01")
    origins = co2.origins("test")
    assert origins[0] == 406 and origins[-1] == 526 - 12 and len(origins) == 109
    y_train, exog = co2.fit_data()
    assert len(y_train) == 346 and exog is None
    sea = forecast_task("seattle")
    assert (sea.n_train, sea.m, sea.horizon) == (915, 1, 1)
    assert sea.exog.shape == (1461, 3) and sea.exog_names == ("temp_min", "precipitation", "wind")
    assert sea.dates[sea.test.start] == pd.Timestamp("2015-01-01")
    assert len(sea.origins("test")) == 365
    y_train, exog = sea.fit_data()
    assert len(y_train) == len(exog) == 915
    with pytest.raises(ValueError, match="unknown task"):
        forecast_task("jena")
    with pytest.raises(ValueError, match="part"):
        co2.origins("train")
    assert "co2" in repr(co2)


def test_forecast_task_refuses_mismatched_exog():
    with pytest.raises(ValueError, match="rows"):
        ForecastTask("x", np.arange(50.0), None, m=1, horizon=1, n_val=5, n_test=5,
                     exog=np.zeros((49, 2)))


# --- chronological split and rolling origins ----------------------------------------------


def test_chronological_split_keeps_time_order_and_sizes():
    train, val, test = chronological_split(100, 20, 10)
    assert (train, val, test) == (slice(0, 70), slice(70, 90), slice(90, 100))
    train, val, test = chronological_split(10, 0, 3)
    assert val.start == val.stop == 7
    with pytest.raises(ValueError, match="no training data"):
        chronological_split(10, 5, 5)
    with pytest.raises(TypeError):
        chronological_split(10.0, 2, 2)
    with pytest.raises(ValueError):
        chronological_split(10, 2, 0)


def test_rolling_origins_keep_every_target_inside_the_period():
    origins = rolling_origins(90, 100, 3)
    np.testing.assert_array_equal(origins, np.arange(90, 98))
    for o in origins:
        assert 90 <= o and o + 3 <= 100  # targets y[o], y[o+1], y[o+2] all in [90, 100)
    np.testing.assert_array_equal(rolling_origins(90, 100, 3, step=4), [90, 94])
    np.testing.assert_array_equal(rolling_origins(90, 100, 10), [90])
    with pytest.raises(ValueError, match="shorter than the horizon"):
        rolling_origins(90, 100, 11)


# --- windows -------------------------------------------------------------------------------


def _aligned(series, X, Y, origins, window, horizon):
    """What make_windows promises, checked row by row."""
    for k, o in enumerate(origins):
        if not (np.array_equal(X[k], series[o - window:o])
                and np.array_equal(Y[k], series[o:o + horizon])):
            return False
    return True


def _windows_with_the_classic_bug(series, window, horizon):
    """The classic off-by-one: the target starts at the last input, so "predict the last
    input" scores a perfect first step. (Its cousins in the trackers are a naive baseline
    built from the wrong values, ageron/handson-ml2#421, and a forecast that lags the truth
    by one step, keras#2856; chapter 12 shows both.)"""
    origins = np.arange(window, len(series) - horizon + 1)
    X = np.stack([series[o - window:o] for o in origins])
    Y = np.stack([series[o - 1:o - 1 + horizon] for o in origins])
    return X, Y, origins


@pytest.mark.parametrize("window,horizon", [(1, 1), (3, 1), (5, 4), (12, 12)])
def test_target_starts_one_step_after_the_last_input(window, horizon):
    series = np.arange(40.0)  # the value is the time step, so misalignment shows as a number
    X, Y = make_windows(series, window, horizon)
    origins = np.arange(window, 40 - horizon + 1)
    assert X.shape == (len(origins), window) and Y.shape == (len(origins), horizon)
    np.testing.assert_array_equal(Y[:, 0], X[:, -1] + 1)  # never the last input itself
    assert _aligned(series, X, Y, origins, window, horizon)
    # the last window is kept: its target ends at the series' last value
    assert Y[-1, -1] == 39 and X[0, 0] == 0
    # no target value ever appears in its own input window
    assert not any(set(X[k]) & set(Y[k]) for k in range(len(X)))


def test_the_alignment_check_catches_the_classic_bug():
    series = np.arange(40.0)
    X, Y, origins = _windows_with_the_classic_bug(series, 5, 3)
    assert not _aligned(series, X, Y, origins, 5, 3)
    # with that bug, copying the last input looks perfect at the first step
    assert np.array_equal(Y[:, 0], X[:, -1])


def test_windows_of_several_variables_take_the_target_column():
    rng = np.random.default_rng(0)
    series = rng.normal(size=(30, 3))
    X, Y = make_windows(series, 4, 2, target=1)
    assert X.shape == (25, 4, 3) and Y.shape == (25, 2)
    np.testing.assert_array_equal(X[0], series[0:4])
    np.testing.assert_array_equal(Y[0], series[4:6, 1])
    X, Y = make_windows(series, 4, 2, origins=np.array([10, 26]))
    np.testing.assert_array_equal(Y[1], series[26:28, 0])


def test_windows_refuse_bad_input():
    with pytest.raises(ValueError, match="NaN"):
        make_windows(np.array([1.0, np.nan, 3.0, 4.0]), 2, 1)
    with pytest.raises(ValueError, match="no room"):
        make_windows(np.arange(5.0), 4, 2)
    with pytest.raises(ValueError, match="origin"):
        make_windows(np.arange(20.0), 4, 2, origins=np.array([3]))
    with pytest.raises(ValueError, match="origin"):
        make_windows(np.arange(20.0), 4, 2, origins=np.array([19]))
    with pytest.raises(TypeError):
        make_windows(np.arange(20.0), 4, 2, origins=np.array([5.0]))
    with pytest.raises(TypeError):
        make_windows(np.array(["a", "b", "c"]), 1, 1)
    with pytest.raises(ValueError, match="dimension"):
        make_windows(np.zeros((4, 4, 4)), 1, 1)
    with pytest.raises(ValueError):
        make_windows(np.arange(20.0), 0, 1)


# --- the scaler ------------------------------------------------------------------------------


def test_scaler_uses_the_training_part_only():
    rng = np.random.default_rng(1)
    y = np.cumsum(rng.normal(size=200)) + np.linspace(0, 50, 200)  # a trend: the future is higher
    train, _, test = chronological_split(200, 0, 50)
    scaler = Scaler().fit(y[train])
    assert scaler.mean_ == pytest.approx(y[train].mean()) and scaler.std_ == pytest.approx(
        y[train].std())
    # a scaler fitted on everything would know the future's level: that is the leak
    leaky = Scaler().fit(y)
    assert abs(leaky.mean_ - scaler.mean_) > 1
    # changing the test period does not change what the fitted scaler does
    z_before = scaler.transform(y[test])
    y2 = y.copy()
    y2[test] += 100
    assert Scaler().fit(y2[train]).mean_ == scaler.mean_
    np.testing.assert_allclose(scaler.transform(y2[test]) - z_before, 100 / scaler.std_)
    np.testing.assert_allclose(scaler.inverse_transform(scaler.transform(y)), y, atol=1e-12)


def test_scaler_standardises_each_column_and_refuses_bad_input():
    rng = np.random.default_rng(2)
    x = rng.normal(loc=[1.0, -5.0], scale=[2.0, 0.1], size=(500, 2))
    z = Scaler().fit(x).transform(x)
    np.testing.assert_allclose(z.mean(0), 0, atol=1e-12)
    np.testing.assert_allclose(z.std(0), 1, atol=1e-12)
    with pytest.raises(RuntimeError, match="fit"):
        Scaler().transform(x)
    with pytest.raises(ValueError, match="constant"):
        Scaler().fit(np.ones((10, 2)))
    with pytest.raises(ValueError, match="NaN"):
        Scaler().fit(np.array([1.0, np.nan, 2.0]))
    with pytest.raises(ValueError, match="shape"):
        Scaler().fit(x).transform(np.zeros((3, 3)))
    with pytest.raises(ValueError, match="2 rows"):
        Scaler().fit(np.array([1.0]))
