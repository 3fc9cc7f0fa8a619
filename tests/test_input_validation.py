"""Bad input to the NumPy cells is refused with a message naming expected and actual."""

from __future__ import annotations

import numpy as np
import pytest

from lstm_lib import gru, lstm, rnn

D, H, T, B = 3, 4, 5, 2


@pytest.fixture(params=[rnn, lstm, gru], ids=["rnn", "lstm", "gru"])
def cell(request):
    module = request.param
    return module, module.init_params(D, H, rng=0)


def good_X(dtype=np.float64):
    return np.random.default_rng(0).normal(size=(T, B, D)).astype(dtype)


def test_wrong_input_size_names_both_shapes(cell):
    module, p = cell
    with pytest.raises(ValueError, match=r"\(T, B, 3\).*\(5, 2, 7\)"):
        module.forward(np.zeros((T, B, 7)), p)
    with pytest.raises(ValueError, match=r"\(T, 3\).*\(5, 7\)"):
        module.forward(np.zeros((T, 7)), p)


def test_wrong_number_of_dimensions(cell):
    module, p = cell
    with pytest.raises(ValueError, match=r"\(T, B, D\) or \(T, D\).*1-D shape \(3,\)"):
        module.forward(np.zeros(D), p)
    with pytest.raises(ValueError, match="4-D"):
        module.forward(np.zeros((1, T, B, D)), p)
    with pytest.raises(ValueError, match="at least one time step"):
        module.forward(np.zeros((0, B, D)), p)


def test_wrong_initial_state_shape(cell):
    module, p = cell
    with pytest.raises(ValueError, match=r"h0 must have shape \(2, 4\), got \(2, 5\)"):
        module.forward(good_X(), p, np.zeros((B, H + 1)))
    with pytest.raises(ValueError, match=r"h0 must have shape \(4,\), got \(1, 4\)"):
        module.forward(good_X()[:, 0], p, np.zeros((1, H)))


def test_dtype_mismatch_names_both_dtypes(cell):
    module, p = cell
    with pytest.raises(TypeError, match="float32.*float64"):
        module.forward(good_X(np.float32), p)
    with pytest.raises(TypeError, match="complex"):
        module.forward(good_X().astype(complex), p)
    with pytest.raises(TypeError, match="str"):
        module.forward("not an array", p)
    with pytest.raises(TypeError, match="float32 or float64"):
        module.init_params(D, H, dtype=np.float16)


def test_integer_input_is_converted(cell):
    module, p = cell
    out, _, _ = module.forward(np.ones((T, B, D), dtype=int), p)
    assert out.dtype == np.float64


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nan_and_infinity_are_reported(cell, bad):
    module, p = cell
    X = good_X()
    X[3, 1, 2] = bad
    with pytest.raises(ValueError, match=r"X contains NaN or infinity .*\(3, 1, 2\)"):
        module.forward(X, p)
    h0 = np.zeros((B, H))
    h0[0, 0] = bad
    with pytest.raises(ValueError, match="h0 contains NaN or infinity"):
        module.forward(good_X(), p, h0)
    first = next(iter(p.arrays()))
    getattr(p, first)[0, 0] = bad
    with pytest.raises(ValueError, match=f"{first} contains NaN or infinity"):
        module.forward(good_X(), p)


def test_nan_in_output_gradient_is_reported(cell):
    module, p = cell
    out, _, cache = module.forward(good_X(), p)
    d_out = np.ones_like(out)
    d_out[0, 0, 0] = np.nan
    with pytest.raises(ValueError, match="d_outputs contains NaN"):
        module.backward(d_out, cache)
    with pytest.raises(ValueError, match=r"d_outputs must have shape \(5, 2, 4\), got \(5, 4\)"):
        module.backward(np.ones((T, H)), cache)


def test_wrong_params_and_cache_types(cell):
    module, p = cell
    other = lstm.init_params(D, H, rng=0) if module is not lstm else gru.init_params(D, H, rng=0)
    with pytest.raises(TypeError, match=f"expected {type(p).__name__}.*got {type(other).__name__}"):
        module.forward(good_X(), other)
    with pytest.raises(TypeError, match="cache"):
        module.backward(np.zeros((T, B, H)), {"not": "a cache"})


def test_inconsistent_params_are_reported(cell):
    module, p = cell
    names = list(p.arrays())
    setattr(p, names[-1], np.zeros(H + 1))
    with pytest.raises(ValueError, match=rf"{names[-1]} must have shape \(4,\), got \(5,\)"):
        module.forward(good_X(), p)
    setattr(p, names[-1], np.zeros(H, dtype=np.float32))
    with pytest.raises(TypeError, match=f"{names[-1]} has dtype float32"):
        module.forward(good_X(), p)


def test_step_checks_its_inputs(cell):
    module, p = cell
    state = (np.zeros(H),) * (2 if module is lstm else 1)
    expected = r"x must have shape \(D,\) or \(B, D\) with D=3, got \(4,\)"
    with pytest.raises(ValueError, match=expected):
        module.step(np.zeros(4), *state, p)
    with pytest.raises(ValueError, match=r"h must have shape \(4,\), got \(2, 4\)"):
        module.step(np.zeros(D), np.zeros((2, H)), *state[1:], p)
    with pytest.raises(ValueError, match="x contains NaN"):
        module.step(np.array([0.0, np.nan, 0.0]), *state, p)


def test_sizes_are_checked(cell):
    module, _ = cell
    with pytest.raises(ValueError, match="hidden_size must be a positive integer, got 0"):
        module.init_params(3, 0)
    with pytest.raises(ValueError, match="input_size must be a positive integer, got 2.5"):
        module.init_params(2.5, 3)


def test_lstm_final_gradient_must_be_a_pair():
    p = lstm.init_params(D, H, rng=0)
    out, _, cache = lstm.forward(good_X(), p)
    with pytest.raises(TypeError, match=r"pair \(dh_T, dc_T\)"):
        lstm.backward(out, cache, np.ones((B, H)))
    with pytest.raises(ValueError, match=r"dc_T must have shape \(2, 4\), got \(4,\)"):
        lstm.backward(out, cache, (None, np.ones(H)))


def test_from_fused_checks_shapes():
    with pytest.raises(ValueError, match=r"weight_hh must have shape \(4H, H\), got \(12, 4\)"):
        lstm.from_fused(np.zeros((12, 3)), np.zeros((12, 4)))
    with pytest.raises(ValueError, match=r"weight_ih must have shape \(3H, D\) = \(12, D\)"):
        gru.from_fused(np.zeros((10, 3)), np.zeros((12, 4)))
    with pytest.raises(ValueError, match=r"bias_ih must have shape \(4,\), got \(3,\)"):
        rnn.from_fused(np.zeros((4, 3)), np.zeros((4, 4)), np.zeros(3))


def test_astype_converts_every_array(cell):
    module, p = cell
    p32 = p.astype(np.float32)
    assert type(p32) is type(p)
    assert all(array.dtype == np.float32 for array in p32.arrays().values())
    out, _, _ = module.forward(good_X(np.float32), p32)
    assert out.dtype == np.float32
    with pytest.raises(TypeError, match="float32 or float64"):
        p.astype(np.int64)
