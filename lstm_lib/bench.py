"""Timing and counting helpers for comparing recurrent cells (chapter 14).

Chapter 14 asks whether the GRU is cheaper than the LSTM, and the answer depends on the
implementation. These helpers make that measurable without fooling oneself:

- :func:`time_interleaved`: the median time per call of several functions, measured in
  interleaved rounds, so a machine that other work keeps busy slows them alike and the
  *ratios* stay meaningful even when the absolute times do not. By default it reads the wall
  clock; ``clock=time.process_time`` reads the CPU time the process used instead, which for
  single-threaded code is what the wall time would be on an idle core.
- :func:`onednn`: switch PyTorch's oneDNN (mkldnn) kernels off, or on, inside a block.
  On a CPU, ``nn.LSTM`` in float32 runs a whole layer over the whole sequence as one
  oneDNN call; ``nn.GRU`` has no such path and runs a loop of small operations.
- :func:`autograd_nodes`: count the nodes of the autograd graph behind a tensor, by
  type: one node for a fused layer, a dozen or so per time step for a loop.
- :func:`parameter_count`: the number of numbers a module stores.

Example::

    seconds = time_interleaved({"lstm": step_lstm, "gru": step_gru}, repeats=9)
    seconds["gru"] / seconds["lstm"]
    with onednn(False):
        ...                       # nn.LSTM now runs the same kind of loop as nn.GRU
"""

from __future__ import annotations

import contextlib
import math
import statistics
import time
from collections import Counter
from collections.abc import Callable

__all__ = ["time_interleaved", "onednn", "autograd_nodes", "parameter_count"]


def time_interleaved(functions: dict[str, Callable[[], object]], repeats: int = 9,
                     sample_seconds: float = 0.02,
                     clock: Callable[[], float] = time.perf_counter) -> dict[str, float]:
    """Median time per call, in seconds, of each function (chapter 14).

    ``functions`` maps a name to a function of no arguments. Each function is called twice
    first (a warm-up and a calibration). Then, in each of ``repeats`` rounds, every
    function is timed once, in an order that rotates from round to round; one timing
    covers enough back-to-back calls to last about ``sample_seconds``, because a single
    call of a millisecond is too short to time well on a busy machine. The result for a
    name is the median over the rounds of (time / calls).

    Because the functions take turns, a burst of load from other programs slows all of
    them; compare them by their ratios, and report absolute times together with the
    machine and its load.

    ``clock`` is the clock that is read: ``time.perf_counter`` (wall time, the default) or
    ``time.process_time`` (the CPU time of the whole process). On a shared machine the wall
    time of a single-threaded function includes the time other programs keep it waiting;
    its CPU time does not, so it is the better measure there. (Code that runs on several
    threads adds up their CPU time, which is then more than the wall time.)
    """
    if not functions:
        raise ValueError("functions is empty")
    for name, fn in functions.items():
        if not callable(fn):
            raise TypeError(f"functions[{name!r}] is not callable")
    if isinstance(repeats, bool) or not isinstance(repeats, int) or repeats < 1:
        raise ValueError(f"repeats must be a positive integer, got {repeats!r}")
    if not (isinstance(sample_seconds, int | float) and math.isfinite(sample_seconds)
            and sample_seconds > 0):
        raise ValueError(f"sample_seconds must be a positive number, got {sample_seconds!r}")
    if not callable(clock):
        raise TypeError(f"clock must be a function such as time.process_time, got {clock!r}")
    names = list(functions)
    calls = {}
    for name in names:  # warm up, then calibrate the number of calls per timing
        functions[name]()
        start = clock()
        functions[name]()
        once = clock() - start
        calls[name] = max(1, round(sample_seconds / max(once, 1e-7)))
    samples: dict[str, list[float]] = {name: [] for name in names}
    for r in range(repeats):
        shift = r % len(names)
        for name in names[shift:] + names[:shift]:
            start = clock()
            for _ in range(calls[name]):
                functions[name]()
            samples[name].append((clock() - start) / calls[name])
    return {name: statistics.median(values) for name, values in samples.items()}


@contextlib.contextmanager
def onednn(enabled: bool):
    """Switch PyTorch's oneDNN (mkldnn) kernels on or off inside a ``with`` block
    (chapter 14), then restore the previous setting.

    PyTorch's CPU ``nn.LSTM`` calls oneDNN's fused LSTM for float32 input (not for
    float64); with ``onednn(False)`` it falls back to the loop of small operations that
    ``nn.GRU`` always uses. This sets ``torch.backends.mkldnn.enabled`` directly, which,
    unlike ``torch.backends.mkldnn.flags``, writes nothing to stderr.
    """
    import torch

    if not isinstance(enabled, bool):
        raise TypeError(f"enabled must be True or False, got {enabled!r}")
    before = torch.backends.mkldnn.enabled
    torch.backends.mkldnn.enabled = enabled
    try:
        yield
    finally:
        torch.backends.mkldnn.enabled = before


def autograd_nodes(tensor) -> Counter:
    """The nodes of the autograd graph that produced ``tensor``, counted by type
    (chapter 14).

    Walks ``tensor.grad_fn`` and everything it points to, once per node, and returns a
    ``Counter`` of class names such as ``"MkldnnRnnLayerBackward0"`` (a fused LSTM layer:
    one node for the whole sequence) or ``"SigmoidBackward0"`` (one per gate and time step
    in a loop). ``sum(counter.values())`` is the number of nodes the backward pass visits.
    ``AccumulateGrad`` nodes (one per parameter that needs a gradient) are included.
    """
    grad_fn = getattr(tensor, "grad_fn", None)
    if grad_fn is None:
        raise ValueError("this tensor has no autograd graph (computed under no_grad, or "
                         "from tensors that do not require gradients)")
    seen, stack, counts = set(), [grad_fn], Counter()
    while stack:
        node = stack.pop()
        if node is None or node in seen:
            continue
        seen.add(node)
        counts[type(node).__name__] += 1
        stack.extend(child for child, _ in node.next_functions)
    return counts


def parameter_count(module) -> int:
    """The number of numbers ``module`` stores as parameters,
    ``sum(p.numel() for p in module.parameters())`` (chapters 09, 13, 14)."""
    parameters = getattr(module, "parameters", None)
    if parameters is None:
        raise TypeError(f"expected a torch.nn.Module, got {type(module).__name__}")
    return int(sum(p.numel() for p in parameters()))
