"""Data for the training chapters: long-dependency tasks (chapters 03 and 11).

Every generator takes the random source as ``rng``: a ``numpy.random.Generator`` or an
integer seed. The same seed always gives the same batch, so an experiment repeats exactly.
Sequences are time-major, ``(T, B, D)``, as everywhere in the book (PyTorch's default);
targets are one value per sequence, ``(B,)``.

- :func:`remember_first`: the answer is the symbol shown at the very first step, and the
  network has to carry it across ``T - 1`` steps of distractors (chapter 03).
- :func:`adding_problem`: add the two marked numbers in a sequence of random numbers
  (Hochreiter & Schmidhuber 1997, experiment 4, in the form of Le, Jaitly & Hinton 2015;
  chapter 11). ``min_gap`` keeps both marks that many steps away from the end, the control
  of chapter 11: a gap that every sequence has, not only some.
"""

from __future__ import annotations

import numpy as np

__all__ = ["as_rng", "remember_first", "adding_problem"]


def as_rng(rng) -> np.random.Generator:
    """Return ``rng`` itself if it is a ``numpy.random.Generator``, else one seeded by it.

    ``rng`` must be a Generator or a non-negative integer seed; ``None`` is refused on
    purpose, because an unseeded batch would make an experiment impossible to repeat.
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, bool) or not isinstance(rng, int | np.integer):
        raise TypeError(
            f"rng must be a numpy.random.Generator or an integer seed, got {type(rng).__name__}")
    return np.random.default_rng(int(rng))


def _check_sizes(T, batch_size, T_min: int) -> None:
    for name, value, low in (("T", T, T_min), ("batch_size", batch_size, 1)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer):
            raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
        if value < low:
            raise ValueError(f"{name} must be at least {low}, got {value}")


def remember_first(T: int, batch_size: int, rng, n_symbols: int = 4,
                   dtype=np.float32) -> tuple[np.ndarray, np.ndarray]:
    """A batch of the "remember the first symbol" task (chapter 03).

    Each sequence has ``T`` steps. Every step shows one of ``n_symbols`` symbols, one-hot;
    the symbols are drawn uniformly and independently. The target is the symbol of the
    **first** step, ``t = 0``; the ``T - 1`` steps after it are distractors that carry no
    information about the answer. To answer after the last step, a network must carry one
    symbol across ``T - 1`` steps of input it has to ignore. A network that has not learnt
    to do that cannot beat the chance accuracy ``1 / n_symbols``.

    Returns ``X`` of shape ``(T, batch_size, n_symbols)`` (time-major, ``dtype``) and
    ``y`` of shape ``(batch_size,)`` (int64, values in ``0 .. n_symbols - 1``), with
    ``X[0].argmax(-1) == y``.
    """
    _check_sizes(T, batch_size, T_min=1)
    if n_symbols < 2:
        raise ValueError(f"n_symbols must be at least 2, got {n_symbols}")
    rng = as_rng(rng)
    symbols = rng.integers(0, n_symbols, size=(T, batch_size))
    X = np.eye(n_symbols, dtype=dtype)[symbols]
    y = symbols[0].astype(np.int64)
    assert X.shape == (T, batch_size, n_symbols) and y.shape == (batch_size,)
    return X, y


def adding_problem(T: int, batch_size: int, rng, dtype=np.float32,
                   min_gap: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A batch of the adding problem (Hochreiter & Schmidhuber 1997; chapters 03 and 11).

    Each step carries two numbers: a value drawn uniformly from [0, 1], and a marker that is
    1 at exactly two steps and 0 elsewhere. One marked step lies in the first half of the
    sequence, the other in the second half. The target is the sum of the two marked values,
    a number in [0, 2]. Always answering 1 (the mean of the target) gives a mean squared
    error of 1/6 ≈ 0.167, the baseline a model must beat.

    This is the form of Le, Jaitly & Hinton (2015) and Arjovsky et al. (2016). In the
    original (experiment 4 of Hochreiter & Schmidhuber 1997) the values lie in [-1, 1], the
    first mark is among the first ten steps, the target is rescaled to [0, 1] and the
    length varies a little; chapter 11 explains what the difference does.

    ``min_gap`` (chapter 11's control): the marks are placed in the first ``T - min_gap``
    steps only (one in each half of them), so every marked value lies at least
    ``min_gap`` steps before the end, while the values go on to the last step. With the
    default 0, the second mark can fall on the very last steps, and the random numbers
    are exactly those of the plain task.

    Returns ``X`` of shape ``(T, batch_size, 2)`` (channel 0 the values, channel 1 the
    markers) and ``y`` of shape ``(batch_size,)``, both in ``dtype``. ``T`` must be at
    least ``min_gap + 2``.
    """
    if isinstance(min_gap, bool) or not isinstance(min_gap, int | np.integer) or min_gap < 0:
        raise ValueError(f"min_gap must be a non-negative integer, got {min_gap!r}")
    _check_sizes(T, batch_size, T_min=2 + int(min_gap))
    rng = as_rng(rng)
    span = T - int(min_gap)  # the marks fall in steps 0 .. span - 1
    half = span // 2
    values = rng.uniform(0.0, 1.0, size=(T, batch_size))
    first = rng.integers(0, half, size=batch_size)
    second = rng.integers(half, span, size=batch_size)
    markers = np.zeros((T, batch_size))
    columns = np.arange(batch_size)
    markers[first, columns] = 1.0
    markers[second, columns] = 1.0
    X = np.stack([values, markers], axis=-1).astype(dtype)
    y = (values[first, columns] + values[second, columns]).astype(dtype)
    assert X.shape == (T, batch_size, 2) and y.shape == (batch_size,)
    return X, y


# ========================================================================================
# Time series (chapter 12): real series that ship inside installed packages, windows,
# chronological splits, and scaling fit on the training part only
# ========================================================================================
#
__all__ += ["load_co2", "load_seattle_weather", "chronological_split", "rolling_origins",
            "make_windows", "Scaler", "ForecastTask", "forecast_task"]

# An *origin* o is the moment a forecast is made: the values y[0], ..., y[o - 1] are
# known, and a forecast of horizon H predicts y[o], ..., y[o + H - 1]. Windows, splits and
# the rolling-origin evaluation of lstm_lib.baselines all use this one convention, so an
# input can never overlap its own target.


def _as_series_array(y, name: str = "y", ndim: tuple[int, ...] = (1,)) -> np.ndarray:
    """``y`` as a float64 array, refused when it has the wrong rank, no rows, or NaN/inf."""
    a = np.asarray(y)
    if a.dtype.kind not in "fiu":
        raise TypeError(f"{name} must hold numbers, got dtype {a.dtype}")
    a = a.astype(np.float64)
    if a.ndim not in ndim:
        raise ValueError(f"{name} must have {' or '.join(map(str, ndim))} dimension(s), "
                         f"got shape {a.shape}")
    if a.shape[0] == 0:
        raise ValueError(f"{name} is empty")
    if not np.isfinite(a).all():
        bad = int(np.flatnonzero(~np.isfinite(a).reshape(a.shape[0], -1).all(axis=1))[0])
        raise ValueError(f"{name} contains NaN or inf (first at row {bad}); fill or drop "
                         "missing values first")
    return a


def _check_count(name: str, value, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
    if value < low:
        raise ValueError(f"{name} must be at least {low}, got {value}")
    return int(value)


def load_co2():
    """Monthly mean CO₂ at Mauna Loa, March 1958 to December 2001: 526 values in ppm
    (chapter 12).

    The weekly record (2,284 weeks, 59 of them missing) ships with statsmodels
    (``statsmodels.datasets.co2``; public domain, C. D. Keeling and T. P. Whorf, Scripps
    Institution of Oceanography). A month's value is the mean of the weeks measured in
    it. Five months have no measured week at all (June and October 1958, February to
    April 1964); they are filled by linear interpolation in time, and
    ``series.attrs["filled"]`` lists them. Nothing is downloaded.

    Returns a ``pandas.Series`` with a monthly ``DatetimeIndex`` (month starts).
    """
    import statsmodels.api as sm

    weekly = sm.datasets.co2.load_pandas().data["co2"]
    monthly = weekly.resample("MS").mean()
    filled = [d.strftime("%Y-%m") for d in monthly.index[monthly.isna()]]
    monthly = monthly.interpolate(method="time")
    monthly.name = "co2"
    monthly.attrs["filled"] = filled
    monthly.attrs["weekly_missing"] = int(weekly.isna().sum())
    monthly.attrs["weeks"] = len(weekly)
    assert not monthly.isna().any()
    return monthly


WEATHER_COLUMNS = ("temp_max", "temp_min", "precipitation", "wind")


def load_seattle_weather():
    """Daily weather at Seattle, 2012 to 2015: 1,461 days (chapter 12).

    Columns, in this order: ``temp_max`` and ``temp_min`` (°C), ``precipitation`` (mm)
    and ``wind`` (m/s). The table ships with the ``vega_datasets`` package (MIT licence;
    the data are NOAA's, in the public domain); nothing is downloaded. It has no missing
    day and no missing value (checked here). The text column ``weather`` ("rain", "sun",
    ...) is left out.

    Returns a ``pandas.DataFrame`` with a daily ``DatetimeIndex``.
    """
    import pandas as pd
    from vega_datasets import data as vega

    table = vega.seattle_weather()
    frame = table.set_index(pd.DatetimeIndex(table["date"]))[list(WEATHER_COLUMNS)]
    frame.index.name = "date"
    days = pd.date_range(frame.index[0], frame.index[-1], freq="D")
    assert len(frame) == len(days) and (frame.index == days).all(), "a day is missing"
    assert not frame.isna().any().any(), "a value is missing"
    return frame.astype(np.float64)


def chronological_split(n: int, n_val: int, n_test: int) -> tuple[slice, slice, slice]:
    """Cut ``n`` time steps, in time order, into training, validation and test parts
    (chapter 12).

    Returns three slices: ``train`` is the first ``n - n_val - n_test`` steps, ``val`` the
    next ``n_val``, ``test`` the last ``n_test``. Nothing is shuffled: a model is fitted
    on the past and judged on the future, as it will be used.
    """
    n = _check_count("n", n, 1)
    n_val = _check_count("n_val", n_val, 0)
    n_test = _check_count("n_test", n_test, 1)
    n_train = n - n_val - n_test
    if n_train < 1:
        raise ValueError(f"n_val + n_test = {n_val + n_test} leaves no training data "
                         f"out of n = {n}")
    return slice(0, n_train), slice(n_train, n_train + n_val), slice(n_train + n_val, n)


def rolling_origins(start: int, stop: int, horizon: int, step: int = 1) -> np.ndarray:
    """Every forecast origin whose whole horizon lies in ``[start, stop)`` (chapter 12).

    An origin ``o`` forecasts ``y[o], ..., y[o + horizon - 1]`` from ``y[:o]``, so the
    origins are ``start, start + step, ...`` up to ``stop - horizon``. For a test period
    ``y[start:stop]``, every target lies in it and the first forecast sees the whole past
    before it.
    """
    start = _check_count("start", start, 1)
    stop = _check_count("stop", stop, 1)
    horizon = _check_count("horizon", horizon, 1)
    step = _check_count("step", step, 1)
    if stop - start < horizon:
        raise ValueError(f"the period [{start}, {stop}) is shorter than the horizon {horizon}")
    return np.arange(start, stop - horizon + 1, step)


def make_windows(series, window: int, horizon: int, origins=None, target: int = 0):
    """Inputs and targets for a forecaster, one row per origin (chapter 12).

    For an origin ``o``: the input is the ``window`` values before it,
    ``series[o - window:o]``, and the target is the ``horizon`` values from it on,
    ``series[o:o + horizon]``. The last input is ``series[o - 1]`` and the first target
    is ``series[o]``: one step later, never the same value.

    ``series`` is ``(T,)`` or ``(T, D)`` (several variables; the target is column
    ``target``). ``origins`` defaults to every origin with a full window and a full
    horizon, ``window, ..., T - horizon``. Returns ``X`` of shape ``(N, window)`` (or
    ``(N, window, D)``) and ``Y`` of shape ``(N, horizon)``, float64, one row per origin.
    Rows are windows, as in a table; a recurrent model reads them time-major,
    ``X.T`` or ``X.transpose(1, 0, 2)`` (chapter 12 shows where).
    """
    a = _as_series_array(series, "series", ndim=(1, 2))
    window = _check_count("window", window, 1)
    horizon = _check_count("horizon", horizon, 1)
    T = a.shape[0]
    if origins is None:
        if T < window + horizon:
            raise ValueError(f"a series of {T} steps has no room for window {window} "
                             f"and horizon {horizon}")
        origins = np.arange(window, T - horizon + 1)
    origins = np.asarray(origins)
    if origins.ndim != 1 or origins.dtype.kind not in "iu":
        raise TypeError(f"origins must be a 1-D array of integers, got {origins.dtype} "
                        f"with shape {origins.shape}")
    if origins.size and (origins.min() < window or origins.max() > T - horizon):
        raise ValueError(f"every origin must lie in [{window}, {T - horizon}] for window "
                         f"{window}, horizon {horizon} and {T} steps")
    column = a if a.ndim == 1 else a[:, target]
    X = np.stack([a[o - window:o] for o in origins]) if origins.size else \
        np.empty((0, window) + a.shape[1:])
    Y = np.stack([column[o:o + horizon] for o in origins]) if origins.size else \
        np.empty((0, horizon))
    return X, Y


class Scaler:
    """Standardise each column with the mean and standard deviation of the training part
    only (chapter 12).

    ``Scaler().fit(train)`` remembers ``mean_`` and ``std_`` of ``train`` (per column for a
    ``(T, D)`` array); ``transform`` and ``inverse_transform`` then apply them to any
    part. Fitting on the whole series would let the test period's level and spread leak
    into what the model sees while it trains.
    """

    def fit(self, train) -> Scaler:
        a = _as_series_array(train, "train", ndim=(1, 2))
        if a.shape[0] < 2:
            raise ValueError("train needs at least 2 rows to estimate a spread")
        self.mean_ = a.mean(axis=0)
        self.std_ = a.std(axis=0)
        if np.any(self.std_ == 0):
            raise ValueError("a column of train is constant; it cannot be standardised")
        return self

    def _check_fitted(self, a: np.ndarray) -> None:
        if not hasattr(self, "mean_"):
            raise RuntimeError("call fit(train) before transform")
        if a.shape[1:] != np.shape(self.mean_):
            raise ValueError(f"fitted on columns of shape {np.shape(self.mean_)}, "
                             f"got rows of shape {a.shape[1:]}")

    def transform(self, x) -> np.ndarray:
        a = _as_series_array(x, "x", ndim=(1, 2))
        self._check_fitted(a)
        return (a - self.mean_) / self.std_

    def inverse_transform(self, z) -> np.ndarray:
        a = _as_series_array(z, "z", ndim=(1, 2))
        self._check_fitted(a)
        return a * self.std_ + self.mean_


# ----------------------------------------------------------------------------------------
# Ready-made forecasting tasks: one call loads a series and fixes its split (chapters 12, 14)
# ----------------------------------------------------------------------------------------


class ForecastTask:
    """A series with its chronological split, its season and its horizon (chapters 12, 14).

    Attributes: ``name``; ``y`` (T,) the target series, float64; ``exog`` (T, k) other
    variables measured at the same times, or ``None``; ``exog_names``; ``dates`` (a
    ``DatetimeIndex``); ``m`` the season length (12 for monthly data); ``horizon``;
    ``train``, ``val``, ``test`` (slices from :func:`chronological_split`).

    ``task.fit_data()`` is ``(y_train, exog_train)`` for a forecaster's ``fit``;
    ``task.origins("test")`` are the rolling origins of a part (:func:`rolling_origins`).
    """

    def __init__(self, name, y, dates, m, horizon, n_val, n_test, exog=None,
                 exog_names=()):
        self.name, self.dates, self.m, self.horizon = name, dates, int(m), int(horizon)
        self.y = _as_series_array(y, "y")
        self.exog = None if exog is None else _as_series_array(exog, "exog", ndim=(2,))
        if self.exog is not None and len(self.exog) != len(self.y):
            raise ValueError(f"exog has {len(self.exog)} rows, y has {len(self.y)}")
        self.exog_names = tuple(exog_names)
        self.train, self.val, self.test = chronological_split(len(self.y), n_val, n_test)

    @property
    def n_train(self) -> int:
        return self.train.stop

    def fit_data(self):
        """``(y_train, exog_train)``: what a forecaster may learn from."""
        exog = None if self.exog is None else self.exog[self.train]
        return self.y[self.train], exog

    def origins(self, part: str = "test", step: int = 1) -> np.ndarray:
        """The rolling origins of ``part`` ("val" or "test"): every forecast whose whole
        horizon lies in that part."""
        if part not in ("val", "test"):
            raise ValueError(f"part must be 'val' or 'test', got {part!r}")
        s = getattr(self, part)
        return rolling_origins(s.start, s.stop, self.horizon, step)

    def __repr__(self) -> str:
        return (f"ForecastTask({self.name!r}: T={len(self.y)}, train={self.n_train}, "
                f"val={self.val.stop - self.val.start}, "
                f"test={self.test.stop - self.test.start}, m={self.m}, "
                f"horizon={self.horizon}, exog={list(self.exog_names)})")


def forecast_task(name: str, horizon: int | None = None) -> ForecastTask:
    """One of the book's forecasting tasks, loaded and split (chapters 12 and 14).

    - ``"co2"``: monthly CO₂ (:func:`load_co2`), season m = 12, horizon 12 months; the last
      120 months (1992-2001) are the test period, the 60 before them (1987-1991) the
      validation period, and March 1958 to December 1986 (346 months) the training part.
    - ``"seattle"``: tomorrow's maximum temperature at Seattle
      (:func:`load_seattle_weather`), horizon 1 day, m = 1; the other three columns are
      ``exog``. The last 365 days (2015) are the test period, the 181 before them the
      validation period, and the first 915 days the training part.
    """
    if name == "co2":
        s = load_co2()
        return ForecastTask("co2", s.to_numpy(), s.index, m=12,
                            horizon=12 if horizon is None else horizon, n_val=60, n_test=120)
    if name == "seattle":
        w = load_seattle_weather()
        return ForecastTask("seattle", w["temp_max"].to_numpy(), w.index, m=1,
                            horizon=1 if horizon is None else horizon, n_val=181,
                            n_test=365, exog=w[list(WEATHER_COLUMNS[1:])].to_numpy(),
                            exog_names=WEATHER_COLUMNS[1:])
    raise ValueError(f"unknown task {name!r}; the tasks are 'co2' and 'seattle'")
