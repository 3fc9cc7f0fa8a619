"""The machinery behind the book's self-grading exercises (chapter 00: "Exercises").

Read this file if you want to know exactly what ``check`` does; to *add* an exercise,
copy one of the ``chNN.py`` files instead (the package docstring explains the pattern).

``check(name, fn)`` calls the reader's ``fn`` on each case of exercise ``name`` (a few
fixed cases, then a few random ones from fixed seeds), compares what comes back with the
reference solution, prints one short paragraph of feedback and returns a
:class:`CheckResult` that is truthy only when every case passed. It never raises because
of the reader's code: every way a function can go wrong (a stub, an exception, ``None``,
a list, a wrong shape or dtype, NaN, a loop that never ends) becomes a sentence.
"""

from __future__ import annotations

import copy
import difflib
import inspect
import math
import signal
import textwrap
import threading
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import numpy as np

#: Seconds one call of the reader's function may take before ``check`` gives up on it.
DEFAULT_TIME_LIMIT = 3.0

#: How many random cases ``check`` adds after the fixed ones.
DEFAULT_N_RANDOM = 5

#: Float dtypes a float result may have (unless the exercise sets ``exact_dtype``).
ACCEPTED_FLOATS = (np.dtype(np.float64), np.dtype(np.float32))

#: Relative tolerance for a float32 result: float32 keeps about 7 significant digits, and
#: a few operations lose one or two more. Also used, times the largest expected
#: magnitude, as the absolute tolerance, so values near zero are judged by the scale of
#: the whole answer (a float32 sum of terms of size 1 cannot be exact to 1e-9).
FLOAT32_RTOL = 1e-5

_REGISTRY: dict[str, Exercise] = {}


# ----------------------------------------------------------------------------------------
# What an exercise is
# ----------------------------------------------------------------------------------------


@dataclass
class Case:
    """One call of the function under test: named arguments, in call order, and a label."""

    args: dict[str, Any]
    label: dict[str, str] = field(default_factory=dict)


def case(ko: str = "", en: str = "", **args: Any) -> Case:
    """Make a fixed test case: ``case("설명", "description", x=..., h_prev=...)``.

    The keyword arguments are passed to the reader's function *positionally*, in the order
    written here, so they must follow the order of the function's parameters.
    """
    return Case(args=dict(args), label={"ko": ko, "en": en})


@dataclass
class Exercise:
    """An exercise: what to compute, how to check it, and the mistakes it must catch.

    - ``name``: ``"NN.short_name"``, NN the chapter number (``"05.forget_gate"``).
    - ``title``, ``hint``: ``{"ko": ..., "en": ...}``.
    - ``reference``: the solution, a plain NumPy function; ``solution(name)`` shows its source.
    - ``cases``: fixed :class:`Case` objects, chosen so the usual mistakes fail.
    - ``random_case``: ``rng -> dict of arguments`` (or ``None``), for ``n_random`` more cases.
    - ``rtol``, ``atol``: tolerance for float results (integers must match exactly). A
      float32 result is accepted too, and so is a float64 one computed in float32 and
      cast at the end: both are compared with the looser :data:`FLOAT32_RTOL` (relative,
      also applied to the largest expected magnitude as an absolute floor), because a
      correct float32 computation cannot match float64 to 1e-6.
    - ``exact_dtype``: ``True`` when the statement asks for a dtype; then a float result
      must have exactly the reference's dtype, and is judged by ``rtol`` and ``atol`` alone.
    - ``output_names``: names of the parts when the function returns a tuple, e.g. ``("h", "c")``.
    - ``wrong``: known wrong versions, ``{"what is wrong": function}``; the tests check that
      ``check`` rejects every one of them. They are never shown to the reader.
    """

    name: str
    title: dict[str, str]
    hint: dict[str, str]
    reference: Callable
    cases: list[Case]
    random_case: Callable[[np.random.Generator], dict] | None = None
    n_random: int = DEFAULT_N_RANDOM
    rtol: float = 1e-6
    atol: float = 1e-9
    exact_dtype: bool = False
    output_names: tuple[str, ...] = ()
    wrong: dict[str, Callable] = field(default_factory=dict)

    def all_cases(self) -> list[Case]:
        """The fixed cases followed by the random ones (seeds 0, 1, ... so runs repeat)."""
        cases = list(self.cases)
        if self.random_case is not None:
            for seed in range(self.n_random):
                args = self.random_case(np.random.default_rng(seed))
                label = {"ko": f"무작위 사례 (seed={seed})", "en": f"random case (seed={seed})"}
                cases.append(Case(args=args, label=label))
        return cases


def register(**fields: Any) -> Exercise:
    """Create an :class:`Exercise` from keyword arguments and add it to the registry."""
    exercise = Exercise(**fields)
    if exercise.name in _REGISTRY:
        raise ValueError(f"exercise {exercise.name!r} is registered twice")
    _REGISTRY[exercise.name] = exercise
    return exercise


def get(name: str) -> Exercise:
    """Return the registered exercise called ``name`` (a helpful ``KeyError`` otherwise)."""
    if name not in _REGISTRY:
        close = difflib.get_close_matches(name, list(_REGISTRY), n=3)
        extra = f" Did you mean {', '.join(map(repr, close))}?" if close else ""
        raise KeyError(f"no exercise called {name!r}.{extra} See list_exercises().")
    return _REGISTRY[name]


# ----------------------------------------------------------------------------------------
# Feedback sentences, in both editions
# ----------------------------------------------------------------------------------------

MESSAGES = {
    "passed": {
        "ko": "✓ {name}: {n}개 사례를 모두 통과했습니다 (고정 {fixed}개, 무작위 {random}개).",
        "en": "✓ {name}: all {n} cases passed ({fixed} fixed, {random} random).",
    },
    "header": {
        "ko": "✗ {name}: {k}/{n}번째 사례에서 멈췄습니다 — {label}",
        "en": "✗ {name}: stopped at case {k} of {n} — {label}",
    },
    "not_done": {
        "ko": "… {name}: 아직 풀지 않았습니다.\n  `raise NotImplementedError` 줄을 지우고 "
        "코드를 채운 뒤 다시 실행하세요.",
        "en": "… {name}: not done yet.\n  Replace the `raise NotImplementedError` line "
        "with your code\n  and run the cell again.",
    },
    "not_callable": {
        "ko": "✗ {name}: check에는 함수 자체를 넘겨야 합니다 (괄호 없이, 예: check(name, {fn})). "
        "받은 것: {got}.",
        "en": "✗ {name}: pass the function itself to check, without calling it "
        "(e.g. check(name, {fn})). Got: {got}.",
    },
    "call": {
        "ko": "  호출: {call}",
        "en": "  call: {call}",
    },
    "raised": {
        "ko": "  함수가 예외를 일으켰습니다: {error}",
        "en": "  your function raised an exception: {error}",
    },
    "raised_type": {
        "ko": "  인자 개수나 이름이 맞는지 보세요: check는 위의 순서대로 인자를 넘깁니다.",
        "en": "  Check the parameters: check passes the arguments in the order shown above.",
    },
    "raised_shape": {
        "ko": "  모양을 확인하세요: {shapes}.",
        "en": "  Check the shapes: {shapes}.",
    },
    "timeout": {
        "ko": "  {limit:g}초 안에 끝나지 않았습니다. 끝나지 않는 반복문이 있는지 보세요.",
        "en": "  it did not finish within {limit:g} s. Look for a loop that never ends.",
    },
    "none": {
        "ko": "  함수가 None을 돌려주었습니다. 마지막에 `return`을 빠뜨리지 않았나요?",
        "en": "  your function returned None. Did you forget the `return`?",
    },
    "list": {
        "ko": "  NumPy 배열을 돌려주어야 합니다. 돌려준 값의 종류: {kind}. "
        "np.asarray(...)로 바꿔 돌려주세요.",
        "en": "  it returned a {kind}; return a NumPy array instead (np.asarray(...)).",
    },
    "not_array": {
        "ko": "  NumPy 배열을 돌려주어야 합니다. 돌려준 값의 종류: {kind}.",
        "en": "  expected a NumPy array but got a {kind}.",
    },
    "tensor": {
        "ko": "  NumPy 배열을 돌려주어야 하는데 PyTorch 텐서를 돌려주었습니다. "
        "마지막에 .detach().numpy()를 붙여 NumPy 배열로 바꾸세요.",
        "en": "  expected a NumPy array but got a PyTorch tensor; convert it at the end "
        "with .detach().numpy().",
    },
    "not_number": {
        "ko": "  숫자 하나를 돌려주어야 합니다. 돌려준 값의 종류: {kind}.",
        "en": "  expected a single number but got a {kind}.",
    },
    "not_int": {
        "ko": "  정수(int)를 돌려주어야 하는데, 돌려준 값은 소수 {got!r}입니다.",
        "en": "  expected a whole number (an int) but got the float {got!r}.",
    },
    "not_tuple": {
        "ko": "  값 {n}개를 튜플로 돌려주어야 합니다: `return {names}`. "
        "돌려준 값의 종류: {kind}.",
        "en": "  expected a tuple of {n} values ({names}) but got a {kind}. "
        "Return them as `return {names}`.",
    },
    "tuple_len": {
        "ko": "  값을 {n}개({names}) 돌려주어야 하는데 돌려준 개수는 {got}입니다.",
        "en": "  expected {n} values ({names}) but got {got}.",
    },
    "part": {
        "ko": "  [{part}] ",
        "en": "  [{part}] ",
    },
    "shape": {
        "ko": "모양이 다릅니다: 기대한 모양 {expected}, 받은 모양 {got}.",
        "en": "wrong shape: expected {expected}, got {got}.",
    },
    "dtype": {
        "ko": "자료형(dtype)이 다릅니다: 기대한 자료형 {expected}, 받은 자료형 {got}.",
        "en": "wrong dtype: expected {expected}, got {got}.",
    },
    "dtype_float": {
        "ko": "실수 배열을 돌려주어야 합니다 (float64나 float32). 받은 자료형: {got}.",
        "en": "expected an array of floats (float64 or float32), got dtype {got}.",
    },
    "nan": {
        "ko": "NaN이나 inf가 있습니다 (위치 {index}). 0으로 나누거나 넘치는 계산이 없는지 보세요.",
        "en": "it contains NaN or inf (at index {index}). Look for a division by zero "
        "or an overflow.",
    },
    "values": {
        "ko": "값이 다릅니다. 처음 다른 곳은 위치 {index}: 기대한 값 {expected}, 받은 값 {got}.",
        "en": "wrong values. First difference at index {index}: expected {expected}, "
        "got {got}.",
    },
    "value": {
        "ko": "값이 다릅니다: 기대한 값 {expected}, 받은 값 {got}.",
        "en": "wrong value: expected {expected}, got {got}.",
    },
    "tolerance": {
        "ko": "\n    두 값의 차이({diff})가 허용 오차({allowed})보다 큽니다.",
        "en": "\n    They differ by {diff}, more than the tolerance of {allowed}.",
    },
    "arrays": {
        "ko": "    기대한 값: {expected}\n    받은 값:   {got}",
        "en": "    expected: {expected}\n    got:      {got}",
    },
    "mutated": {
        "ko": "  함수가 입력으로 받은 배열을 제자리에서 바꿨습니다 (인자 `{arg}`). "
        "`{arg} *= ...`나 `{arg}[...] = ...`는 부른 쪽의 배열까지 바꿉니다. "
        "새 배열을 만들어 돌려주세요 (`{arg} * ...`, 또는 `{arg}.copy()`에서 시작). "
        "성분을 움직였다가 되돌린 것이라면, 더하고 빼서 되돌리면 반올림으로 마지막 비트가 "
        "달라질 수 있습니다. 원래 값을 저장해 두었다가(`old = {arg}[j]`) 그대로 다시 넣으세요.",
        "en": "  your function changed its input `{arg}` in place: `{arg} *= ...` or "
        "`{arg}[...] = ...` changes the caller's array too. Build a new array instead "
        "(`{arg} * ...`, or start from `{arg}.copy()`). If you moved an entry and put it "
        "back, undoing by adding and subtracting can leave the last bit changed by "
        "rounding: save the old value (`old = {arg}[j]`) and put exactly that back.",
    },
    "warned": {
        "ko": "  참고: 경고가 있었습니다 — {warning}",
        "en": "  note: your function issued a warning — {warning}",
    },
}


def _say(key: str, lang: str, **values: Any) -> str:
    return MESSAGES[key][lang].format(**values)


def _lang(lang: str | None) -> str:
    if lang is None:
        from .. import get_lang

        lang = get_lang()
    return lang if lang in ("ko", "en") else "en"


class Message(str):
    """A string that a notebook shows as plain text (no quotes, real line breaks)."""

    def __repr__(self) -> str:
        return str(self)


# ----------------------------------------------------------------------------------------
# The result of a check
# ----------------------------------------------------------------------------------------


@dataclass
class CheckResult:
    """What ``check`` found. Truthy only when every case passed.

    ``status`` is one of ``"passed"``, ``"not_done"``, ``"failed"`` (a wrong answer),
    ``"error"`` (the function raised), ``"timeout"`` or ``"not_callable"``.
    """

    name: str
    status: str
    message: str
    n_cases: int
    n_passed: int
    printed: bool = False

    @property
    def passed(self) -> bool:
        return self.status == "passed"

    def __bool__(self) -> bool:
        return self.passed

    def _ipython_display_(self) -> None:
        # The feedback was printed already; showing the object again would repeat it.
        if not self.printed:
            print(self.message)


# ----------------------------------------------------------------------------------------
# Calling the reader's function safely
# ----------------------------------------------------------------------------------------


class _TimeUp(BaseException):
    """Raised inside the reader's function when its time is up (not an ``Exception``, so a
    bare ``except Exception`` in the reader's code cannot swallow it)."""


def _call_with_time_limit(fn: Callable, args: list, limit: float):
    """Call ``fn(*args)``; return ``(value, error, elapsed, warnings)``.

    On Unix, in the main thread, a timer interrupts a call that runs over ``limit``
    seconds (a Jupyter or Colab cell runs there). Elsewhere the call runs to the end and
    is reported as too slow afterwards.
    """
    in_main_thread = threading.current_thread() is threading.main_thread()
    use_alarm = hasattr(signal, "setitimer") and in_main_thread
    old_handler = None
    if use_alarm:

        def on_alarm(signum, frame):
            raise _TimeUp

        old_handler = signal.signal(signal.SIGALRM, on_alarm)
        signal.setitimer(signal.ITIMER_REAL, limit)
    start = time.perf_counter()
    value, error = None, None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            value = fn(*args)
        except _TimeUp as exc:
            error = exc
        except (Exception, SystemExit) as exc:  # the reader's code, whatever it does
            error = exc
        finally:
            if use_alarm:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, old_handler)
    elapsed = time.perf_counter() - start
    if error is None and elapsed > limit:
        error = _TimeUp()
    return value, error, elapsed, list(caught)


# ----------------------------------------------------------------------------------------
# Comparing an answer with the expected one
# ----------------------------------------------------------------------------------------


def _kind(value: Any) -> str:
    """A short description of what a value is: 'list', 'float', 'ndarray of shape (3,)'."""
    if isinstance(value, np.ndarray):
        return f"ndarray {value.shape} {value.dtype}"
    return type(value).__name__


def _fmt_number(value: Any, digits: int = 6) -> str:
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    return f"{float(value):.{digits}g}"


def _fmt_pair(expected: Any, got: Any, allowed: float, lang: str) -> tuple[str, str, str]:
    """``(expected, got, note)`` as shown to the reader.

    The two numbers get as many significant digits as it takes to tell them apart (6 at
    least, 17 at most), never "expected 0.0236723, got 0.0236723". When the answer is
    close (within a thousand times the tolerance ``allowed``), the note names the
    difference and the tolerance; a plainly wrong answer keeps the short form.
    """
    for digits in (6, 8, 10, 12, 17):
        e, g = _fmt_number(expected, digits), _fmt_number(got, digits)
        if e != g:
            break
    diff = abs(float(got) - float(expected))
    note = ""
    if diff <= 1000 * allowed:
        note = _say("tolerance", lang, diff=_fmt_small(diff), allowed=_fmt_small(allowed))
    return e, g, note


def _fmt_small(value: float) -> str:
    """A difference or a tolerance, short: '3.2e-07', '0'."""
    return "0" if value == 0 else f"{value:.2g}"


def _fmt_array(a: np.ndarray, precision: int = 4) -> str:
    return np.array2string(np.asarray(a), precision=precision, suppress_small=True,
                           threshold=12, max_line_width=90)


def _fmt_array_pair(expected: np.ndarray, got: np.ndarray) -> tuple[str, str]:
    """Both arrays as text, with enough digits that the two printouts differ."""
    for precision in (4, 8, 12, 17):
        pair = _fmt_array(expected, precision), _fmt_array(got, precision)
        if pair[0] != pair[1]:
            break
    return pair


def _index(flat_index: int, shape: tuple) -> str:
    idx = np.unravel_index(flat_index, shape) if shape else ()
    return "[" + ", ".join(str(int(i)) for i in idx) + "]"


def _tolerance(ex: Exercise, dtype, expected) -> tuple[float, float]:
    """``(rtol, atol)`` for a float result of ``dtype``.

    The looser float32 tolerance (see FLOAT32_RTOL) applies to float32 results, and to
    float64 ones too unless the exercise sets ``exact_dtype``: a computation done in
    float32 and cast to float64 at the end (``.astype(np.float64)``, ``np.array(states,
    dtype=float)``) is as right as the same result left in float32, and carries the same
    rounding. Only an exercise whose statement asks for float64 keeps its own tolerance.
    """
    if np.dtype(dtype).itemsize >= 8 and ex.exact_dtype:
        return ex.rtol, ex.atol
    scale = float(np.max(np.abs(expected))) if np.size(expected) else 0.0
    if not math.isfinite(scale):
        scale = 0.0
    return max(ex.rtol, FLOAT32_RTOL), max(ex.atol, FLOAT32_RTOL * scale)


def _compare_array(expected: np.ndarray, got: Any, ex: Exercise, lang: str) -> str | None:
    if isinstance(got, (list, tuple)):
        return _say("list", lang, kind=type(got).__name__).strip()
    if type(got).__module__.startswith("torch"):
        return _say("tensor", lang).strip()
    if not isinstance(got, np.ndarray):
        return _say("not_array", lang, kind=_kind(got)).strip()
    if got.shape != expected.shape:
        return _say("shape", lang, expected=expected.shape, got=got.shape)
    if expected.dtype.kind == "f" and not ex.exact_dtype:
        if got.dtype not in ACCEPTED_FLOATS:
            return _say("dtype_float", lang, got=got.dtype)
    elif got.dtype.kind != expected.dtype.kind or (
        expected.dtype.kind == "f" and got.dtype != expected.dtype
    ):
        return _say("dtype", lang, expected=expected.dtype, got=got.dtype)
    if got.dtype.kind in "fc":
        bad = ~np.isfinite(got) & np.isfinite(expected)
        if bad.any():
            return _say("nan", lang, index=_index(int(np.flatnonzero(bad)[0]), got.shape))
        rtol, atol = _tolerance(ex, got.dtype, expected)
        close = np.isclose(got, expected, rtol=rtol, atol=atol, equal_nan=True)
    else:
        close = got == expected
        rtol, atol = ex.rtol, ex.atol  # only shown for floats
    if close.all():
        return None
    first = int(np.flatnonzero(~close.ravel())[0])
    want, have = expected.ravel()[first], got.ravel()[first]
    if got.dtype.kind == "f":  # np.isclose: |got - want| <= atol + rtol |want|
        shown_e, shown_g, note = _fmt_pair(want, have, atol + rtol * abs(float(want)), lang)
    else:
        shown_e, shown_g, note = _fmt_number(want), _fmt_number(have), ""
    text = _say("values", lang, index=_index(first, got.shape), expected=shown_e,
                got=shown_g) + note
    if expected.size <= 12:
        arrays = _fmt_array_pair(expected, got)
        text += "\n" + _say("arrays", lang, expected=arrays[0], got=arrays[1])
    return text


def _compare_number(expected: Any, got: Any, ex: Exercise, lang: str) -> str | None:
    if isinstance(got, np.ndarray) and got.ndim == 0:
        got = got[()]
    if type(got).__module__.startswith("torch"):
        return _say("tensor", lang).strip()
    if isinstance(got, (bool, np.bool_)) or not isinstance(got, (int, float, np.number)):
        return _say("not_number", lang, kind=_kind(got)).strip()
    if isinstance(expected, (int, np.integer)):
        if isinstance(got, (float, np.floating)):
            if not math.isfinite(got) or got != int(got):
                return _say("not_int", lang, got=float(got)).strip()
            got = int(got)
        return None if int(got) == int(expected) else _say(
            "value", lang, expected=_fmt_number(expected), got=_fmt_number(got))
    if not math.isfinite(float(got)) and math.isfinite(float(expected)):
        return _say("nan", lang, index="-")
    dtype = got.dtype if isinstance(got, np.floating) else np.float64
    rtol, atol = _tolerance(ex, dtype, expected)
    if math.isclose(float(got), float(expected), rel_tol=rtol, abs_tol=atol):
        return None
    # math.isclose: |a - b| <= max(rel_tol * max(|a|, |b|), abs_tol)
    allowed = max(rtol * max(abs(float(got)), abs(float(expected))), atol)
    shown_e, shown_g, note = _fmt_pair(expected, got, allowed, lang)
    return _say("value", lang, expected=shown_e, got=shown_g) + note


def _compare_one(expected: Any, got: Any, ex: Exercise, lang: str) -> str | None:
    if got is None:
        return _say("none", lang).strip()
    if isinstance(expected, np.ndarray):
        return _compare_array(expected, got, ex, lang)
    return _compare_number(expected, got, ex, lang)


def compare(expected: Any, got: Any, ex: Exercise, lang: str) -> str | None:
    """Return ``None`` when ``got`` matches ``expected``, else one sentence saying how not."""
    if not isinstance(expected, tuple):
        problem = _compare_one(expected, got, ex, lang)
        return None if problem is None else "  " + problem
    names = ", ".join(ex.output_names) or f"{len(expected)} values"
    if got is None:
        return _say("none", lang)
    if not isinstance(got, (tuple, list)):
        return _say("not_tuple", lang, n=len(expected), names=names, kind=_kind(got))
    if len(got) != len(expected):
        return _say("tuple_len", lang, n=len(expected), names=names, got=len(got))
    for k, (want, have) in enumerate(zip(expected, got, strict=True)):
        problem = _compare_one(want, have, ex, lang)
        if problem is not None:
            part = ex.output_names[k] if k < len(ex.output_names) else str(k)
            return _say("part", lang, part=part) + problem
    return None


# ----------------------------------------------------------------------------------------
# check, hint, solution, list_exercises
# ----------------------------------------------------------------------------------------


def _describe_arg(value: Any) -> str:
    if isinstance(value, np.ndarray):
        if value.size <= 6:
            return _fmt_array(value)
        return f"<array {value.shape}>"
    if isinstance(value, SimpleNamespace):
        inner = ", ".join(f"{k}{np.shape(v)}" for k, v in vars(value).items())
        return f"<p: {inner}>"
    return repr(value)


def _shapes_text(c: Case) -> str:
    parts = []
    for k, v in c.args.items():
        if isinstance(v, SimpleNamespace):
            parts += [f"p.{n} {np.shape(a)}" for n, a in vars(v).items()]
        elif isinstance(v, np.ndarray):
            parts.append(f"{k} {v.shape}")
    return ", ".join(parts)


def _call_text(ex: Exercise, c: Case) -> str:
    args = ", ".join(f"{k}={_describe_arg(v)}" for k, v in c.args.items())
    return f"{ex.reference.__name__}({args})"


def _same(a: Any, b: Any) -> bool:
    """True when an input is unchanged after the call (arrays compared bit for bit)."""
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.shape == b.shape and np.array_equal(
            a, b, equal_nan=True)
    if isinstance(a, SimpleNamespace):
        return isinstance(b, SimpleNamespace) and all(
            _same(v, getattr(b, k, None)) for k, v in vars(a).items())
    return True


def _error_text(error: BaseException) -> str:
    text = f"{type(error).__name__}: {error}".strip().rstrip(":")
    return text if len(text) <= 300 else text[:297] + "..."


def _check_case(ex: Exercise, fn: Callable, c: Case, lang: str, limit: float):
    """Run one case; return ``(status, problem text or None, warnings)``."""
    expected = ex.reference(*copy.deepcopy(list(c.args.values())))
    given = copy.deepcopy(list(c.args.values()))
    got, error, _, caught = _call_with_time_limit(fn, given, limit)
    if isinstance(error, NotImplementedError):
        return "not_done", None, caught
    if isinstance(error, _TimeUp):
        return "timeout", _say("timeout", lang, limit=limit), caught
    if error is not None:
        text = _say("raised", lang, error=_error_text(error))
        if isinstance(error, TypeError) and "argument" in str(error):
            text += "\n" + _say("raised_type", lang)
        elif isinstance(error, ValueError) and ("shape" in str(error) or "dimension" in str(error)):
            text += "\n" + _say("raised_shape", lang, shapes=_shapes_text(c))
        return "error", text, caught
    for (arg, before), after in zip(c.args.items(), given, strict=True):
        if not _same(before, after):
            return "failed", _say("mutated", lang, arg=arg), caught
    try:
        problem = compare(expected, got, ex, lang)
    except Exception as exc:  # an exotic return value that NumPy cannot compare
        problem = "  " + _say("not_array", lang, kind=_kind(got)).strip() + f" ({exc})"
    return ("failed" if problem else "passed"), problem, caught


def check(name: str, fn: Callable, lang: str | None = None, time_limit: float | None = None,
          verbose: bool = True) -> CheckResult:
    """Grade the reader's function ``fn`` for exercise ``name`` (chapter 00 shows how).

    Runs the fixed cases, then the random ones, stops at the first failure and prints one
    short paragraph in the edition's language (``lang`` or ``lstm_lib.get_lang()``):
    which case, what was called, what was expected and what came back. Returns a
    :class:`CheckResult`; ``assert check(...)`` passes only when every case passed.
    ``time_limit`` is the number of seconds one call may take.
    """
    ex = get(name)
    lang = _lang(lang)
    limit = DEFAULT_TIME_LIMIT if time_limit is None else float(time_limit)
    cases = ex.all_cases()
    n = len(cases)
    if not callable(fn):
        message = _say("not_callable", lang, name=name, fn=ex.reference.__name__,
                       got=_kind(fn))
        return _finish(CheckResult(name, "not_callable", message, n, 0), verbose)
    notes: list[str] = []
    for k, c in enumerate(cases, start=1):
        status, problem, caught = _check_case(ex, fn, c, lang, limit)
        notes += [_error_text(w.message) if isinstance(w.message, Warning) else str(w.message)
                  for w in caught]
        if status == "passed":
            continue
        if status == "not_done":
            message = _say("not_done", lang, name=name)
            return _finish(CheckResult(name, status, message, n, k - 1), verbose)
        label = c.label.get(lang) or c.label.get("en") or ""
        lines = [
            _say("header", lang, name=name, k=k, n=n, label=label),
            _say("call", lang, call=_call_text(ex, c)),
            problem,
        ]
        return _finish(CheckResult(name, status, "\n".join(lines), n, k - 1), verbose)
    fixed = len(ex.cases)
    message = _say("passed", lang, name=name, n=n, fixed=fixed, random=n - fixed)
    if notes:
        message += "\n" + _say("warned", lang, warning=notes[0])
    return _finish(CheckResult(name, "passed", message, n, n), verbose)


def _finish(result: CheckResult, verbose: bool) -> CheckResult:
    if verbose:
        print(result.message)
        result.printed = True
    return result


def hint(name: str, lang: str | None = None) -> Message:
    """Return the hint for exercise ``name`` in the edition's language."""
    ex = get(name)
    lang = _lang(lang)
    return Message(f"{ex.name} — {ex.title[lang]}\n" + textwrap.fill(ex.hint[lang], width=88))


def solution(name: str) -> Message:
    """Return the source of the reference solution of exercise ``name``, ready to read."""
    return Message(inspect.getsource(get(name).reference).rstrip())


def list_exercises(chapter: str | int | None = None, lang: str | None = None) -> Message:
    """List the registered exercises (of one chapter, e.g. ``"05"`` or ``5``, if given)."""
    lang = _lang(lang)
    prefix = None if chapter is None else f"{int(chapter):02d}."
    lines = [f"{ex.name:24s} {ex.title[lang]}" for ex in sorted(_REGISTRY.values(),
                                                               key=lambda e: e.name)
             if prefix is None or ex.name.startswith(prefix)]
    return Message("\n".join(lines))


def names() -> list[str]:
    """All registered exercise names, sorted (used by the tests)."""
    return sorted(_REGISTRY)


# ----------------------------------------------------------------------------------------
# Helpers for writing cases (used by the chNN.py modules)
# ----------------------------------------------------------------------------------------


def random_sizes(rng: np.random.Generator) -> tuple[int, int]:
    """Random sizes ``(D, H)`` for a random case, with ``D != H`` so that mixing up
    ``[h_prev, x]`` and ``[x, h_prev]`` or transposing a weight cannot go unnoticed."""
    H = int(rng.integers(1, 5))
    D = int(rng.integers(1, 6))
    return (D + 1 if D == H else D), H


def random_gate_args(rng: np.random.Generator, weight: str, bias: str) -> dict:
    """Arguments ``x, h_prev, <weight>, <bias>`` for one gate, with random sizes."""
    D, H = random_sizes(rng)
    return {
        "x": rng.normal(size=D),
        "h_prev": rng.uniform(-1, 1, size=H),
        weight: rng.normal(scale=0.8, size=(H, H + D)),
        bias: rng.normal(scale=0.5, size=H),
    }
