"""Tests for lstm_lib.baselines (chapter 12): the forecasters, MAE and MASE, and the
rolling-origin evaluation.

The most important test is the one against leaks: every forecaster is given the whole
series, and row k of its forecast must not move when every value from origins[k] on is
changed. A second family pins each forecast to its definition (the naive baseline of
ageron/handson-ml2#421 was built from the wrong values and made an RNN look ten times
better than it was).
"""

from __future__ import annotations

import copy

import numpy as np
import pytest
import torch

from lstm_lib import baselines as bl
from lstm_lib import lstm
from lstm_lib.data import ForecastTask, forecast_task


def _seasonal_series(n=160, m=12, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    return 10 + 0.05 * t + 2 * np.sin(2 * np.pi * t / m) + 0.3 * rng.normal(size=n)


def _small_rnn(cell="lstm", **kw):
    options = dict(window=8, horizon=3, hidden_size=4, steps=6, batch_size=16, seed=0)
    options.update(kw)
    return bl.RNNForecaster(cell, **options)


def _forecasters(horizon=3):
    return {
        "naive": bl.Naive(),
        "seasonal naive": bl.SeasonalNaive(12),
        "linear AR": bl.LinearAR(8, horizon),
        "linear AR (levels)": bl.LinearAR(8, horizon, relative=False),
        "SARIMA": bl.SARIMA((1, 0, 0), (0, 1, 1, 12)),
        "LSTM": _small_rnn(horizon=horizon),
        "GRU": _small_rnn("gru", horizon=horizon),
    }


@pytest.fixture(scope="module")
def fitted():
    y = _seasonal_series()
    return y, {name: model.fit(y[:100]) for name, model in _forecasters().items()}


# --- no leaks -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(_forecasters()))
def test_a_forecast_uses_nothing_from_its_origin_on(fitted, name):
    y, models = fitted
    model = models[name]
    origins = np.array([100, 113, 130, 157])
    before = model.forecast(y, origins, 3)
    assert before.shape == (4, 3) and np.isfinite(before).all()
    rng = np.random.default_rng(5)
    for k, o in enumerate(origins):
        changed = y.copy()
        changed[o:] += rng.normal(scale=50.0, size=len(y) - o)  # the future, scrambled
        after = model.forecast(changed, origins, 3)
        np.testing.assert_allclose(after[k], before[k], rtol=0, atol=1e-9,
                                   err_msg=f"{name}: origin {o} saw the future")
        # ... and the test is not vacuous: the last known value does matter
        if name not in ("seasonal naive",):
            moved = y.copy()
            moved[o - 1] += 5.0
            assert not np.allclose(model.forecast(moved, origins, 3)[k], before[k])


def test_fitting_sees_only_what_it_is_given(fitted):
    y, models = fitted
    assert models["linear AR"].windows.y_scaler.mean_ == pytest.approx(y[:100].mean())
    assert models["LSTM"].windows.y_scaler.std_ == pytest.approx(y[:100].std())


# --- each forecast against its definition ------------------------------------------------


def test_naive_is_the_last_value_seen():
    y = np.arange(20.0) ** 2
    f = bl.Naive().fit(y[:10]).forecast(y, np.array([10, 15]), 4)
    np.testing.assert_array_equal(f, [[81.0] * 4, [196.0] * 4])


def test_seasonal_naive_repeats_the_last_cycle():
    y = np.arange(30.0)
    f = bl.SeasonalNaive(4).fit(y[:10]).forecast(y, np.array([10, 20]), 6)
    # h = 1..4 take y[o-4..o-1]; h = 5, 6 start the cycle again
    np.testing.assert_array_equal(f, [[6, 7, 8, 9, 6, 7], [16, 17, 18, 19, 16, 17]])
    g = bl.SeasonalNaive(1).fit(y[:10]).forecast(y, np.array([10, 20]), 3)
    np.testing.assert_array_equal(g, bl.Naive().fit(y[:10]).forecast(y, np.array([10, 20]), 3))
    with pytest.raises(ValueError, match="history"):
        bl.SeasonalNaive(4).fit(y[:10]).forecast(y, np.array([3]), 2)
    with pytest.raises(ValueError, match="season"):
        bl.SeasonalNaive(12).fit(y[:10])


def test_linear_ar_recovers_an_exact_autoregression():
    # y_t = 1.2 y_{t-1} - 0.5 y_{t-2} + 3, noise-free: the fit must be exact
    y = np.zeros(120)
    y[:2] = [5.0, -2.0]
    for t in range(2, 120):
        y[t] = 1.2 * y[t - 1] - 0.5 * y[t - 2] + 3.0
    y += np.random.default_rng(0).normal(scale=1e-9, size=120) * 0  # keep it exact
    model = bl.LinearAR(2, 1, relative=False).fit(y[:80])
    f = model.forecast(y, np.arange(80, 120), 1)
    np.testing.assert_allclose(f[:, 0], y[80:120], atol=1e-8)
    # several steps ahead (direct): also exact, each horizon has its own weights
    f3 = bl.LinearAR(2, 3, relative=False).fit(y[:80]).forecast(y, np.array([90]), 3)
    np.testing.assert_allclose(f3[0], y[90:93], atol=1e-8)


def test_sarima_forecast_is_statsmodels_forecast_from_each_origin():
    y = _seasonal_series()
    model = bl.SARIMA((1, 0, 0), (0, 1, 1, 12)).fit(y[:100])
    assert set(model.params_) == {"ar.L1", "ma.S.L12", "sigma2"}
    origins = np.array([100, 121, 150])
    f = model.forecast(y, origins, 5)
    for k, o in enumerate(origins):
        expected = model.result_.apply(y[:o]).forecast(5)
        np.testing.assert_allclose(f[k], expected, rtol=1e-10, atol=1e-10)
    # an origin at the very end of the series (nothing left to compare with) still works
    end = model.forecast(y, np.array([len(y)]), 2)
    np.testing.assert_allclose(end[0], model.result_.apply(y).forecast(2), atol=1e-10)


def test_sarima_on_co2_fits_without_warnings():
    task = forecast_task("co2")
    model = bl.SARIMA().fit(*task.fit_data())
    assert model.warnings_ == []
    assert -1 < model.params_["ma.S.L12"] < 0


def test_rnn_forecaster_matches_the_numpy_lstm():
    """The forecast is the chapter's equations: NumPy LSTM, linear read-out, undo the
    scaling (float32 network against float64 NumPy)."""
    y = _seasonal_series()
    model = _small_rnn(window=8, horizon=3, steps=10).fit(y[:100])
    origins = np.array([100, 120, 140])
    got = model.forecast(y, origins, 3)
    X, last = model.windows.inputs(y, None, origins)  # (N, window, 1)
    params = lstm.from_torch(copy.deepcopy(model.net_.rnn).double())  # float64 NumPy
    h, _, _ = lstm.forward(X.transpose(1, 0, 2), params)
    W = model.net_.head.weight.detach().double().numpy()
    b = model.net_.head.bias.detach().double().numpy()
    out = h[-1] @ W.T + b  # (N, horizon), scaled and relative to the last value
    z = out + last[:, None]
    expected = z * model.windows.y_scaler.std_ + model.windows.y_scaler.mean_
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)


def test_rnn_forecaster_that_outputs_zero_is_the_naive_forecast():
    y = _seasonal_series()
    model = _small_rnn().fit(y[:100])
    with torch.no_grad():
        model.net_.head.weight.zero_()
        model.net_.head.bias.zero_()
    origins = np.array([100, 130])
    np.testing.assert_allclose(model.forecast(y, origins, 3),
                               bl.Naive().fit(y[:100]).forecast(y, origins, 3), atol=1e-12)


@pytest.mark.parametrize("cell", ["lstm", "gru", "rnn"])
def test_rnn_forecaster_is_repeatable_and_takes_the_cell_type(cell):
    y = _seasonal_series()
    a = _small_rnn(cell).fit(y[:100])
    b = _small_rnn(cell).fit(y[:100])
    c = _small_rnn(cell, seed=1).fit(y[:100])
    origins = np.array([100, 140])
    np.testing.assert_array_equal(a.forecast(y, origins), b.forecast(y, origins))
    assert not np.allclose(a.forecast(y, origins), c.forecast(y, origins))
    assert type(a.net_.rnn).__name__ == cell.upper()
    assert len(a.history_) == 6 and all(np.isfinite(a.history_))


def test_a_checkpoint_is_the_same_model_trained_for_fewer_steps():
    y = _seasonal_series()
    long = _small_rnn(steps=12, checkpoints=[4, 8]).fit(y[:100])
    short = _small_rnn(steps=4).fit(y[:100])
    origins = np.array([100, 140])
    np.testing.assert_array_equal(long.forecast(y, origins, step=4), short.forecast(y, origins))
    assert not np.allclose(long.forecast(y, origins, step=8), long.forecast(y, origins))
    np.testing.assert_array_equal(long.forecast(y, origins, step=12), long.forecast(y, origins))
    with pytest.raises(ValueError, match="no weights"):
        long.forecast(y, origins, step=5)
    with pytest.raises(ValueError, match="after the last step"):
        _small_rnn(steps=4, checkpoints=[5])


def test_restore_and_early_stop_pick_the_best_kept_weights():
    y = _seasonal_series(n=200)
    task = ForecastTask("toy", y, None, m=12, horizon=3, n_val=30, n_test=40)
    model = _small_rnn(steps=12, checkpoints=[4, 8]).fit(*task.fit_data())
    origins = task.origins("test")
    last = model.forecast(y, origins)
    assert model.step_ == 12 and sorted(model.saved_) == [4, 8, 12]
    # restore(k) makes the kept copy the model's own: forecast() == forecast(step=k)
    at_4 = model.forecast(y, origins, step=4)
    np.testing.assert_array_equal(model.restore(4).forecast(y, origins), at_4)
    assert model.step_ == 4
    np.testing.assert_array_equal(model.forecast(y, origins, step=12), last)
    np.testing.assert_array_equal(model.restore(12).forecast(y, origins), last)
    # early stopping scores every kept copy on the validation part and keeps the best
    best = bl.early_stop(model, task)
    val = {s: bl.evaluate(model, task, "val", step=s).mase.mean() for s in (4, 8, 12)}
    assert best == min(val, key=val.get) == model.step_
    assert model.curve_ == pytest.approx(val)
    np.testing.assert_array_equal(model.forecast(y, origins),
                                  model.forecast(y, origins, step=best))
    with pytest.raises(ValueError, match="test"):
        bl.early_stop(model, task, part="test")
    with pytest.raises(ValueError, match="no weights"):
        model.restore(5)


def test_lag_weights_are_the_linear_weights_and_the_networks_gradient():
    y = _seasonal_series()
    origins = np.array([100, 120, 140])
    ar = bl.LinearAR(8, 3).fit(y[:100])
    w = ar.lag_weights(y, origins, k=2)
    assert w.shape == (3, 8, 1)
    np.testing.assert_array_equal(w[0, :, 0], ar.coef_[:8, 1])
    np.testing.assert_array_equal(w[0], w[2])  # the same at every origin
    # the network's: a finite difference of its scaled output, per input
    rnn = _small_rnn(steps=10).fit(y[:100])
    g = rnn.lag_weights(y, origins, k=1)
    assert g.shape == (3, 8, 1)
    X, last = rnn.windows.inputs(y, None, origins)
    net = copy.deepcopy(rnn.net_).double()

    def out(x):
        with torch.no_grad():
            return net(torch.from_numpy(x.transpose(1, 0, 2).copy()))[:, 0].numpy()

    eps = 1e-6
    for j in (0, 3, 7):
        bumped = X.copy()
        bumped[:, j, 0] += eps
        np.testing.assert_allclose(g[:, j, 0], (out(bumped) - out(X)) / eps,
                                   rtol=1e-3, atol=1e-5)
    with pytest.raises(ValueError, match="beyond"):
        rnn.lag_weights(y, origins, k=4)


def test_ridge_shrinks_the_linear_weights_but_not_the_intercept():
    y = _seasonal_series()
    plain = bl.LinearAR(12, 2).fit(y[:120])
    light = bl.LinearAR(12, 2, ridge=1e-10).fit(y[:120])
    heavy = bl.LinearAR(12, 2, ridge=1e4).fit(y[:120])
    origins = np.array([120, 140])
    np.testing.assert_allclose(light.forecast(y, origins), plain.forecast(y, origins),
                               atol=1e-6)
    assert np.abs(heavy.coef_[:-1]).sum() < 0.05 * np.abs(plain.coef_[:-1]).sum()
    # by hand: (A'A + lambda D) w = A'Y, the intercept (last row) not penalised
    X, last = heavy.windows.inputs(y[:120], None, heavy.windows.training_origins(120))
    Y = heavy.windows.targets(y[:120], heavy.windows.training_origins(120), last)
    A = np.concatenate([X.reshape(len(X), -1), np.ones((len(X), 1))], axis=1)
    D = np.eye(A.shape[1])
    D[-1, -1] = 0
    np.testing.assert_allclose(heavy.coef_, np.linalg.solve(A.T @ A + 1e4 * D, A.T @ Y))
    with pytest.raises(ValueError, match="ridge"):
        bl.LinearAR(12, 2, ridge=-1.0)


def test_block_bootstrap_covers_the_mean_and_widens_for_correlated_values():
    rng = np.random.default_rng(0)
    independent = rng.normal(size=200)
    mean, low, high = bl.block_bootstrap(independent, block=1, reps=4000)
    assert mean == pytest.approx(independent.mean())
    # single values: about the textbook interval mean ± 1.96 s / sqrt(n)
    half = 1.96 * independent.std() / np.sqrt(200)
    assert (high - low) / 2 == pytest.approx(half, rel=0.1)
    # a slowly wandering series: blocks give a wider, more honest interval
    wandering = np.convolve(rng.normal(size=230), np.ones(30) / 30, mode="valid")
    single = bl.block_bootstrap(wandering, block=1)
    blocks = bl.block_bootstrap(wandering, block=20)
    assert blocks[2] - blocks[1] > 2 * (single[2] - single[1])
    assert bl.block_bootstrap(wandering, 20, seed=3) == bl.block_bootstrap(wandering, 20, seed=3)
    with pytest.raises(ValueError, match="block"):
        bl.block_bootstrap(np.zeros(5), block=6)
    with pytest.raises(ValueError, match="level"):
        bl.block_bootstrap(np.zeros(5), block=2, level=1.5)


def test_multivariate_forecasters_read_the_exogenous_columns():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(200, 2))
    y = np.zeros(200)
    y[1:] = 2.0 * x[:-1, 0]  # tomorrow's y is today's first exogenous value, doubled
    ar_x = bl.LinearAR(3, 1).fit(y[:150], x[:150])
    ar_y = bl.LinearAR(3, 1, use_exog=False).fit(y[:150], x[:150])
    origins = np.arange(150, 200)
    err_x = bl.mae(y[150:200], ar_x.forecast(y, origins, 1, exog=x)[:, 0])
    err_y = bl.mae(y[150:200], ar_y.forecast(y, origins, 1, exog=x)[:, 0])
    assert err_x < 1e-8 < 1.0 < err_y
    rnn = _small_rnn(window=3, horizon=1).fit(y[:150], x[:150])
    assert rnn.net_.rnn.input_size == 3  # the target and two exogenous columns
    with pytest.raises(ValueError, match="exog"):
        rnn.forecast(y, origins, 1)
    with pytest.raises(ValueError, match="columns"):
        ar_x.forecast(y, origins, 1, exog=x[:, :1])


def test_forecasters_refuse_bad_calls():
    y = _seasonal_series()
    with pytest.raises(RuntimeError, match="fit"):
        bl.Naive().forecast(y, np.array([50]), 2)
    model = bl.LinearAR(8, 3).fit(y[:100])
    with pytest.raises(ValueError, match="horizon"):
        model.forecast(y, np.array([100]), 4)
    with pytest.raises(ValueError, match="history"):
        model.forecast(y, np.array([5]), 3)
    with pytest.raises(ValueError, match="beyond"):
        model.forecast(y, np.array([len(y) + 1]), 3)
    with pytest.raises(TypeError):
        model.forecast(y, np.array([100.0]), 3)
    bad = y.copy()
    bad[50] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        model.forecast(bad, np.array([100]), 3)
    with pytest.raises(ValueError, match="cell"):
        bl.RNNForecaster("transformer")
    with pytest.raises(ValueError, match="window"):
        bl.LinearAR(80, 30).fit(y[:100])


# --- scores ---------------------------------------------------------------------------------


def test_mae_and_mase_by_hand():
    y_train = np.array([1.0, 3.0, 2.0, 5.0, 4.0])  # |differences|: 2, 1, 3, 1 -> mean 1.75
    assert bl.mase_scale(y_train) == pytest.approx(1.75)
    assert bl.mase_scale(y_train, m=2) == pytest.approx((1 + 2 + 2) / 3)
    y_true, y_pred = np.array([6.0, 7.0]), np.array([5.0, 9.0])
    assert bl.mae(y_true, y_pred) == pytest.approx(1.5)
    assert bl.mase(y_true, y_pred, y_train) == pytest.approx(1.5 / 1.75)
    assert bl.mase(y_true, y_pred, y_train, m=2) == pytest.approx(1.5 / (5 / 3))
    table_t = np.array([[1.0, 2.0], [3.0, 4.0]])
    table_p = np.array([[1.0, 0.0], [2.0, 4.0]])
    np.testing.assert_allclose(bl.mae(table_t, table_p, axis=0), [0.5, 1.0])


def test_seasonal_naive_scores_exactly_one_in_sample():
    """MASE's scale is the in-sample seasonal-naive error, so that forecast, made one step
    ahead over the training part, has MASE 1 by construction."""
    y = _seasonal_series()
    y_train = y[:100]
    origins = np.arange(12, 100)
    f = bl.SeasonalNaive(12).fit(y_train).forecast(y_train, origins, 1)[:, 0]
    assert bl.mase(y_train[12:], f, y_train, m=12) == pytest.approx(1.0, abs=1e-12)


def test_scores_refuse_bad_input():
    with pytest.raises(ValueError, match="shape"):
        bl.mae(np.zeros(3), np.zeros(4))
    with pytest.raises(ValueError, match="NaN"):
        bl.mae(np.array([1.0, np.nan]), np.zeros(2))
    with pytest.raises(ValueError, match="more than"):
        bl.mase_scale(np.arange(12.0), m=12)
    with pytest.raises(ValueError, match="undefined"):
        bl.mase_scale(np.tile([1.0, 2.0, 3.0], 5), m=3)


def test_evaluate_scores_every_rolling_origin():
    y = _seasonal_series(n=200)
    task = ForecastTask("toy", y, None, m=12, horizon=4, n_val=20, n_test=40)
    naive = bl.Naive().fit(*task.fit_data())
    scores = bl.evaluate(naive, task)
    origins = task.origins("test")
    assert scores.forecasts.shape == scores.truth.shape == (len(origins), 4)
    np.testing.assert_array_equal(scores.truth[:, 0], y[origins])
    # the naive error one step ahead is the mean absolute change over the test targets
    assert scores.mae[0] == pytest.approx(np.mean(np.abs(y[origins] - y[origins - 1])))
    np.testing.assert_allclose(scores.mase, scores.mae / bl.mase_scale(y[task.train], 12))
    assert bl.evaluate(naive, task, "val").origins[0] == task.val.start


# --- chapter 12's exercises accept other correct answers -------------------------------------


def test_chapter_12_exercises_accept_other_correct_answers():
    from numpy.lib.stride_tricks import sliding_window_view

    from lstm_lib.exercises import check

    def windows_by_view(series, window, horizon):
        v = sliding_window_view(series, window + horizon)
        return v[:, :window].copy(), v[:, window:].copy()

    def windows_by_index(series, window, horizon):
        rows = np.arange(len(series) - window - horizon + 1)[:, None]
        return series[rows + np.arange(window)], series[rows + window + np.arange(horizon)]

    def snaive_by_resize(history, m, horizon):
        return np.resize(history[-m:], horizon)

    def snaive_by_tile(history, m, horizon):
        return np.tile(history[-m:], horizon // m + 1)[:horizon]

    def mase_in_float32(y_true, y_pred, y_train, m):
        y_true, y_pred, y_train = (np.asarray(a, np.float32) for a in (y_true, y_pred, y_train))
        return np.abs(y_true - y_pred).mean() / np.abs(y_train[m:] - y_train[:-m]).mean()

    def mase_in_plain_python(y_true, y_pred, y_train, m):
        diffs = [abs(a - b) for a, b in zip(y_train[m:], y_train[:-m], strict=True)]
        errors = [abs(a - b) for a, b in zip(y_true, y_pred, strict=True)]
        return (sum(errors) / len(errors)) / (sum(diffs) / len(diffs))

    def windows_in_float32(series, window, horizon):
        X, Y = windows_by_view(np.asarray(series, np.float32), window, horizon)
        return X, Y

    def snaive_in_float32(history, m, horizon):
        return np.resize(np.asarray(history[-m:], np.float32), horizon)

    for name, fn in (("12.make_windows", windows_by_view), ("12.make_windows", windows_by_index),
                     ("12.make_windows", windows_in_float32),
                     ("12.seasonal_naive", snaive_in_float32),
                     ("12.seasonal_naive", snaive_by_resize),
                     ("12.seasonal_naive", snaive_by_tile), ("12.mase", mase_in_float32),
                     ("12.mase", mase_in_plain_python)):
        for lang in ("ko", "en"):
            assert check(name, fn, lang=lang, verbose=False), f"{name}: {fn.__name__} failed"
