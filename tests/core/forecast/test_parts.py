"""Baselines, metrics, calendar, scenarios, intervals and peaks."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.errors import InputError
from workbench.forecast import metrics
from workbench.forecast.baselines import seasonal_naive
from workbench.forecast.holidays import day_types
from workbench.forecast.scenarios import apply_scenario, growth_factor, parse_event
from workbench.forecast.schema import Event, EventKind, PeakValue, Scenario


def test_seasonal_naive_repeats_the_last_season() -> None:
    # FPP3 §5.2: ŷ(T+h) = y(T+h−m·⌈h/m⌉)
    assert seasonal_naive(np.arange(10.0), 4, 6).tolist() == [6, 7, 8, 9, 6, 7]


def test_mase_and_smape_by_hand() -> None:
    # Hyndman & Koehler (2006) definitions on a tiny example.
    history = np.array([1.0, 2, 3, 1, 2, 3])
    scale = metrics.naive_scale(history, 3)
    assert scale == pytest.approx(1.0)  # a perfectly periodic history has no naive error: the scale falls back to 1
    assert metrics.mase(np.array([2.0, 4]), np.array([1.0, 2]), 2.0) == pytest.approx(0.75)
    assert metrics.smape(np.array([100.0]), np.array([50.0])) == pytest.approx(100 * 2 * 50 / 150)
    assert metrics.smape(np.array([0.0]), np.array([0.0])) == pytest.approx(0.0)


@given(st.lists(st.floats(0, 1e6), min_size=1, max_size=30), st.lists(st.floats(0, 1e6), min_size=30, max_size=30))
def test_smape_is_bounded(a: list[float], p: list[float]) -> None:
    value = metrics.smape(np.array(a), np.array(p[: len(a)]))
    assert 0.0 <= value <= 200.0 + 1e-9


def test_china_calendar_2026_national_day_and_adjusted_saturday() -> None:
    # State Council notice for 2026: 1–7 Oct off, Saturday 10 Oct is a working day (调休).
    idx = pd.DatetimeIndex(pd.to_datetime(["2026-10-01 10:00", "2026-10-10 10:00", "2026-10-11 10:00",
                                           "2026-10-12 10:00"]))
    d = day_types(idx, "CN")
    assert d.off_day.tolist() == [1.0, 0.0, 1.0, 0.0]
    assert d.holiday.tolist() == [1.0, 0.0, 0.0, 0.0]
    assert d.adjusted_workday.tolist() == [0.0, 1.0, 0.0, 0.0]


def test_days_beyond_the_calendar_are_reported() -> None:
    idx = pd.date_range("2027-01-01", periods=3, freq="D")
    assert len(day_types(idx, True).unknown_days) == 3
    assert day_types(idx, False).unknown_days == ()


def test_parse_event_multiplier_and_uplift() -> None:
    e = parse_event("Double 11:2026-11-11T20:00/2026-11-12T02:00:x3")
    assert (e.name, e.kind, e.value) == ("Double 11", EventKind.MULTIPLIER, pytest.approx(3.0))
    assert e.end - e.start == dt.timedelta(hours=6)
    u = parse_event("launch:2026-12-01T00:00/2026-12-02T00:00:+5000")
    assert (u.kind, u.value) == (EventKind.UPLIFT, pytest.approx(5000.0))


@pytest.mark.parametrize("text", ["nonsense", "a:2026-11-12/2026-11-11:x3", "a:2026-11-11/2026-11-12:x0",
                                  "a:2026-13-01/2026-11-12:x2"])
def test_bad_events_are_input_errors(text: str) -> None:
    with pytest.raises(InputError):
        parse_event(text)


def test_growth_is_compound_per_month() -> None:
    origin = pd.Timestamp("2026-01-01", tz="UTC")
    idx = pd.DatetimeIndex([origin + pd.Timedelta(days=365.25 / 12 * k) for k in (0, 1, 12)])
    assert growth_factor(idx, origin, 3.0) == pytest.approx([1.0, 1.03, 1.03**12])


def test_scenario_applies_only_inside_the_event_window() -> None:
    idx = pd.date_range("2026-11-11 18:00", periods=12, freq="h", tz="Asia/Shanghai")
    frame = pd.DataFrame({"forecast": np.full(12, 100.0), "hi95": np.full(12, 150.0)}, index=idx)
    event = Event(name="d11", start=dt.datetime(2026, 11, 11, 20), end=dt.datetime(2026, 11, 12, 2), value=3.0)
    out = apply_scenario(frame, idx[0], Scenario(name="s", events=(event,)))
    assert out["forecast"].tolist() == pytest.approx([100, 100] + [300] * 6 + [100] * 4)
    assert out["hi95"].iloc[3] == pytest.approx(450.0)
    assert frame["forecast"].iloc[3] == pytest.approx(100.0)  # the base is kept apart


@given(st.floats(1, 1e6), st.floats(0.01, 10))
def test_peak_value_scales_every_field(point: float, factor: float) -> None:
    v = PeakValue(point=point, p80=point * 1.1, p95=point * 1.2, low95=point * 0.9, high95=point * 1.3)
    s = v.scale(factor)
    assert s.p95 == pytest.approx(v.p95 * factor) and s.low95 <= s.point <= s.p80 <= s.p95 <= s.high95
