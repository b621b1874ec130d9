"""The entry point: validation, model choice, calibrated intervals, peaks and scenarios."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from workbench.errors import InputError
from workbench.forecast import (
    ForecastOptions,
    ModelName,
    PeakForecast,
    Scenario,
    forecast_load,
    parse_event,
)
from workbench.i18n import catalogue

from .conftest import make_load

FAST = (ModelName.NAIVE_DAILY, ModelName.NAIVE_WEEKLY, ModelName.SEASONAL)


def test_forecast_picks_the_lowest_mase_and_hands_over_a_peak(load: pd.Series) -> None:
    res = forecast_load(load, ForecastOptions(horizon=dt.timedelta(days=7), candidates=FAST), unit="QPS")
    ran = [s for s in res.scores if s.skipped is None]
    best = min(ran, key=lambda s: s.mase)
    chosen = next(s for s in ran if s.model == res.model)
    assert chosen.mase <= 1.05 * best.mase  # near-ties go to the smaller daily-peak error
    assert all(chosen.peak_error_pct <= s.peak_error_pct for s in ran if s.mase <= 1.05 * best.mase)
    peak = res.base.peak
    assert isinstance(peak, PeakForecast) and peak.unit == "QPS"
    assert peak.peak.low95 <= peak.peak.point <= peak.peak.p80 <= peak.peak.p95 <= peak.peak.high95
    frame = res.base.frame
    assert len(frame) == 7 * 24 and frame.index[0] == load.index[-1] + pd.Timedelta("1h")
    assert (frame["lo95"] <= frame["lo80"]).all() and (frame["hi80"] <= frame["hi95"]).all()
    assert (frame["lo80"] <= frame["forecast"]).all() and (frame["forecast"] <= frame["hi80"]).all()


def test_intervals_widen_with_the_horizon(load: pd.Series) -> None:
    res = forecast_load(load, ForecastOptions(horizon=dt.timedelta(days=60), candidates=FAST))
    f = res.base.frame
    g = res.calibrator.g
    width = g(f["hi95"].to_numpy()) - g(f["lo95"].to_numpy())  # width in the calibration space
    assert width[-1] > width[0]
    # Bands are scaled per hour of the day, so compare the same hour (and day type) across weeks:
    # at one seasonal position the band never shrinks with the lead time.
    same_hour = width[: 8 * 7 * 24].reshape(8, 7 * 24)  # rows: weeks ahead, columns: hour of the week
    assert np.all(np.diff(same_hour, axis=0) >= -1e-9)


def test_95_interval_coverage_on_held_out_data() -> None:
    """Calibrated on backtest residuals, the 95% band covers 90–99% of new data of the same process."""
    covered, total = 0, 0
    for seed in range(3):
        y = make_load(days=77, seed=seed)
        train, test = y.iloc[: 63 * 24], y.iloc[63 * 24 :]
        res = forecast_load(train, ForecastOptions(horizon=dt.timedelta(days=14), model=ModelName.SEASONAL,
                                                   candidates=(ModelName.SEASONAL,)))
        f = res.base.frame
        covered += int(((test.to_numpy() >= f["lo95"].to_numpy()) & (test.to_numpy() <= f["hi95"].to_numpy())).sum())
        total += len(test)
    assert 0.90 <= covered / total <= 0.99


def test_own_model_beats_weekly_naive_on_a_clean_weekly_pattern(load: pd.Series) -> None:
    res = forecast_load(load, ForecastOptions(horizon=dt.timedelta(days=7), candidates=FAST))
    by = {s.model: s for s in res.scores}
    assert by[ModelName.SEASONAL].mase < by[ModelName.NAIVE_WEEKLY].mase


def test_scenarios_stay_apart_from_the_base(load: pd.Series) -> None:
    start = (load.index[-1] + pd.Timedelta(days=2)).normalize() + pd.Timedelta(hours=4)
    event = parse_event(f"promo:{start:%Y-%m-%dT%H:%M}/{start + pd.Timedelta(hours=6):%Y-%m-%dT%H:%M}:x3")
    res = forecast_load(load, ForecastOptions(horizon=dt.timedelta(days=7), candidates=FAST),
                        [Scenario(name="promo", growth_pct_per_month=5, events=(event,))])
    base, promo = res.scenarios["base"], res.scenarios["promo"]
    assert promo.peak.peak.point > 2.5 * base.peak.peak.point
    assert promo.peak.peak_day == start.date()
    table = res.comparison()
    assert table["scenario"].tolist() == ["base", "promo"]


def test_forced_model_is_used(load: pd.Series) -> None:
    res = forecast_load(load, ForecastOptions(horizon=dt.timedelta(days=3), model=ModelName.NAIVE_DAILY,
                                              candidates=FAST))
    assert res.model == ModelName.NAIVE_DAILY


def test_statsmodels_peers_run_on_hourly_data() -> None:
    y = make_load(days=22)
    res = forecast_load(y, ForecastOptions(horizon=dt.timedelta(days=2), folds=2, thorough=True,
                                           candidates=(ModelName.ETS, ModelName.MSTL, ModelName.NAIVE_WEEKLY)))
    assert all(s.skipped is None and np.isfinite(s.mase) for s in res.scores)


@pytest.mark.parametrize(
    ("series", "key"),
    [
        (make_load(days=1), "errors.forecast.too_short"),
        (make_load(days=10).iloc[[0, 1, 3, 4, 5]], "errors.forecast.irregular"),
        (make_load(days=10).iloc[::-1], "errors.forecast.irregular"),
        (make_load(days=10).where(lambda s: s.index.day % 3 == 0), "errors.forecast.too_many_gaps"),
    ],
)
def test_bad_series_are_input_errors_with_known_keys(series: pd.Series, key: str) -> None:
    with pytest.raises(InputError) as info:
        forecast_load(series, ForecastOptions(horizon=dt.timedelta(days=1), candidates=FAST))
    assert info.value.key == key and key in catalogue("zh-CN")


def test_horizon_bounds_and_duplicate_scenarios(load: pd.Series) -> None:
    with pytest.raises(InputError):
        ForecastOptions(horizon=dt.timedelta(days=600))
    with pytest.raises(InputError):
        forecast_load(load, ForecastOptions(candidates=FAST), [Scenario(name="base")])


def test_short_history_is_noted_and_still_forecast() -> None:
    y = make_load(days=9)
    res = forecast_load(y, ForecastOptions(horizon=dt.timedelta(days=14), candidates=FAST))
    assert any(key == "forecast.note.short_backtest" for key, _ in res.notes)
    assert len(res.base.frame) == 14 * 24
