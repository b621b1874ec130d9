"""Daily-resolution histories, flat histories and the holiday calendar of a chosen country (issue 14)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from workbench.errors import InputError
from workbench.forecast import ForecastOptions, fit_forecast
from workbench.forecast.holidays import day_types


def _daily(days: int, seed: int = 0) -> pd.Series:
    idx = pd.date_range("2025-01-06", periods=days, freq="D", tz="Asia/Shanghai")
    rng = np.random.default_rng(seed)
    y = 1000 * np.where(idx.dayofweek >= 5, 0.7, 1.0) * np.exp(rng.normal(0, 0.03, days))
    return pd.Series(y, idx)


def test_daily_history_is_accepted_and_gives_one_peak_per_day() -> None:
    res = fit_forecast(_daily(120), ForecastOptions(horizon=dt.timedelta(days=14)))
    table = res.base.daily_peaks
    assert len(table) == 14
    assert (table["p95"] >= table["point"]).all()
    # the weekly pattern is carried: forecast weekend peaks below weekday peaks
    days = pd.DatetimeIndex([pd.Timestamp(d) for d in table.index])
    weekend = table["point"].to_numpy()[days.dayofweek >= 5]
    weekday = table["point"].to_numpy()[days.dayofweek < 5]
    assert weekend.mean() < 0.85 * weekday.mean()


def test_short_daily_history_is_refused_with_the_days_needed() -> None:
    with pytest.raises(InputError) as err:
        fit_forecast(_daily(10), ForecastOptions(horizon=dt.timedelta(days=7)))
    assert err.value.key == "errors.forecast.too_short_daily" and err.value.params["points"] == 10


def test_twelve_hour_step_is_refused_with_what_to_do() -> None:
    idx = pd.date_range("2026-01-01", periods=60, freq="12h")
    with pytest.raises(InputError) as err:
        fit_forecast(pd.Series(np.arange(60.0) + 1, idx))
    assert err.value.key == "errors.forecast.step_too_coarse"


def test_flat_one_day_series_gives_a_flat_forecast_with_a_note() -> None:
    idx = pd.date_range("2026-03-02", periods=288, freq="5min", tz="Asia/Shanghai")
    res = fit_forecast(pd.Series(42.0, idx), ForecastOptions(horizon=dt.timedelta(days=2)))
    assert [k for k, _ in res.notes] == ["forecast.note.flat"]
    assert np.allclose(res.base.frame["forecast"], 42.0) and np.allclose(res.base.frame["hi95"], 42.0)
    assert res.base.peak.peak.p95 == pytest.approx(42.0)
    assert all(s.skipped == "forecast.skip.flat" for s in res.scores)


def test_holiday_calendar_follows_the_chosen_country_not_the_time_zone() -> None:
    idx = pd.date_range("2026-07-01", "2026-07-06", freq="D", tz="Asia/Shanghai")
    us = day_types(idx, "US")
    cn = day_types(idx, "CN")
    july4 = list(idx.date).index(dt.date(2026, 7, 3))  # 4 July 2026 is a Saturday: observed Friday 3 July
    assert us.holiday[july4] == 1.0 and cn.holiday[july4] == 0.0
    oct1 = day_types(pd.date_range("2026-10-01", periods=1, freq="D"), "CN")
    assert oct1.holiday[0] == 1.0 and day_types(pd.date_range("2026-10-01", periods=1, freq="D"), "US").holiday[0] == 0


def test_china_adjusted_working_day_is_a_working_day() -> None:
    # 2026: Sunday 4 January is an adjusted working day (调休) after the New Year holiday
    days = day_types(pd.date_range("2026-01-04", periods=1, freq="D"), "CN")
    assert days.adjusted_workday[0] == 1.0 and days.off_day[0] == 0.0


def test_unknown_country_is_refused() -> None:
    with pytest.raises(InputError) as err:
        ForecastOptions(holiday_country="XX")
    assert err.value.key == "errors.forecast.holiday_country"
