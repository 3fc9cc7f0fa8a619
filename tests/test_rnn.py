"""lstm_lib.rnn: what the other NumPy cells do not share (chapter 01)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from cellcheck import make_inputs as make_cell_inputs

from lstm_lib import rnn

# What only lstm_lib.rnn has; the tests it shares with the other cell are in
# test_rnn_gru.py.


def make_inputs(*args, **kwargs):
    return make_cell_inputs(rnn, *args, **kwargs)


def test_step_equals_the_equation_with_two_matrices():
    p, X, h0 = make_inputs(1, 1, 3, 2, seed=40)
    x, h = X[0, 0], h0[0]
    W_hh, W_xh = p.W[:, :2], p.W[:, 2:]
    h_new, cache = rnn.step(x, h, p)
    np.testing.assert_allclose(h_new, np.tanh(W_hh @ h + W_xh @ x + p.b), rtol=0, atol=1e-15)
    np.testing.assert_array_equal(cache["z"], np.concatenate([h, x]))


def test_refuses_relu_rnn():
    with pytest.raises(ValueError, match="tanh"):
        rnn.from_torch(torch.nn.RNN(2, 3, nonlinearity="relu"))


def test_gradient_through_time_vanishes_with_small_weights():
    """Chapter 02's claim in miniature: |dL/dx_t| shrinks geometrically going back."""
    p, X, h0 = make_inputs(30, 1, 2, 8, seed=41)
    p.W *= 0.3
    _, _, cache = rnn.forward(X, p, h0)
    dX, _, _ = rnn.backward(None, cache, np.ones((1, 8)))
    norms = np.linalg.norm(dX[:, 0], axis=1)
    assert norms[0] < 1e-6 * norms[-1]
