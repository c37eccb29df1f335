"""Number inputs: the import reader's rule for what users type, Swedish format back."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django import forms
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from jamlik.core import number_fields
from jamlik.core.number_fields import NumberInputError, format_number, read_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 200 000", Decimal("1200000")),  # refused by the scenario form before
        ("1\u00a0200\u00a0000", Decimal("1200000")),
        ("1\u202f200\u2009000", Decimal("1200000")),
        ("78,9", Decimal("78.9")),  # became 789 in a baseline field before
        ("78.9", Decimal("78.9")),
        ("0,25", Decimal("0.25")),
        ("1 234,5", Decimal("1234.5")),
        ("1.234,5", Decimal("1234.5")),
        ("−3,5", Decimal("-3.5")),
        ("-0,5", Decimal("-0.5")),
        ("1,200", Decimal("1.2")),  # the Swedish decimal comma
        ("0.250", Decimal("0.25")),
        ("  42 ", Decimal("42")),
    ],
)
def test_reads_swedish_numbers(text, expected):
    assert read_number(text) == expected


@pytest.mark.parametrize("text", ["1.200,5,3", "1,2,3", "abc", "1.2.3", "78 9", "12 34", "nan"])
def test_refuses_what_is_not_one_number(text):
    with pytest.raises(NumberInputError):
        read_number(text)


@pytest.mark.parametrize("text", ["1.200", "12.500", "-1.000"])
def test_asks_about_a_point_before_three_digits(text):
    with translation.override("en"), pytest.raises(NumberInputError) as caught:
        read_number(text)
    whole, decimals = text.split(".")
    assert f"write {whole}{decimals} or" in str(caught.value.message)


def test_whole_number_fields_ask_about_a_comma_before_three_digits():
    with translation.override("sv"), pytest.raises(NumberInputError) as caught:
        read_number("1,200", whole=True)
    assert "skriv 1200" in str(caught.value.message)
    assert read_number("1 200", whole=True) == 1200
    with pytest.raises(NumberInputError):
        read_number("2,5", whole=True)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (1200000.0, "1200000"),
        (78.9, "78,9"),
        (0.1, "0,1"),
        (-0.5, "-0,5"),
        (1e-7, "0,0000001"),
        (Decimal("1.200"), "1,2"),
        (3, "3"),
        (None, ""),
        ("78,9 typed", "78,9 typed"),
    ],
)
def test_shows_numbers_in_swedish_input_format(value, shown):
    assert format_number(value) == shown


@settings(deadline=None)  # timing varies on a shared machine
@given(
    st.decimals(
        allow_nan=False, allow_infinity=False, places=4, min_value=-(10**12), max_value=10**12
    )
)
def test_decimals_read_back_as_shown(value):
    assert read_number(format_number(value)) == value


@settings(deadline=None)  # timing varies on a shared machine
@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12))
def test_floats_read_back_as_shown(value):
    assert float(read_number(format_number(value))) == value


@settings(deadline=None)  # timing varies on a shared machine
@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_integers_read_back_as_shown_also_with_grouping(value):
    assert read_number(format_number(value), whole=True) == value
    grouped = f"{value:,}".replace(",", "\u00a0")
    assert read_number(grouped, whole=True) == value


class _Form(forms.Form):
    amount = number_fields.FloatField(min_value=0)
    share = number_fields.DecimalField(required=False, decimal_places=1)
    count = number_fields.IntegerField(required=False)


def test_form_fields_read_and_render():
    form = _Form({"amount": "1 200 000", "share": "78,9", "count": "1 200"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {
        "amount": 1200000.0,
        "share": Decimal("78.9"),
        "count": 1200,
    }
    html = str(_Form(initial={"amount": 1200000.0, "share": Decimal("78.9")})["share"])
    assert 'type="text"' in html and 'inputmode="decimal"' in html and 'value="78,9"' in html
    assert 'inputmode="numeric"' in str(_Form()["count"])
    assert 'value="1200000"' in str(_Form(initial={"amount": 1200000.0})["amount"])


def test_form_errors_keep_what_was_typed():
    with translation.override("sv"):
        form = _Form({"amount": "1.200,5,3", "count": "2,5"})
        assert not form.is_valid()
        assert "inte ett tal" in form.errors["amount"][0]
        assert "heltal" in form.errors["count"][0]
        assert 'value="1.200,5,3"' in str(form["amount"])


def test_min_value_still_checked():
    form = _Form({"amount": "-1"})
    assert not form.is_valid() and "amount" in form.errors
