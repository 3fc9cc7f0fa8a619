"""lstm_lib.sci and lstm_lib.glue: numbers for the prose (chapter 00)."""

from __future__ import annotations

import pytest
from IPython.core.formatters import format_display_data

import lstm_lib


@pytest.mark.parametrize("value, digits, text", [
    (2.7e-05, 2, "2.7 × 10⁻⁵"),
    (1.6e25, 2, "1.6 × 10²⁵"),
    (-9.83e-08, 3, "-9.83 × 10⁻⁸"),
    (0.5, 1, "5 × 10⁻¹"),
    (123.0, 2, "1.2 × 10²"),
    (0.0, 2, "0"),
])
def test_sci_writes_times_ten_to_the_power(value, digits, text):
    assert lstm_lib.sci(value, digits) == text


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_sci_refuses_what_has_no_notation(bad):
    with pytest.raises(ValueError):
        lstm_lib.sci(bad)


@pytest.mark.parametrize("text", ["3.1 × 10⁻⁴", "12,288", "2.00", "−0.71"])
def test_a_glued_string_reads_back_exactly(text):
    """The book and the Colab edition both read a glued value with MyST-NB's
    format_plain_text; a string must come back as the same string (not a tuple for
    "12,288", not 2.0 for "2.00")."""
    from myst_nb.core.variables import format_plain_text

    stored = format_display_data(text)[0]["text/plain"]
    assert format_plain_text(stored, "") == text


def test_glue_returns_nothing_so_a_cell_ending_with_it_prints_nothing():
    assert lstm_lib.glue("y", 0.25) is None
