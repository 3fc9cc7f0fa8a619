"""Tests for lstm_lib.train: the small training loop of the training chapters (03, 11)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from lstm_lib.data import adding_problem, remember_first
from lstm_lib.models import SequenceModel
from lstm_lib.train import accuracy, evaluate, steps_to_solve, train


@pytest.fixture(autouse=True)
def one_torch_thread():
    """Tiny models: one thread is faster, and steady when other jobs keep the CPUs busy."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


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


# --- held-out evaluation, early stopping and steps_to_solve (chapter 11) ------------------


def _lstm(seed, H=8):
    torch.manual_seed(seed)
    return SequenceModel("lstm", 2, H, 1, forget_bias=1.0)


def test_eval_every_records_held_out_losses_from_step_zero():
    eval_data = adding_problem(6, 200, rng=99)
    model = _lstm(0)
    before = evaluate(model, *eval_data, loss="mse")["loss"]
    history = train(model, lambda rng: adding_problem(6, 32, rng), steps=50, lr=2e-2,
                    seed=0, loss="mse", eval_data=eval_data, eval_every=20)
    assert history["eval_step"] == [0, 20, 40, 50]  # and always the last step
    assert len(history["eval_loss"]) == 4 and history["stopped_at"] is None
    assert history["eval_loss"][0] == pytest.approx(before, rel=1e-6)
    assert history["eval_loss"][-1] == pytest.approx(
        evaluate(model, *eval_data, loss="mse")["loss"], rel=1e-6)
    assert len(history["step"]) == 50
    # the held-out evaluation does not change training: the same run without it
    plain = train(_lstm(0), lambda rng: adding_problem(6, 32, rng), steps=50, lr=2e-2,
                  seed=0, loss="mse")
    assert plain["loss"] == history["loss"]


def test_classification_eval_records_accuracy():
    eval_data = remember_first(3, 200, rng=5)
    history = train(_model(0), lambda rng: remember_first(3, 32, rng), steps=30, seed=0,
                    eval_data=eval_data, eval_every=10)
    assert len(history["eval_accuracy"]) == len(history["eval_loss"]) == 4
    assert all(0.0 <= a <= 1.0 for a in history["eval_accuracy"])


def test_stop_below_stops_at_the_first_evaluation_under_the_threshold():
    eval_data = adding_problem(2, 300, rng=7)
    task = lambda rng: adding_problem(2, 32, rng)  # noqa: E731
    full = train(_lstm(1), task, steps=150, lr=3e-2, seed=1, loss="mse",
                 eval_data=eval_data, eval_every=5)
    threshold = 0.05
    first = steps_to_solve(full, threshold)
    assert first is not None and 0 < first < 150, "a 2-step adding problem is easy"
    stopped = train(_lstm(1), task, steps=150, lr=3e-2, seed=1, loss="mse",
                    eval_data=eval_data, eval_every=5, stop_below=threshold)
    assert stopped["stopped_at"] == first == steps_to_solve(stopped, threshold)
    assert stopped["eval_step"][-1] == first and len(stopped["step"]) == first
    assert stopped["eval_loss"][-1] < threshold <= min(stopped["eval_loss"][:-1])
    assert stopped["loss"] == full["loss"][:first]  # the same run, cut short


def test_steps_to_solve_reads_the_history():
    history = {"eval_step": [0, 25, 50, 75], "eval_loss": [0.2, 0.1, 0.004, 0.02]}
    assert steps_to_solve(history, 0.01) == 50  # the first below, even if it rises again
    assert steps_to_solve(history, 0.1) == 50  # strictly below
    assert steps_to_solve(history, 0.5) == 0  # the untrained model
    assert steps_to_solve(history, 0.001) is None  # not within this budget
    with pytest.raises(ValueError, match="eval_data"):
        steps_to_solve({"step": [1], "loss": [0.3]}, 0.1)
    with pytest.raises(ValueError):
        steps_to_solve(history, float("nan"))


def test_monitor_is_called_at_every_evaluation_with_autograd():
    X, y = adding_problem(5, 20, rng=3)

    def sensitivity(model):
        X_t = torch.from_numpy(X).requires_grad_()
        model(X_t).sum().backward()
        return {"grad": float(X_t.grad[:, :, 0].abs().sum()), "training": model.training}

    model = _lstm(2)
    history = train(model, lambda rng: adding_problem(5, 16, rng), steps=12, seed=0,
                    loss="mse", eval_data=(X, y), eval_every=5, monitor=sensitivity)
    assert [m["grad"] > 0 for m in history["monitor"]] == [True] * 4
    assert len(history["monitor"]) == len(history["eval_step"]) == 4
    assert model.training


def test_evaluation_arguments_are_checked():
    model, task = _lstm(0), (lambda rng: adding_problem(4, 8, rng))
    for kwargs in ({"eval_every": 5}, {"stop_below": 0.1}, {"monitor": lambda m: {}}):
        with pytest.raises(ValueError, match="eval_data"):
            train(model, task, steps=2, loss="mse", **kwargs)
    eval_data = adding_problem(4, 8, rng=1)
    for bad in (0, -3, 2.5, True):
        with pytest.raises(ValueError, match="eval_every"):
            train(model, task, steps=2, loss="mse", eval_data=eval_data, eval_every=bad)
    with pytest.raises(ValueError, match="stop_below"):
        train(model, task, steps=2, loss="mse", eval_data=eval_data, stop_below=float("nan"))
