"""Tests for lstm_lib.bench: the timing and counting helpers of chapter 14."""

from __future__ import annotations

import time

import pytest
import torch

from lstm_lib.bench import autograd_nodes, onednn, parameter_count, time_interleaved


@pytest.fixture(autouse=True)
def one_torch_thread():
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def test_time_interleaved_orders_a_slow_and_a_fast_function():
    calls = {"fast": 0, "slow": 0}

    def fast():
        calls["fast"] += 1

    def slow():
        calls["slow"] += 1
        time.sleep(0.002)

    seconds = time_interleaved({"fast": fast, "slow": slow}, repeats=3, sample_seconds=0.005)
    assert set(seconds) == {"fast", "slow"}
    assert seconds["slow"] >= 0.0019  # sleep never returns early
    assert seconds["fast"] < seconds["slow"]
    assert calls["slow"] >= 2 + 3  # warm-up, calibration, one timing per round


def test_time_interleaved_with_cpu_time_does_not_count_waiting():
    def wait():
        time.sleep(0.003)  # waits, uses almost no CPU

    def work():
        total = 0
        for i in range(20_000):  # uses the CPU
            total += i * i
        return total

    wall = time_interleaved({"wait": wait, "work": work}, repeats=3, sample_seconds=0.01)
    cpu = time_interleaved({"wait": wait, "work": work}, repeats=3, sample_seconds=0.01,
                           clock=time.process_time)
    assert wall["wait"] >= 0.0029
    assert cpu["wait"] < 0.5 * wall["wait"]
    assert cpu["work"] > 0
    with pytest.raises(TypeError):
        time_interleaved({"a": lambda: None}, clock=0.5)


@pytest.mark.parametrize("bad", [{}, {"a": 3}])
def test_time_interleaved_refuses_bad_functions(bad):
    with pytest.raises((ValueError, TypeError)):
        time_interleaved(bad)


@pytest.mark.parametrize("kwargs", [{"repeats": 0}, {"repeats": 2.5}, {"repeats": True},
                                    {"sample_seconds": 0}, {"sample_seconds": float("nan")}])
def test_time_interleaved_refuses_bad_settings(kwargs):
    with pytest.raises(ValueError):
        time_interleaved({"a": lambda: None}, **kwargs)


def test_parameter_count_matches_the_formulas_of_chapters_09_and_13():
    D, H = 2, 16
    assert parameter_count(torch.nn.LSTM(D, H)) == 4 * H * (D + H) + 8 * H
    assert parameter_count(torch.nn.GRU(D, H)) == 3 * H * (D + H) + 6 * H
    with pytest.raises(TypeError):
        parameter_count("not a module")


def test_autograd_nodes_counts_each_node_once():
    x = torch.ones(3, requires_grad=True)
    y = x * 2
    z = (y + y).sum()  # y is used twice but is one node
    counts = autograd_nodes(z)
    assert counts["MulBackward0"] == 1
    assert counts["AddBackward0"] == 1
    assert counts["SumBackward0"] == 1
    assert counts["AccumulateGrad"] == 1
    with torch.no_grad():
        w = x * 2
    with pytest.raises(ValueError):
        autograd_nodes(w)


def test_fused_lstm_is_one_node_and_computes_what_the_loop_computes():
    torch.manual_seed(0)
    T, B, D, H = 12, 3, 2, 5
    lstm = torch.nn.LSTM(D, H)
    X = torch.randn(T, B, D)
    before = torch.backends.mkldnn.enabled
    fused_out, _ = lstm(X)
    with onednn(False):
        assert torch.backends.mkldnn.enabled is False
        loop_out, _ = lstm(X)
    assert torch.backends.mkldnn.enabled == before  # restored
    torch.testing.assert_close(fused_out, loop_out, rtol=1e-5, atol=1e-6)
    loop_nodes = autograd_nodes(loop_out)
    assert loop_nodes["SigmoidBackward0"] >= 3 * T  # three gates at every step
    if torch.backends.mkldnn.is_available():
        fused_nodes = autograd_nodes(fused_out)
        assert fused_nodes["MkldnnRnnLayerBackward0"] == 1
        assert sum(fused_nodes.values()) < sum(loop_nodes.values()) / 10


def test_gru_has_no_fused_path_and_float64_lstm_neither():
    torch.manual_seed(0)
    X = torch.randn(8, 2, 3)
    gru_out, _ = torch.nn.GRU(3, 4)(X)
    assert "MkldnnRnnLayerBackward0" not in autograd_nodes(gru_out)
    lstm64_out, _ = torch.nn.LSTM(3, 4).double()(X.double())
    assert "MkldnnRnnLayerBackward0" not in autograd_nodes(lstm64_out)


def test_onednn_restores_the_setting_after_an_error_and_refuses_non_booleans():
    before = torch.backends.mkldnn.enabled
    with pytest.raises(RuntimeError), onednn(not before):
        raise RuntimeError("inside")
    assert torch.backends.mkldnn.enabled == before
    with pytest.raises(TypeError), onednn(0):
        pass
