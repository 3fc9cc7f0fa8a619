"""Tests for lstm_lib.mingru (chapter 15): the loop and both scans agree, with h0 != 0.

The trap the chapter teaches (lucidrains/minGRU-pytorch#9) is a scan that starts from a
different h0 than the loop; every comparison here uses a nonzero initial state, and one
test shows that the wrong start (log g(h0) instead of log h0) is caught.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

from lstm_lib import mingru
from lstm_lib.functional import sigmoid

torch.set_num_threads(1)


def _case(T=23, B=4, D=3, H=5, seed=0, dtype=np.float64, positive_h0=True):
    rng = np.random.default_rng(seed)
    p = mingru.init_params(D, H, rng=rng, dtype=dtype)
    X = rng.normal(size=(T, B, D)).astype(dtype)
    low = 0.1 if positive_h0 else -2.0
    h0 = rng.uniform(low, 2.0, size=(B, H)).astype(dtype)
    return p, X, h0


def _by_hand(X, p, h0, candidate="g"):
    """The three equations, written out once more, one step at a time."""
    h, out = h0.copy(), []
    for x_t in X:
        z = 1 / (1 + np.exp(-(x_t @ p.W_z.T + p.b_z)))
        u = x_t @ p.W_h.T + p.b_h
        h_tilde = np.where(u >= 0, u + 0.5, 1 / (1 + np.exp(-u))) if candidate == "g" else u
        h = (1 - z) * h + z * h_tilde
        out.append(h)
    return np.stack(out)


@pytest.mark.parametrize("T", [1, 2, 3, 7, 8, 9, 64, 100])
def test_loop_and_both_scans_agree_with_nonzero_h0(T):
    p, X, h0 = _case(T=T, seed=T)
    loop = mingru.forward_loop(X, p, h0)
    np.testing.assert_allclose(loop, _by_hand(X, p, h0), rtol=0, atol=1e-14)
    for method in ("doubling", "log"):
        np.testing.assert_allclose(mingru.forward(X, p, h0, method=method), loop,
                                   rtol=1e-12, atol=1e-12)
    assert np.abs(loop[0] - mingru.forward_loop(X[:1], p)).max() > 1e-3, "h0 matters"


def test_zero_h0_and_none_are_the_same_and_quiet():
    p, X, _ = _case(T=17)
    zeros = np.zeros((X.shape[1], p.hidden_size))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # log(0) must not warn (it would print to stderr)
        for method in mingru.METHODS:
            a = mingru.forward(X, p, None, method=method)
            b = mingru.forward(X, p, zeros, method=method)
            np.testing.assert_allclose(a, b, rtol=0, atol=1e-13)
            np.testing.assert_allclose(a, mingru.forward_loop(X, p), rtol=1e-12, atol=1e-12)


def test_linear_candidate_and_negative_h0_with_the_doubling_scan():
    p, X, h0 = _case(T=31, positive_h0=False)
    assert (h0 < 0).any()
    loop = mingru.forward_loop(X, p, h0, candidate="linear")
    np.testing.assert_allclose(loop, _by_hand(X, p, h0, candidate="linear"), rtol=0, atol=1e-14)
    np.testing.assert_allclose(mingru.forward(X, p, h0, candidate="linear"), loop,
                               rtol=1e-12, atol=1e-12)
    with pytest.raises(ValueError, match="h0 must be >= 0"):
        mingru.forward(X, p, h0, method="log")
    with pytest.raises(ValueError, match="positive candidate"):
        mingru.forward(X, p, np.abs(h0), method="log", candidate="linear")


def test_the_trap_log_g_of_h0_differs_from_the_loop():
    p, X, h0 = _case(T=12)
    k = X @ p.W_z.T + p.b_z
    u = X @ p.W_h.T + p.b_h
    log_a, log_b = np.log(sigmoid(-k)), np.log(sigmoid(k)) + mingru.log_g(u)
    right = mingru.scan_log(log_a, log_b, np.log(h0))
    wrong = mingru.scan_log(log_a, log_b, mingru.log_g(h0))  # g applied to the state
    loop = mingru.forward_loop(X, p, h0)
    np.testing.assert_allclose(right, loop, rtol=1e-12, atol=1e-12)
    assert np.abs(wrong - loop).max() > 0.05
    # the difference is the start's difference carried by the product of the a_t
    A = np.cumprod(np.exp(log_a), axis=0)
    np.testing.assert_allclose(wrong - loop, A * (mingru.g(h0) - h0), rtol=1e-10, atol=1e-12)


def test_scans_on_arbitrary_coefficients_against_a_loop():
    rng = np.random.default_rng(3)
    a = rng.uniform(0.0, 1.0, size=(50, 6))
    b = rng.uniform(0.01, 2.0, size=(50, 6))
    h0 = rng.uniform(0.1, 1.0, size=6)
    h, expected = h0, []
    for t in range(50):
        h = a[t] * h + b[t]
        expected.append(h)
    expected = np.array(expected)
    np.testing.assert_allclose(mingru.scan_doubling(a, b, h0), expected, rtol=1e-12)
    np.testing.assert_allclose(mingru.scan_log(np.log(a), np.log(b), np.log(h0)), expected,
                               rtol=1e-12)
    a_before, b_before = a.copy(), b.copy()
    mingru.scan_doubling(a, b, h0)
    np.testing.assert_array_equal(a, a_before)  # inputs are not changed in place
    np.testing.assert_array_equal(b, b_before)


def test_the_scans_stay_finite_where_the_closed_form_overflows():
    rng = np.random.default_rng(4)
    T = 3000
    a = rng.uniform(0.3, 0.7, size=(T, 2))  # the product of the a_t underflows to 0
    b = rng.uniform(0.1, 1.0, size=(T, 2))
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        A = np.cumprod(a, axis=0)
        closed = A * (1.0 + np.cumsum(b / A, axis=0))
    assert not np.isfinite(closed).all()
    h = np.ones(2)
    for t in range(T):
        h = a[t] * h + b[t]
    for result in (mingru.scan_doubling(a, b, np.ones(2)),
                   mingru.scan_log(np.log(a), np.log(b), np.zeros(2))):
        assert np.isfinite(result).all()
        np.testing.assert_allclose(result[-1], h, rtol=1e-9)


@pytest.mark.parametrize("T,rounds", [(1, 0), (2, 1), (3, 2), (4, 2), (5, 3), (64, 6),
                                      (65, 7), (1000, 10)])
def test_doubling_rounds(T, rounds):
    assert mingru.doubling_rounds(T) == rounds
    assert rounds == (0 if T == 1 else int(np.ceil(np.log2(T))))


def test_g_and_log_g():
    x = np.array([-800.0, -40.0, -1.0, -1e-12, 0.0, 1e-12, 1.0, 50.0])
    expected_g = np.where(x >= 0, x + 0.5, np.exp(x) / (1 + np.exp(x)))
    np.testing.assert_allclose(mingru.g(x), expected_g, rtol=1e-15)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        log = mingru.log_g(x)
    assert np.isfinite(log).all()
    np.testing.assert_allclose(log[0], -800.0, rtol=1e-12)  # log σ(x) ≈ x far below 0
    np.testing.assert_allclose(np.exp(log[1:]), mingru.g(x[1:]), rtol=1e-14)
    assert (mingru.g(x[1:]) > 0).all()
    assert abs(mingru.g(1e-12) - mingru.g(-1e-12)) < 1e-11  # continuous at 0
    assert mingru.g(np.float32(1.0)).dtype == np.float32


def test_coefficients_match_the_gate_and_candidate():
    p, X, _ = _case(T=9)
    a, b = mingru.coefficients(X, p)
    z = sigmoid(X @ p.W_z.T + p.b_z)
    np.testing.assert_allclose(a, 1 - z, rtol=0, atol=1e-15)
    np.testing.assert_allclose(b, z * mingru.g(X @ p.W_h.T + p.b_h), rtol=1e-15)
    a1, b1 = mingru.coefficients(X[:, 0], p)  # unbatched (T, D)
    np.testing.assert_allclose(a1, a[:, 0])
    np.testing.assert_allclose(b1, b[:, 0])


def test_unbatched_input():
    p, X, h0 = _case(T=10)
    for method in mingru.METHODS:
        out = mingru.forward(X[:, 1], p, h0[1], method=method)
        assert out.shape == (10, p.hidden_size)
        np.testing.assert_allclose(out, mingru.forward_loop(X, p, h0)[:, 1], rtol=1e-12)


def test_float32():
    p, X, h0 = _case(T=40, dtype=np.float32)
    p64 = mingru.MinGRUParams(**{k: v.astype(np.float64) for k, v in p.arrays().items()})
    reference = mingru.forward_loop(X.astype(np.float64), p64, h0.astype(np.float64))
    for method in mingru.METHODS:
        out = mingru.forward(X, p, h0, method=method)
        assert out.dtype == np.float32
        np.testing.assert_allclose(out, reference, rtol=1e-5, atol=1e-5)


def test_init_params_matches_nn_linear_range():
    p = mingru.init_params(16, 200, rng=0)
    bound = 1 / np.sqrt(16)
    for array in p.arrays().values():
        assert np.abs(array).max() <= bound
        assert np.abs(array).max() > 0.9 * bound
    again = mingru.init_params(16, 200, rng=0)
    np.testing.assert_array_equal(p.W_z, again.W_z)


def test_bad_inputs_give_clear_errors():
    p, X, h0 = _case(T=5)
    with pytest.raises(ValueError, match=r"\(T, B, 3\)"):
        mingru.forward(X[..., :2], p)
    X_nan = X.copy()
    X_nan[2, 0, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        mingru.forward(X_nan, p, method="log")
    with pytest.raises(ValueError, match="h0 must have shape"):
        mingru.forward(X, p, h0[:, :2])
    with pytest.raises(TypeError, match="float32"):
        mingru.forward(X.astype(np.float32), p)
    with pytest.raises(TypeError, match="MinGRUParams"):
        mingru.forward(X, {"W_z": p.W_z})
    with pytest.raises(ValueError, match="method"):
        mingru.forward(X, p, method="parallel")
    with pytest.raises(ValueError, match="same shape"):
        mingru.scan_doubling(np.ones((4, 2)), np.ones((5, 2)))
    with pytest.raises(ValueError, match="h0 must have shape"):
        mingru.scan_log(np.zeros((4, 2)), np.zeros((4, 2)), np.zeros(3))
    with pytest.raises(ValueError, match="NaN"):
        mingru.scan_doubling(np.full((3, 2), np.nan), np.ones((3, 2)))
    with pytest.raises(ValueError, match="T must be"):
        mingru.doubling_rounds(0)
    bad = mingru.MinGRUParams(W_z=p.W_z, W_h=p.W_h[:, :2], b_z=p.b_z, b_h=p.b_h)
    with pytest.raises(ValueError, match="W_h"):
        mingru.forward(X, bad)


# --- PyTorch ------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", mingru.METHODS)
def test_torch_layer_matches_numpy_in_float64(mode):
    p, X, h0 = _case(T=33)
    layer = mingru.to_torch(p, mode=mode)
    out, h_T = layer(torch.from_numpy(X), torch.from_numpy(h0))
    loop = mingru.forward_loop(X, p, h0)
    np.testing.assert_allclose(out.detach().numpy(), loop, rtol=0, atol=1e-10)
    np.testing.assert_allclose(h_T.detach().numpy(), loop[-1], rtol=0, atol=1e-10)
    out0, _ = layer(torch.from_numpy(X))  # h0 = None means zeros
    np.testing.assert_allclose(out0.detach().numpy(), mingru.forward_loop(X, p),
                               rtol=0, atol=1e-10)


@pytest.mark.parametrize("mode", mingru.METHODS)
def test_torch_layer_float32(mode):
    p, X, h0 = _case(T=33)
    p32 = mingru.MinGRUParams(**{k: v.astype(np.float32) for k, v in p.arrays().items()})
    layer = mingru.to_torch(p32, mode=mode)
    out, _ = layer(torch.from_numpy(X.astype(np.float32)), torch.from_numpy(h0.astype(np.float32)))
    assert out.dtype == torch.float32
    np.testing.assert_allclose(out.detach().numpy(), mingru.forward_loop(X, p, h0),
                               rtol=1e-5, atol=1e-5)


def test_torch_gradients_of_the_scans_equal_the_loops():
    p, X, h0 = _case(T=21)
    weights = torch.from_numpy(np.random.default_rng(9).normal(size=(21, 4, 5)))
    grads = {}
    for mode in mingru.METHODS:
        layer = mingru.to_torch(p, mode=mode)
        x = torch.from_numpy(X).requires_grad_()
        h = torch.from_numpy(h0).requires_grad_()
        out, _ = layer(x, h)
        (out * weights).sum().backward()
        grads[mode] = [x.grad.numpy(), h.grad.numpy()] + [
            t.grad.numpy() for t in layer.parameters()]
    for mode in ("doubling", "log"):
        for ours, loops in zip(grads[mode], grads["loop"], strict=True):
            np.testing.assert_allclose(ours, loops, rtol=1e-9, atol=1e-10)


def test_torch_linear_candidate_scan_equals_loop():
    p, X, h0 = _case(T=19, positive_h0=False)
    outs, grads = {}, {}
    for mode in ("loop", "doubling"):
        layer = mingru.to_torch(p, mode=mode, candidate="linear")
        x = torch.from_numpy(X).requires_grad_()
        out, _ = layer(x, torch.from_numpy(h0))
        out.pow(2).sum().backward()
        outs[mode], grads[mode] = out.detach().numpy(), x.grad.numpy()
    np.testing.assert_allclose(outs["loop"], mingru.forward_loop(X, p, h0, candidate="linear"),
                               rtol=0, atol=1e-12)
    np.testing.assert_allclose(outs["doubling"], outs["loop"], rtol=0, atol=1e-12)
    np.testing.assert_allclose(grads["doubling"], grads["loop"], rtol=1e-10, atol=1e-12)


def test_torch_gradient_against_finite_differences():
    p, X, h0 = _case(T=6, B=2, D=2, H=3)
    layer = mingru.to_torch(p, mode="doubling")
    x = torch.from_numpy(X).requires_grad_()
    h = torch.from_numpy(h0).requires_grad_()
    assert torch.autograd.gradcheck(lambda x_, h_: layer(x_, h_)[0], (x, h))
    # inputs on both sides of 0, where g changes from σ(u) to u + 0.5
    u = torch.linspace(-3, 3, 6 * 2 * 3, dtype=torch.float64).reshape(6, 2, 3)
    k = torch.linspace(2, -2, 6 * 2 * 3, dtype=torch.float64).reshape(6, 2, 3)
    start = torch.full((2, 3), 0.7, dtype=torch.float64)
    for tensor in (k, u, start):
        tensor.requires_grad_()
    assert torch.autograd.gradcheck(mingru._ScanLayer.apply, (k, u + 0.013, start))


def test_round_trip_and_model():
    p, X, _ = _case(T=8)
    q = mingru.from_torch(mingru.to_torch(p))
    for name, array in p.arrays().items():
        np.testing.assert_array_equal(getattr(q, name), array)
    torch.manual_seed(0)
    model = mingru.MinGRUModel(2, 8, 1, num_layers=2)
    y = model(torch.randn(50, 3, 2))
    assert y.shape == (3, 1)
    with pytest.raises(ValueError, match="num_layers"):
        mingru.MinGRUModel(2, 8, 1, num_layers=0)


def test_torch_bad_inputs():
    layer = mingru.MinGRU(3, 4)
    with pytest.raises(ValueError, match=r"\(T, B, 3\)"):
        layer(torch.zeros(5, 3))
    with pytest.raises(ValueError, match="h0 must have shape"):
        layer(torch.zeros(5, 2, 3), torch.zeros(3, 4))
    with pytest.raises(ValueError, match="h0 must be >= 0"):
        mingru.MinGRU(3, 4, mode="log")(torch.zeros(5, 2, 3), -torch.ones(2, 4))
    with pytest.raises(ValueError, match="mode"):
        mingru.MinGRU(3, 4, mode="scan")
    with pytest.raises(ValueError, match="candidate='g'"):
        mingru.MinGRU(3, 4, mode="log", candidate="linear")
