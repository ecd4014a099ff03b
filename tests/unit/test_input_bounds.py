"""Numbers parsed from user text (URLs) are bounded before ``int()``/``float()`` (issue 12)."""

from __future__ import annotations

import time

import pytest

from frontier.plausible import MAX_SEQUENCE_TOKENS
from frontier.sequences import parse_sequence
from frontier.urlstate import Resolution, parse_query, parse_targets


@pytest.mark.parametrize("text", ["9" * 5000 + "k1k", "1k" + "9" * 5000 + "k", "9" * 5000 + "/1024",
                                  "1" * 100_000, "99999999/1024", "9766k1k", "1k/0", "0k1k"])
def test_parse_sequence_refuses_huge_or_implausible_lengths(text):
    started = time.perf_counter()
    assert parse_sequence(text) is None
    assert time.perf_counter() - started < 0.1


def test_parse_sequence_keeps_the_largest_plausible_lengths():
    assert parse_sequence("9765k1k") == (9765 * 1024, 1024)
    assert parse_sequence(f"{MAX_SEQUENCE_TOKENS}/{MAX_SEQUENCE_TOKENS}") == (MAX_SEQUENCE_TOKENS, MAX_SEQUENCE_TOKENS)
    assert parse_sequence(f"{MAX_SEQUENCE_TOKENS + 1}/1") is None
    assert parse_sequence("1k/1k") == (1024, 1024) and parse_sequence("8K1K") == (8192, 1024)


@pytest.mark.parametrize("value", ["9" * 5000, "1" * 100_000 + ".5", "1e99", "1e999", "nan", "inf", "-5", "0", "0.0001",
                                   "1_000", "0x10", "1000000", "12.5.1"])
def test_targets_from_the_url_are_bounded(value):
    res = Resolution()
    assert parse_targets([value], res) == ()
    assert len(res.notices) == 1 and "expected positive numbers" in res.notices[0]
    assert len(res.notices[0]) < 200  # the value is shortened in the notice


def test_targets_still_read_plain_decimals():
    res = Resolution()
    assert parse_targets(parse_query("?targets=93,124.5, 154 ,.5,1e2")["targets"], res) == (0.5, 93, 100, 124.5, 154)
    assert res.notices == []
