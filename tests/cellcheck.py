"""Helpers shared by the tests of the NumPy cells (test_rnn_gru.py, test_rnn.py, test_gru.py,
test_lstm.py): random inputs, the PyTorch twin's forward pass, and central differences."""

from __future__ import annotations

import numpy as np
import torch


def make_inputs(cell, T, B, D, H, dtype=np.float64, seed=0):
    rng = np.random.default_rng(seed)
    p = cell.init_params(D, H, rng=rng, dtype=dtype)
    for array in p.arrays().values():  # larger weights: gates away from 0.5, a harder test
        array *= 2.0
    X = rng.normal(size=(T, B, D)).astype(dtype)
    h0 = rng.normal(size=(B, H)).astype(dtype)
    return p, X, h0


def torch_forward(cell, p, X, h0):
    module = cell.to_torch(p)
    Xt = torch.from_numpy(X).requires_grad_()
    h0t = torch.from_numpy(h0).unsqueeze(0).requires_grad_()
    out, hT = module(Xt, h0t)
    return module, (Xt, h0t), out, hT[0]


def rel_error(a, b):
    scale = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if scale == 0 else float(np.linalg.norm(a - b) / scale)


def numerical_gradient(loss, array, eps=1e-6):
    """Central differences of ``loss()`` with respect to ``array`` (perturbed in place)."""
    grad = np.zeros_like(array)
    for index in np.ndindex(array.shape):
        old = array[index]
        array[index] = old + eps
        up = loss()
        array[index] = old - eps
        down = loss()
        array[index] = old
        grad[index] = (up - down) / (2 * eps)
    return grad
