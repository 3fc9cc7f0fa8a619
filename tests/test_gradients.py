"""lstm_lib.gradients against PyTorch autograd, against BPTT, and against the bounds."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

from lstm_lib import gradients, lstm, rnn  # noqa: E402


def torch_rnn_jacobian(p, X, t):
    """∂h_T/∂h_t by autograd: run steps t+1..T from a leaf h_t."""
    outputs, _, _ = rnn.forward(X, p)
    H = p.hidden_size
    W_hh = torch.from_numpy(p.W[:, :H])
    W_xh = torch.from_numpy(p.W[:, H:])
    b = torch.from_numpy(p.b)
    Xt = torch.from_numpy(X)
    h_t = torch.from_numpy(outputs[t - 1] if t > 0 else np.zeros(H))

    def run(h):
        for k in range(t, X.shape[0]):
            h = torch.tanh(W_hh @ h + W_xh @ Xt[k] + b)
        return h

    return torch.autograd.functional.jacobian(run, h_t).numpy()


def torch_lstm_state_jacobian(p, X, t):
    """∂(h_T, c_T)/∂(h_t, c_t) by autograd, through torch.nn.LSTMCell."""
    H = p.hidden_size
    outputs, _, cache = lstm.forward(X, p)
    cell = lstm.to_torch(p, cell=True)
    Xt = torch.from_numpy(X)
    s_t = torch.from_numpy(np.concatenate([cache.h[t, 0], cache.c[t, 0]]))

    def run(s):
        h, c = s[:H][None], s[H:][None]
        for k in range(t, X.shape[0]):
            h, c = cell(Xt[k][None], (h, c))
        return torch.cat([h[0], c[0]])

    return torch.autograd.functional.jacobian(run, s_t).numpy()


@pytest.mark.parametrize("scale", [0.5, 1.0, 2.5])
def test_rnn_norms_match_autograd(scale):
    rng = np.random.default_rng(1)
    T, D, H = 7, 3, 5
    p = gradients.scaled_rnn_params(D, H, scale, rng=rng)
    X = rng.normal(size=(T, D))
    norms = gradients.rnn_gradient_norms(p, X)
    fro = gradients.rnn_gradient_norms(p, X, ord="fro")
    assert norms.shape == (T + 1,) and norms[T] == pytest.approx(1.0)
    for t in range(T):
        J = torch_rnn_jacobian(p, X, t)
        assert norms[t] == pytest.approx(np.linalg.norm(J, 2), rel=1e-10)
        assert fro[t] == pytest.approx(np.linalg.norm(J, "fro"), rel=1e-10)


def test_rnn_jacobian_product_is_what_bptt_sends_back():
    rng = np.random.default_rng(2)
    T, D, H = 9, 2, 4
    p = gradients.scaled_rnn_params(D, H, 1.7, rng=rng)
    X = rng.normal(size=(T, D))
    h0 = rng.normal(size=H) * 0.3
    J = gradients.rnn_step_jacobians(p, X, h0)
    P = np.eye(H)
    for k in range(T, 0, -1):
        P = P @ J[k - 1]
    v = rng.normal(size=H)
    _, _, cache = rnn.forward(X, p, h0)
    _, dh0, _ = rnn.backward(None, cache, d_final=v)
    np.testing.assert_allclose(dh0, P.T @ v, rtol=1e-10, atol=1e-12)


def test_scaled_params_have_the_requested_spectral_norm():
    for scale in (0.3, 1.0, 4.0):
        p = gradients.scaled_rnn_params(3, 6, scale, rng=0)
        singular = np.linalg.svd(p.W[:, :6], compute_uv=False)
        np.testing.assert_allclose(singular, scale, rtol=1e-12)
    Q = gradients.orthogonal(5, rng=3)
    np.testing.assert_allclose(Q @ Q.T, np.eye(5), atol=1e-12)


def test_vanishing_bound_holds():
    # tanh' <= 1, so ||∂h_T/∂h_t|| <= ||W_hh||^(T - t), for every seed
    for scale in (0.5, 0.9, 1.0):
        runs = gradients.rnn_norms_by_distance(scale, T=40, seeds=range(4))
        bound = scale ** np.arange(41)
        assert np.all(runs <= bound * (1 + 1e-9))


def test_exploding_case_grows():
    runs = gradients.rnn_norms_by_distance(3.0, T=40, hidden_size=32, seeds=range(4))
    assert np.all(runs[:, 40] > 1e4)
    runs = gradients.rnn_norms_by_distance(0.5, T=40, hidden_size=32, seeds=range(4))
    assert np.all(runs[:, 40] < 0.5**40 * 1.0001)


@pytest.mark.parametrize("t", [0, 3, 5])
def test_lstm_state_jacobian_matches_autograd(t):
    rng = np.random.default_rng(4)
    T, D, H = 6, 3, 4
    p = lstm.init_params(D, H, rng=rng)
    for array in p.arrays().values():
        array *= 2.0
    X = rng.normal(size=(T, D))
    J_torch = torch_lstm_state_jacobian(p, X, t)
    norms = gradients.lstm_gradient_norms(p, X)
    assert norms["state"][t] == pytest.approx(np.linalg.norm(J_torch, 2), rel=1e-9)
    assert norms["hidden"][t] == pytest.approx(np.linalg.norm(J_torch[:H, :H], 2), rel=1e-9)
    assert norms["cell"][t] == pytest.approx(np.linalg.norm(J_torch[H:, H:], 2), rel=1e-9)
    _, _, cache = lstm.forward(X, p)
    f_prod = np.prod(cache.f[t:, 0], axis=0)
    assert norms["carousel"][t] == pytest.approx(np.max(f_prod), rel=1e-12)
    for name in norms:
        assert norms[name][T] == pytest.approx(1.0)


def test_lstm_step_jacobian_blocks():
    rng = np.random.default_rng(5)
    p = lstm.init_params(2, 3, rng=rng)
    X = rng.normal(size=(4, 2))
    J = gradients.lstm_step_jacobians(p, X)
    _, _, cache = lstm.forward(X, p)
    for k in range(4):
        np.testing.assert_allclose(J["cc"][k], np.diag(cache.f[k, 0]))
    assert J["full"].shape == (4, 6, 6)
    np.testing.assert_array_equal(J["full"][:, 3:, 3:], J["cc"])


def test_clip_by_global_norm_matches_torch():
    rng = np.random.default_rng(6)
    grads = [rng.normal(size=(3, 4)) * 10, rng.normal(size=4) * 10]
    clipped, norm = gradients.clip_by_global_norm(grads, 1.5)
    assert norm == pytest.approx(np.sqrt(sum(np.sum(g**2) for g in grads)))
    assert gradients.global_norm(clipped) == pytest.approx(1.5)
    tensors = [torch.tensor(g, requires_grad=True) for g in grads]
    for tensor, g in zip(tensors, grads, strict=True):
        tensor.grad = torch.tensor(g)
    torch_norm = torch.nn.utils.clip_grad_norm_(tensors, 1.5)
    assert float(torch_norm) == pytest.approx(norm)
    for tensor, c in zip(tensors, clipped, strict=True):
        np.testing.assert_allclose(tensor.grad.numpy(), c, rtol=1e-5)
    # below the threshold: unchanged, and not the same objects
    small, small_norm = gradients.clip_by_global_norm(clipped, 10.0)
    for a, b in zip(small, clipped, strict=True):
        np.testing.assert_array_equal(a, b)
    assert small_norm == pytest.approx(1.5)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_draw_gradient_norms(lang):
    fig = gradients.draw_gradient_norms([0.5, 3.0], T=20, hidden_size=8, seeds=(0,), lang=lang)
    ax = fig.axes[0]
    assert ax.get_yscale() == "log"
    assert ("시간 거리" in ax.get_xlabel()) == (lang == "ko")
    plt.close(fig)
    fig = gradients.draw_gradient_norms(1.0, T=10, hidden_size=4, seeds=(0, 1), lang=lang,
                                        show_bound=False)
    plt.close(fig)


def test_draw_norms_panel_works_with_the_widgets_helpers():
    from lstm_lib.widgets import render_png, static_twin

    png = render_png(gradients.draw_norms_panel, {"scale": 2.0, "T": 15}, lang="en")
    assert png[:4] == b"\x89PNG"
    presets = [{"scale": 0.8, "T": 10}, {"scale": 3.0, "T": 10}]
    fig = static_twin(gradients.draw_norms_panel, presets, lang="ko")
    assert len(fig.subfigs) == 2
