"""lstm_lib.functional: stable activations and their derivatives."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

from lstm_lib.functional import sigmoid, sigmoid_derivative, tanh, tanh_derivative

EXTREMES = np.array([-1e4, -1000.0, -50.0, -1.0, 0.0, 1.0, 50.0, 1000.0, 1e4])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_no_warning_no_nan_for_huge_inputs(dtype):
    x = EXTREMES.astype(dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an overflow RuntimeWarning would fail the test
        values = [sigmoid(x), tanh(x), sigmoid_derivative(x), tanh_derivative(x)]
    for value in values:
        assert value.dtype == dtype
        assert np.isfinite(value).all()
    assert sigmoid(x)[0] == 0 and sigmoid(x)[-1] == 1
    assert tanh(x)[0] == -1 and tanh(x)[-1] == 1
    assert sigmoid_derivative(x)[0] == 0 and tanh_derivative(x)[-1] == 0


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_match_torch(dtype):
    x = np.random.default_rng(0).normal(scale=10, size=(50, 7)).astype(dtype)
    tol = 1e-15 if dtype == np.float64 else 1e-6  # 1 - tanh**2 cancels near |tanh| = 1
    xt = torch.from_numpy(x).requires_grad_()
    s = torch.sigmoid(xt)
    s.sum().backward()
    np.testing.assert_allclose(sigmoid(x), s.detach().numpy(), rtol=1e-6, atol=tol)
    np.testing.assert_allclose(sigmoid_derivative(x), xt.grad.numpy(), rtol=1e-6, atol=tol)
    xt.grad = None
    t = torch.tanh(xt)
    t.sum().backward()
    np.testing.assert_allclose(tanh(x), t.detach().numpy(), rtol=1e-6, atol=tol)
    np.testing.assert_allclose(tanh_derivative(x), xt.grad.numpy(), rtol=1e-6, atol=tol)


def test_sigmoid_is_accurate_in_the_tails():
    x = np.linspace(-40, 40, 801)
    exact = np.exp(-np.logaddexp(0, -x))  # 1 / (1 + exp(-x)) without overflow
    np.testing.assert_allclose(sigmoid(x), exact, rtol=1e-15, atol=1e-16)
    assert np.all(np.diff(sigmoid(x)) >= 0)  # monotone
    np.testing.assert_allclose(sigmoid(x) + sigmoid(-x), 1.0, rtol=0, atol=1e-15)


def test_derivatives_match_finite_differences():
    x = np.linspace(-6, 6, 41)
    eps = 1e-6
    for f, df in ((sigmoid, sigmoid_derivative), (tanh, tanh_derivative)):
        numeric = (f(x + eps) - f(x - eps)) / (2 * eps)
        np.testing.assert_allclose(df(x), numeric, rtol=1e-7, atol=1e-10)
    assert sigmoid_derivative(0.0) == 0.25 and tanh_derivative(0.0) == 1.0
    assert sigmoid_derivative(x).max() == 0.25


def test_scalars_lists_and_integers():
    assert sigmoid(0) == 0.5 and float(tanh(0)) == 0.0
    np.testing.assert_allclose(sigmoid([0, 1]), [0.5, 1 / (1 + np.exp(-1))])
    assert sigmoid(np.array([1, 2])).dtype == np.float64


def test_nan_propagates_and_bad_types_are_refused():
    # Element-wise, like NumPy: NaN stays NaN (the cells refuse NaN on entry instead).
    assert np.isnan(sigmoid(np.array([0.0, np.nan]))).tolist() == [False, True]
    with pytest.raises(TypeError, match="complex"):
        tanh(np.array([1j]))
    with pytest.raises(TypeError, match="<U1"):
        sigmoid(np.array(["a"]))
    assert sigmoid(np.inf) == 1 and sigmoid(-np.inf) == 0 and tanh(-np.inf) == -1


def test_out_argument_writes_in_place_and_keeps_dtype():
    x = np.linspace(-5, 5, 12, dtype=np.float32).reshape(3, 4)
    out = np.empty_like(x)
    assert sigmoid(x, out=out) is out
    np.testing.assert_array_equal(out, sigmoid(x))
    assert out.dtype == np.float32
    out_t = np.empty((3, 2), dtype=np.float32)
    tanh(x[:, :2], out=out_t)
    np.testing.assert_array_equal(out_t, np.tanh(x[:, :2]))
    assert isinstance(sigmoid(0.0), np.floating) and sigmoid(0.0) == 0.5
