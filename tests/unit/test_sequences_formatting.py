"""Sequence keys and displayed-number formatting (halves round up, SPEC §5)."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frontier.formatting import approx_int, fixed, money, percent_more, round_half_up, round_int
from frontier.sequences import STANDARD, parse_sequence, sequence_key, sequence_label, sort_key

# ------------------------------------------------------------------ sequences


@pytest.mark.parametrize(
    "text, pair",
    [
        ("1k1k", (1024, 1024)), ("1k8k", (1024, 8192)), ("8k1k", (8192, 1024)),
        ("1k/1k", (1024, 1024)), ("8k/1k", (8192, 1024)), ("1K8K", (1024, 8192)), (" 1k / 8k ", (1024, 8192)),
        ("1024/1024", (1024, 1024)), ("1024-8192", (1024, 8192)), ("8192_1024", (8192, 1024)),
        ("1000/2000", (1000, 2000)), ("2k/512", (2048, 512)),
    ],
)
def test_parse_sequence(text, pair):
    assert parse_sequence(text) == pair


@pytest.mark.parametrize("text", ["", None, "abc", "1k", "11k", "10241024", "0k1k", "1k/0", "1k1k1k", "-1k/1k"])
def test_parse_sequence_rejects(text):
    assert parse_sequence(text) is None


def test_standard_keys_and_labels():
    assert STANDARD == {"1k1k": (1024, 1024), "1k8k": (1024, 8192), "8k1k": (8192, 1024)}
    for key, (isl, osl) in STANDARD.items():
        assert sequence_key(isl, osl) == key
        assert parse_sequence(key) == (isl, osl)
        label = sequence_label(key)
        assert label == f"{key[:2]}/{key[2:]}"
        assert parse_sequence(label) == (isl, osl)
    assert sequence_label("1k1k") == "1k/1k"
    assert sequence_label("8k1k") == "8k/1k"


def test_non_standard_lengths():
    assert sequence_key(1000, 2000) == "1000-2000"
    assert sequence_label("1000-2000") == "1000/2000"
    assert sequence_key(2048, 512) == "2048-512"
    assert sequence_label("2048-512") == "2k/512"
    assert sequence_key(2048, 4096) == "2k4k"
    assert sequence_label("nonsense") == "nonsense"


def test_sort_key_puts_standard_first_in_order():
    keys = ["2048-512", "8k1k", "1000-2000", "1k8k", "1k1k"]
    assert sorted(keys, key=sort_key) == ["1k1k", "1k8k", "8k1k", "1000-2000", "2048-512"]


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=200_000), st.integers(min_value=1, max_value=200_000))
def test_sequence_round_trip(isl, osl):
    key = sequence_key(isl, osl)
    assert parse_sequence(key) == (isl, osl)
    assert parse_sequence(sequence_label(key)) == (isl, osl)


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1, max_value=64), st.integers(min_value=1, max_value=64))
def test_kilo_round_trip(a, b):
    key = f"{a}k{b}k"
    assert parse_sequence(key) == (a * 1024, b * 1024)
    assert sequence_key(a * 1024, b * 1024) == key
    assert sequence_label(key) == f"{a}k/{b}k"


# ------------------------------------------------------------------ rounding


@pytest.mark.parametrize(
    "value, decimals, text",
    [
        (0.125, 2, "0.13"),  # exactly half: up (Python's round gives 0.12)
        (2.5, 0, "3"),  # Python's round gives 2
        (0.5, 0, "1"),
        (1.5, 0, "2"),
        (3.5, 0, "4"),
        (2.675, 2, "2.68"),  # the float is 2.67499999...; the number a person reads is 2.675
        (1.005, 2, "1.01"),
        (0.1375, 3, "0.138"),
        (0.1374999, 3, "0.137"),
        (4729.01807, 1, "4729.0"),
        (92.5, 0, "93"),
        (123.49999, 0, "123"),
    ],
)
def test_round_half_up(value, decimals, text):
    assert round_half_up(value, decimals) == Decimal(text)
    assert str(round_half_up(value, decimals)) == text


def test_python_round_would_differ():
    # the cases above are meaningful: built-in rounding gives the other answer
    assert round(0.125, 2) == 0.12 and round(2.5) == 2 and f"{2.675:.2f}" == "2.67" and f"{1.055:.2f}" == "1.05"


def test_round_int():
    assert round_int(92.5) == 93
    assert round_int(153.5) == 154
    assert round_int(36.9706) == 37
    assert round_int(63.1479) == 63
    assert round_int(8.2229) == 8
    assert isinstance(round_int(1.2), int)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**7), st.integers(min_value=0, max_value=3))
def test_exact_halves_round_up(n, d):
    # the decimal n/10^d followed by a 5: half way between n/10^d and (n+1)/10^d
    digits = str(n).rjust(d + 1, "0")
    text = (digits[:-d] + "." + digits[-d:] if d else digits + ".") + "5"
    value = float(text)
    if repr(value) != text.lstrip("0") and repr(value) != text:
        return  # the float's shortest spelling is another number: not a half
    expected = Decimal(n + 1).scaleb(-d)
    assert round_half_up(value, d) == expected


# ------------------------------------------------------------------ formats


def test_fixed():
    assert fixed(1583.63345, 1) == "1583.6"
    assert fixed(966.26413, 1) == "966.3"
    assert fixed(2179271.0, 0) == "2179271"
    assert fixed(729785.0001, 0) == "729785"
    assert fixed(3.0, 2) == "3.00"
    assert fixed(1234567.891, 1, thousands=True) == "1,234,567.9"
    assert fixed(0.0, 1) == "0.0"


def test_money():
    assert money(0.1371, 3) == "$0.137"
    assert money(0.2047, 3) == "$0.205"  # 0.2047 -> 0.205
    assert money(1.05525, 3) == "$1.055"
    assert money(1.055, 2) == "$1.06"  # half up, although the float is 1.05499999...
    assert money(0.414, 2) == "$0.41"
    assert money(12.0, 2) == "$12.00"


def test_approx_int():
    assert approx_int(64.0) == "~64"
    assert approx_int(36.9706) == "~37"
    assert approx_int(8.5) == "~9"
    assert approx_int(16.1406) == "~16"


@pytest.mark.parametrize("bad", [float("nan"), None, float("inf"), -float("inf")])
def test_not_available(bad):
    assert fixed(bad, 1) == "n/a"
    assert money(bad, 3) == "n/a"
    assert approx_int(bad) == "n/a"


def test_percent_more():
    assert percent_more(3.0, 1.0) == 200
    assert percent_more(1.125, 1.0) == 13  # 12.5 -> 13
    assert percent_more(0.414000 / 0.137100 * 10, 10) == 202
    assert percent_more(1.0, 1.0) == 0


def test_fixed_never_raises_for_large_finite_values():
    # Found while writing these tests: the default 28-digit decimal context used to raise
    # decimal.InvalidOperation from about 1e28 on.
    assert fixed(1e30, 0) == "1" + "0" * 30
    assert fixed(3e27, 3).startswith("3000000000000000000000000000.")


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=0, max_value=1e9, allow_nan=False), st.integers(min_value=0, max_value=3))
def test_fixed_close_to_value(value, decimals):
    text = fixed(value, decimals)
    assert len(text.split(".")[1]) == decimals if decimals else "." not in text
    assert abs(float(text) - value) <= 0.5 * 10 ** -decimals + 1e-9 * max(1.0, value)
    assert not math.isnan(float(text))


def test_fixed_equals_rounding_the_shortest_form_half_up():
    """``fixed`` formats most values without Decimal; it must round exactly as Decimal does."""
    from decimal import ROUND_HALF_UP, Decimal

    import numpy as np

    rng = np.random.default_rng(3)
    values = np.concatenate([
        rng.lognormal(3, 4, 20_000),  # every magnitude the tables show
        rng.integers(0, 10**6, 20_000) / 1000 + 0.0005,  # ties and near-ties at 3 decimals
        rng.integers(0, 10**5, 5_000) / 8,  # binary-exact halves and eighths
        [0.125, 2.675, 1.005, 0.5, 1.5, 2.5, 999999999.5, 1e9 + 0.5, 123456.78949999999],
    ])
    for value in list(values) + [-v for v in values[:2000]]:
        for decimals in (0, 1, 2, 3, 4):
            want = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
            assert fixed(value, decimals) == f"{want:.{decimals}f}", (value, decimals)
            assert fixed(value, decimals, thousands=True) == f"{want:,.{decimals}f}", (value, decimals)
