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


def test_a_glued_string_displays_without_quotes():
    shown = lstm_lib._Text(lstm_lib.sci(3.1e-4))  # what glue stores for a string
    assert format_display_data(shown)[0]["text/plain"] == "3.1 × 10⁻⁴"
    assert format_display_data("plain str")[0]["text/plain"] == "'plain str'"  # the control


def test_glue_returns_nothing_so_a_cell_ending_with_it_prints_nothing():
    assert lstm_lib.glue("y", 0.25) is None
