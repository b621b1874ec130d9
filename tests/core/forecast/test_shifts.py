"""Level shifts are detected and said; the peak P95 stays sane after one (issue 14)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from workbench.forecast import ForecastOptions, fit_forecast
from workbench.forecast.shifts import detect_level_shift

from .conftest import make_load


def _shifted(days: int = 63, factor: float = 2.0, days_before_end: int = 28, seed: int = 5) -> pd.Series:
    y = make_load(days=days, seed=seed)
    return y * np.where(y.index >= y.index[-1] - pd.Timedelta(days=days_before_end), factor, 1.0)


@pytest.mark.parametrize("factor", [2.0, 0.5])
def test_a_doubling_or_halving_is_found_on_its_day(factor: float) -> None:
    y = _shifted(factor=factor)
    shift = detect_level_shift(y)
    assert shift is not None
    expected = (y.index[-1] - pd.Timedelta(days=28)).normalize()
    assert abs((shift.at - expected) / pd.Timedelta(days=1)) <= 1
    assert shift.ratio == pytest.approx(factor, rel=0.1)


@pytest.mark.parametrize("factor", [2.0, 0.5])
def test_a_shift_is_found_when_the_service_is_closed_on_sundays(factor: float) -> None:
    # a B2B service with no load on Sundays: whole weeks are compared, so the zero days do not hide the shift
    y = _shifted(factor=factor)
    y = y.where(y.index.dayofweek != 6, 0.0)
    shift = detect_level_shift(y)
    assert shift is not None
    expected = (y.index[-1] - pd.Timedelta(days=28)).normalize()
    assert abs((shift.at - expected) / pd.Timedelta(days=1)) <= 1
    assert shift.ratio == pytest.approx(factor, rel=0.1)
    closed = make_load(days=63, seed=5)
    assert detect_level_shift(closed.where(closed.index.dayofweek != 6, 0.0)) is None  # and none is invented


def test_a_launch_from_nothing_is_not_a_shift_of_a_level() -> None:
    y = make_load(days=63, seed=3)
    assert detect_level_shift(y.where(y.index >= y.index[0] + pd.Timedelta(days=21), 0.0)) is None


@pytest.mark.parametrize("seed", range(4))
def test_regular_load_has_no_shift(seed: int) -> None:
    assert detect_level_shift(make_load(days=70, seed=seed, noise=0.1)) is None


def test_steady_growth_is_not_a_shift() -> None:
    y = make_load(days=70)
    t = (y.index - y.index[0]).total_seconds().to_numpy() / 86400
    assert detect_level_shift(y * 1.05 ** (t / 7)) is None


def test_one_holiday_week_that_returns_to_normal_is_not_a_shift() -> None:
    y = make_load(days=70)
    week = (y.index >= y.index[0] + pd.Timedelta(days=35)) & (y.index < y.index[0] + pd.Timedelta(days=42))
    assert detect_level_shift(y * np.where(week, 0.4, 1.0)) is None


def test_after_a_shift_the_forecast_says_so_and_the_peak_p95_stays_sane() -> None:
    y = _shifted()
    train, test = y.iloc[: -7 * 24], y.iloc[-7 * 24 :]
    res = fit_forecast(train, ForecastOptions(horizon=dt.timedelta(days=7)))
    assert res.notes[0][0] == "forecast.note.level_shift_cut"
    assert res.notes[0][1]["ratio"] == pytest.approx(2.0, rel=0.1)
    true_peak = float(test.max())
    assert true_peak <= res.base.peak.peak.p95 <= 1.5 * true_peak


def test_steady_growth_is_carried_by_the_model_and_said() -> None:
    y = make_load(days=84, seed=2)
    t = (y.index - y.index[0]).total_seconds().to_numpy() / 86400
    y = y * 1.05 ** (t / 7)
    train, test = y.iloc[: -14 * 24], y.iloc[-14 * 24 :]
    res = fit_forecast(train, ForecastOptions(horizon=dt.timedelta(days=14)))
    growth = dict(res.notes).get("forecast.note.growth")
    assert growth is not None and growth["pct_per_week"] == pytest.approx(5.0, abs=1.0)
    frame = res.base.frame
    second, first = frame["forecast"].iloc[7 * 24 :].mean(), frame["forecast"].iloc[: 7 * 24].mean()
    assert second / first == pytest.approx(1.05, abs=0.02)  # the forecast keeps growing
    assert res.base.peak.peak.p95 >= float(test.max())


def test_no_growth_is_invented_on_flat_load() -> None:
    res = fit_forecast(make_load(days=84, seed=2), ForecastOptions(horizon=dt.timedelta(days=14)))
    assert "forecast.note.growth" not in dict(res.notes)
