"""Chapter 10's additions to lstm_lib.gradients: the central-difference check, truncated
BPTT and input gradients through time, against PyTorch autograd and lstm.backward."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from lstm_lib import gradients, lstm
from lstm_lib.exercises import check
from lstm_lib.models import SequenceModel


def small_lstm(D=3, H=4, T=7, B=2, seed=0, dtype=np.float64, forget_bias=None):
    rng = np.random.default_rng(seed)
    p = lstm.init_params(D, H, rng=rng, dtype=dtype, forget_bias=forget_bias)
    X = rng.normal(size=(T, B, D)).astype(dtype)
    return p, X, rng


def rel_error(a, b):
    return np.abs(a - b).max() / np.abs(b).max()


# --- central_difference ---------------------------------------------------------------


def test_central_difference_matches_a_known_gradient_and_restores_the_array():
    x = np.array([[0.3, -1.2], [2.0, 0.7]])
    before = x.copy()
    grad = gradients.central_difference(lambda: np.sum(np.sin(x) * x), x)
    np.testing.assert_allclose(grad, np.cos(x) * x + np.sin(x), rtol=1e-8)
    assert np.array_equal(x, before)  # every entry put back bit for bit


def test_central_difference_checks_lstm_backward_in_float64():
    p, X, rng = small_lstm()
    dY = rng.normal(size=(X.shape[0], X.shape[1], p.hidden_size))

    def loss():
        out, _, _ = lstm.forward(X, p)
        return np.sum(dY * out)

    _, _, cache = lstm.forward(X, p)
    dX, _, grads = lstm.backward(dY, cache)
    assert rel_error(gradients.central_difference(loss, X), dX) < 1e-7
    for name, array in p.arrays().items():
        assert rel_error(gradients.central_difference(loss, array), getattr(grads, name)) < 1e-7


def test_central_difference_refuses_what_cannot_work():
    x32 = np.ones(3, dtype=np.float32)
    with pytest.raises(TypeError, match="float64"):
        gradients.central_difference(lambda: float(x32.sum()), x32)
    with pytest.raises(TypeError, match="NumPy array"):
        gradients.central_difference(lambda: 0.0, [1.0, 2.0])
    x = np.ones(3)
    with pytest.raises(ValueError, match="one number"):
        gradients.central_difference(lambda: x * 2, x)
    with pytest.raises(ValueError, match="eps"):
        gradients.central_difference(lambda: x.sum(), x, eps=0.0)
    with pytest.raises(ValueError, match="returned nan"):
        gradients.central_difference(lambda: x.sum() * np.nan, x)
    assert np.array_equal(x, np.ones(3))  # restored after the failure too


# --- truncated_lstm_backward ----------------------------------------------------------


def torch_truncated(p, X, dY, window):
    """Truncated BPTT as PyTorch users write it: detach the state at every chunk start."""
    module = lstm.to_torch(p)  # float64 nn.LSTM
    x = torch.tensor(X, requires_grad=True)
    T, B, _ = X.shape
    H = p.hidden_size
    h = torch.zeros(1, B, H, dtype=torch.float64)
    c = torch.zeros(1, B, H, dtype=torch.float64)
    total = 0.0
    for start in range(0, T, window):
        out, (h, c) = module(x[start:start + window], (h.detach(), c.detach()))
        total = total + (torch.from_numpy(dY[start:start + window]) * out).sum()
    total.backward()
    grads = lstm.from_fused(*(getattr(module, n).grad.numpy() for n in
                              ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0")))
    return x.grad.numpy(), grads


@pytest.mark.parametrize("window", [1, 2, 3, 7])
def test_truncated_backward_matches_pytorch_with_detach(window):
    p, X, rng = small_lstm(T=7)
    dY = rng.normal(size=(7, X.shape[1], p.hidden_size))
    _, _, cache = lstm.forward(X, p)
    dX, grads = gradients.truncated_lstm_backward(dY, cache, window)
    dX_torch, grads_torch = torch_truncated(p, X, dY, window)
    np.testing.assert_allclose(dX, dX_torch, rtol=0, atol=1e-12)
    for name, array in grads.arrays().items():
        np.testing.assert_allclose(array, getattr(grads_torch, name), rtol=0, atol=1e-12)


def test_truncated_backward_with_a_long_window_is_full_bptt():
    p, X, rng = small_lstm(T=6)
    dY = rng.normal(size=(6, X.shape[1], p.hidden_size))
    d_final = (rng.normal(size=(X.shape[1], p.hidden_size)), None)
    _, _, cache = lstm.forward(X, p)
    dX, grads = gradients.truncated_lstm_backward(dY, cache, 50, d_final)
    dX_full, _, grads_full = lstm.backward(dY, cache, d_final)
    np.testing.assert_allclose(dX, dX_full, rtol=0, atol=1e-14)
    for name, array in grads.arrays().items():
        np.testing.assert_allclose(array, getattr(grads_full, name), rtol=0, atol=1e-14)


def test_truncated_backward_reaches_no_further_back_than_the_window():
    p, X, rng = small_lstm(T=10)
    _, _, cache = lstm.forward(X, p)
    dh_T = rng.normal(size=(X.shape[1], p.hidden_size))
    dX, _ = gradients.truncated_lstm_backward(None, cache, 5, (dh_T, None))
    assert np.all(dX[:5] == 0)  # exactly zero before the last chunk
    assert np.all(np.abs(dX[5:]).sum(axis=-1) > 0)
    dX_full, _, _ = lstm.backward(None, cache, (dh_T, None))
    np.testing.assert_allclose(dX[5:], dX_full[5:], rtol=0, atol=1e-14)  # same inside it


def test_truncated_backward_unbatched_and_float32():
    p, X, rng = small_lstm(T=6, B=1)
    dY = rng.normal(size=(6, p.hidden_size))
    _, _, cache = lstm.forward(X[:, 0], p)
    dX, grads = gradients.truncated_lstm_backward(dY, cache, 4)
    assert dX.shape == (6, 3)
    p32 = p.astype(np.float32)
    _, _, cache32 = lstm.forward(X[:, 0].astype(np.float32), p32)
    dX32, grads32 = gradients.truncated_lstm_backward(dY.astype(np.float32), cache32, 4)
    assert dX32.dtype == np.float32 and grads32.W_f.dtype == np.float32
    np.testing.assert_allclose(dX32, dX, rtol=0, atol=1e-5)
    np.testing.assert_allclose(grads32.W_f, grads.W_f, rtol=0, atol=1e-5)


def test_truncated_backward_rejects_bad_input():
    p, X, _ = small_lstm()
    _, _, cache = lstm.forward(X, p)
    for window in (0, -3, 2.5, True):
        with pytest.raises(ValueError, match="window"):
            gradients.truncated_lstm_backward(None, cache, window)
    with pytest.raises(ValueError, match="shape"):
        gradients.truncated_lstm_backward(np.zeros((7, 2, 5)), cache, 3)
    with pytest.raises(TypeError, match="LSTMCache"):
        gradients.truncated_lstm_backward(None, {"h": 1}, 3)
    bad = np.zeros((7, 2, 4))
    bad[3, 1, 2] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        gradients.truncated_lstm_backward(bad, cache, 3)


# --- lstm_input_gradient_norms and input_gradient_norms --------------------------------


def test_lstm_input_gradient_norms_match_autograd():
    p, X, rng = small_lstm(T=9, B=3, forget_bias=1.0)
    readout = rng.normal(size=p.hidden_size)
    norms = gradients.lstm_input_gradient_norms(p, X, readout)
    module = lstm.to_torch(p)
    x = torch.tensor(X, requires_grad=True)
    out, _ = module(x)
    (out[-1] @ torch.from_numpy(readout)).sum().backward()
    np.testing.assert_allclose(norms, x.grad.norm(dim=-1).numpy(), rtol=1e-10, atol=0)
    one = gradients.lstm_input_gradient_norms(p, X[:, 1], readout)
    assert one.shape == (9,)
    np.testing.assert_allclose(one, norms[:, 1], rtol=1e-12)
    with pytest.raises(ValueError, match="readout"):
        gradients.lstm_input_gradient_norms(p, X, np.ones(p.hidden_size + 1))


def torch_input_gradient_keeping(p, X, readout, keep):
    """The input gradient through an LSTM written out in PyTorch, with the state that
    is not in ``keep`` detached at every step: the reference for ``keep``."""
    W_x, W_h, b = (torch.from_numpy(a) for a in lstm.fused_weights(p))
    H = p.hidden_size
    x = torch.tensor(X, requires_grad=True)
    h = torch.zeros(X.shape[1], H, dtype=torch.float64)
    c = torch.zeros_like(h)
    for t in range(X.shape[0]):
        h_in = h if "h" in keep else h.detach()
        c_in = c if "c" in keep else c.detach()
        a = x[t] @ W_x + h_in @ W_h + b
        i, f, g, o = (a[:, n * H:(n + 1) * H] for n in range(4))
        c = torch.sigmoid(f) * c_in + torch.sigmoid(i) * torch.tanh(g)
        h = torch.sigmoid(o) * torch.tanh(c)
    (h @ torch.from_numpy(readout)).sum().backward()
    return x.grad.norm(dim=-1).numpy()


@pytest.mark.parametrize("keep", [("h", "c"), ("c",), ("h",), ()])
def test_lstm_input_gradient_norms_keep_matches_detached_autograd(keep):
    p, X, rng = small_lstm(T=8, B=3, forget_bias=1.0)
    readout = rng.normal(size=p.hidden_size)
    norms = gradients.lstm_input_gradient_norms(p, X, readout, keep=keep)
    np.testing.assert_allclose(norms, torch_input_gradient_keeping(p, X, readout, keep),
                               rtol=1e-10, atol=1e-300)
    full = gradients.lstm_input_gradient_norms(p, X, readout)
    # the last input reaches h_T without crossing a step: the same either way
    np.testing.assert_allclose(norms[-1], full[-1], rtol=1e-12)
    if keep != ("h", "c"):
        assert not np.allclose(norms[0], full[0])
    one = gradients.lstm_input_gradient_norms(p, X[:, 2], readout, keep=keep)
    np.testing.assert_allclose(one, norms[:, 2], rtol=1e-12)
    with pytest.raises(ValueError, match="keep"):
        gradients.lstm_input_gradient_norms(p, X, readout, keep="c")
    with pytest.raises(ValueError, match="keep"):
        gradients.lstm_input_gradient_norms(p, X, readout, keep=("belt",))


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_input_gradient_norms_match_one_sequence_at_a_time(cell):
    torch.manual_seed(0)
    model = SequenceModel(cell, 2, 8, 1)
    X = np.random.default_rng(1).normal(size=(12, 5, 2)).astype(np.float32)
    for p in model.parameters():
        p.grad = None
    model.train()
    norms = gradients.input_gradient_norms(model, X)
    assert norms.shape == (12, 5)
    assert model.training and all(p.grad is None for p in model.parameters())
    for b in range(5):
        x = torch.tensor(X[:, b:b + 1], requires_grad=True)
        model(x).sum().backward()
        np.testing.assert_allclose(norms[:, b], x.grad[:, 0].norm(dim=-1).numpy(),
                                   rtol=1e-5, atol=1e-8)


def test_input_gradient_norms_rejects_bad_input():
    torch.manual_seed(0)
    model = SequenceModel("lstm", 2, 8, 3)  # three outputs per sequence: not one prediction
    with pytest.raises(ValueError, match="one prediction"):
        gradients.input_gradient_norms(model, np.zeros((4, 2, 2)))
    model = SequenceModel("lstm", 2, 8, 1)
    with pytest.raises(ValueError, match="shape"):
        gradients.input_gradient_norms(model, np.zeros((4, 2)))
    bad = np.zeros((4, 2, 2))
    bad[1, 0, 0] = np.inf
    with pytest.raises(ValueError, match="NaN"):
        gradients.input_gradient_norms(model, bad)


# --- chapter 10's exercises: plausible correct answers pass ---------------------------
# (tests/test_exercises.py checks that the reference passes and the wrong versions fail.)



def _quiet(name, fn):
    return check(name, fn, lang="en", verbose=False)


def test_cell_backward_accepts_other_correct_forms():
    def with_torch(dh, dc, f, i, g, o, c_prev, c):
        # autograd through the forward formulas, from the pre-activations
        def logit(s):
            return torch.log(s / (1 - s))

        a = [logit(torch.tensor(f)), logit(torch.tensor(i)), torch.atanh(torch.tensor(g)),
             logit(torch.tensor(o))]
        c_prev_t = torch.tensor(c_prev, requires_grad=True)
        for t in a:
            t.requires_grad_(True)
        ft, it, gt, ot = torch.sigmoid(a[0]), torch.sigmoid(a[1]), torch.tanh(a[2]), \
            torch.sigmoid(a[3])
        c_new = ft * c_prev_t + it * gt
        h_new = ot * torch.tanh(c_new)
        (h_new @ torch.tensor(dh) + c_new @ torch.tensor(dc)).backward()
        return tuple(t.grad.numpy() for t in a) + (c_prev_t.grad.numpy(),)

    def as_list(dh, dc, f, i, g, o, c_prev, c):
        t = np.tanh(c)
        d = dc + dh * o * (1.0 - t * t)
        return [d * c_prev * f * (1 - f), d * g * i * (1 - i), d * i * (1 - g * g),
                dh * t * o * (1 - o), d * f]

    assert _quiet("10.cell_backward", with_torch)
    assert _quiet("10.cell_backward", as_list)


def test_weight_gradient_accepts_other_correct_forms():
    assert _quiet("10.weight_gradient", lambda da, z: (da.T @ z, da.sum(axis=0)))
    assert _quiet("10.weight_gradient",
                  lambda da, z: (np.einsum("th,tk->hk", da, z), np.sum(da, 0)))
    assert _quiet("10.weight_gradient", lambda da, z: [
        sum(np.outer(a, b) for a, b in zip(da, z, strict=True)), da.sum(0)])


def test_central_difference_accepts_other_correct_forms():
    def in_place_and_restored(f, x, eps):
        grad = np.zeros_like(x)
        flat, out = x.reshape(-1), grad.reshape(-1)
        for j in range(flat.size):
            old = flat[j]
            flat[j] = old + eps
            up = f(x)
            flat[j] = old - eps
            down = f(x)
            flat[j] = old
            out[j] = (up - down) / (2 * eps)
        return grad

    def own_eps(f, x, eps):  # ignores eps and uses 1e-6: still central, still accurate
        y = x.copy()
        return gradients.central_difference(lambda: f(y), y, eps=1e-6)

    assert _quiet("10.central_difference", in_place_and_restored)
    assert _quiet("10.central_difference", own_eps)


def test_central_difference_reference_takes_the_statements_hand_example():
    # x = 3 written as an integer array must not truncate the 0.1 step to 0
    from lstm_lib.exercises import ch10

    grad = ch10.central_difference(lambda y: float(y[0] ** 2), np.array([3]), 0.1)
    assert grad.dtype == np.float64 and abs(grad[0] - 6.0) < 1e-12
