"""Tests for lstm_lib.train: the small training loop of the training chapters (03, 11)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from lstm_lib.data import adding_problem, remember_first
from lstm_lib.models import SequenceModel
from lstm_lib.train import accuracy, evaluate, train


def _model(seed, cell="rnn", D=4, H=16, O=4):
    torch.manual_seed(seed)
    return SequenceModel(cell, D, H, O)


def test_accuracy():
    logits = torch.tensor([[2.0, 0.0], [0.0, 1.0], [3.0, 1.0], [0.0, 5.0]])
    assert accuracy(logits, torch.tensor([0, 1, 1, 0])) == 0.5
    assert accuracy(logits.numpy(), np.array([0, 1, 0, 1])) == 1.0
    with pytest.raises(ValueError):
        accuracy(logits, torch.tensor([0, 1]))


def test_train_learns_a_short_dependency_and_history_is_complete(capsys):
    model = _model(0)
    history = train(model, lambda rng: remember_first(3, 32, rng), steps=150, lr=1e-2, seed=0)
    assert set(history) == {"step", "loss", "grad_norm", "accuracy", "seconds"}
    assert history["step"] == list(range(1, 151))
    assert all(len(history[k]) == 150 for k in ("loss", "grad_norm", "accuracy"))
    assert np.mean(history["loss"][-10:]) < 0.5 * history["loss"][0]
    result = evaluate(model, *remember_first(3, 500, rng=99))
    assert result["accuracy"] > 0.9
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""  # quiet by default outside Colab


def test_train_is_deterministic():
    runs = []
    for _ in range(2):
        model = _model(1)
        runs.append(train(model, lambda rng: remember_first(5, 16, rng), steps=20, seed=3))
    assert runs[0]["loss"] == runs[1]["loss"]
    other = train(_model(1), lambda rng: remember_first(5, 16, rng), steps=20, seed=4)
    assert other["loss"] != runs[0]["loss"]


def test_fixed_batch_and_regression():
    X, y = adding_problem(6, 64, rng=0)
    torch.manual_seed(0)
    model = SequenceModel("lstm", 2, 8, 1)
    before = evaluate(model, X, y, loss="mse")
    history = train(model, (X, y), steps=60, lr=2e-2, seed=0, loss="mse")
    assert "accuracy" not in history and "accuracy" not in before
    after = evaluate(model, X, y, loss="mse")
    assert after["loss"] < before["loss"]


def test_clip_bounds_the_step_but_records_the_raw_norm():
    X, y = remember_first(4, 8, rng=0)
    history = train(_model(2), (X, y), steps=3, seed=0, clip=1e-3)
    assert history["grad_norm"][0] > 1e-3  # recorded before clipping


def test_progress_goes_to_stdout_only(capsys):
    train(_model(0), lambda rng: remember_first(3, 8, rng), steps=40, seed=0, progress=True)
    captured = capsys.readouterr()
    assert "40/40" in captured.out and captured.err == ""
    assert captured.out.endswith("\n")


def test_bad_arguments():
    model = _model(0)
    with pytest.raises(ValueError):
        train(model, remember_first(3, 4, rng=0), steps=0)
    with pytest.raises(ValueError):
        train(model, remember_first(3, 4, rng=0), steps=2, loss="hinge")
