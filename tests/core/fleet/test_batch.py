"""The batched forecast (workbench/forecast/batch.py) gives the workshop forecast's numbers, series by series.

For each series: ``fit_forecasts`` (same-grid series fitted in one solve) against ``fit_forecast`` (the
workshop's single-series engine) — model chosen, every backtest score, the daily-peak table (point,
P80, P95, bounds), the horizon peak, the first day over a capacity and the notes.  The only allowed
difference is floating-point rounding (a matrix solve instead of a vector solve): rel. 1e-9.
"""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.errors import WorkbenchError
from workbench.fleet.models import FLEET_CANDIDATES
from workbench.fleet.sample import make_fleet
from workbench.forecast import ForecastOptions, ModelName, fit_forecast
from workbench.forecast.api import ForecastResult
from workbench.forecast.batch import batch_supported, fit_forecasts, fit_seasonal_batch
from workbench.forecast.models import ModelContext
from workbench.forecast.seasonal import fit_seasonal
from workbench.io import read_load_file

OPTIONS = ForecastOptions(horizon=dt.timedelta(days=21), candidates=FLEET_CANDIDATES)
REL = 1e-9


def _ingested(series: pd.Series, name: str) -> pd.Series:
    """The series as the workshop reads an uploaded file (gaps filled or left as the ingest decides)."""
    buf = io.BytesIO()
    pd.DataFrame({"time": series.index, "qps": series.to_numpy()}).to_parquet(buf, index=False)
    return read_load_file(buf.getvalue(), f"{name}.parquet").series


def _first_over(result: ForecastResult, column: str, capacity: float) -> object:
    table = result.base.daily_peaks
    over = table.index[table[column].to_numpy(float) > capacity]
    return over[0] if len(over) else None


def assert_same(batch: ForecastResult, single: ForecastResult) -> None:
    assert batch.model is single.model
    assert batch.origin == single.origin and batch.step == single.step
    for got, want in zip(batch.scores, single.scores, strict=True):
        assert got.model is want.model and got.skipped == want.skipped and got.folds == want.folds
        for field in ("mase", "smape", "coverage95", "peak_error_pct"):
            assert getattr(got, field) == pytest.approx(getattr(want, field), rel=REL, nan_ok=True), field
    got_t, want_t = batch.base.daily_peaks, single.base.daily_peaks
    assert list(got_t.index) == list(want_t.index)
    assert list(got_t["peak_time"]) == list(want_t["peak_time"])
    for column in ("point", "p80", "p95", "lo95", "hi95"):
        np.testing.assert_allclose(got_t[column].to_numpy(float), want_t[column].to_numpy(float), rtol=REL)
    np.testing.assert_allclose(batch.base.frame.to_numpy(float), single.base.frame.to_numpy(float), rtol=REL)
    peak, want_peak = batch.base.peak, single.base.peak
    assert peak.peak_day == want_peak.peak_day and peak.model == want_peak.model
    for field in ("point", "p80", "p95", "low95", "high95"):
        assert getattr(peak.peak, field) == pytest.approx(getattr(want_peak.peak, field), rel=REL)
    for share in (0.5, 0.8, 0.95, 1.05):  # capacities around the peak (not on it): same first day over it
        cap = share * want_peak.peak.p95
        assert _first_over(batch, "p95", cap) == _first_over(single, "p95", cap)
        assert _first_over(batch, "point", cap) == _first_over(single, "point", cap)
    assert batch.notes == single.notes


@pytest.fixture(scope="module")
def fleet() -> dict[str, pd.Series]:
    histories, _ = make_fleet(12, 35, seed=5)  # every shape twice, 5 weeks hourly
    series = {name: _ingested(s, name) for name, s in histories.items()}
    index = series["svc-0000-steady"].index
    t = np.arange(len(index))
    base = 200 * (1 + 0.5 * np.sin(2 * np.pi * t / 24))
    rng = np.random.default_rng(1)
    # a launch 14 days in: the forecast starts after the shift (its own, shorter grid)
    series["shifted"] = pd.Series(base * np.where(t >= 14 * 24, 2.5, 1.0) * rng.uniform(0.97, 1.03, len(t)), index)
    gappy = pd.Series(base * rng.uniform(0.95, 1.05, len(t)), index)
    gappy.iloc[100:110] = np.nan  # a gap left as NaN: the single-series forecaster serves it
    series["gap_left"] = gappy
    series["flat"] = pd.Series(np.full(len(t), 42.0), index)
    series["too_short"] = series["svc-0000-steady"].iloc[:30]
    series["naive_clock"] = series["svc-0001-growth"].tz_localize(None)  # no time zone: wall-clock days
    return series


@pytest.fixture(scope="module")
def batched(fleet: dict[str, pd.Series]) -> dict[str, ForecastResult | WorkbenchError]:
    return fit_forecasts(fleet, OPTIONS)


def test_every_series_equals_the_workshop_forecast(fleet, batched) -> None:
    assert list(batched) == list(fleet)
    models = set()
    for name, series in fleet.items():
        got = batched[name]
        if name == "too_short":
            with pytest.raises(WorkbenchError) as err:
                fit_forecast(series, OPTIONS, series_name=name)
            assert isinstance(got, WorkbenchError) and got.key == err.value.key
            continue
        assert isinstance(got, ForecastResult), (name, got)
        # components are left out only on the batched path: the regular series were batched, not delegated
        assert (got.components is None) is (name not in ("gap_left",)), name
        assert_same(got, fit_forecast(series, OPTIONS, series_name=name))
        models.add(got.model)
    assert {ModelName.SEASONAL, ModelName.NAIVE_WEEKLY} <= models  # both kinds of choice are exercised


def test_level_shift_cut_and_notes_kept(batched) -> None:
    shifted = batched["shifted"]
    assert isinstance(shifted, ForecastResult)
    assert any(key == "forecast.note.level_shift_cut" for key, _ in shifted.notes)


def test_options_the_batch_does_not_reproduce_go_one_by_one(fleet) -> None:
    options = ForecastOptions(horizon=dt.timedelta(days=7), candidates=(ModelName.SEASONAL,), holiday_country="CN")
    assert not batch_supported(options)
    assert batch_supported(OPTIONS)
    name = "svc-0001-growth"
    got = fit_forecasts({name: fleet[name]}, options)[name]
    assert isinstance(got, ForecastResult)
    assert_same(got, fit_forecast(fleet[name], options, series_name=name))


@settings(max_examples=6, deadline=None)
@given(st.lists(st.tuples(st.floats(1.0, 5000.0), st.floats(0.0, 0.3), st.floats(-0.05, 0.08),
                          st.integers(0, 2**31 - 1)), min_size=1, max_size=4),
       st.integers(16, 30))
def test_batched_regression_equals_one_fit_per_series(params, days: int) -> None:
    """Property: the one-solve fit of S random load series predicts what S separate fits predict."""
    index = pd.date_range("2026-03-02", periods=days * 24, freq="h", tz="Asia/Shanghai")
    t = np.arange(len(index)) / 24.0
    rows = []
    for size, noise, growth, seed in params:
        rng = np.random.default_rng(seed)
        shape = 1 + 0.6 * np.sin(2 * np.pi * (t - 0.3)) * np.where(index.dayofweek >= 5, 0.7, 1.0)
        rows.append(size * shape * (1 + growth) ** (t / 7) * np.clip(1 + rng.normal(0, noise, len(t)), 0.05, None))
    values = np.vstack(rows)
    ctx = ModelContext(step=pd.Timedelta(hours=1))
    future = pd.date_range(index[-1] + pd.Timedelta(hours=1), periods=24 * 10, freq="h")
    batch = fit_seasonal_batch(index, values, ctx).predict(future)
    for i, row in enumerate(values):
        one = fit_seasonal(pd.Series(row, index=index), ctx).predict(future).mean
        np.testing.assert_allclose(batch[i], one, rtol=1e-8)


def test_a_failing_batch_falls_back_to_one_by_one(fleet, monkeypatch: pytest.MonkeyPatch) -> None:
    import workbench.forecast.batch as batch

    def broken(*_args: object, **_kwargs: object) -> None:
        raise np.linalg.LinAlgError("Singular matrix")

    monkeypatch.setattr(batch, "_fit_grid", broken)
    names = ["svc-0000-steady", "svc-0006-steady"]
    got = fit_forecasts({n: fleet[n] for n in names}, OPTIONS)
    for name in names:
        result = got[name]
        assert isinstance(result, ForecastResult) and result.components is not None  # the single-series path
        assert_same(result, fit_forecast(fleet[name], OPTIONS, series_name=name))
