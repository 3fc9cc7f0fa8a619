"""lstm_lib.rnn and lstm_lib.gru against PyTorch, finite differences and themselves.

The two cells share one API, so one set of tests runs on both (``cell`` is the module);
what only one of them has is in test_rnn.py and test_gru.py.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from cellcheck import make_inputs, numerical_gradient, rel_error, torch_forward

from lstm_lib import gru, rnn

TORCH = {"lstm_lib.rnn": (torch.nn.RNN, torch.nn.RNNCell),
         "lstm_lib.gru": (torch.nn.GRU, torch.nn.GRUCell)}


@pytest.fixture(params=[rnn, gru], ids=["rnn", "gru"])
def cell(request):
    return request.param


SHAPES = [(1, 1, 1, 1), (1, 3, 2, 5), (4, 1, 3, 2), (5, 2, 4, 4), (3, 4, 6, 3), (8, 3, 2, 5)]
SMALL_SHAPES = [(1, 1, 2, 3), (3, 2, 3, 2), (4, 1, 2, 3), (2, 3, 1, 1)]
TOL = {np.float64: 1e-10, np.float32: 1e-5}


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("shape", SHAPES)
def test_forward_matches_torch(cell, shape, dtype):
    p, X, h0 = make_inputs(cell, *shape, dtype=dtype, seed=sum(shape))
    out, hT, _ = cell.forward(X, p, h0)
    _, _, out_t, hT_t = torch_forward(cell, p, X, h0)
    assert out.dtype == hT.dtype == dtype
    assert out.shape == (shape[0], shape[1], shape[3])
    np.testing.assert_allclose(out, out_t.detach().numpy(), rtol=0, atol=TOL[dtype])
    np.testing.assert_allclose(hT, hT_t.detach().numpy(), rtol=0, atol=TOL[dtype])


def test_forward_unbatched_matches_torch(cell):
    p, X, h0 = make_inputs(cell, 6, 1, 3, 4, seed=3)
    out, hT, _ = cell.forward(X[:, 0], p, h0[0])
    assert out.shape == (6, 4) and hT.shape == (4,)
    with torch.no_grad():
        out_t, _ = cell.to_torch(p)(torch.from_numpy(X[:, 0]), torch.from_numpy(h0))
    np.testing.assert_allclose(out, out_t.numpy(), rtol=0, atol=1e-12)
    out_zero, _, _ = cell.forward(X[:, 0], p, np.zeros(4))
    out_default, _, _ = cell.forward(X[:, 0], p)
    np.testing.assert_array_equal(out_zero, out_default)


def test_forward_equals_a_loop_of_steps_on_vectors_and_batches(cell):
    p, X, h0 = make_inputs(cell, 5, 3, 2, 4, seed=5)
    out, hT, _ = cell.forward(X, p, h0)
    h = h0
    for t in range(5):
        h, cache = cell.step(X[t], h, p)
        np.testing.assert_allclose(out[t], h, rtol=0, atol=1e-14)
        for b in range(3):  # one example at a time, on 1-D vectors
            h_b, _ = cell.step(X[t, b], out[t - 1, b] if t else h0[b], p)
            assert h_b.shape == (4,)
            np.testing.assert_allclose(h_b, out[t, b], rtol=0, atol=1e-14)
    np.testing.assert_array_equal(cache["h"], h)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_step_matches_torch_cell(cell, dtype):
    p, X, h0 = make_inputs(cell, 1, 4, 3, 5, dtype=dtype, seed=8)
    with torch.no_grad():
        h_t = cell.to_torch(p, cell=True)(torch.from_numpy(X[0]), torch.from_numpy(h0))
    h, _ = cell.step(X[0], h0, p)
    assert h.dtype == dtype
    np.testing.assert_allclose(h, h_t.numpy(), rtol=0, atol=TOL[dtype])


@pytest.mark.parametrize("shape", SMALL_SHAPES)
def test_gradients_match_finite_differences(cell, shape):
    T, B, D, H = shape
    p, X, h0 = make_inputs(cell, *shape, seed=10 + sum(shape))
    rng = np.random.default_rng(sum(shape))
    R_out, R_h = rng.normal(size=(T, B, H)), rng.normal(size=(B, H))

    def loss():
        out, hT, _ = cell.forward(X, p, h0)
        return np.sum(R_out * out) + np.sum(R_h * hT)

    _, _, cache = cell.forward(X, p, h0)
    dX, dh0, grads = cell.backward(R_out, cache, R_h)
    checks = {"X": (X, dX), "h0": (h0, dh0)}
    for name, array in p.arrays().items():
        checks[name] = (array, getattr(grads, name))
    for name, (array, analytic) in checks.items():
        assert analytic.shape == array.shape, name
        numeric = numerical_gradient(loss, array)
        assert np.abs(numeric).max() > 0, name
        assert rel_error(analytic, numeric) < 1e-6, (name, rel_error(analytic, numeric))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("shape", SHAPES)
def test_gradients_match_torch_autograd(cell, shape, dtype):
    T, B, D, H = shape
    p, X, h0 = make_inputs(cell, *shape, dtype=dtype, seed=20 + sum(shape))
    rng = np.random.default_rng(sum(shape))
    R_out, R_h = rng.normal(size=(T, B, H)).astype(dtype), rng.normal(size=(B, H)).astype(dtype)
    module, (Xt, h0t), out_t, hT_t = torch_forward(cell, p, X, h0)
    ((out_t * torch.from_numpy(R_out)).sum() + (hT_t * torch.from_numpy(R_h)).sum()).backward()

    _, _, cache = cell.forward(X, p, h0)
    dX, dh0, grads = cell.backward(R_out, cache, R_h)
    torch_grads = cell.from_fused(module.weight_ih_l0.grad.numpy(),
                                   module.weight_hh_l0.grad.numpy(), module.bias_ih_l0.grad.numpy())
    if cell is gru:
        # The r and z blocks of both PyTorch biases get the same gradient (that of their sum);
        # the n block of bias_hh is b_hn, inside the reset gate.
        torch_grads.b_hn = module.bias_hh_l0.grad.numpy()[2 * H :]
    tol = {np.float64: 1e-10, np.float32: 1e-4}[dtype]
    pairs = [(dX, Xt.grad.numpy()), (dh0, h0t.grad[0].numpy())]
    pairs += [(getattr(grads, n), a) for n, a in torch_grads.arrays().items()]
    for ours, theirs in pairs:
        assert ours.dtype == dtype
        np.testing.assert_allclose(ours, theirs, rtol=tol, atol=tol)


def test_backward_unbatched_and_without_output_gradient(cell):
    p, X, h0 = make_inputs(cell, 5, 1, 2, 3, seed=30)
    _, _, cache_b = cell.forward(X, p, h0)
    _, _, cache_u = cell.forward(X[:, 0], p, h0[0])
    dh_T = np.arange(3.0)
    dX_b, dh0_b, g_b = cell.backward(None, cache_b, dh_T[None])
    dX_u, dh0_u, g_u = cell.backward(None, cache_u, dh_T)
    assert dX_u.shape == (5, 2) and dh0_u.shape == (3,)
    np.testing.assert_allclose(dX_u, dX_b[:, 0], rtol=0, atol=1e-15)
    np.testing.assert_allclose(dh0_u, dh0_b[0], rtol=0, atol=1e-15)
    for name, array in g_u.arrays().items():
        np.testing.assert_allclose(array, getattr(g_b, name), rtol=0, atol=1e-15)
    assert np.abs(dX_u).max() > 0
    dX0, dh00, g0 = cell.backward(None, cache_u)
    assert not dX0.any() and not dh00.any()
    assert not any(array.any() for array in g0.arrays().values())


def test_init_params_shapes_dtype_and_seed(cell):
    p = cell.init_params(3, 5, rng=1)
    assert (p.input_size, p.hidden_size, p.dtype) == (3, 5, np.float64)
    for name, array in p.arrays().items():
        assert array.shape == ((5, 8) if name.startswith("W") else (5,))
        summed = name in ("b", "b_r", "b_z")  # bias_ih + bias_hh in PyTorch
        assert 0 < np.abs(array).max() <= (2 if summed else 1) / np.sqrt(5)
    q = cell.init_params(3, 5, rng=1)
    for name, array in p.arrays().items():
        np.testing.assert_array_equal(getattr(q, name), array)
    p32 = cell.init_params(3, 5, rng=1, dtype=np.float32)
    assert all(array.dtype == np.float32 for array in p32.arrays().values())
    first = next(iter(p.arrays()))  # W for the RNN, W_r for the GRU
    assert not np.array_equal(cell.init_params(3, 5, rng=2).arrays()[first], p.arrays()[first])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("as_cell", [False, True])
def test_params_to_torch_to_params_is_exact(cell, dtype, as_cell):
    p = cell.init_params(4, 3, rng=5, dtype=dtype)
    module = cell.to_torch(p, cell=as_cell)
    assert isinstance(module, TORCH[cell.__name__][1] if as_cell else TORCH[cell.__name__][0])
    weight = module.weight_hh if as_cell else module.weight_hh_l0
    assert weight.dtype == (torch.float64 if dtype == np.float64 else torch.float32)
    q = cell.from_torch(module)
    for name, array in p.arrays().items():
        assert getattr(q, name).dtype == dtype
        np.testing.assert_array_equal(getattr(q, name), array)


@pytest.mark.parametrize("as_cell", [False, True])
def test_torch_to_params_to_torch_keeps_weights_and_outputs(cell, as_cell):
    torch.manual_seed(0)
    single, one_step = TORCH[cell.__name__]
    original = (one_step(3, 4) if as_cell else single(3, 4)).double()
    suffix = "" if as_cell else "_l0"
    with torch.no_grad():  # make both biases non-zero and different
        getattr(original, "bias_hh" + suffix).normal_()
    rebuilt = cell.to_torch(cell.from_torch(original), cell=as_cell)
    for name in ("weight_ih", "weight_hh"):
        assert torch.equal(getattr(original, name + suffix), getattr(rebuilt, name + suffix))
    x = torch.randn(5, 2, 3, dtype=torch.float64)[0 if as_cell else slice(None)]
    with torch.no_grad():
        out_a, out_b = original(x), rebuilt(x)
    out_a = out_a[0] if isinstance(out_a, tuple) else out_a
    out_b = out_b[0] if isinstance(out_b, tuple) else out_b
    torch.testing.assert_close(out_a, out_b, rtol=0, atol=1e-12)


def test_from_torch_refuses_what_it_cannot_represent(cell):
    single = TORCH[cell.__name__][0]
    with pytest.raises(TypeError, match=single.__name__):
        cell.from_torch(torch.nn.LSTM(2, 3))
    with pytest.raises(ValueError, match="num_layers=2"):
        cell.from_torch(single(2, 3, num_layers=2))
    with pytest.raises(ValueError, match="bidirectional=True"):
        cell.from_torch(single(2, 3, bidirectional=True))




@pytest.mark.parametrize("module, torch_class", [(rnn, torch.nn.RNN), (gru, torch.nn.GRU),
                                                  (None, torch.nn.LSTM)])
def test_init_params_have_the_distribution_of_pytorchs_effective_parameters(module, torch_class):
    """Same spread as PyTorch's weights and as the biases that act (bias_ih + bias_hh).

    A bias drawn once from U(±1/√H) would have half the variance of PyTorch's summed bias;
    the variance check below tells the two apart (ratio 0.5 against 1).
    """
    from lstm_lib import lstm

    module = module or lstm
    D, H = 16, 64
    torch.manual_seed(0)
    ours = [module.init_params(D, H, rng=seed) for seed in range(20)]
    theirs = [module.from_torch(torch_class(D, H, dtype=torch.float64)) for _ in range(20)]
    for name in ours[0].arrays():
        a = np.concatenate([p.arrays()[name].ravel() for p in ours])
        b = np.concatenate([p.arrays()[name].ravel() for p in theirs])
        assert 0.85 < a.var() / b.var() < 1.15, (name, a.var(), b.var())
        assert abs(np.abs(a).max() - np.abs(b).max()) < 0.2 * np.abs(b).max(), name
