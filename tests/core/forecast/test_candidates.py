"""Candidate models declare their needs; a series that does not meet them skips the model with a reason,
and a model that fails inside its fit never fails the forecast (issue 14)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from workbench.forecast import ForecastOptions, ModelName, fit_forecast
from workbench.forecast import backtest as bt
from workbench.forecast.models import ModelContext, Needs, unmet_need
from workbench.forecast.registry import model_needs
from workbench.i18n import t

from .conftest import make_load

ALL = tuple(ModelName)


def _ctx(freq: str = "1h") -> ModelContext:
    return ModelContext(step=pd.Timedelta(freq))


@pytest.mark.parametrize("name", ALL)
def test_every_candidate_is_skipped_with_a_reason_on_a_series_too_short_for_it(name: ModelName) -> None:
    ctx = _ctx()
    needs = model_needs(name, ctx, 12_000)
    series = make_load(days=40)
    train = series.to_numpy()[: needs.min_steps - 1]
    reason = unmet_need(needs, train, len(series))
    assert reason is not None and reason[0] == "forecast.skip.short_history"
    assert reason[1]["needed"] == needs.min_steps
    for lang in ("en", "zh-CN"):
        text = t(reason[0], lang, **reason[1])
        assert str(needs.min_steps) in text and "{" not in text
    assert unmet_need(needs, series.to_numpy()[: needs.min_steps], len(series)) is None


def test_two_week_hourly_history_forecasts_and_skips_what_it_cannot_run() -> None:
    """The issue's crash: Holt-Winters on 336 hourly points raised ValueError from statsmodels."""
    series = make_load(days=14)
    res = fit_forecast(series, ForecastOptions(horizon=dt.timedelta(days=7), thorough=True))
    by = {s.model: s for s in res.scores}
    assert by[ModelName.MSTL].skipped == "forecast.skip.short_history"
    assert by[ModelName.NAIVE_WEEKLY].skipped == "forecast.skip.short_history"
    assert by[ModelName.ETS].skipped is None  # falls back to a daily season instead of failing
    assert np.all(np.isfinite(res.base.frame["forecast"]))


def test_a_failing_candidate_is_skipped_and_the_forecast_goes_on(monkeypatch: pytest.MonkeyPatch) -> None:
    real = bt.get_forecaster

    def broken(name: ModelName):  # type: ignore[no-untyped-def]
        if name is ModelName.NAIVE_DAILY:

            def fail(*_: object) -> None:
                raise ValueError("Cannot compute initial seasonals")

            return fail
        return real(name)

    monkeypatch.setattr(bt, "get_forecaster", broken)
    res = fit_forecast(make_load(days=28), ForecastOptions(horizon=dt.timedelta(days=3)))
    by = {s.model: s for s in res.scores}
    assert by[ModelName.NAIVE_DAILY].skipped == "forecast.skip.failed"
    assert "Cannot compute" in str(by[ModelName.NAIVE_DAILY].skipped_params["error"])
    assert res.model is not ModelName.NAIVE_DAILY


def test_positive_need_and_row_limit_are_reported() -> None:
    needs = Needs(season_steps=24, cycles=1.0, positive=True, max_rows=100)
    y = np.r_[np.ones(30), 0.0, -1.0]
    assert unmet_need(needs, y, 50) == ("forecast.skip.not_positive", {"count": 2})
    key, params = unmet_need(Needs(24, 1.0, max_rows=100), np.ones(30), 500) or ("", {})
    assert key == "forecast.skip.too_many_rows" and params == {"rows": 500, "limit": 100}


def test_expensive_candidates_run_only_where_they_can_win() -> None:
    """On a clean weekly pattern the own model beats seasonal naive, so statsmodels is not spent."""
    res = fit_forecast(make_load(days=42), ForecastOptions(horizon=dt.timedelta(days=3)))
    by = {s.model: s for s in res.scores}
    assert by[ModelName.SEASONAL].mase < by[ModelName.NAIVE_WEEKLY].mase
    assert by[ModelName.MSTL].skipped == "forecast.skip.not_needed"
    assert by[ModelName.ETS].skipped == "forecast.skip.not_needed"


def test_forced_expensive_model_runs_even_when_not_needed() -> None:
    res = fit_forecast(make_load(days=28), ForecastOptions(horizon=dt.timedelta(days=2), model=ModelName.ETS))
    assert res.model is ModelName.ETS


def test_progress_is_reported_up_to_done() -> None:
    seen: list[float] = []
    fit_forecast(make_load(days=21), ForecastOptions(horizon=dt.timedelta(days=2)), progress=seen.append)
    assert seen == sorted(seen) and seen[-1] == pytest.approx(1.0)


def test_near_tie_on_mase_is_broken_by_daily_peak_error() -> None:
    from workbench.forecast.api import choose_model
    from workbench.forecast.schema import BacktestScore

    def score(model: ModelName, mase: float, peak: float) -> BacktestScore:
        return BacktestScore(model=model, mase=mase, smape=1.0, coverage95=0.95, peak_error_pct=peak,
                             fit_seconds=0.1, folds=3)

    scores = [score(ModelName.SEASONAL, 0.80, 12.0), score(ModelName.NAIVE_WEEKLY, 0.83, 4.0),
              score(ModelName.NAIVE_DAILY, 0.95, 1.0)]
    assert choose_model(scores, None) is ModelName.NAIVE_WEEKLY  # within 5 %, smaller peak error
    assert choose_model(scores[:1] + scores[2:], None) is ModelName.SEASONAL  # 0.95 is not a near-tie


def test_an_expensive_candidate_over_its_time_budget_is_skipped_with_a_reason() -> None:
    series = make_load(days=28)
    ctx = _ctx()
    with pytest.raises(bt.OverBudget) as err:
        bt.run_model(series, ModelName.NAIVE_WEEKLY, ctx, 24, [len(series) - 48, len(series) - 24], budget_s=0.0)
    key, params = err.value.reason
    assert key == "forecast.skip.too_slow" and "{" not in t(key, "en", **params)
    folds = bt.run_model(series, ModelName.NAIVE_WEEKLY, ctx, 24, [len(series) - 48, len(series) - 24], budget_s=1e9)
    assert [f.index[0] for f in folds] == sorted(f.index[0] for f in folds)


# End to end: the shortest history each candidate cannot use, through the whole pipeline. Hourly steps:
# weekly naive needs a week of training, MSTL two weeks, Holt-Winters two days; the backtest of a
# 2-day history trains on 1 day, of a 10-day history on 2–8 days, of a 14-day history on < 2 weeks.
TOO_SHORT_DAYS = {ModelName.NAIVE_WEEKLY: 10, ModelName.MSTL: 14, ModelName.ETS: 2}


@pytest.mark.parametrize("name", list(TOO_SHORT_DAYS))
def test_forecast_on_a_history_too_short_for_a_candidate_skips_it_with_a_translated_reason(name: ModelName) -> None:
    res = fit_forecast(make_load(days=TOO_SHORT_DAYS[name]),
                       ForecastOptions(horizon=dt.timedelta(days=1), thorough=True))
    row = next(s for s in res.scores if s.model is name)
    assert row.skipped == "forecast.skip.short_history" and row.folds == 0
    assert row.skipped_params["needed"] == model_needs(name, _ctx(), 12_000).min_steps
    assert row.skipped_params["have"] < row.skipped_params["needed"]
    for lang in ("en", "zh-CN"):
        text = t(row.skipped, lang, **row.skipped_params)
        assert str(row.skipped_params["needed"]) in text and "{" not in text
    assert res.model is not name and np.all(np.isfinite(res.base.frame["forecast"]))


@pytest.mark.parametrize("name", [ModelName.NAIVE_DAILY, ModelName.SEASONAL])
def test_candidates_needing_one_day_run_on_the_shortest_accepted_history(name: ModelName) -> None:
    """One day of training is all they need, and 2 days is the shortest history accepted at all (a
    shorter one is refused as a whole with errors.forecast.too_short), so they always qualify."""
    res = fit_forecast(make_load(days=2), ForecastOptions(horizon=dt.timedelta(days=1)))
    row = next(s for s in res.scores if s.model is name)
    assert row.skipped is None and row.folds >= 1


def test_forcing_a_candidate_the_history_is_too_short_for_is_a_clear_error() -> None:
    from workbench.errors import InputError

    with pytest.raises(InputError) as err:
        fit_forecast(make_load(days=10), ForecastOptions(horizon=dt.timedelta(days=1), model=ModelName.MSTL))
    assert err.value.key == "errors.forecast.model_skipped"


def test_a_gap_covering_whole_backtest_windows_does_not_leave_the_forecast_without_a_model() -> None:
    """Found with the held-out household-power series: a 3-day gap made every candidate's fold-mean
    MASE NaN and the forecast failed with errors.forecast.no_model; gap folds are now left out."""
    y = make_load(days=28)
    y.iloc[-5 * 24 : -2 * 24] = np.nan
    res = fit_forecast(y, ForecastOptions(horizon=dt.timedelta(days=1)))
    by = {s.model: s for s in res.scores}
    assert np.isfinite(by[ModelName.SEASONAL].mase) and np.isfinite(by[ModelName.SEASONAL].coverage95)
    assert np.all(np.isfinite(res.base.frame["forecast"]))
