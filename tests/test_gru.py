"""lstm_lib.gru: what the other NumPy cells do not share (chapter 13)."""

from __future__ import annotations

import numpy as np
from cellcheck import make_inputs as make_cell_inputs

from lstm_lib import gru

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
