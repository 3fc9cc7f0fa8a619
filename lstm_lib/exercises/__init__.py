"""Exercises that grade themselves (chapter 00 shows how to use them).

In a chapter notebook::

    from lstm_lib.exercises import check, hint, solution

    def forget_gate(x, h_prev, W_f, b_f):
        # 여기에 코드를 쓰세요 / your code here
        raise NotImplementedError

    check("05.forget_gate", forget_gate)   # prints feedback; never raises
    hint("05.forget_gate")                 # a nudge, in the edition's language
    solution("05.forget_gate")             # the reference solution's source

and in the (hidden) solution cell, ``assert check("05.forget_gate", forget_gate)``.

Adding exercises for a new chapter
----------------------------------
Create ``lstm_lib/exercises/chNN.py`` (NN = the chapter number, two digits); every
``chNN.py`` module in this folder is imported automatically. Copy ``ch05.py``; it holds,
for each exercise:

1. a reference function in plain NumPy, written to be read (``solution()`` prints it);
2. a few fixed cases, ``case("한국어 설명", "English label", arg1=..., arg2=...)``, whose
   keyword arguments are passed *positionally* in the order written; choose them so that
   the usual mistakes give different numbers (D != H, a nonzero bias, weights that tell
   ``h_prev`` from ``x``);
3. a random-case generator ``rng -> dict of arguments`` (same order);
4. known wrong versions ``{"what is wrong": function}``: the tests
   (``tests/test_exercises.py``) check that the reference passes and every wrong version
   is rejected, for every registered exercise, with no extra test code;
5. one ``register(name="NN.short_name", title={...}, hint={...}, reference=...,
   cases=[...], random_case=..., wrong={...})`` call.

Conventions: one example at a time (``x`` of shape ``(D,)``, ``h_prev`` of shape ``(H,)``,
``W`` of shape ``(H, H + D)`` acting on ``[h_prev, x]``) unless batching is the point;
arguments in the order ``x, h_prev, c_prev, ...`` as in ``lstm_lib.lstm.step``; float64
inputs.
"""

from __future__ import annotations

import importlib
import pkgutil

from .core import (
    CheckResult,
    Exercise,
    case,
    check,
    get,
    hint,
    list_exercises,
    names,
    register,
    solution,
)

__all__ = [
    "CheckResult",
    "Exercise",
    "case",
    "check",
    "get",
    "hint",
    "list_exercises",
    "names",
    "register",
    "solution",
]

for _module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    if _module.startswith("ch"):
        importlib.import_module(f"{__name__}.{_module}")
