"""How fast is lstm_lib's NumPy LSTM next to PyTorch's? (``make bench``; not part of the tests)

Times, in one process, on float32, the median over repeats of:

- ``lstm_lib.lstm.forward`` against ``torch.nn.LSTM`` with no autograd;
- ``lstm.forward`` + ``lstm.backward`` against ``nn.LSTM`` forward + ``.backward()``;
- ``torch.nn.GRU`` against ``torch.nn.LSTM`` (forward, and forward + backward), and the
  same for lstm_lib's own NumPy GRU and LSTM (chapter 14 measures "GRU is cheaper");

at (T=100, B=32, D=H=128) and (T=50, B=1, D=1, H=32), and prints the ratios. The
contestants run interleaved (one call of each per round, in rotating order), so a busy
machine slows them alike and the ratios stay meaningful even when absolute times do not.

Usage: ``python bench/bench_speed.py [--repeats N]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time

import numpy as np
import torch

from lstm_lib import gru, lstm

SHAPES = [(100, 32, 128, 128), (50, 1, 1, 32)]  # (T, B, D, H)
TARGETS = {"forward": 1.5, "forward+backward": 2.0}  # at the first shape


def numpy_contestants(T, B, D, H, rng):
    """Forward and forward+backward closures for lstm_lib's NumPy LSTM and GRU."""
    X = rng.normal(size=(T, B, D)).astype(np.float32)
    d_out = rng.normal(size=(T, B, H)).astype(np.float32)
    p_lstm = lstm.init_params(D, H, rng=rng, dtype=np.float32)
    p_gru = gru.init_params(D, H, rng=rng, dtype=np.float32)

    def lstm_fwd():
        lstm.forward(X, p_lstm)

    def lstm_fwd_bwd():
        _, _, cache = lstm.forward(X, p_lstm)
        lstm.backward(d_out, cache)

    def gru_fwd():
        gru.forward(X, p_gru)

    def gru_fwd_bwd():
        _, _, cache = gru.forward(X, p_gru)
        gru.backward(d_out, cache)

    return {"numpy LSTM fwd": lstm_fwd, "numpy LSTM fwd+bwd": lstm_fwd_bwd,
            "numpy GRU fwd": gru_fwd, "numpy GRU fwd+bwd": gru_fwd_bwd}


def torch_contestants(T, B, D, H, rng):
    """The same for torch.nn.LSTM and torch.nn.GRU (autograd for the backward pass)."""
    X = torch.from_numpy(rng.normal(size=(T, B, D)).astype(np.float32))
    X_grad = X.clone().requires_grad_()  # lstm.backward returns dX too: ask autograd for it
    d_out = torch.from_numpy(rng.normal(size=(T, B, H)).astype(np.float32))
    modules = {"LSTM": torch.nn.LSTM(D, H), "GRU": torch.nn.GRU(D, H)}
    contestants = {}
    for name, module in modules.items():

        def fwd(module=module):
            with torch.no_grad():
                module(X)

        def fwd_bwd(module=module):
            module.zero_grad(set_to_none=True)
            X_grad.grad = None
            outputs, _ = module(X_grad)
            outputs.backward(d_out)

        contestants[f"torch {name} fwd"] = fwd
        contestants[f"torch {name} fwd+bwd"] = fwd_bwd
    return contestants


def time_interleaved(functions: dict, repeats: int, warmup: int = 3) -> dict[str, float]:
    """Median wall time (seconds) of each function, calling them in rotating order."""
    names = list(functions)
    for _ in range(warmup):
        for name in names:
            functions[name]()
    times = {name: [] for name in names}
    for r in range(repeats):
        for name in names[r % len(names):] + names[: r % len(names)]:
            start = time.perf_counter()
            functions[name]()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(ts) for name, ts in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30, help="rounds per shape (default 30)")
    args = parser.parse_args()

    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"lstm_lib speed benchmark: float32, median of {args.repeats} interleaved rounds")
    print(f"numpy {np.__version__}, torch {torch.__version__} "
          f"({torch.get_num_threads()} threads), {os.cpu_count()} CPUs, "
          f"{platform.processor() or platform.machine()}, load average {load:.2f}")
    comparisons = [
        ("forward", "numpy LSTM fwd", "torch LSTM fwd"),
        ("forward+backward", "numpy LSTM fwd+bwd", "torch LSTM fwd+bwd"),
        ("GRU / LSTM, torch fwd", "torch GRU fwd", "torch LSTM fwd"),
        ("GRU / LSTM, torch fwd+bwd", "torch GRU fwd+bwd", "torch LSTM fwd+bwd"),
        ("GRU / LSTM, numpy fwd", "numpy GRU fwd", "numpy LSTM fwd"),
        ("GRU / LSTM, numpy fwd+bwd", "numpy GRU fwd+bwd", "numpy LSTM fwd+bwd"),
    ]
    header = f"{'(T, B, D, H)':<18} {'comparison':<27} {'A (ms)':>9} {'B (ms)':>9} {'A / B':>7}"
    print()
    print(header)
    print("-" * len(header))
    verdicts = []
    for shape in SHAPES:
        functions = {**numpy_contestants(*shape, rng), **torch_contestants(*shape, rng)}
        medians = time_interleaved(functions, args.repeats)
        for label, a, b in comparisons:
            ratio = medians[a] / medians[b]
            print(f"{str(shape):<18} {label:<27} {medians[a] * 1e3:9.2f} "
                  f"{medians[b] * 1e3:9.2f} {ratio:7.2f}")
            if shape == SHAPES[0] and label in TARGETS:
                verdicts.append((label, ratio, TARGETS[label]))
        print()
    print("A / B: the first contestant's time over the second's (numpy over torch in the first")
    print("two rows of each shape; GRU over LSTM below them).")
    for label, ratio, target in verdicts:
        status = "met" if ratio <= target else "NOT met"
        print(f"target at {SHAPES[0]}: {label} within {target}x of nn.LSTM: "
              f"{ratio:.2f}x, {status}")


if __name__ == "__main__":
    main()
