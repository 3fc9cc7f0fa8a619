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
    with pytest.raises(ValueError, match="from_state_dict"):
        lstm.from_torch(torch.nn.LSTM(2, 3, num_layers=3, bidirectional=True))


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


# --- layers and directions: nn.LSTM(num_layers=..., bidirectional=...) (chapter 09) ---------

STACKS = [(1, False, False), (1, True, False), (2, False, True), (2, True, True),
          (3, True, False)]  # (num_layers, bidirectional, batch_first)


def torch_stack(D, H, L, bi, bf, dtype=torch.float64, seed=0, bias=True):
    torch.manual_seed(seed)
    module = torch.nn.LSTM(D, H, num_layers=L, bidirectional=bi, batch_first=bf, bias=bias,
                           dtype=dtype)
    with torch.no_grad():
        for name, p in module.named_parameters():
            if name.startswith("bias_hh"):
                p.normal_()  # two different, non-zero biases
    return module


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("stack", STACKS)
def test_forward_layers_matches_nn_lstm(stack, dtype):
    L, bi, bf = stack
    T, B, D, H, k = 5, 3, 4, 3, 2 if bi else 1
    tdtype = torch.float64 if dtype == np.float64 else torch.float32
    module = torch_stack(D, H, L, bi, bf, dtype=tdtype, seed=L + 2 * bi + 4 * bf)
    rng = np.random.default_rng(L)
    X = rng.normal(size=(B, T, D) if bf else (T, B, D)).astype(dtype)
    h0, c0 = (rng.normal(size=(L * k, B, H)).astype(dtype) for _ in range(2))
    with torch.no_grad():
        out_t, (hn_t, cn_t) = module(torch.from_numpy(X),
                                     (torch.from_numpy(h0), torch.from_numpy(c0)))
    layers = lstm.from_state_dict(module.state_dict())
    assert len(layers) == L and all(len(cells) == k for cells in layers)
    out, (hn, cn) = lstm.forward_layers(X, layers, h0, c0, batch_first=bf)
    assert out.shape == tuple(out_t.shape) == ((B, T, k * H) if bf else (T, B, k * H))
    assert hn.shape == cn.shape == (L * k, B, H)
    assert out.dtype == hn.dtype == cn.dtype == dtype
    for ours, theirs in ((out, out_t), (hn, hn_t), (cn, cn_t)):
        np.testing.assert_allclose(ours, theirs.numpy(), rtol=0, atol=TOL[dtype])


def test_forward_layers_unbatched_default_state_and_module_input():
    module = torch_stack(3, 4, 2, True, True, seed=7)
    x = torch.randn(6, 3, dtype=torch.float64)  # (T, D): batch_first does not apply
    with torch.no_grad():
        out_t, (hn_t, cn_t) = module(x)
    out, (hn, cn) = lstm.forward_layers(x.numpy(), lstm.from_state_dict(module), batch_first=True)
    assert out.shape == (6, 8) and hn.shape == cn.shape == (4, 4)
    np.testing.assert_allclose(out, out_t.numpy(), rtol=0, atol=1e-12)
    np.testing.assert_allclose(cn, cn_t.numpy(), rtol=0, atol=1e-12)


def test_one_layer_one_direction_is_forward():
    p, X, h0, c0 = make_inputs(5, 2, 3, 4, seed=40)
    out, (hT, cT), _ = lstm.forward(X, p, h0, c0)
    out_l, (hn, cn) = lstm.forward_layers(X, [p], h0[None], c0[None])
    np.testing.assert_array_equal(out_l, out)
    np.testing.assert_array_equal(hn[0], hT)
    np.testing.assert_array_equal(cn[0], cT)


def test_bidirectional_final_states_and_the_output_minus_one_trap():
    layers = lstm.init_layers(2, 3, 2, bidirectional=True, rng=41)
    X = np.random.default_rng(41).normal(size=(6, 4, 2))
    out, (hn, cn) = lstm.forward_layers(X, layers)
    H = 3
    np.testing.assert_array_equal(out[-1, :, :H], hn[-2])  # top layer, forward: last step
    np.testing.assert_array_equal(out[0, :, H:], hn[-1])  # top layer, backward: first step
    assert np.abs(out[-1, :, H:] - hn[-1]).max() > 1e-3  # output[-1] is not h_n's backward
    # The backward direction is a forward pass over the reversed sequence.
    backward_top_input = lstm.forward_layers(X, layers[:1])[0][::-1]
    rev, (h_rev, _), _ = lstm.forward(backward_top_input, layers[1][1])
    np.testing.assert_allclose(rev[::-1], out[:, :, H:], rtol=0, atol=1e-15)
    np.testing.assert_allclose(h_rev, hn[-1], rtol=0, atol=1e-15)


def test_batch_first_changes_output_layout_but_not_the_states():
    layers = lstm.init_layers(3, 4, 2, bidirectional=True, rng=42)
    X = np.random.default_rng(42).normal(size=(5, 2, 3))  # (T, B, D)
    h0 = np.random.default_rng(43).normal(size=(4, 2, 4))
    out_t, (hn_t, cn_t) = lstm.forward_layers(X, layers, h0)
    out_b, (hn_b, cn_b) = lstm.forward_layers(X.transpose(1, 0, 2), layers, h0, batch_first=True)
    np.testing.assert_array_equal(out_b, out_t.transpose(1, 0, 2))
    np.testing.assert_array_equal(hn_b, hn_t)  # (L*k, B, H) either way
    np.testing.assert_array_equal(cn_b, cn_t)


@pytest.mark.parametrize("stack", STACKS)
def test_state_dict_round_trips(stack):
    L, bi, bf = stack
    layers = lstm.init_layers(3, 2, L, bidirectional=bi, rng=44)
    state = lstm.to_state_dict(layers)
    module = torch.nn.LSTM(3, 2, num_layers=L, bidirectional=bi, batch_first=bf,
                           dtype=torch.float64)
    module.load_state_dict({name: torch.from_numpy(a) for name, a in state.items()})  # strict
    again = lstm.from_state_dict(module.state_dict())
    for cells, cells_again in zip(layers, again, strict=True):
        for p, q in zip(cells, cells_again, strict=True):
            for name, array in p.arrays().items():
                np.testing.assert_array_equal(getattr(q, name), array)
    X = np.random.default_rng(45).normal(size=(4, 5, 3))
    with torch.no_grad():
        out_t, _ = module(torch.from_numpy(X))
    out, _ = lstm.forward_layers(X, layers, batch_first=bf)
    np.testing.assert_allclose(out, out_t.numpy(), rtol=0, atol=1e-12)


def test_init_layers_shapes_and_parameter_count():
    D, H, L = 3, 5, 3
    for bi in (False, True):
        k = 2 if bi else 1
        layers = lstm.init_layers(D, H, L, bidirectional=bi, rng=0, dtype=np.float32)
        assert [p.input_size for p in layers[0]] == [D] * k
        assert all(p.input_size == k * H for cells in layers[1:] for p in cells)
        assert layers[0][0].dtype == np.float32
        n_numpy = sum(a.size for a in lstm.to_state_dict(layers).values())
        n_torch = sum(p.numel() for p in torch.nn.LSTM(D, H, L, bidirectional=bi).parameters())
        assert n_numpy == n_torch == k * (4 * H * (D + H) + 8 * H) \
            + (L - 1) * k * (4 * H * (k * H + H) + 8 * H)


def test_from_state_dict_without_bias_and_from_arrays():
    module = torch_stack(2, 3, 2, True, False, seed=46, bias=False)
    layers = lstm.from_state_dict(module.state_dict())
    assert not layers[1][1].b_f.any()
    arrays = {k: v.numpy() for k, v in module.state_dict().items()}
    X = np.random.default_rng(46).normal(size=(4, 2, 2))
    out_a, _ = lstm.forward_layers(X, lstm.from_state_dict(arrays))
    with torch.no_grad():
        out_t, _ = module(torch.from_numpy(X))
    np.testing.assert_allclose(out_a, out_t.numpy(), rtol=0, atol=1e-12)


def test_layers_refuse_bad_input():
    layers = lstm.init_layers(3, 4, 2, bidirectional=True, rng=47)
    X = np.zeros((5, 2, 3))
    with pytest.raises(TypeError, match="non-empty list"):
        lstm.forward_layers(X, layers[0][0])
    with pytest.raises(ValueError, match="input size must be 8, got 4"):
        lstm.forward_layers(X, [layers[0], (lstm.init_params(4, 4, rng=0),) * 2])
    with pytest.raises(ValueError, match="same number of directions"):
        lstm.forward_layers(X, [layers[0], layers[1][:1]])
    with pytest.raises(ValueError, match=r"h0 must have shape \(4, 2, 4\).*batch_first"):
        lstm.forward_layers(X, layers, np.zeros((2, 4, 4)))
    with pytest.raises(ValueError, match=r"\(B, T, 3\) with batch_first=True, got \(2, 5, 4\)"):
        lstm.forward_layers(np.zeros((2, 5, 4)), layers, batch_first=True)
    X_nan = X.copy()
    X_nan[1, 0, 2] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        lstm.forward_layers(X_nan, layers)
    with pytest.raises(TypeError, match="float32.*float64"):
        lstm.forward_layers(X.astype(np.float32), layers)
    with pytest.raises(ValueError, match="projections"):
        lstm.from_state_dict(torch.nn.LSTM(3, 4, proj_size=2))
    state = torch.nn.LSTM(3, 4, num_layers=2).state_dict()
    del state["weight_ih_l1"]
    with pytest.raises(ValueError, match="weight_ih_l1 is missing"):
        lstm.from_state_dict(state)
    with pytest.raises(ValueError, match="unexpected entry"):
        lstm.from_state_dict({"weight": torch.zeros(3)})
    with pytest.raises(TypeError, match="state_dict"):
        lstm.from_state_dict(42)
    with pytest.raises(ValueError, match="num_layers must be a positive integer"):
        lstm.init_layers(3, 4, 0)


def test_layers_say_what_they_expect():
    with pytest.raises(TypeError, match="bidirectional must be True or False"):
        lstm.init_layers(3, 4, 1, bidirectional="no")

    class Model(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm = torch.nn.LSTM(3, 4)

    with pytest.raises(ValueError, match=r"model\.lstm\.state_dict\(\).*'lstm\.'"):
        lstm.from_state_dict(Model().state_dict())
    layers = lstm.from_state_dict(Model().lstm)  # the submodule itself is fine
    assert len(layers) == 1 and layers[0][0].hidden_size == 4
