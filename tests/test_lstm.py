"""lstm_lib.lstm against PyTorch, against finite differences, and against itself."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from cellcheck import numerical_gradient, rel_error

from lstm_lib import lstm

# (T, B, D, H): single step, single example, D != H in both directions, and a few more.
SHAPES = [(1, 1, 1, 1), (1, 3, 2, 5), (4, 1, 3, 2), (5, 2, 4, 4), (3, 4, 6, 3), (8, 3, 2, 5)]
SMALL_SHAPES = [(1, 1, 2, 3), (3, 2, 3, 2), (4, 1, 2, 3), (2, 3, 1, 1)]
TOL = {np.float64: 1e-10, np.float32: 1e-5}


def make_inputs(T, B, D, H, dtype=np.float64, seed=0, scale=1.0):
    rng = np.random.default_rng(seed)
    p = lstm.init_params(D, H, rng=rng, dtype=dtype)
    for array in p.arrays().values():  # larger weights: gates away from 0.5, a harder test
        array *= 2.0 * scale
    X = rng.normal(size=(T, B, D)).astype(dtype)
    h0 = rng.normal(size=(B, H)).astype(dtype)
    c0 = rng.normal(size=(B, H)).astype(dtype)
    return p, X, h0, c0


def torch_forward(p, X, h0, c0):
    module = lstm.to_torch(p)
    Xt = torch.from_numpy(X).requires_grad_()
    h0t = torch.from_numpy(h0).unsqueeze(0).requires_grad_()
    c0t = torch.from_numpy(c0).unsqueeze(0).requires_grad_()
    out, (hT, cT) = module(Xt, (h0t, c0t))
    return module, (Xt, h0t, c0t), out, hT[0], cT[0]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("shape", SHAPES)
def test_forward_matches_torch(shape, dtype):
    p, X, h0, c0 = make_inputs(*shape, dtype=dtype, seed=sum(shape))
    out, (hT, cT), _ = lstm.forward(X, p, h0, c0)
    _, _, out_t, hT_t, cT_t = torch_forward(p, X, h0, c0)
    assert out.dtype == hT.dtype == cT.dtype == dtype
    assert out.shape == (shape[0], shape[1], shape[3])
    np.testing.assert_allclose(out, out_t.detach().numpy(), rtol=0, atol=TOL[dtype])
    np.testing.assert_allclose(hT, hT_t.detach().numpy(), rtol=0, atol=TOL[dtype])
    np.testing.assert_allclose(cT, cT_t.detach().numpy(), rtol=0, atol=TOL[dtype])


def test_forward_unbatched_matches_torch():
    p, X, h0, c0 = make_inputs(6, 1, 3, 4, seed=3)
    out, (hT, cT), _ = lstm.forward(X[:, 0], p, h0[0], c0[0])
    assert out.shape == (6, 4) and hT.shape == (4,) and cT.shape == (4,)
    module = lstm.to_torch(p)
    with torch.no_grad():
        out_t, (hT_t, cT_t) = module(torch.from_numpy(X[:, 0]),
                                     (torch.from_numpy(h0), torch.from_numpy(c0)))
    np.testing.assert_allclose(out, out_t.numpy(), rtol=0, atol=1e-12)
    np.testing.assert_allclose(cT, cT_t[0].numpy(), rtol=0, atol=1e-12)


def test_default_initial_state_is_zero():
    p, X, _, _ = make_inputs(4, 2, 3, 5, seed=4)
    zeros = np.zeros((2, 5))
    out_default, _, _ = lstm.forward(X, p)
    out_zero, _, _ = lstm.forward(X, p, zeros, zeros)
    np.testing.assert_array_equal(out_default, out_zero)


def test_forward_equals_a_loop_of_steps():
    p, X, h0, c0 = make_inputs(5, 3, 2, 4, seed=5)
    out, (hT, cT), _ = lstm.forward(X, p, h0, c0)
    h, c = h0, c0
    for t in range(5):
        h, c, cache = lstm.step(X[t], h, c, p)
        np.testing.assert_allclose(out[t], h, rtol=0, atol=1e-14)
    np.testing.assert_allclose(cT, c, rtol=0, atol=1e-14)
    assert set(cache) >= {"z", "f", "i", "g", "o", "c_prev", "c", "tanh_c", "h"}
    np.testing.assert_array_equal(cache["z"], np.concatenate([cache["h_prev"], X[4]], axis=1))


def test_step_on_vectors_equals_step_on_a_batch():
    p, X, h0, c0 = make_inputs(1, 3, 4, 2, seed=6)
    h_batch, c_batch, _ = lstm.step(X[0], h0, c0, p)
    for b in range(3):
        h, c, cache = lstm.step(X[0, b], h0[b], c0[b], p)
        assert h.shape == c.shape == cache["f"].shape == (2,)
        np.testing.assert_allclose(h, h_batch[b], rtol=0, atol=1e-15)
        np.testing.assert_allclose(c, c_batch[b], rtol=0, atol=1e-15)


def test_step_equals_the_equations():
    p, X, h0, c0 = make_inputs(1, 1, 3, 2, seed=7)
    x, h, c = X[0, 0], h0[0], c0[0]

    def sig(a):
        return 1 / (1 + np.exp(-a))

    z = np.concatenate([h, x])
    f, i, o = (sig(W @ z + b) for W, b in ((p.W_f, p.b_f), (p.W_i, p.b_i), (p.W_o, p.b_o)))
    g = np.tanh(p.W_g @ z + p.b_g)
    c_new = f * c + i * g
    h_new = o * np.tanh(c_new)
    h_lib, c_lib, _ = lstm.step(x, h, c, p)
    np.testing.assert_allclose(h_lib, h_new, rtol=0, atol=1e-15)
    np.testing.assert_allclose(c_lib, c_new, rtol=0, atol=1e-15)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_step_matches_torch_lstmcell(dtype):
    p, X, h0, c0 = make_inputs(1, 4, 3, 5, dtype=dtype, seed=8)
    cell = lstm.to_torch(p, cell=True)
    with torch.no_grad():
        h_t, c_t = cell(torch.from_numpy(X[0]), (torch.from_numpy(h0), torch.from_numpy(c0)))
    h, c, _ = lstm.step(X[0], h0, c0, p)
    assert h.dtype == dtype
    np.testing.assert_allclose(h, h_t.numpy(), rtol=0, atol=TOL[dtype])
    np.testing.assert_allclose(c, c_t.numpy(), rtol=0, atol=TOL[dtype])


# --- backward ----------------------------------------------------------------------------


def random_loss_weights(T, B, H, seed):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(T, B, H)), rng.normal(size=(B, H)), rng.normal(size=(B, H))


@pytest.mark.parametrize("shape", SMALL_SHAPES)
def test_gradients_match_finite_differences(shape):
    T, B, D, H = shape
    p, X, h0, c0 = make_inputs(*shape, seed=10 + sum(shape))
    R_out, R_h, R_c = random_loss_weights(T, B, H, seed=sum(shape))

    def loss():
        out, (hT, cT), _ = lstm.forward(X, p, h0, c0)
        return np.sum(R_out * out) + np.sum(R_h * hT) + np.sum(R_c * cT)

    _, _, cache = lstm.forward(X, p, h0, c0)
    dX, (dh0, dc0), grads = lstm.backward(R_out, cache, (R_h, R_c))
    checks = {"X": (X, dX), "h0": (h0, dh0), "c0": (c0, dc0)}
    for name, array in p.arrays().items():
        checks[name] = (array, getattr(grads, name))
    for name, (array, analytic) in checks.items():
        assert analytic.shape == array.shape, name
        numeric = numerical_gradient(loss, array)
        assert np.abs(numeric).max() > 0 or name.startswith("b"), name
        assert rel_error(analytic, numeric) < 1e-6, (name, rel_error(analytic, numeric))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("shape", SHAPES)
def test_gradients_match_torch_autograd(shape, dtype):
    T, B, D, H = shape
    p, X, h0, c0 = make_inputs(*shape, dtype=dtype, seed=20 + sum(shape))
    R_out, R_h, R_c = (r.astype(dtype) for r in random_loss_weights(T, B, H, seed=sum(shape)))
    module, (Xt, h0t, c0t), out_t, hT_t, cT_t = torch_forward(p, X, h0, c0)
    loss_t = ((out_t * torch.from_numpy(R_out)).sum() + (hT_t * torch.from_numpy(R_h)).sum()
              + (cT_t * torch.from_numpy(R_c)).sum())
    loss_t.backward()

    _, _, cache = lstm.forward(X, p, h0, c0)
    dX, (dh0, dc0), grads = lstm.backward(R_out, cache, (R_h, R_c))
    torch_grads = lstm.from_fused(module.weight_ih_l0.grad.numpy(),
                                  module.weight_hh_l0.grad.numpy(),
                                  module.bias_ih_l0.grad.numpy())
    # Both PyTorch biases get the same gradient, which is the gradient of their sum.
    tol = {np.float64: 1e-10, np.float32: 1e-4}[dtype]
    torch.testing.assert_close(module.bias_ih_l0.grad, module.bias_hh_l0.grad, rtol=tol, atol=tol)
    pairs = [(dX, Xt.grad.numpy()), (dh0, h0t.grad[0].numpy()), (dc0, c0t.grad[0].numpy())]
    pairs += [(getattr(grads, n), a) for n, a in torch_grads.arrays().items()]
    for ours, theirs in pairs:
        assert ours.dtype == dtype
        np.testing.assert_allclose(ours, theirs, rtol=tol, atol=tol)


def test_backward_unbatched_and_without_output_gradient():
    p, X, h0, c0 = make_inputs(5, 1, 2, 3, seed=30)
    _, _, cache_b = lstm.forward(X, p, h0, c0)
    _, _, cache_u = lstm.forward(X[:, 0], p, h0[0], c0[0])
    dh_T = np.arange(3.0)
    dX_b, (dh0_b, dc0_b), g_b = lstm.backward(None, cache_b, (dh_T[None], None))
    dX_u, (dh0_u, dc0_u), g_u = lstm.backward(None, cache_u, (dh_T, None))
    assert dX_u.shape == (5, 2) and dh0_u.shape == dc0_u.shape == (3,)
    np.testing.assert_allclose(dX_u, dX_b[:, 0], rtol=0, atol=1e-15)
    np.testing.assert_allclose(dc0_u, dc0_b[0], rtol=0, atol=1e-15)
    np.testing.assert_allclose(g_u.W_o, g_b.W_o, rtol=0, atol=1e-15)
    assert np.abs(dX_u).max() > 0
    # No gradient at all gives exactly zero gradients.
    dX0, (dh00, dc00), g0 = lstm.backward(None, cache_u)
    assert not dX0.any() and not dh00.any() and not dc00.any() and not g0.W_f.any()


def test_cell_state_path_scales_by_forget_gate_only():
    """With o = 0 nothing leaves through h, so dc_0 = dc_T * prod(f_t) (chapter 10's point)."""
    p, X, h0, c0 = make_inputs(6, 2, 3, 4, seed=31)
    p.b_o[:] = -1e3  # output gate shut: h_t = 0
    _, _, cache = lstm.forward(X, p, h0, c0)
    dc_T = np.ones((2, 4))
    _, (_, dc0), _ = lstm.backward(None, cache, (None, dc_T))
    np.testing.assert_array_equal(cache.f, cache.gate("f"))
    np.testing.assert_array_equal(cache.gates[..., 4:8], cache.f)  # H = 4: blocks i, f, g, o
    np.testing.assert_allclose(dc0, np.prod(cache.f, axis=0), rtol=1e-12)


# --- parameters, fused layout, PyTorch round trips ----------------------------------------


def test_init_params_shapes_dtype_seed_and_forget_bias():
    p = lstm.init_params(3, 5, rng=1)
    assert (p.input_size, p.hidden_size, p.dtype) == (3, 5, np.float64)
    for name, array in p.arrays().items():
        assert array.shape == ((5, 8) if name.startswith("W") else (5,))
        bound = (1 if name.startswith("W") else 2) / np.sqrt(5)  # a bias is two draws
        assert np.abs(array).max() <= bound
    q = lstm.init_params(3, 5, rng=1)
    assert all(np.array_equal(a, b) for a, b in zip(p.arrays().values(), q.arrays().values(),
                                                    strict=True))
    r = lstm.init_params(3, 5, rng=2)
    assert not np.array_equal(p.W_f, r.W_f)
    p32 = lstm.init_params(3, 5, rng=1, dtype=np.float32)
    assert p32.dtype == np.float32
    np.testing.assert_allclose(p32.W_g, p.W_g, rtol=1e-6)
    pf = lstm.init_params(3, 5, rng=1, forget_bias=1.0)
    np.testing.assert_array_equal(pf.b_f, np.ones(5))
    np.testing.assert_array_equal(pf.W_f, p.W_f)
    np.random.seed(0)
    a = lstm.init_params(2, 2)
    np.random.seed(0)
    b = lstm.init_params(2, 2)
    np.testing.assert_array_equal(a.W_o, b.W_o)


def test_fused_layout_is_pytorchs():
    H, D = 3, 2
    p = lstm.init_params(D, H, rng=0)
    fused = p.to_fused()
    assert fused["weight_ih"].shape == (4 * H, D) and fused["weight_hh"].shape == (4 * H, H)
    for n, k in enumerate("ifgo"):
        W = getattr(p, f"W_{k}")
        np.testing.assert_array_equal(fused["weight_hh"][n * H:(n + 1) * H], W[:, :H])
        np.testing.assert_array_equal(fused["weight_ih"][n * H:(n + 1) * H], W[:, H:])
        np.testing.assert_array_equal(fused["bias_ih"][n * H:(n + 1) * H], getattr(p, f"b_{k}"))
    assert not fused["bias_hh"].any()


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("cell", [False, True])
def test_params_to_torch_to_params_is_exact(dtype, cell):
    p = lstm.init_params(4, 3, rng=5, dtype=dtype)
    module = lstm.to_torch(p, cell=cell)
    assert isinstance(module, torch.nn.LSTMCell if cell else torch.nn.LSTM)
    weight = module.weight_hh if cell else module.weight_hh_l0
    assert weight.dtype == (torch.float64 if dtype == np.float64 else torch.float32)
    q = lstm.from_torch(module)
    for name, array in p.arrays().items():
        assert getattr(q, name).dtype == dtype
        np.testing.assert_array_equal(getattr(q, name), array)


@pytest.mark.parametrize("cell", [False, True])
def test_torch_to_params_to_torch_keeps_weights_and_outputs(cell):
    torch.manual_seed(0)
    original = (torch.nn.LSTMCell(3, 4) if cell else torch.nn.LSTM(3, 4)).double()
    suffix = "" if cell else "_l0"
    with torch.no_grad():  # make both biases non-zero and different
        getattr(original, "bias_hh" + suffix).normal_()
    rebuilt = lstm.to_torch(lstm.from_torch(original), cell=cell)
    for name in ("weight_ih", "weight_hh"):
        assert torch.equal(getattr(original, name + suffix), getattr(rebuilt, name + suffix))
    bias_sum = getattr(original, "bias_ih" + suffix) + getattr(original, "bias_hh" + suffix)
    assert torch.equal(getattr(rebuilt, "bias_ih" + suffix), bias_sum)
    x = torch.randn(5, 2, 3, dtype=torch.float64)[0 if cell else slice(None)]
    with torch.no_grad():
        out_a, out_b = original(x), rebuilt(x)
    out_a = out_a[0] if isinstance(out_a, tuple) else out_a
    out_b = out_b[0] if isinstance(out_b, tuple) else out_b
    torch.testing.assert_close(out_a, out_b, rtol=0, atol=1e-12)


def test_from_torch_refuses_what_it_cannot_represent():
    with pytest.raises(TypeError, match="nn.LSTM"):
        lstm.from_torch(torch.nn.GRU(2, 3))
    with pytest.raises(ValueError, match="num_layers=2"):
        lstm.from_torch(torch.nn.LSTM(2, 3, num_layers=2))
    with pytest.raises(ValueError, match="bidirectional=True"):
        lstm.from_torch(torch.nn.LSTM(2, 3, bidirectional=True))


def test_from_torch_without_bias_and_batch_first():
    torch.manual_seed(1)
    module = torch.nn.LSTM(2, 3, bias=False, batch_first=True).double()
    p = lstm.from_torch(module)
    assert not p.b_f.any()
    x = torch.randn(4, 6, 2, dtype=torch.float64)  # (B, T, D)
    with torch.no_grad():
        out_t, _ = module(x)
    out, _, _ = lstm.forward(x.numpy().transpose(1, 0, 2), p)
    np.testing.assert_allclose(out.transpose(1, 0, 2), out_t.numpy(), rtol=0, atol=1e-12)
