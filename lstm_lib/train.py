"""A small, deterministic training loop for the training chapters (03, 11, 12, 14).

Chapter 03 uses it to train a vanilla RNN on the "remember the first symbol" task for a
growing distance; later chapters train LSTMs and GRUs with it. It is short on purpose, so
that a reader can read all of it::

    torch.manual_seed(seed)                      # the model's initial weights
    model = SequenceModel("rnn", 4, 32, 4)
    history = train(model, lambda rng: remember_first(20, 64, rng), steps=300, seed=seed)
    evaluate(model, *remember_first(20, 1000, rng=123))

Chapter 11 measures *when* a run solves a task: ``train(..., eval_data=(X, y),
eval_every=25, stop_below=0.01)`` evaluates on a held-out batch every 25 steps, stops at
the first evaluation whose loss is below 0.01, and :func:`steps_to_solve` reads that step
from the history (``None`` when the run never got there within its budget)::

    history = train(model, task, steps=1000, loss="mse", clip=1.0, seed=seed,
                    eval_data=adding_problem(50, 500, rng=10_000), eval_every=25,
                    stop_below=0.01)
    steps_to_solve(history, 0.01)                # e.g. 450, or None

Progress is a ``tqdm`` bar (:func:`progress_bar`, the one place that decides how progress
is shown): a widget in Jupyter and Colab, a text line on stdout elsewhere, never stderr. By
default it is shown only in Colab, so the rendered book stays quiet; pass
``progress=True`` to see it in any Jupyter.
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable

import numpy as np
import torch
from torch import nn

from .data import as_rng

__all__ = ["train", "evaluate", "accuracy", "to_tensors", "progress_bar", "steps_to_solve"]


def to_tensors(X, y, classification: bool) -> tuple[torch.Tensor, torch.Tensor]:
    """``X`` as a float32 tensor, ``y`` as int64 (classification) or float32 (regression)."""
    X = torch.as_tensor(np.asarray(X) if not isinstance(X, torch.Tensor) else X)
    y = torch.as_tensor(np.asarray(y) if not isinstance(y, torch.Tensor) else y)
    return X.float(), (y.long() if classification else y.float())


def accuracy(logits, y) -> float:
    """Fraction of rows of ``logits`` (B, K) whose largest entry is at the target ``y`` (B,)."""
    logits = torch.as_tensor(logits)
    y = torch.as_tensor(y)
    if logits.dim() != 2 or y.shape != logits.shape[:1]:
        raise ValueError(
            f"logits must be (B, K) and y (B,), got {tuple(logits.shape)} and {tuple(y.shape)}")
    return float((logits.argmax(dim=1) == y).float().mean())


def _loss_fn(loss: str) -> Callable:
    if loss == "cross_entropy":
        return nn.functional.cross_entropy
    if loss == "mse":
        return lambda out, y: nn.functional.mse_loss(out.reshape(y.shape), y)
    raise ValueError(f"loss must be 'cross_entropy' or 'mse', got {loss!r}")


def progress_bar(total: int, progress: bool | None = None, desc: str = ""):
    """A ``tqdm`` bar over ``total`` steps for every long loop in the book (chapter 03).

    ``progress=None`` shows it only in Colab, so the book built from the executed notebooks
    stays quiet; ``True`` or ``False`` decide outright. ``tqdm.auto`` draws a widget in
    Jupyter and Colab and a text line elsewhere; the text goes to stdout, never stderr
    (the book's build fails on anything written to stderr).
    """
    from tqdm.auto import tqdm

    show = bool(progress) if progress is not None else "google.colab" in sys.modules
    return tqdm(total=total, desc=desc, disable=not show, file=sys.stdout, leave=True,
                dynamic_ncols=True)


@torch.no_grad()
def evaluate(model: nn.Module, X, y, loss: str = "cross_entropy") -> dict[str, float]:
    """Loss (and accuracy, for classification) of ``model`` on one batch, without training.

    ``X`` is (T, B, D) and ``y`` is (B,), NumPy arrays or tensors. Returns
    ``{"loss": ..., "accuracy": ...}`` (no ``"accuracy"`` for ``loss="mse"``).
    """
    classification = loss == "cross_entropy"
    X, y = to_tensors(X, y, classification)
    was_training = model.training
    model.eval()
    out = model(X)
    model.train(was_training)
    result = {"loss": float(_loss_fn(loss)(out, y))}
    if classification:
        result["accuracy"] = accuracy(out, y)
    return result


def train(model: nn.Module, data, steps: int, lr: float = 1e-2, seed: int = 0,
          loss: str = "cross_entropy", clip: float | None = None,
          progress: bool | None = None, *, eval_data=None, eval_every: int | None = None,
          stop_below: float | None = None,
          monitor: Callable[[nn.Module], dict] | None = None) -> dict[str, list]:
    """Train ``model`` with Adam for ``steps`` steps and return the history (chapter 03).

    ``data`` is either a function ``rng -> (X, y)`` that makes a fresh batch at every step
    from a NumPy Generator seeded with ``seed`` (the long-dependency tasks of
    :mod:`lstm_lib.data`), or a fixed pair ``(X, y)`` used at every step. ``X`` is
    (T, B, D), ``y`` is (B,). The model maps ``X`` to one prediction per sequence:
    logits (B, K) for ``loss="cross_entropy"``, values (B,) or (B, 1) for ``loss="mse"``.

    ``seed`` fixes the batches and PyTorch's generator (for anything random inside the
    model); seed PyTorch yourself *before* building the model to fix its initial weights.
    ``clip`` clips the gradients' global norm (chapter 11). ``progress`` shows a progress
    bar (:func:`progress_bar`): ``None`` means only in Colab, so the rendered book stays quiet.

    Returns a dict of lists, one entry per step: ``"step"``, ``"loss"``, ``"grad_norm"``
    (the global gradient norm before clipping) and, for classification, ``"accuracy"`` on
    that step's batch; plus ``"seconds"``, the wall time of the whole run.

    Held-out evaluation (chapter 11): with ``eval_data=(X, y)``, a fixed batch never used
    for training, the model is evaluated (:func:`evaluate`) before the first step and
    every ``eval_every`` steps (default 50) and after the last one. The history then
    also holds ``"eval_step"`` (0 for the untrained model), ``"eval_loss"`` and, for
    classification, ``"eval_accuracy"``. ``stop_below`` stops the run at the first
    evaluation whose loss is below that value, so a run that has solved its task does
    not spend the rest of its budget; ``"stopped_at"`` is that step, or ``None`` when the
    run used every step. ``monitor``, a function ``model -> dict`` of numbers, is called
    at every evaluation (outside ``torch.no_grad``, so it may use autograd); its dicts are
    listed in ``"monitor"``.
    """
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
        raise ValueError(f"steps must be a positive integer, got {steps!r}")
    if eval_data is None and (eval_every is not None or stop_below is not None
                              or monitor is not None):
        raise ValueError("eval_every, stop_below and monitor need eval_data=(X, y), "
                         "a held-out batch to evaluate on")
    if eval_every is None:
        eval_every = 50
    if isinstance(eval_every, bool) or not isinstance(eval_every, int) or eval_every < 1:
        raise ValueError(f"eval_every must be a positive integer, got {eval_every!r}")
    if stop_below is not None and not (isinstance(stop_below, int | float)
                                       and math.isfinite(stop_below)):
        raise ValueError(f"stop_below must be a finite number, got {stop_below!r}")
    classification = loss == "cross_entropy"
    loss_of = _loss_fn(loss)
    rng = as_rng(seed)
    torch.manual_seed(seed)
    if callable(data):
        make_batch = data
    else:
        fixed = to_tensors(*data, classification)

        def make_batch(rng):
            return fixed

    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    history: dict[str, list] = {"step": [], "loss": [], "grad_norm": []}
    if classification:
        history["accuracy"] = []
    if eval_data is not None:
        eval_X, eval_y = to_tensors(*eval_data, classification)
        history.update(eval_step=[], eval_loss=[], stopped_at=None)
        if classification:
            history["eval_accuracy"] = []
        if monitor is not None:
            history["monitor"] = []

    def evaluate_now(step: int) -> bool:
        """Evaluate on the held-out batch; True when the run should stop here."""
        result = evaluate(model, eval_X, eval_y, loss=loss)
        history["eval_step"].append(step)
        history["eval_loss"].append(result["loss"])
        if classification:
            history["eval_accuracy"].append(result["accuracy"])
        if monitor is not None:
            history["monitor"].append(dict(monitor(model)))
            model.train()
        return stop_below is not None and result["loss"] < stop_below

    every = max(1, steps // 20)
    start = time.perf_counter()
    model.train()
    if eval_data is not None and evaluate_now(0):
        history["stopped_at"] = 0
        history["seconds"] = time.perf_counter() - start
        return history
    bar = progress_bar(steps, progress)
    for step in range(1, steps + 1):
        X, y = to_tensors(*make_batch(rng), classification)
        out = model(X)
        value = loss_of(out, y)
        optimizer.zero_grad()
        value.backward()
        max_norm = float("inf") if clip is None else clip
        norm = nn.utils.clip_grad_norm_(model.parameters(), max_norm)
        optimizer.step()
        history["step"].append(step)
        history["loss"].append(value.item())
        history["grad_norm"].append(float(norm))
        if classification:
            history["accuracy"].append(accuracy(out.detach(), y))
        bar.update(1)
        if step % every == 0 or step == steps:
            bar.set_postfix(loss=f"{history['loss'][-1]:.4f}", refresh=False)
        if eval_data is not None and (step % eval_every == 0 or step == steps):
            if evaluate_now(step):
                history["stopped_at"] = step
                break
    bar.close()
    history["seconds"] = time.perf_counter() - start
    return history


def steps_to_solve(history: dict, threshold: float) -> int | None:
    """The first evaluated step at which the held-out loss is below ``threshold`` (chapter 11).

    ``history`` is what :func:`train` returned with ``eval_data``; the answer is one of its
    ``"eval_step"`` values (0 means the untrained model was already below), or ``None`` when
    no evaluation got below ``threshold``: the run did not solve the task *within its
    budget*, which says nothing about what a longer run would do. The resolution is
    ``eval_every`` steps. Chapter 14 uses it to compare the LSTM with the GRU.
    """
    if "eval_loss" not in history:
        raise ValueError("this history has no held-out evaluations; "
                         "train with eval_data=(X, y) and eval_every=...")
    if not (isinstance(threshold, int | float) and math.isfinite(threshold)):
        raise ValueError(f"threshold must be a finite number, got {threshold!r}")
    for step, value in zip(history["eval_step"], history["eval_loss"], strict=True):
        if value < threshold:
            return int(step)
    return None
