"""How fast is lstm_lib's NumPy LSTM next to PyTorch's? (``make bench``; not part of the tests)

Times, in one process, on float32, the median over repeats of:

- ``lstm_lib.lstm.forward`` against ``torch.nn.LSTM`` with no autograd;
- ``lstm.forward`` + ``lstm.backward`` against ``nn.LSTM`` forward + ``.backward()``;
- ``torch.nn.GRU`` against ``torch.nn.LSTM`` (forward, and forward + backward), and the
  same for lstm_lib's own NumPy GRU and LSTM (chapter 14 measures "GRU is cheaper");
- for reference, ``lstm.forward`` against ``nn.LSTM`` with oneDNN switched off;

at (T=100, B=32, D=H=128) and (T=50, B=1, D=1, H=32), and prints the ratios. The
contestants run interleaved (one call of each per round, in rotating order), so a busy
machine slows them alike and the ratios stay meaningful even when absolute times do not.

Usage: ``python bench/bench_speed.py [--repeats N] [--threads N]``. ``--threads`` limits
both NumPy's BLAS and PyTorch to N threads (default: each library's own default). On a
machine that other jobs keep busy, ``--threads 1`` gives steadier ratios: two thread pools
spinning against each other and against other processes slow both sides erratically.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30, help="rounds per shape (default 30)")
    parser.add_argument("--threads", type=int, default=None,
                        help="threads for NumPy's BLAS and for PyTorch (default: theirs)")
    return parser.parse_args()


ARGS = parse_args() if __name__ == "__main__" else None
if ARGS is not None and ARGS.threads is not None:
    # Must happen before NumPy loads its BLAS library.
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[variable] = str(ARGS.threads)

import warnings

import numpy as np
import torch

from lstm_lib import gru, lstm

# Switching oneDNN off warns about TF32 on Intel GPUs, which has nothing to do with us.
warnings.filterwarnings("ignore", message=".*TF32 acceleration on top of oneDNN.*")

if ARGS is not None and ARGS.threads is not None:
    torch.set_num_threads(ARGS.threads)

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

    def lstm_fwd_without_onednn(module=modules["LSTM"]):
        with torch.no_grad(), torch.backends.mkldnn.flags(enabled=False):
            module(X)

    contestants["torch LSTM fwd, no oneDNN"] = lstm_fwd_without_onednn
    return contestants


def time_interleaved(functions: dict, repeats: int, sample_seconds: float = 0.02) -> dict:
    """Median time per call (seconds) of each function, measured in interleaved rounds.

    Each round times every function once, in rotating order. One timing covers enough
    back-to-back calls to last about ``sample_seconds`` (a single call of a 1 ms function
    is too short to time reliably on a busy machine); the result is the median over the
    rounds of that timing divided by its number of calls.
    """
    names = list(functions)
    calls = {}
    for name in names:  # warm up and calibrate
        functions[name]()
        start = time.perf_counter()
        functions[name]()
        once = time.perf_counter() - start
        calls[name] = max(1, round(sample_seconds / max(once, 1e-6)))
    times = {name: [] for name in names}
    for r in range(repeats):
        for name in names[r % len(names):] + names[: r % len(names)]:
            start = time.perf_counter()
            for _ in range(calls[name]):
                functions[name]()
            times[name].append((time.perf_counter() - start) / calls[name])
    return {name: statistics.median(ts) for name, ts in times.items()}


def main(args) -> None:
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"lstm_lib speed benchmark: float32, median of {args.repeats} interleaved rounds "
          f"(each timing covers >= 20 ms of back-to-back calls)")
    blas_threads = os.environ.get("OPENBLAS_NUM_THREADS", "default")
    print(f"Python {sys.version.split()[0]}, numpy {np.__version__} (BLAS threads: "
          f"{blas_threads}), torch {torch.__version__} ({torch.get_num_threads()} threads), "
          f"{os.cpu_count()} CPUs, {platform.machine()}, load average {load:.2f}")
    comparisons = [
        ("forward", "numpy LSTM fwd", "torch LSTM fwd"),
        ("forward+backward", "numpy LSTM fwd+bwd", "torch LSTM fwd+bwd"),
        ("forward, torch w/o oneDNN", "numpy LSTM fwd", "torch LSTM fwd, no oneDNN"),
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
    print("A / B: the first contestant's time over the second's: numpy over torch in the first")
    print("three rows of each shape, GRU over LSTM below them. The third row compares with")
    print("nn.LSTM run with oneDNN (mkldnn) switched off: PyTorch's CPU LSTM normally calls")
    print("oneDNN's fused RNN kernel; without it, PyTorch does what the NumPy code does.")
    for label, ratio, target in verdicts:
        status = "met" if ratio <= target else "NOT met"
        print(f"target at {SHAPES[0]}: {label} within {target}x of nn.LSTM: "
              f"{ratio:.2f}x, {status}")


if __name__ == "__main__":
    main(ARGS)
