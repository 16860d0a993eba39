"""Normalisers of messy values (SPEC §3.1)."""

from __future__ import annotations

import datetime as dt

import pytest

from shkmd_xl.reader.values import (
    BadValue,
    clean_text,
    parse_date,
    parse_deadline,
    parse_percent,
    parse_yes_no,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (dt.date(2026, 4, 15), dt.date(2026, 4, 15)),
        (46127, dt.date(2026, 4, 15)),
        ("15.04.2026", dt.date(2026, 4, 15)),
        ("15/04/2026 г.", dt.date(2026, 4, 15)),
        ("1-4-2026г", dt.date(2026, 4, 15 - 14)),
        (dt.datetime(2026, 4, 15, 0, 0), dt.date(2026, 4, 15)),
    ],
)
def test_dates(raw: object, expected: dt.date) -> None:
    assert parse_date(raw) == expected


@pytest.mark.parametrize(
    "raw",
    # a date cell takes Д.М.ГГГГ only, as the template's colours and Контроль do
    ["скоро", "31.02.2026", "2026", True, -5, "15.04.26", "2026-04-15", "15.04.0026", 0],
)
def test_bad_dates(raw: object) -> None:
    with pytest.raises(BadValue):
        parse_date(raw)


@pytest.mark.parametrize(
    ("raw", "first", "last"),
    [
        ("апрель 2026", dt.date(2026, 4, 1), dt.date(2026, 4, 30)),
        ("II квартал 2026", dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
        ("4 кв. 2026", dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
        ("май 2026 г.", dt.date(2026, 5, 1), dt.date(2026, 5, 31)),
        ("12.2026", dt.date(2026, 12, 1), dt.date(2026, 12, 31)),
        ("15.04.2026", dt.date(2026, 4, 15), dt.date(2026, 4, 15)),
        ("15.04.26", dt.date(2026, 4, 15), dt.date(2026, 4, 15)),
        ("2026-04-15", dt.date(2026, 4, 15), dt.date(2026, 4, 15)),
    ],
)
def test_deadlines(raw: str, first: dt.date, last: dt.date) -> None:
    assert parse_deadline(raw) == (first, last)


@pytest.mark.parametrize(
    ("raw", "fraction", "expected"),
    [
        (95, False, 95),
        ("95%", False, 95),
        ("95,5", False, 95.5),
        (0.95, True, 95),
        ("95 %", False, 95),
        ("1\u00a0000", False, 1000),
    ],
)
def test_percent(raw: object, fraction: bool, expected: float) -> None:
    assert parse_percent(raw, fraction) == pytest.approx(expected)


def test_percent_garbage() -> None:
    with pytest.raises(BadValue):
        parse_percent("сто процентов")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("да", True), ("Да ", True), ("ДА", True), ("нет", False), (True, True), (0, False)],
)
def test_yes_no(raw: object, expected: bool) -> None:
    assert parse_yes_no(raw) is expected


def test_clean_text() -> None:
    assert clean_text("  Иванов\u00a0 Иван ") == "Иванов Иван"
    assert clean_text(40.0) == "40"
    assert clean_text(None) == ""


def test_a_deadline_period_reads_as_people_write_it() -> None:
    """No ISO dates in outputs: a month, a quarter, else two Russian dates."""
    from shkmd_xl.reader.values import deadline_shown

    assert deadline_shown(["2026-10-01", "2026-10-31"]) == "октябрь 2026"
    assert deadline_shown(["2026-04-01", "2026-06-30"]) == "II квартал 2026"
    assert deadline_shown(["2026-10-01", "2026-10-15"]) == "01.10.2026–15.10.2026"
    assert deadline_shown(["2026-10-01", "2026-10-01"]) == "2026-10-01"  # a date: Excel's own
