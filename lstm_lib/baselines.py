"""Forecasters and the scores that compare them (chapter 12; chapter 14 reuses them).

Every forecaster here has the same two methods::

    model.fit(y_train, exog_train=None)              # learns from the training part only
    model.forecast(y, origins, horizon, exog=None)   # -> array (len(origins), horizon)

Row ``k`` of a forecast is made at origin ``o = origins[k]``: it may use ``y[:o]`` (and
``exog[:o]``) and nothing after, and it predicts ``y[o], ..., y[o + horizon - 1]``
(:mod:`lstm_lib.data` explains the convention). ``tests/test_baselines.py`` changes every
value from each origin on and checks that the row does not move.

The baselines, each a few lines:

- :class:`Naive`: tomorrow is today, ``ŷ[o + h - 1] = y[o - 1]`` for ``h = 1, 2, ...``.
- :class:`SeasonalNaive`: the same season of the last cycle, ``m`` steps back.
- :class:`LinearAR`: least squares on the same input windows as the recurrent forecaster,
  one weight vector per horizon step (a *direct* linear autoregression); ``ridge=`` adds
  a penalty on the weights.
- :class:`SARIMA`: statsmodels' ``SARIMAX`` (not written by hand), fitted once on the
  training part; at each origin the fitted model is run through ``y[:o]`` and forecasts.

and the model they are measured against:

- :class:`RNNForecaster`: an LSTM (or GRU, or plain RNN: ``cell=``) that reads a window
  and predicts the whole horizon at once from its last hidden state, trained with Adam on
  random batches of training windows. It keeps copies of its weights along the way, and
  :func:`early_stop` picks the copy with the lowest validation error.

Scores: :func:`mae`, :func:`mase` (Hyndman & Koehler 2006: the error divided by the
in-sample error of the seasonal-naive forecast), and :func:`evaluate`, which runs a
fitted forecaster on every rolling origin of a task's validation or test period;
:func:`block_bootstrap`, an interval for a mean over overlapping, correlated origins.
"""

from __future__ import annotations

import contextlib
import warnings
from dataclasses import dataclass

import numpy as np

from .data import ForecastTask, Scaler, _as_series_array, _check_count

__all__ = ["Naive", "SeasonalNaive", "LinearAR", "SARIMA", "RNNForecaster", "mae",
           "mase", "mase_scale", "evaluate", "Scores", "truth", "early_stop",
           "block_bootstrap"]


# ----------------------------------------------------------------------------------------
# Checking what a forecaster is given
# ----------------------------------------------------------------------------------------


def _origins(origins, y: np.ndarray, horizon: int, min_origin: int) -> np.ndarray:
    o = np.asarray(origins)
    if o.ndim != 1 or o.dtype.kind not in "iu":
        raise TypeError(f"origins must be a 1-D array of integers, got {o.dtype} "
                        f"with shape {o.shape}")
    if o.size == 0:
        raise ValueError("origins is empty")
    if o.min() < min_origin:
        raise ValueError(f"origin {int(o.min())} leaves too little history; this "
                         f"forecaster needs at least {min_origin} values before an origin")
    if o.max() > len(y):
        raise ValueError(f"origin {int(o.max())} lies beyond the series ({len(y)} values)")
    return o.astype(np.int64)


def _inputs(y, exog, horizon):
    y = _as_series_array(y, "y")
    horizon = _check_count("horizon", horizon, 1)
    if exog is not None:
        exog = _as_series_array(exog, "exog", ndim=(2,))
        if len(exog) != len(y):
            raise ValueError(f"exog has {len(exog)} rows but y has {len(y)}")
    return y, exog, horizon


class _Fitted:
    """What every forecaster shares: ``fit`` must come before ``forecast``."""

    def _require_fit(self) -> None:
        if not getattr(self, "fitted_", False):
            raise RuntimeError(f"call {type(self).__name__}.fit(y_train) before forecast")

    def _forecast_inputs(self, y, origins, horizon, exog, min_origin):
        """The checks every ``forecast`` starts with: fitted, valid series, origins that
        leave ``min_origin`` values of history. Returns ``(y, exog, horizon, origins)``."""
        self._require_fit()
        y, exog, horizon = _inputs(y, exog, horizon)
        return y, exog, horizon, _origins(origins, y, horizon, min_origin)


# ----------------------------------------------------------------------------------------
# Naive and seasonal-naive
# ----------------------------------------------------------------------------------------


class Naive(_Fitted):
    """Every future value equals the last one seen: ``ŷ[o + h - 1] = y[o - 1]`` (chapter 12).

    Univariate: ``exog`` is accepted, so that every forecaster is called the same way,
    and not used.
    """

    def fit(self, y_train, exog_train=None) -> Naive:
        _as_series_array(y_train, "y_train")
        self.fitted_ = True
        return self

    def forecast(self, y, origins, horizon, exog=None) -> np.ndarray:
        y, exog, horizon, o = self._forecast_inputs(y, origins, horizon, exog, 1)
        return np.repeat(y[o - 1][:, None], horizon, axis=1)


class SeasonalNaive(_Fitted):
    """The value of the same season one cycle earlier (chapter 12).

    With season length ``m``, the forecast of step ``h = 1, 2, ...`` after the origin
    ``o`` is ``y[o + h - 1 - m * ceil(h / m)]``: for ``h <= m`` that is ``y[o + h - 1 - m]``,
    the last observed value of that season; beyond ``m`` the last cycle repeats.
    Univariate (``exog`` is accepted and not used).
    """

    def __init__(self, m: int):
        self.m = _check_count("m", m, 1)

    def fit(self, y_train, exog_train=None) -> SeasonalNaive:
        y_train = _as_series_array(y_train, "y_train")
        if len(y_train) < self.m:
            raise ValueError(f"y_train has {len(y_train)} values, fewer than one season "
                             f"m = {self.m}")
        self.fitted_ = True
        return self

    def forecast(self, y, origins, horizon, exog=None) -> np.ndarray:
        y, exog, horizon, o = self._forecast_inputs(y, origins, horizon, exog, self.m)
        h = np.arange(1, horizon + 1)
        back = self.m * np.ceil(h / self.m).astype(np.int64)  # m, ..., m, 2m, ..., 2m, ...
        return y[o[:, None] + h[None, :] - 1 - back[None, :]]


# ----------------------------------------------------------------------------------------
# What the linear and the recurrent forecaster read: scaled windows
# ----------------------------------------------------------------------------------------


class _Windows:
    """Scaled input windows and targets, shared by :class:`LinearAR` and
    :class:`RNNForecaster` so that the two read exactly the same numbers.

    The target series and each exogenous column are standardised with a
    :class:`~lstm_lib.data.Scaler` fitted on the training part only. With
    ``relative=True`` the target's window and its future are both taken relative to the
    last value seen, ``z[o - 1]``: the model predicts the change from now, so that a model
    that outputs 0 is the naive forecast, and a level never seen in training (a trend that
    keeps rising) reaches the model only as a change.
    """

    def __init__(self, window: int, horizon: int, relative: bool, use_exog: bool):
        self.window = _check_count("window", window, 1)
        self.horizon = _check_count("horizon", horizon, 1)
        self.relative, self.use_exog = bool(relative), bool(use_exog)

    def fit(self, y_train: np.ndarray, exog_train: np.ndarray | None) -> None:
        if len(y_train) < self.window + self.horizon:
            raise ValueError(f"y_train has {len(y_train)} values; window {self.window} and "
                             f"horizon {self.horizon} need at least "
                             f"{self.window + self.horizon}")
        self.y_scaler = Scaler().fit(y_train)
        self.n_exog = 0
        if self.use_exog and exog_train is not None:
            self.x_scaler = Scaler().fit(exog_train)
            self.n_exog = exog_train.shape[1]

    def inputs(self, y, exog, origins) -> tuple[np.ndarray, np.ndarray]:
        """``X`` (N, window, 1 + k) and the last scaled value ``z[o - 1]`` (N,)."""
        if self.n_exog and exog is None:
            raise ValueError(f"this model was fitted with {self.n_exog} exogenous "
                             "columns; pass exog")
        z = self.y_scaler.transform(y)
        rows = origins[:, None] + np.arange(-self.window, 0)[None, :]  # (N, window)
        last = z[origins - 1]
        zw = z[rows] - last[:, None] if self.relative else z[rows]
        parts = [zw[..., None]]
        if self.n_exog:
            if exog.shape[1] != self.n_exog:
                raise ValueError(f"exog has {exog.shape[1]} columns, fitted with "
                                 f"{self.n_exog}")
            parts.append(self.x_scaler.transform(exog)[rows])
        return np.concatenate(parts, axis=-1), last

    def targets(self, y, origins, last) -> np.ndarray:
        """What the model is trained to output: (N, horizon), scaled (and relative)."""
        z = self.y_scaler.transform(y)
        future = z[origins[:, None] + np.arange(self.horizon)[None, :]]
        return future - last[:, None] if self.relative else future

    def to_values(self, out: np.ndarray, last: np.ndarray) -> np.ndarray:
        """The model's output (N, horizon) back in the series' units."""
        z = out + last[:, None] if self.relative else out
        return z * self.y_scaler.std_ + self.y_scaler.mean_

    def training_origins(self, n: int) -> np.ndarray:
        return np.arange(self.window, n - self.horizon + 1)


# ----------------------------------------------------------------------------------------
# Linear autoregression (direct)
# ----------------------------------------------------------------------------------------


class LinearAR(_Fitted):
    """A linear map from the input window to the next ``horizon`` values (chapter 12).

    It reads exactly what :class:`RNNForecaster` reads (the same scaled, relative windows,
    with the exogenous columns when ``use_exog`` and the data has them) and fits, by least
    squares on the training windows, one weight vector and one intercept per horizon step:
    a *direct* autoregression of order ``window``. It is the control for the recurrent
    forecaster: same inputs, no nonlinearity, no recurrence.

    ``ridge = λ > 0`` minimises the squared error plus ``λ`` times the sum of the squared
    weights (not the intercepts): ridge regression, which shrinks the weights towards 0.
    """

    def __init__(self, window: int, horizon: int, relative: bool = True,
                 use_exog: bool = True, ridge: float = 0.0):
        self.windows = _Windows(window, horizon, relative, use_exog)
        self.window, self.horizon = self.windows.window, self.windows.horizon
        self.ridge = float(ridge)
        if not self.ridge >= 0:
            raise ValueError(f"ridge must be 0 or more, got {ridge}")

    def fit(self, y_train, exog_train=None) -> LinearAR:
        y_train, exog_train, _ = _inputs(y_train, exog_train, self.horizon)
        self.windows.fit(y_train, exog_train)
        origins = self.windows.training_origins(len(y_train))
        X, last = self.windows.inputs(y_train, exog_train, origins)
        Y = self.windows.targets(y_train, origins, last)
        A = np.concatenate([X.reshape(len(X), -1), np.ones((len(X), 1))], axis=1)
        if self.ridge:
            penalty = self.ridge * np.eye(A.shape[1])
            penalty[-1, -1] = 0.0  # the intercept is not shrunk
            self.coef_ = np.linalg.solve(A.T @ A + penalty, A.T @ Y)
        else:
            self.coef_, *_ = np.linalg.lstsq(A, Y, rcond=None)  # (window * (1 + k) + 1, horizon)
        self.fitted_ = True
        return self

    def forecast(self, y, origins, horizon=None, exog=None) -> np.ndarray:
        self._require_fit()
        horizon = self.horizon if horizon is None else horizon
        if horizon != self.horizon:
            raise ValueError(f"fitted for horizon {self.horizon}, asked for {horizon}")
        y, exog, _ = _inputs(y, exog, horizon)
        o = _origins(origins, y, horizon, self.window)
        X, last = self.windows.inputs(y, exog, o)
        A = np.concatenate([X.reshape(len(X), -1), np.ones((len(X), 1))], axis=1)
        return self.windows.to_values(A @ self.coef_, last)

    def lag_weights(self, y, origins, k: int = 1, exog=None) -> np.ndarray:
        """How much the scaled forecast ``k`` steps ahead moves per unit of each scaled
        input: ``(len(origins), window, D)``. For a linear map this is its weights, the
        same at every origin (compare :meth:`RNNForecaster.lag_weights`)."""
        y, exog, _, o = self._forecast_inputs(y, origins, self.horizon, exog, self.window)
        k = _check_count("k", k, 1)
        if k > self.horizon:
            raise ValueError(f"k = {k} lies beyond the horizon {self.horizon}")
        X, _ = self.windows.inputs(y, exog, o)
        w = self.coef_[:-1, k - 1].reshape(X.shape[1:])
        return np.broadcast_to(w, X.shape).copy()


# ----------------------------------------------------------------------------------------
# SARIMA through statsmodels
# ----------------------------------------------------------------------------------------


def _one_blas_thread():
    """Run statsmodels' small matrix products on one BLAS thread.

    On a 2-core machine shared with other work, a threaded BLAS spends more time waking
    threads than multiplying 14 x 14 matrices; measured here, a SARIMA fit took 0.5 s on
    one thread and up to 11 s on two.
    """
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")


class SARIMA(_Fitted):
    """Seasonal ARIMA through statsmodels' ``SARIMAX`` (chapter 12).

    ``order = (p, d, q)`` and ``seasonal_order = (P, D, Q, m)`` as in statsmodels. ``fit``
    estimates the parameters by maximum likelihood on the training part, once;
    ``forecast`` keeps them fixed, runs the Kalman filter through ``y[:o]`` for each origin
    (one pass through the series, whose filtered state at ``o - 1`` depends on ``y[:o]``
    only) and predicts ``horizon`` steps forward. Warnings from the optimiser (a fit that
    did not converge, say) are kept in ``warnings_`` rather than printed. Univariate
    (``exog`` is accepted and not used).
    """

    def __init__(self, order=(1, 1, 1), seasonal_order=(0, 1, 1, 12)):
        self.order, self.seasonal_order = tuple(order), tuple(seasonal_order)

    def fit(self, y_train, exog_train=None) -> SARIMA:
        from statsmodels.tsa.statespace.sarimax import SARIMAX

        y_train = _as_series_array(y_train, "y_train")
        with _one_blas_thread(), warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            model = SARIMAX(y_train, order=self.order, seasonal_order=self.seasonal_order)
            self.result_ = model.fit(disp=False)
        self.warnings_ = [f"{type(w.message).__name__}: {w.message}" for w in caught]
        self.params_ = dict(zip(self.result_.model.param_names, self.result_.params,
                                strict=True))
        self.fitted_ = True
        return self

    def forecast(self, y, origins, horizon, exog=None) -> np.ndarray:
        y, exog, horizon, o = self._forecast_inputs(y, origins, horizon, exog, 1)
        with _one_blas_thread(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # index-free data: nothing worth saying
            run = self.result_.apply(y[:o.max()])  # the fitted parameters, not refitted
            rows = [run.get_prediction(start=k, end=k + horizon - 1, dynamic=True)
                    .predicted_mean for k in o]
        return np.asarray(rows, dtype=np.float64)


# ----------------------------------------------------------------------------------------
# The recurrent forecaster (LSTM, GRU or RNN)
# ----------------------------------------------------------------------------------------


@contextlib.contextmanager
def _one_torch_thread():
    """Run PyTorch on one thread inside the block, then restore the setting.

    The forecaster's matrices are small (16 hidden units): a second thread costs more in
    waking and waiting than it saves, and one thread makes every run repeat exactly.
    """
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


class RNNForecaster(_Fitted):
    """A recurrent network that reads a window and forecasts ``horizon`` steps at once
    (chapters 12 and 14).

    ``cell`` is ``"lstm"``, ``"gru"`` or ``"rnn"``. The network is
    :class:`lstm_lib.models.SequenceModel`: one recurrent layer of ``hidden_size`` units
    and a linear read-out from the last hidden state to ``horizon`` outputs (a *direct*,
    multi-output forecast: no forecast is fed back in). It reads the same scaled windows
    as :class:`LinearAR` (relative to the last value by default; ``relative=False`` feeds
    scaled levels).

    Training: Adam with learning rate ``lr`` for ``steps`` steps, each on ``batch_size``
    training windows drawn at random, mean squared error on the scaled outputs (the loop
    of :func:`lstm_lib.train.train`, written out here so that it can keep copies of the
    weights). ``seed`` fixes the initial weights and the batches. ``history_`` holds the
    loss of every step; ``checkpoints`` lists steps at which a copy of the weights is
    kept (the last step's always is), so that ``forecast(..., step=k)`` shows what a
    smaller budget would have given, without training again. ``restore(k)`` makes the
    copy kept at step ``k`` the model's own weights (``step_`` says which step's weights
    ``forecast`` uses); :func:`early_stop` restores the copy that scores best on the
    validation part. Runs on the CPU in float32.
    """

    def __init__(self, cell: str = "lstm", window: int = 24, horizon: int = 12,
                 hidden_size: int = 16, steps: int = 400, batch_size: int = 64,
                 lr: float = 1e-2, seed: int = 0, relative: bool = True,
                 use_exog: bool = True, checkpoints=()):
        from .models import CELLS

        if cell not in CELLS:
            raise ValueError(f"cell must be one of {sorted(CELLS)}, got {cell!r}")
        self.cell = cell
        self.windows = _Windows(window, horizon, relative, use_exog)
        self.window, self.horizon = self.windows.window, self.windows.horizon
        self.hidden_size = _check_count("hidden_size", hidden_size, 1)
        self.steps = _check_count("steps", steps, 1)
        self.batch_size = _check_count("batch_size", batch_size, 1)
        self.seed = _check_count("seed", seed, 0)
        self.lr = float(lr)
        self.checkpoints = sorted({_check_count("checkpoint", k, 1) for k in checkpoints})
        if self.checkpoints and self.checkpoints[-1] > self.steps:
            raise ValueError(f"checkpoint {self.checkpoints[-1]} lies after the last step "
                             f"{self.steps}")

    def fit(self, y_train, exog_train=None) -> RNNForecaster:
        import torch

        y_train, exog_train, _ = _inputs(y_train, exog_train, self.horizon)
        self.windows.fit(y_train, exog_train)
        origins = self.windows.training_origins(len(y_train))
        X, last = self.windows.inputs(y_train, exog_train, origins)
        Y = self.windows.targets(y_train, origins, last)
        X = torch.from_numpy(X.transpose(1, 0, 2).astype(np.float32))  # (window, N, D)
        Y = torch.from_numpy(Y.astype(np.float32))  # (N, horizon)
        n = X.shape[1]
        with _one_torch_thread():
            self._train(X, Y, n)
        self.n_windows_ = n
        self.fitted_ = True
        return self

    def _train(self, X, Y, n: int) -> None:
        import copy

        import torch

        from .models import SequenceModel

        rng = np.random.default_rng(self.seed)  # the batches
        torch.manual_seed(self.seed)  # the initial weights
        net = SequenceModel(self.cell, X.shape[2], self.hidden_size, self.horizon)
        optimizer = torch.optim.Adam(net.parameters(), lr=self.lr)
        self.history_, self.saved_ = [], {}
        net.train()
        for step in range(1, self.steps + 1):
            rows = torch.from_numpy(rng.integers(0, n, size=self.batch_size))
            loss = torch.nn.functional.mse_loss(net(X[:, rows]), Y[rows])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            self.history_.append(loss.item())
            if step in self.checkpoints or step == self.steps:
                self.saved_[step] = copy.deepcopy(net.state_dict())
        self.net_ = net.eval()
        self.step_ = self.steps

    def restore(self, step: int) -> RNNForecaster:
        """Use the weights kept at training step ``step`` from now on (early stopping)."""
        self._require_fit()
        if step not in self.saved_:
            raise ValueError(f"no weights kept at step {step}; checkpoints: "
                             f"{self.checkpoints}")
        self.net_.load_state_dict(self.saved_[step])
        self.step_ = step
        return self

    def _net_at(self, step):
        import copy

        if step is None or step == self.step_:
            return self.net_
        if step not in self.saved_:
            raise ValueError(f"no weights kept at step {step}; checkpoints: "
                             f"{self.checkpoints}")
        net = copy.deepcopy(self.net_)
        net.load_state_dict(self.saved_[step])
        return net

    def forecast(self, y, origins, horizon=None, exog=None, step=None) -> np.ndarray:
        """Forecasts ``(len(origins), horizon)``; ``step=k`` uses the weights kept at
        training step ``k`` (one of ``checkpoints``) instead of the current ones."""
        import torch

        self._require_fit()
        horizon = self.horizon if horizon is None else horizon
        if horizon != self.horizon:
            raise ValueError(f"trained for horizon {self.horizon}, asked for {horizon}")
        y, exog, _ = _inputs(y, exog, horizon)
        o = _origins(origins, y, horizon, self.window)
        X, last = self.windows.inputs(y, exog, o)
        net = self._net_at(step)
        with torch.no_grad(), _one_torch_thread():
            out = net(torch.from_numpy(X.transpose(1, 0, 2).astype(np.float32)))
        return self.windows.to_values(out.double().numpy(), last)

    def lag_weights(self, y, origins, k: int = 1, exog=None, step=None) -> np.ndarray:
        """The network's effective lag weights at each origin (chapter 12):
        ``(len(origins), window, D)``, the derivative of the scaled forecast ``k`` steps
        ahead with respect to each scaled input. A linear map has the same weights at every
        origin (:meth:`LinearAR.lag_weights`); a recurrent network's may change with the
        input."""
        import torch

        y, exog, _, o = self._forecast_inputs(y, origins, self.horizon, exog, self.window)
        k = _check_count("k", k, 1)
        if k > self.horizon:
            raise ValueError(f"k = {k} lies beyond the horizon {self.horizon}")
        X, _ = self.windows.inputs(y, exog, o)
        net = self._net_at(step)
        with _one_torch_thread():
            x = torch.tensor(X.transpose(1, 0, 2), dtype=torch.float32, requires_grad=True)
            net(x)[:, k - 1].sum().backward()  # each row depends on its own window only
        return x.grad.numpy().transpose(1, 0, 2).astype(np.float64)


def early_stop(model: RNNForecaster, task: ForecastTask, part: str = "val") -> int:
    """Early stopping (chapters 12 and 14): score every copy of the weights that ``model``
    kept (its ``checkpoints`` and the last step) by the mean MASE over the horizon on the
    rolling origins of ``part`` (the validation part), restore the best copy and return
    its step. ``model.curve_`` holds every step's score. The test part is never read.
    """
    if part == "test":
        raise ValueError("early stopping must not look at the test part")
    curve = {step: float(evaluate(model, task, part, step=step).mase.mean())
             for step in sorted(model.saved_)}
    best = min(curve, key=curve.get)
    model.restore(best)
    model.curve_ = curve
    return best


# ----------------------------------------------------------------------------------------
# Scores
# ----------------------------------------------------------------------------------------


def _pair(y_true, y_pred):
    t = _as_series_array(y_true, "y_true", ndim=(1, 2))
    p = _as_series_array(y_pred, "y_pred", ndim=(1, 2))
    if t.shape != p.shape:
        raise ValueError(f"y_true has shape {t.shape} but y_pred has {p.shape}")
    return t, p


def mae(y_true, y_pred, axis=None):
    """Mean absolute error, ``mean |y - ŷ|`` (chapter 12); ``axis=0`` gives one value per
    column, for instance per horizon step of a ``(origins, horizon)`` table."""
    t, p = _pair(y_true, y_pred)
    return np.mean(np.abs(t - p), axis=axis)


def mase_scale(y_train, m: int = 1) -> float:
    """The in-sample error of the seasonal-naive forecast on the training part,
    ``mean_{t >= m} |y[t] - y[t - m]|`` (``m = 1``: the naive forecast). MASE divides by it.
    """
    y = _as_series_array(y_train, "y_train")
    m = _check_count("m", m, 1)
    if len(y) <= m:
        raise ValueError(f"y_train needs more than m = {m} values, got {len(y)}")
    scale = float(np.mean(np.abs(y[m:] - y[:-m])))
    if scale == 0:
        raise ValueError("the training part is exactly periodic with period m: MASE is "
                         "undefined (its scale is 0)")
    return scale


def mase(y_true, y_pred, y_train, m: int = 1, axis=None):
    """Mean absolute scaled error (Hyndman & Koehler 2006; chapter 12).

    The MAE of the forecast divided by :func:`mase_scale`, the MAE that the seasonal-naive
    forecast (season ``m``; ``m = 1``: naive) made one step ahead on the training part.
    Below 1: better than that in-sample benchmark. It has no units, so errors on different
    series, or at different horizons, can be compared.
    """
    return mae(y_true, y_pred, axis=axis) / mase_scale(y_train, m)


def truth(y, origins, horizon) -> np.ndarray:
    """The values that the forecasts at ``origins`` must hit: ``(len(origins), horizon)``,
    row ``k`` is ``y[o], ..., y[o + horizon - 1]`` for ``o = origins[k]``."""
    y = _as_series_array(y, "y")
    horizon = _check_count("horizon", horizon, 1)
    o = _origins(origins, y, horizon, 0)
    if o.max() + horizon > len(y):
        raise ValueError(f"origin {int(o.max())} + horizon {horizon} runs past the series")
    return y[o[:, None] + np.arange(horizon)[None, :]]


@dataclass
class Scores:
    """What :func:`evaluate` returns: the forecasts ``(K, horizon)``, the truth they aim at,
    the origins, and the MAE and MASE at each horizon step ``(horizon,)``."""

    forecasts: np.ndarray
    truth: np.ndarray
    origins: np.ndarray
    mae: np.ndarray
    mase: np.ndarray


def evaluate(model, task: ForecastTask, part: str = "test", **options) -> Scores:
    """Forecast from every rolling origin of ``part`` and score it (chapters 12 and 14).

    ``model`` is fitted already (``model.fit(*task.fit_data())``). Every forecaster is
    given the whole series and the same origins; row ``k`` uses only what was known at
    ``origins[k]``. MASE is scaled by the seasonal-naive error (season ``task.m``) on the
    training part. ``options`` go to ``model.forecast`` (``step=...`` for a checkpoint).
    """
    origins = task.origins(part)
    forecasts = np.asarray(model.forecast(task.y, origins, task.horizon, exog=task.exog,
                                          **options))
    target = truth(task.y, origins, task.horizon)
    if forecasts.shape != target.shape:
        raise ValueError(f"the forecasts have shape {forecasts.shape}, expected "
                         f"{target.shape}")
    y_train = task.y[task.train]
    return Scores(forecasts=forecasts, truth=target, origins=origins,
                  mae=mae(target, forecasts, axis=0),
                  mase=mase(target, forecasts, y_train, task.m, axis=0))


def block_bootstrap(values, block: int, reps: int = 2000, level: float = 0.95,
                    seed: int = 0) -> tuple[float, float, float]:
    """The mean of ``values`` (one number per forecast origin, in time order) and a
    bootstrap interval for it that respects their correlation (chapter 12).

    Neighbouring rolling origins share most of their targets, so their errors are not
    independent, and resampling single origins would give too narrow an interval. The
    moving-block bootstrap (Künsch 1989) resamples runs of ``block`` consecutive values
    instead: ``reps`` series of the same length are glued from blocks that start at random
    places. Returns ``(mean, low, high)``, the central ``level`` interval of the resampled
    means. For a paired comparison pass the difference of two methods' errors.
    """
    v = _as_series_array(values, "values")
    block = _check_count("block", block, 1)
    reps = _check_count("reps", reps, 1)
    if not 0 < level < 1:
        raise ValueError(f"level must lie in (0, 1), got {level}")
    n = len(v)
    if block > n:
        raise ValueError(f"block {block} is longer than the {n} values")
    rng = np.random.default_rng(seed)
    n_blocks = -(-n // block)
    starts = rng.integers(0, n - block + 1, size=(reps, n_blocks))
    rows = (starts[:, :, None] + np.arange(block)).reshape(reps, -1)[:, :n]
    means = v[rows].mean(axis=1)
    tail = (1 - level) / 2
    low, high = np.quantile(means, [tail, 1 - tail])
    return float(v.mean()), float(low), float(high)
