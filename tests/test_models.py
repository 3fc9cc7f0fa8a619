"""lstm_lib.models: the from-scratch LSTM equals nn.LSTM; SequenceModel's shapes and training."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from lstm_lib import lstm
from lstm_lib.models import LSTMFromScratch, SequenceModel


@pytest.fixture(autouse=True)
def one_torch_thread():
    """Tiny models: one thread is faster, and steady when other jobs keep the CPUs busy."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def pair(D=3, H=5, dtype=torch.float64, batch_first=False, seed=0):
    torch.manual_seed(seed)
    reference = torch.nn.LSTM(D, H, batch_first=batch_first, dtype=dtype)
    with torch.no_grad():
        reference.bias_hh_l0.normal_()  # two different, non-zero biases
    scratch = LSTMFromScratch(D, H, batch_first=batch_first, dtype=dtype)
    scratch.load_state_dict(reference.state_dict())  # strict: same names and shapes
    return reference, scratch


def test_parameters_have_nn_lstm_names_and_shapes():
    reference = torch.nn.LSTM(3, 5)
    scratch = LSTMFromScratch(3, 5)
    assert {n: p.shape for n, p in scratch.named_parameters()} == \
        {n: p.shape for n, p in reference.named_parameters()}
    assert scratch.weight_hh_l0.abs().max() <= 1 / np.sqrt(5)
    assert scratch.weight_hh_l0.abs().max() > 0


@pytest.mark.parametrize("dtype,tol", [(torch.float64, 1e-12), (torch.float32, 1e-5)])
@pytest.mark.parametrize("shape", [(1, 1, 1, 1), (7, 3, 2, 5), (4, 2, 6, 3)])
def test_outputs_and_gradients_equal_nn_lstm(shape, dtype, tol):
    T, B, D, H = shape
    reference, scratch = pair(D, H, dtype=dtype, seed=sum(shape))
    x = torch.randn(T, B, D, dtype=dtype)
    h0, c0 = torch.randn(1, B, H, dtype=dtype), torch.randn(1, B, H, dtype=dtype)
    results = []
    for module in (reference, scratch):
        out, (hn, cn) = module(x, (h0, c0))
        (out.square().sum() + hn.sum() + cn.sum()).backward()
        grads = [p.grad.clone() for p in module.parameters()]
        results.append((out, hn, cn, grads))
    (out_r, hn_r, cn_r, g_r), (out_s, hn_s, cn_s, g_s) = results
    assert out_s.shape == out_r.shape and hn_s.shape == hn_r.shape == (1, B, H)
    for a, b in [(out_r, out_s), (hn_r, hn_s), (cn_r, cn_s), *zip(g_r, g_s, strict=True)]:
        torch.testing.assert_close(b, a, rtol=tol, atol=tol)


def test_batch_first_unbatched_and_default_state():
    reference, scratch = pair(batch_first=True, seed=3)
    x = torch.randn(2, 6, 3, dtype=torch.float64)  # (B, T, D)
    with torch.no_grad():
        out_r, (hn_r, _) = reference(x)
        out_s, (hn_s, _) = scratch(x)
        torch.testing.assert_close(out_s, out_r, rtol=0, atol=1e-12)
        torch.testing.assert_close(hn_s, hn_r, rtol=0, atol=1e-12)
        out_r, (hn_r, cn_r) = reference(x[0])  # unbatched (T, D)
        out_s, (hn_s, cn_s) = scratch(x[0])
    assert out_s.shape == out_r.shape == (6, 5) and hn_s.shape == hn_r.shape == (1, 5)
    torch.testing.assert_close(out_s, out_r, rtol=0, atol=1e-12)
    torch.testing.assert_close(cn_s, cn_r, rtol=0, atol=1e-12)


def test_agrees_with_the_numpy_lstm():
    reference, scratch = pair(seed=4)
    x = torch.randn(5, 2, 3, dtype=torch.float64)
    with torch.no_grad():
        out_s, _ = scratch(x)
    out_np, _, _ = lstm.forward(x.numpy(), lstm.from_torch(reference))
    np.testing.assert_allclose(out_s.numpy(), out_np, rtol=0, atol=1e-12)


def test_from_scratch_rejects_wrong_input():
    with pytest.raises(ValueError, match=r"\(T, B, 3\).*\(4, 2, 5\)"):
        LSTMFromScratch(3, 4)(torch.zeros(4, 2, 5))
    with pytest.raises(ValueError, match="hidden_size"):
        LSTMFromScratch(3, 0)


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
@pytest.mark.parametrize("num_layers", [1, 2])
def test_sequence_model_shapes(cell, num_layers):
    torch.manual_seed(0)
    x = torch.randn(7, 4, 3)
    last = SequenceModel(cell, 3, 8, 2, num_layers)
    every = SequenceModel(cell, 3, 8, 2, num_layers, every_step=True)
    assert last(x).shape == (4, 2)
    assert every(x).shape == (7, 4, 2)
    assert type(last.rnn).__name__ == cell.upper() and last.rnn.num_layers == num_layers
    bf = SequenceModel(cell, 3, 8, 2, num_layers, every_step=True, batch_first=True)
    assert bf(x.transpose(0, 1)).shape == (4, 7, 2)
    # The last-step prediction is the read-out of the last hidden state.
    with torch.no_grad():
        outputs, _ = last.rnn(x)
        torch.testing.assert_close(last(x), last.head(outputs[-1]))
        bf.load_state_dict(every.state_dict())
        torch.testing.assert_close(bf(x.transpose(0, 1)), every(x).transpose(0, 1))


def test_sequence_model_rejects_unknown_cell_and_bad_shape():
    with pytest.raises(ValueError, match="cell must be one of .*'transformer'"):
        SequenceModel("transformer", 1, 2, 1)
    with pytest.raises(ValueError, match=r"\(T, B, D\)"):
        SequenceModel("lstm", 1, 2, 1)(torch.zeros(5, 1))


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_sequence_model_learns_a_running_sum(cell):
    torch.manual_seed(0)
    x = torch.randn(4, 32, 2)
    y = x.sum(dim=(0, 2)).unsqueeze(1)  # the sum of everything seen
    model = SequenceModel(cell, 2, 8, 1)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
    losses = []
    for _ in range(60):
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert losses[-1] < 0.1 * losses[0]


@pytest.mark.parametrize("num_layers, bidirectional", [(1, False), (2, True)])
def test_set_forget_bias_makes_the_effective_forget_bias_exact(num_layers, bidirectional):
    from lstm_lib.models import set_forget_bias

    torch.manual_seed(0)
    net = torch.nn.LSTM(3, 5, num_layers=num_layers, bidirectional=bidirectional)
    set_forget_bias(net, 1.0)
    for name, bias_ih in net.named_parameters():
        if name.startswith("bias_ih"):
            total = bias_ih + getattr(net, name.replace("bias_ih", "bias_hh"))
            torch.testing.assert_close(total[5:10], torch.ones(5))
            assert not torch.equal(total[:5], torch.ones(5))  # the other blocks are untouched


def test_sequence_model_forget_bias_is_for_the_lstm_only():
    torch.manual_seed(0)
    model = SequenceModel("lstm", 2, 4, 1, forget_bias=2.0)
    f_bias = model.rnn.bias_ih_l0[4:8] + model.rnn.bias_hh_l0[4:8]
    torch.testing.assert_close(f_bias, torch.full((4,), 2.0))
    with pytest.raises(ValueError, match="no forget gate"):
        SequenceModel("gru", 2, 4, 1, forget_bias=1.0)


# --- layers and directions (chapter 09) ----------------------------------------------------

STACKS = [(2, False, False), (1, True, True), (2, True, True), (3, True, False)]


def stack_pair(D, H, L, bi, bf, dtype=torch.float64, seed=0):
    torch.manual_seed(seed)
    reference = torch.nn.LSTM(D, H, L, batch_first=bf, bidirectional=bi, dtype=dtype)
    with torch.no_grad():
        for name, p in reference.named_parameters():
            if name.startswith("bias_hh"):
                p.normal_()
    scratch = LSTMFromScratch(D, H, L, batch_first=bf, bidirectional=bi, dtype=dtype)
    scratch.load_state_dict(reference.state_dict())  # strict: same names and shapes
    return reference, scratch


@pytest.mark.parametrize("stack", STACKS)
def test_stacked_parameters_have_nn_lstm_names_and_shapes(stack):
    L, bi, bf = stack
    reference = torch.nn.LSTM(3, 5, L, bidirectional=bi, batch_first=bf)
    scratch = LSTMFromScratch(3, 5, L, bidirectional=bi, batch_first=bf)
    assert [(n, p.shape) for n, p in scratch.named_parameters()] == \
        [(n, p.shape) for n, p in reference.named_parameters()]


@pytest.mark.parametrize("dtype,tol", [(torch.float64, 1e-12), (torch.float32, 1e-5)])
@pytest.mark.parametrize("stack", STACKS)
def test_stacked_outputs_and_gradients_equal_nn_lstm(stack, dtype, tol):
    L, bi, bf = stack
    T, B, D, H, k = 4, 3, 2, 3, 2 if bi else 1
    reference, scratch = stack_pair(D, H, L, bi, bf, dtype=dtype, seed=L + 2 * bi)
    x = torch.randn((B, T, D) if bf else (T, B, D), dtype=dtype)
    h0, c0 = torch.randn(L * k, B, H, dtype=dtype), torch.randn(L * k, B, H, dtype=dtype)
    results = []
    for module in (reference, scratch):
        out, (hn, cn) = module(x, (h0, c0))
        (out.square().sum() + hn.sum() + cn.square().sum()).backward()
        results.append((out, hn, cn, [p.grad.clone() for p in module.parameters()]))
    (out_r, hn_r, cn_r, g_r), (out_s, hn_s, cn_s, g_s) = results
    assert out_s.shape == out_r.shape and hn_s.shape == hn_r.shape == (L * k, B, H)
    for a, b in [(out_r, out_s), (hn_r, hn_s), (cn_r, cn_s), *zip(g_r, g_s, strict=True)]:
        torch.testing.assert_close(b, a, rtol=tol, atol=tol)


def test_stacked_unbatched_and_agrees_with_numpy_layers():
    reference, scratch = stack_pair(3, 4, 2, True, True, seed=5)
    x = torch.randn(6, 3, dtype=torch.float64)  # unbatched (T, D)
    with torch.no_grad():
        out_r, (hn_r, _) = reference(x)
        out_s, (hn_s, _) = scratch(x)
    assert out_s.shape == out_r.shape == (6, 8) and hn_s.shape == hn_r.shape == (4, 4)
    torch.testing.assert_close(out_s, out_r, rtol=0, atol=1e-12)
    out_np, (hn_np, _) = lstm.forward_layers(x.numpy(), lstm.from_state_dict(scratch))
    np.testing.assert_allclose(out_np, out_s.numpy(), rtol=0, atol=1e-12)
    np.testing.assert_allclose(hn_np, hn_s.numpy(), rtol=0, atol=1e-12)


def test_stacked_state_shapes_are_checked():
    scratch = LSTMFromScratch(3, 4, 2, bidirectional=True, batch_first=True)
    x = torch.zeros(5, 7, 3)  # (B, T, D)
    wrong = (torch.zeros(5, 4, 4), torch.zeros(5, 4, 4))  # batch first: not what nn.LSTM takes
    with pytest.raises(ValueError, match=r"h_0 must have shape \(4, 5, 4\)"):
        scratch(x, wrong)
    with pytest.raises(ValueError, match=r"\(B, T, 3\)"):
        scratch(torch.zeros(5, 7, 2))
    with pytest.raises(ValueError, match="num_layers"):
        LSTMFromScratch(3, 4, 0)


@pytest.mark.parametrize("stack", [(1, False, False), (2, True, True)])
def test_without_bias_loads_and_equals_nn_lstm(stack):
    L, bi, bf = stack
    torch.manual_seed(7)
    reference = torch.nn.LSTM(3, 4, L, bias=False, batch_first=bf, bidirectional=bi,
                              dtype=torch.float64)
    scratch = LSTMFromScratch(3, 4, L, bias=False, batch_first=bf, bidirectional=bi,
                              dtype=torch.float64)
    scratch.load_state_dict(reference.state_dict())  # strict: no bias_ih_l0 on either side
    assert not any(name.startswith("bias") for name, _ in scratch.named_parameters())
    x = torch.randn((2, 5, 3) if bf else (5, 2, 3), dtype=torch.float64)
    with torch.no_grad():
        out_r, (hn_r, cn_r) = reference(x)
        out_s, (hn_s, cn_s) = scratch(x)
    for ours, theirs in ((out_s, out_r), (hn_s, hn_r), (cn_s, cn_r)):
        torch.testing.assert_close(ours, theirs, rtol=0, atol=1e-12)


def test_from_scratch_says_what_it_expects():
    scratch = LSTMFromScratch(3, 4, 2, bidirectional=True)
    x = torch.zeros(5, 2, 3)
    with pytest.raises(TypeError, match=r"pair \(h_0, c_0\).*Tensor of shape \(4, 2, 4\)"):
        scratch(x, torch.zeros(4, 2, 4))  # h_0 alone, not (h_0, c_0)
    with pytest.raises(TypeError, match="bidirectional must be True or False"):
        LSTMFromScratch(3, 4, bidirectional="no")
    with pytest.raises(TypeError, match="bias must be True or False"):
        LSTMFromScratch(3, 4, bias=None)
