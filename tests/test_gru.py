"""lstm_lib.gru: what the other NumPy cells do not share (chapter 13)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from cellcheck import make_inputs as make_cell_inputs

from lstm_lib import gru
from lstm_lib.exercises.ch13 import gru_param_count

# What only lstm_lib.gru has; the tests it shares with the other cell are in
# test_rnn_gru.py.


def make_inputs(*args, **kwargs):
    return make_cell_inputs(gru, *args, **kwargs)


def test_step_equals_pytorchs_equations_not_chos():
    p, X, h0 = make_inputs(1, 1, 3, 2, seed=40)
    x, h, H = X[0, 0], h0[0], 2

    def sig(a):
        return 1 / (1 + np.exp(-a))

    hx = np.concatenate([h, x])
    r, z = sig(p.W_r @ hx + p.b_r), sig(p.W_z @ hx + p.b_z)
    n_pytorch = np.tanh(p.W_n[:, H:] @ x + p.b_n + r * (p.W_n[:, :H] @ h + p.b_hn))
    n_cho = np.tanh(p.W_n[:, H:] @ x + p.b_n + p.W_n[:, :H] @ (r * h) + p.b_hn)
    h_new, cache = gru.step(x, h, p)
    np.testing.assert_allclose(cache["n"], n_pytorch, rtol=0, atol=1e-15)
    np.testing.assert_allclose(h_new, (1 - z) * n_pytorch + z * h, rtol=0, atol=1e-15)
    assert np.abs(n_cho - n_pytorch).max() > 1e-3  # the two formulations really differ


def test_update_gate_near_one_keeps_the_state():
    p, X, h0 = make_inputs(10, 2, 3, 4, seed=42)
    p.b_z[:] = 50.0  # z = 1: h_t = h_{t-1}
    out, hT, _ = gru.forward(X, p, h0)
    np.testing.assert_allclose(hT, h0, rtol=0, atol=1e-12)


def test_fused_layout_is_pytorchs():
    H = 3
    p = gru.init_params(2, H, rng=0)
    fused = p.to_fused()
    for n, k in enumerate("rzn"):
        W = getattr(p, f"W_{k}")
        np.testing.assert_array_equal(fused["weight_hh"][n * H:(n + 1) * H], W[:, :H])
        np.testing.assert_array_equal(fused["weight_ih"][n * H:(n + 1) * H], W[:, H:])
    np.testing.assert_array_equal(fused["bias_ih"], np.concatenate([p.b_r, p.b_z, p.b_n]))
    np.testing.assert_array_equal(fused["bias_hh"][2 * H:], p.b_hn)
    assert not fused["bias_hh"][: 2 * H].any()


# --- the reset-before form (Cho et al., d2l), chapter 13 -------------------------------


def test_reset_before_is_chos_form_and_not_pytorchs():
    p, X, h0 = make_inputs(1, 4, 3, 5, seed=50)
    x, h, H = X[0], h0, 5
    r = 1 / (1 + np.exp(-(np.concatenate([h, x], axis=1) @ p.W_r.T + p.b_r)))
    z = 1 / (1 + np.exp(-(np.concatenate([h, x], axis=1) @ p.W_z.T + p.b_z)))
    n_cho = np.tanh(x @ p.W_n[:, H:].T + p.b_n + (r * h) @ p.W_n[:, :H].T + p.b_hn)
    h_before, cache = gru.step_reset_before(x, h, p)
    np.testing.assert_allclose(cache["n"], n_cho, rtol=0, atol=1e-14)
    np.testing.assert_allclose(h_before, (1 - z) * n_cho + z * h, rtol=0, atol=1e-14)
    with torch.no_grad():
        h_torch = gru.to_torch(p, cell=True)(torch.from_numpy(x), torch.from_numpy(h)).numpy()
    h_after, _ = gru.step(x, h, p)
    np.testing.assert_allclose(h_after, h_torch, rtol=0, atol=1e-12)
    assert np.abs(h_before - h_torch).max() > 1e-2  # measurably not nn.GRU


def test_the_two_forms_agree_when_the_reset_gate_is_one():
    p, X, h0 = make_inputs(6, 3, 2, 4, seed=51)
    p.W_r[:] = 0.0
    p.b_r[:] = 50.0  # r = 1 exactly in float64
    out_after, h_after, _ = gru.forward(X, p, h0)
    out_before, h_before = gru.forward_reset_before(X, p, h0)
    np.testing.assert_allclose(out_before, out_after, rtol=0, atol=1e-14)
    np.testing.assert_allclose(h_before, h_after, rtol=0, atol=1e-14)


def test_reset_before_moves_b_hn_into_b_n_freely_but_reset_after_does_not():
    p, X, h0 = make_inputs(5, 2, 3, 4, seed=52)
    q = p.astype(np.float64)
    q.b_n, q.b_hn = p.b_n + p.b_hn, np.zeros_like(p.b_hn)
    np.testing.assert_allclose(gru.forward_reset_before(X, q, h0)[0],
                               gru.forward_reset_before(X, p, h0)[0], rtol=0, atol=1e-14)
    assert np.abs(gru.forward(X, q, h0)[0] - gru.forward(X, p, h0)[0]).max() > 1e-3


def test_forward_reset_before_is_a_loop_of_steps_batched_and_not():
    p, X, h0 = make_inputs(5, 3, 2, 4, seed=53)
    out, hT = gru.forward_reset_before(X, p, h0)
    assert out.shape == (5, 3, 4) and hT.shape == (3, 4)
    h = h0
    for t in range(5):
        h, _ = gru.step_reset_before(X[t], h, p)
        np.testing.assert_array_equal(out[t], h)
    np.testing.assert_array_equal(hT, h)
    out_u, hT_u = gru.forward_reset_before(X[:, 1], p, h0[1])
    assert out_u.shape == (5, 4) and hT_u.shape == (4,)
    np.testing.assert_allclose(out_u, out[:, 1], rtol=0, atol=1e-15)
    out_0, _ = gru.forward_reset_before(X[:, 1], p)
    np.testing.assert_array_equal(out_0, gru.forward_reset_before(X[:, 1], p, np.zeros(4))[0])
    p32 = p.astype(np.float32)
    out32, _ = gru.forward_reset_before(X.astype(np.float32), p32, h0.astype(np.float32))
    assert out32.dtype == np.float32
    np.testing.assert_allclose(out32, out, rtol=0, atol=1e-5)


def test_reset_before_refuses_bad_input():
    p = gru.init_params(3, 4, rng=0)
    with pytest.raises(ValueError, match="shape"):
        gru.step_reset_before(np.zeros(2), np.zeros(4), p)
    with pytest.raises(ValueError, match="NaN"):
        gru.forward_reset_before(np.full((2, 3), np.nan), p)
    with pytest.raises(TypeError, match="float32"):
        gru.forward_reset_before(np.zeros((2, 3), dtype=np.float32), p)
    with pytest.raises(TypeError, match="GRUParams"):
        gru.step_reset_before(np.zeros(3), np.zeros(4), object())


# --- one-step Jacobians, chapter 13 ----------------------------------------------------


def test_step_jacobians_match_autograd_and_have_z_on_the_diagonal():
    p, X, h0 = make_inputs(6, 1, 3, 4, seed=54)
    J = gru.step_jacobians(p, X[:, 0], h0[0])
    assert J["full"].shape == J["direct"].shape == (6, 4, 4)
    out, _, cache = gru.forward(X[:, 0], p, h0[0])
    cell = gru.to_torch(p, cell=True)
    states = [h0[0]] + list(out)
    for t in range(6):
        def one_step(h, t=t):
            return cell(torch.from_numpy(X[t, 0]), h)

        J_torch = torch.autograd.functional.jacobian(one_step, torch.from_numpy(states[t]))
        np.testing.assert_allclose(J["full"][t], J_torch.numpy(), rtol=0, atol=1e-12)
        np.testing.assert_allclose(J["direct"][t], np.diag(cache.z[t, 0]), rtol=0, atol=0)


def test_step_jacobians_are_diag_z_when_only_the_shortcut_is_left():
    p, X, h0 = make_inputs(4, 1, 2, 3, seed=55)
    p.W_r[:, :3] = 0.0
    p.W_z[:, :3] = 0.0
    p.W_n[:, :3] = 0.0  # h_{t-1} reaches h_t only through z_t * h_{t-1}
    J = gru.step_jacobians(p, X[:, 0], h0[0])
    np.testing.assert_allclose(J["full"], J["direct"], rtol=0, atol=1e-15)


def test_step_jacobians_refuse_a_batch():
    p, X, _ = make_inputs(3, 2, 2, 3, seed=56)
    with pytest.raises(ValueError, match=r"\(T, D\)"):
        gru.step_jacobians(p, X)


# --- the parameter count of chapter 13 -------------------------------------------------


def test_nn_gru_parameter_count_is_3h_d_plus_h_plus_6h_and_the_exercise_agrees():
    for D, H in [(1, 1), (3, 5), (10, 20), (7, 2)]:
        module = torch.nn.GRU(D, H)
        assert sum(q.numel() for q in module.parameters()) == 3 * H * (D + H) + 6 * H
        lstm_count = sum(q.numel() for q in torch.nn.LSTM(D, H).parameters())
        assert lstm_count == 4 * H * (D + H) + 8 * H
    for D, H, layers, bidirectional in [(3, 4, 2, True), (5, 2, 3, False), (2, 6, 3, True)]:
        module = torch.nn.GRU(D, H, layers, bidirectional=bidirectional)
        expected = sum(q.numel() for q in module.parameters())
        assert gru_param_count(D, H, layers, bidirectional) == expected
