"""Tests for lstm_lib.exercises: every reference passes, every known wrong version fails,
and no kind of broken reader code makes ``check`` raise.

The tests loop over *every* registered exercise, so an exercise added in a new
``chNN.py`` is covered without writing any test code.
"""

from __future__ import annotations

import math
import time
import warnings

import numpy as np
import pytest

from lstm_lib.exercises import check, get, hint, list_exercises, names, solution
from lstm_lib.exercises.core import MESSAGES, CheckResult

ALL = names()
WRONG = [(name, what) for name in ALL for what in get(name).wrong]
LANGS = ["ko", "en"]


def _quiet_check(name, fn, lang="en", time_limit=0.5):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return check(name, fn, lang=lang, time_limit=time_limit, verbose=False)


def test_registry_has_the_part_two_exercises():
    expected = {
        "05.forget_gate", "05.survival_steps", "06.input_gate", "06.candidate",
        "07.cell_update", "07.cell_over_time", "08.output_and_hidden", "08.lstm_step",
    }
    assert expected <= set(ALL)


@pytest.mark.parametrize("name", ALL)
def test_exercise_is_well_formed(name):
    ex = get(name)
    chapter, short = name.split(".")
    assert len(chapter) == 2 and chapter.isdigit() and short.isidentifier()
    for lang in LANGS:
        assert ex.title[lang].strip() and ex.hint[lang].strip()
        for c in ex.cases:
            assert c.label[lang].strip()
    assert len(ex.cases) >= 2, "a few fixed cases"
    assert ex.random_case is not None
    assert len(ex.wrong) >= 3, "each exercise lists the usual mistakes it must catch"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", ALL)
def test_reference_passes(name, lang, capsys):
    result = check(name, get(name).reference, lang=lang)
    assert result and result.status == "passed"
    assert result.n_passed == result.n_cases >= len(get(name).cases) + 1
    out = capsys.readouterr().out
    assert name in out and "✓" in out


@pytest.mark.parametrize("name,what", WRONG)
def test_wrong_version_is_rejected(name, what):
    result = _quiet_check(name, get(name).wrong[what])
    assert not result, f"{name}: the wrong version {what!r} passed"
    assert result.status in {"failed", "error"}
    assert "✗" in result.message


def test_survival_steps_accepts_the_formula_solution():
    def by_formula(f, threshold):
        return math.floor(math.log(threshold) / math.log(f)) + 1

    def numpy_formula(f, threshold):
        return np.floor(np.log(threshold) / np.log(f)) + 1  # an integral float is accepted

    assert _quiet_check("05.survival_steps", by_formula)
    assert _quiet_check("05.survival_steps", numpy_formula)
    # math.ceil is one step short on the boundary f**k == threshold, e.g. (0.5, 0.25)
    ceil = _quiet_check("05.survival_steps",
                        lambda f, t: math.ceil(math.log(t) / math.log(f)))
    assert not ceil and "0.25" in ceil.message


# --- broken reader code never makes check raise ------------------------------------------


def _raise_not_implemented(*args):
    raise NotImplementedError


def _raise_error(*args):
    raise RuntimeError("boom")


def _return_none(*args):
    return None


def _return_list(name):
    ref = get(name).reference
    return lambda *args: _to_list(ref(*args))


def _to_list(value):
    if isinstance(value, tuple):
        return tuple(np.asarray(v).tolist() for v in value)
    return np.asarray(value).tolist() if isinstance(value, np.ndarray) else [value]


def _wrong_shape(name):
    ref = get(name).reference

    def fn(*args):
        out = ref(*args)
        if isinstance(out, tuple):
            return tuple(np.append(np.asarray(v), 0.0) for v in out)
        return np.append(np.asarray(out), 0.0)

    return fn


def _wrong_dtype(name):
    ref = get(name).reference

    def fn(*args):
        out = ref(*args)
        if isinstance(out, tuple):
            return tuple(np.asarray(v).astype(np.int64) for v in out)
        if isinstance(out, np.ndarray):
            return out.astype(np.int64)
        return str(out)

    return fn


def _nan(name):
    ref = get(name).reference

    def fn(*args):
        out = ref(*args)
        if isinstance(out, tuple):
            return tuple(np.full(np.shape(v), np.nan) for v in out)
        return np.full(np.shape(out), np.nan) if np.ndim(out) else float("nan")

    return fn


def _endless(*args):
    while True:
        pass


def _sleepy(*args):
    time.sleep(2)


def _wrong_arity(name):
    """A function with one parameter too many for this exercise."""
    n = len(get(name).cases[0].args) + 1
    return eval("lambda " + ", ".join(f"a{k}" for k in range(n)) + ": a0")


def _warns(name):
    ref = get(name).reference

    def fn(*args):
        np.exp(np.float64(1000.0))  # RuntimeWarning: overflow
        return ref(*args)

    return fn


GARBAGE = {
    "stub": (lambda name: _raise_not_implemented, {"not_done"}),
    "exception": (lambda name: _raise_error, {"error"}),
    "none": (lambda name: _return_none, {"failed"}),
    "list": (_return_list, {"failed"}),
    "wrong shape": (_wrong_shape, {"failed"}),
    "wrong dtype": (_wrong_dtype, {"failed"}),
    "nan": (_nan, {"failed"}),
    "endless loop": (lambda name: _endless, {"timeout"}),
    "sleeps too long": (lambda name: _sleepy, {"timeout"}),
    "wrong number of parameters": (_wrong_arity, {"error"}),
    "not a function": (lambda name: 42, {"not_callable"}),
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", list(GARBAGE))
@pytest.mark.parametrize("name", ALL)
def test_garbage_gives_a_sentence_not_a_traceback(name, kind, lang):
    make, statuses = GARBAGE[kind]
    # Only the endless kinds need a short limit; the others may be slow on a loaded
    # machine (a list built from a finite-difference reference), and must not time out.
    limit = 0.1 if "timeout" in statuses else 10.0
    result = check(name, make(name), lang=lang, time_limit=limit, verbose=False)
    assert isinstance(result, CheckResult)
    assert not result
    assert result.status in statuses, (kind, result.status, result.message)
    assert "Traceback" not in result.message
    assert result.message.strip()
    if lang == "ko":
        assert any("\uac00" <= ch <= "\ud7a3" for ch in result.message), "Korean feedback"


def test_timeout_is_quick():
    start = time.perf_counter()
    result = check("05.forget_gate", _endless, lang="en", time_limit=0.1, verbose=False)
    assert result.status == "timeout"
    assert time.perf_counter() - start < 10.0  # not endless; generous for a loaded machine


def test_input_mutation_is_reported():
    ref = get("07.cell_update").reference

    def in_place(c_prev, f, i, g):
        c_prev *= f
        c_prev += i * g
        return c_prev

    result = _quiet_check("07.cell_update", in_place)
    assert result.status == "failed" and "in place" in result.message
    assert _quiet_check("07.cell_update", ref)


def test_reader_warnings_are_caught_and_noted():
    for name in ["05.forget_gate", "08.lstm_step"]:
        result = _quiet_check(name, _warns(name))
        assert result, result.message
        assert "warning" in result.message


def test_feedback_names_the_case_and_the_difference():
    wrong = get("05.forget_gate").wrong["bias missing"]
    result = _quiet_check("05.forget_gate", wrong)
    assert "case 2 of" in result.message
    assert "expected" in result.message and "got" in result.message
    ko = check("05.forget_gate", wrong, lang="ko", verbose=False)
    assert "기대한 값" in ko.message


def test_feedback_shows_more_digits_and_the_tolerance_when_values_look_equal():
    """Where the tolerance is tighter than six digits (an exercise whose statement asks
    for float64 keeps rtol 1e-6), a near miss is shown with the digits that differ and
    the tolerance; a plainly wrong answer keeps the short form."""
    from lstm_lib.exercises.core import Exercise, compare

    ex = Exercise(name="99.x", title={}, hint={}, reference=np.sin, cases=[],
                  exact_dtype=True)
    expected = np.array([0.123456789, 2.0])
    nearly = expected + np.array([2e-7, 0.0])  # the same number at six digits
    for lang, word in (("en", "tolerance"), ("ko", "허용 오차")):
        text = compare(expected, nearly, ex, lang)
        assert text is not None and word in text, text
        assert "0.12345679" in text and "0.12345699" in text, text
        assert "0.123457, " not in text
    # a plain wrong answer keeps the short form
    wrong = get("05.forget_gate").wrong["bias missing"]
    assert "tolerance" not in _quiet_check("05.forget_gate", wrong).message


def test_language_defaults_to_the_edition(monkeypatch):
    import lstm_lib

    monkeypatch.setitem(lstm_lib._state, "lang", "en")
    assert "not done yet" in check("05.forget_gate", _raise_not_implemented, verbose=False).message
    monkeypatch.setitem(lstm_lib._state, "lang", "ko")
    assert "아직" in check("05.forget_gate", _raise_not_implemented, verbose=False).message


def test_check_prints_once_and_result_does_not_repeat(capsys):
    result = check("05.forget_gate", _raise_not_implemented, lang="en")
    assert capsys.readouterr().out.count("not done yet") == 1
    result._ipython_display_()
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("name", ALL)
def test_hint_and_solution(name):
    for lang in LANGS:
        text = hint(name, lang=lang)
        assert name in text and get(name).title[lang] in text
        assert repr(text) == str(text)
    source = solution(name)
    assert source.startswith("def ") and get(name).reference.__name__ in source
    namespace = {"np": np, "math": math}
    exec(source, namespace)  # the printed solution is self-contained
    assert _quiet_check(name, namespace[get(name).reference.__name__])


def test_list_exercises_and_unknown_names():
    assert "05.forget_gate" in list_exercises()
    assert "06." not in list_exercises(chapter=5)
    assert "06.input_gate" in list_exercises(chapter="06", lang="en")
    with pytest.raises(KeyError, match="05.forget_gate"):
        check("05.forget_gat", _raise_not_implemented)


def test_every_message_exists_in_both_languages():
    for key, texts in MESSAGES.items():
        assert set(texts) == set(LANGS), key


# --- float32, messages, mutation (review of chapters 00-04, items 11 and 21) --------------


def _float32(value):
    """Every float array (or float) in ``value`` as float32, recursively."""
    from types import SimpleNamespace

    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        return value.astype(np.float32)
    if isinstance(value, SimpleNamespace):
        return SimpleNamespace(**{k: _float32(v) for k, v in vars(value).items()})
    if isinstance(value, tuple):
        return tuple(_float32(v) for v in value)
    if isinstance(value, float):
        return np.float32(value)
    return value


@pytest.mark.parametrize("name", [n for n in ALL if not get(n).exact_dtype])
def test_a_float32_computation_is_accepted(name):
    """The reference computed entirely in float32 (inputs and result) passes: no statement
    asks for float64, and a float32 answer cannot match float64 to 1e-6."""
    ref = get(name).reference
    result = _quiet_check(name, lambda *args: _float32(ref(*(_float32(a) for a in args))))
    assert result, result.message


@pytest.mark.parametrize("name,what", WRONG)
def test_a_wrong_version_in_float32_is_still_rejected(name, what):
    wrong = get(name).wrong[what]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = check(name, lambda *args: _float32(wrong(*(_float32(a) for a in args))),
                       lang="en", time_limit=0.5, verbose=False)
    assert not result, f"{name}: the wrong version {what!r} passed in float32"


def test_float32_solutions_written_by_readers():
    import torch

    def sigmoid32(z):
        return (1 / (1 + np.exp(-z))).astype(np.float32)

    def rnn_step_torch(x, h_prev, W, b):  # a PyTorch solution in its default float32
        z = torch.cat([torch.from_numpy(h_prev), torch.from_numpy(x)]).float()
        return torch.tanh(torch.from_numpy(W).float() @ z + torch.from_numpy(b).float()).numpy()

    def make_task32(symbols, n_symbols):
        return np.eye(n_symbols, dtype=np.float32)[symbols], symbols[0].copy()

    def per_step_factor32(norms):
        k = np.arange(len(norms), dtype=np.float32)
        return np.exp(np.polyfit(k, np.log(norms.astype(np.float32)), 1)[0])

    assert _quiet_check("00.sigmoid", sigmoid32)
    assert _quiet_check("01.rnn_step", rnn_step_torch)
    assert _quiet_check("03.make_task", make_task32)
    assert _quiet_check("03.per_step_factor", per_step_factor32)


def test_other_dtypes_are_still_rejected_with_a_clear_sentence():
    def make_task_int(symbols, n_symbols):  # the statement asks for floats
        return np.eye(n_symbols, dtype=np.int64)[symbols], symbols[0].copy()

    def make_task_float_target(symbols, n_symbols):  # y must be the symbols, integers
        return np.eye(n_symbols)[symbols], symbols[0].astype(float)

    def sigmoid16(z):
        return (1 / (1 + np.exp(-z))).astype(np.float16)

    for fn, name, words in [(make_task_int, "03.make_task", "float"),
                            (make_task_float_target, "03.make_task", "dtype"),
                            (sigmoid16, "00.sigmoid", "float16")]:
        for lang in LANGS:
            result = check(name, fn, lang=lang, verbose=False)
            assert result.status == "failed" and words in result.message, result.message


def test_exact_dtype_when_the_statement_asks_for_one():
    from lstm_lib.exercises.core import Exercise, compare

    ex = Exercise(name="99.x", title={}, hint={}, reference=np.sin, cases=[],
                  exact_dtype=True)
    expected = np.linspace(0, 1, 4)
    assert compare(expected, expected.copy(), ex, "en") is None
    assert "dtype" in compare(expected, expected.astype(np.float32), ex, "en")
    ex.exact_dtype = False
    assert compare(expected, expected.astype(np.float32), ex, "en") is None


def test_float32_tolerance_is_not_a_free_pass():
    from lstm_lib.exercises.core import FLOAT32_RTOL, Exercise, compare

    ex = Exercise(name="99.x", title={}, hint={}, reference=np.sin, cases=[])
    expected = np.array([1.0, -2.0, 0.5])
    off = (expected * (1 + 20 * FLOAT32_RTOL)).astype(np.float32)
    assert compare(expected, off, ex, "en") is not None
    assert compare(expected, expected.astype(np.float32), ex, "en") is None
    assert compare(0.5, np.float32(0.5 * (1 + 20 * FLOAT32_RTOL)), ex, "en") is not None


def test_a_tensor_gets_a_sentence_about_numpy():
    import torch

    def sigmoid_tensor(z):
        return torch.sigmoid(torch.from_numpy(z))

    for lang, word in [("en", ".numpy()"), ("ko", ".numpy()")]:
        result = check("00.sigmoid", sigmoid_tensor, lang=lang, verbose=False)
        assert result.status == "failed" and word in result.message


def test_korean_messages_put_no_particle_after_a_type_or_a_value():
    """"list을(를)" is not Korean: no particle may follow a {placeholder} whose reading
    decides the particle (a type name, a value, an argument's name)."""
    import re

    after_placeholder = re.compile(r"\{[^}]*\}`?(?:을|를|이|가|은|는|과|와|로|으로|\(|을\(를\))"
                                   r"(?=[\s.,)]|$)")
    for key, texts in MESSAGES.items():
        assert "(를)" not in texts["ko"] and "(이)" not in texts["ko"], key
        assert not after_placeholder.search(texts["ko"]), (key, texts["ko"])


def test_mutation_message_names_the_argument_of_this_exercise():
    def rnn_forward_in_place(X, h0, W, b):
        hs = get("01.rnn_forward").reference(X, h0, W, b)
        h0 *= 0.0  # changes the caller's array
        return hs

    def sigmoid_in_place(z):
        z *= -1
        np.exp(z, out=z)
        z += 1
        return 1 / z

    for lang in LANGS:
        result = check("01.rnn_forward", rnn_forward_in_place, lang=lang, verbose=False)
        assert result.status == "failed" and "`h0`" in result.message, result.message
        assert "c_prev" not in result.message
        result = check("00.sigmoid", sigmoid_in_place, lang=lang, verbose=False)
        assert result.status == "failed" and "`z`" in result.message
        assert "c_prev" not in result.message


# --- float32 computed, float64 returned; feedback a reader can act on (review rev-00-03,
# item 4); the not-done line fits under the exercise (item 15) ----------------------------


def _float64(value):
    """Every float32 array (or number) in ``value`` cast to float64, recursively."""
    if isinstance(value, np.ndarray) and value.dtype == np.float32:
        return value.astype(np.float64)
    if isinstance(value, tuple):
        return tuple(_float64(v) for v in value)
    if isinstance(value, np.float32):
        return float(value)
    return value


@pytest.mark.parametrize("name", [n for n in ALL if not get(n).exact_dtype])
def test_a_float32_computation_cast_to_float64_is_accepted(name):
    """A correct computation in float32 whose result is cast to float64 at the end
    (``.astype(np.float64)``, ``np.array(states, dtype=float)``) passes like the same
    result left in float32: chapter 00 promises that a result within the tolerance counts,
    whatever its float type."""
    ref = get(name).reference
    result = _quiet_check(
        name, lambda *args: _float64(_float32(ref(*(_float32(a) for a in args)))))
    assert result, result.message


def test_float32_solutions_cast_to_float64_written_by_readers():
    import torch

    def jacobian_product_torch(hs, W_hh):  # PyTorch's default float32, cast at the end
        hs_t, W = torch.tensor(hs, dtype=torch.float32), torch.tensor(W_hh, dtype=torch.float32)
        P = torch.eye(W.shape[0])
        for h in reversed(hs_t):
            P = P @ (torch.diag(1 - h**2) @ W)
        return P.numpy().astype(np.float64)

    def jacobian_product_mixed(hs, W_hh):  # float32 inputs, a float64 identity
        hs, W = np.asarray(hs, np.float32), np.asarray(W_hh, np.float32)
        P = np.eye(len(W))
        for h in hs[::-1]:
            P = P @ (np.diag(1 - h**2) @ W)
        return P

    def rnn_forward_as_float(X, h0, W, b):  # a float32 loop, np.array(..., dtype=float)
        h, W32, b32 = h0.astype(np.float32), W.astype(np.float32), b.astype(np.float32)
        states = []
        for x in X.astype(np.float32):
            h = np.tanh(W32 @ np.concatenate([h, x]) + b32)
            states.append(h)
        return np.array(states, dtype=float)

    for lang in LANGS:
        assert check("02.jacobian_product", jacobian_product_torch, lang=lang, verbose=False)
        assert check("02.jacobian_product", jacobian_product_mixed, lang=lang, verbose=False)
        assert check("01.rnn_forward", rnn_forward_as_float, lang=lang, verbose=False)


def test_the_numbers_in_the_feedback_differ_and_name_the_tolerance():
    """A small difference is printed with enough digits to see it, next to the size of the
    difference and the tolerance, never as "expected 0.0236723, got 0.0236723"."""
    import re

    def nearly(*args):  # off by 3e-5 relative: more than float32's rounding
        return get("01.rnn_forward").reference(*args) * (1 + 3e-5)

    def nearly_number(derivatives, scale):
        return get("02.predicted_factor").reference(derivatives, scale) * (1 + 3e-5)

    for fn, name in [(nearly, "01.rnn_forward"), (nearly_number, "02.predicted_factor")]:
        for lang, words in [("en", ("expected", "got", "tolerance")),
                            ("ko", ("기대한 값", "받은 값", "허용 오차"))]:
            message = check(name, fn, lang=lang, verbose=False).message
            number = r"(-?[0-9.]+(?:e[-+]?[0-9]+)?)"
            pair = re.search(words[0] + " " + number + ", " + words[1] + " " + number,
                             message)
            assert pair and pair.group(1) != pair.group(2), message
            assert words[2] in message
            lines = message.splitlines()
            arrays = [line.split(":", 1)[1].strip() for line in lines
                      if line.strip().startswith((words[0] + ":", words[1] + ":"))]
            assert len(set(arrays)) == len(arrays), message  # the two printouts differ


def test_the_not_done_message_fits_under_the_exercise():
    from tests.test_prose import CODE_COLUMNS, display_width

    for lang in LANGS:
        message = check("03.per_step_factor", _raise_not_implemented, lang=lang,
                        verbose=False).message
        assert all(display_width(line) <= CODE_COLUMNS for line in message.splitlines()), (
            message)


def test_mutation_message_says_how_to_restore_an_entry_moved_in_place():
    """10.central_difference: moving x[j] by +eps, -2 eps, +eps can leave the last bit
    changed; the message must say to save the old value, not only to copy (review rev-10)."""
    def undo_by_arithmetic(f, x, eps):
        grad = np.zeros_like(x)
        for j in np.ndindex(x.shape):
            x[j] += eps
            up = f(x)
            x[j] -= 2 * eps
            down = f(x)
            x[j] += eps
            grad[j] = (up - down) / (2 * eps)
        return grad

    for lang in LANGS:
        result = check("10.central_difference", undo_by_arithmetic, lang=lang, verbose=False)
        assert result.status == "failed" and "old = x[j]" in result.message, result.message
