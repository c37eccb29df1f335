"""Periods, numbers, area codes, the observation table and the throttle."""

from __future__ import annotations

import datetime as dt

import pytest

from jamlik.sources import (
    Observation,
    PeriodKind,
    expand_years,
    normalise_area_code,
    parse_period,
    to_dataframe,
    to_kolada_area,
)
from jamlik.sources.http import RetryPolicy, Throttle
from jamlik.sources.numbers import parse_number


@pytest.mark.parametrize(
    ("raw", "label", "kind", "years"),
    [
        ("2024", "2024", PeriodKind.YEAR, (2024, 2024)),
        ("2021–2024", "2021-2024", PeriodKind.SPAN, (2021, 2024)),
        ("2023/24", "2023/24", PeriodKind.SCHOOL_YEAR, (2023, 2024)),
        ("1999/2000", "1999/00", PeriodKind.SCHOOL_YEAR, (1999, 2000)),
        ("2024M03", "2024M03", PeriodKind.MONTH, (2024, 2024)),
        ("2024Q2", "2024K2", PeriodKind.QUARTER, (2024, 2024)),
        ("2024-12-31", "2024-12-31", PeriodKind.DATE, (2024, 2024)),
        ("45657", "2024-12-31", PeriodKind.DATE, (2024, 2024)),
        (dt.date(2020, 1, 1), "2020-01-01", PeriodKind.DATE, (2020, 2020)),
    ],
)
def test_parse_period(
    raw: str | dt.date, label: str, kind: PeriodKind, years: tuple[int, int]
) -> None:
    period = parse_period(raw)
    assert (period.label, period.kind, (period.start_year, period.end_year)) == (label, kind, years)


@pytest.mark.parametrize("raw", ["tjugo", "2024-2020", "2023/25", "2024M13", ""])
def test_parse_period_refuses(raw: str) -> None:
    with pytest.raises(ValueError):
        parse_period(raw)


def test_expand_years() -> None:
    assert expand_years("2015-2017,2020, 2016") == [2015, 2016, 2017, 2020]
    with pytest.raises(ValueError, match="not a year"):
        expand_years("last year")


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("12,5", 12.5),
        ("1 234,5", 1234.5),
        ("1\u00a0234", 1234.0),
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("−3,2", -3.2),
        ("7", 7.0),
    ],
)
def test_parse_number(text: str, number: float) -> None:
    assert parse_number(text) == number


@pytest.mark.parametrize("text", ["sextio", "1,2,3", "nan", "inf", "-", ""])
def test_parse_number_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_number(text)


def test_area_codes_round_trip() -> None:
    assert [
        normalise_area_code(c) for c in ("0000", "0001", "0025", "0180", "01", "0180C1010")
    ] == [
        "00",
        "01",
        "25",
        "0180",
        "01",
        "0180C1010",
    ]
    assert [to_kolada_area(c) for c in ("00", "01", "0180")] == ["0000", "0001", "0180"]


def test_dataframe_has_canonical_columns_and_nan_for_missing() -> None:
    frame = to_dataframe(
        [Observation("N1", "0127", "2024", value=1.5), Observation("N1", "0180", "2024")]
    )
    assert list(frame.columns)[:5] == ["indicator", "area", "period", "breakdown", "category"]
    assert frame["value"].isna().tolist() == [False, True]
    assert Observation("N1", "0180", "2024").is_missing


def test_throttle_waits_when_the_window_is_full() -> None:
    now = [0.0]
    pauses: list[float] = []

    def sleep(seconds: float) -> None:
        pauses.append(seconds)
        now[0] += seconds

    throttle = Throttle(2, 10.0, sleep=sleep, clock=lambda: now[0])
    for _ in range(3):
        throttle.wait()
        now[0] += 1.0
    assert pauses == [8.0]


def test_retry_policy_delays() -> None:
    policy = RetryPolicy(backoff=1.0, max_delay=5.0)
    assert [policy.delay(n) for n in range(4)] == [1.0, 2.0, 4.0, 5.0]
    assert policy.delay(0, "3") == 3.0
    # An HTTP date is honoured too (RFC 9110 10.2.3); one already past means "now".
    assert policy.delay(0, "Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert policy.delay(0, "not a date") == 1.0
