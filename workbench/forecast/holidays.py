"""Day types for the calendar regressors: weekend, public holiday, adjusted working day (调休).

The calendar follows a country the user chose (ISO 3166 code), never the time zone:
* ``CN`` (the default on the page): the ``chinese_calendar`` package (v1.11 covers the State
  Council's schedules up to and including 2026), with adjusted working days (调休).  Days outside
  the years the package knows fall back to the plain Saturday/Sunday rule and are reported.
* any other country: the ``holidays`` package (rule-based public holidays of ~200 countries, every
  year); no adjusted working days.
Nothing is fetched at run time.

Assumption: an adjusted working day (调休上班, e.g. a Saturday) behaves like a working day and a public
holiday like a weekend day, which is how Chinese consumer and enterprise traffic usually moves.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class DayTypes:
    """Per-timestamp calendar flags (arrays aligned with the index they were built for)."""

    off_day: np.ndarray  # 1.0 on weekends and public holidays, 0.0 on (adjusted) working days
    holiday: np.ndarray  # 1.0 on public holidays (not ordinary weekends)
    adjusted_workday: np.ndarray  # 1.0 on 调休 working days that fall on a weekend
    unknown_days: tuple[dt.date, ...]  # days outside the calendar's coverage (plain weekend rule used)


def _china_day(day: dt.date) -> tuple[bool, bool, bool] | None:
    """(holiday, adjusted_workday, known) for one day, or None when the package does not cover it."""
    import chinese_calendar

    try:
        is_holiday, name = chinese_calendar.get_holiday_detail(day)
        is_workday = chinese_calendar.is_workday(day)
    except NotImplementedError:
        return None
    public_holiday = bool(name) and is_holiday
    adjusted = bool(name) and is_workday and day.weekday() >= 5
    return public_holiday, adjusted, True


def supported_countries() -> list[str]:
    """ISO codes the calendar knows: CN (chinese_calendar) plus those of the ``holidays`` package."""
    import holidays

    return sorted({"CN", *holidays.list_supported_countries()})


def country_code(country: str | bool | None) -> str | None:
    """Normalise a country choice: True → 'CN' (the old 'China holidays' switch), '' / False → None."""
    if country is True:
        return "CN"
    if not country:
        return None
    return str(country).strip().upper()


@functools.lru_cache(maxsize=64)
def _calendar(country: str, years: tuple[int, ...]) -> frozenset[dt.date]:
    """Public holidays of ``country`` in ``years`` (cached: every backtest fold asks again)."""
    import holidays

    try:
        return frozenset(holidays.country_holidays(country, years=list(years)).keys())
    except NotImplementedError as exc:
        from workbench.errors import InputError

        raise InputError("errors.forecast.holiday_country", country=country) from exc


def _other_country(unique: pd.DatetimeIndex, country: str) -> np.ndarray:
    calendar = _calendar(country, tuple(sorted({d.year for d in unique})))
    return np.array([float(ts.date() in calendar) for ts in unique])


def day_types(index: pd.DatetimeIndex, country: str | bool | None) -> DayTypes:
    """Flags for every timestamp of ``index``; computed once per distinct day (cheap for 5-min data).

    ``country``: ISO code of the holiday calendar ('CN', 'US', 'DE', …), None for weekends only
    (True means 'CN', for callers of the former China-only switch).
    """
    code = country_code(country)
    days = index.normalize()
    unique = pd.DatetimeIndex(days.unique())
    weekend = (unique.dayofweek >= 5).astype(float)
    holiday = np.zeros(len(unique))
    adjusted = np.zeros(len(unique))
    unknown: list[dt.date] = []
    if code is not None and code != "CN":
        holiday = _other_country(unique, code)
    elif code == "CN":
        for i, ts in enumerate(unique):
            info = _china_day(ts.date())
            if info is None:
                unknown.append(ts.date())
                continue
            holiday[i], adjusted[i] = float(info[0]), float(info[1])
    off = np.clip(np.maximum(weekend, holiday) - adjusted, 0.0, 1.0)
    pos = unique.get_indexer(days)
    return DayTypes(off[pos], holiday[pos], adjusted[pos], tuple(unknown))
