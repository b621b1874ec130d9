"""Interval calibration from backtest residuals: split conformal, scaled per seasonal position."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.forecast.intervals import (
    MIN_NESTED_FOLDS,
    POSITIONS,
    TAIL_FACTOR,
    Calibrator,
    FoldResiduals,
    _step_quantiles,
    calibrate_residuals,
    choose_tail_factors,
    position_scales,
    seasonal_position,
)

HOUR = 1 / 24


def _folds(rng: np.random.Generator, night_sd: float, day_sd: float, folds: int = 5) -> list[FoldResiduals]:
    """Hourly fold residuals (14 days each) whose spread depends on the hour: night 0–5 h vs the rest."""
    out = []
    for k in range(folds):
        index = pd.date_range("2026-03-02", periods=14 * 24, freq="h") + pd.Timedelta(days=14 * k)
        night = index.hour < 6
        resid = rng.normal(0.0, np.where(night, night_sd, day_sd))
        out.append(FoldResiduals((np.arange(len(index)) + 1) * HOUR, resid, rng.normal(0, day_sd, 14),
                                 seasonal_position(index)))
    return out


def test_positions_are_hour_and_weekend() -> None:
    index = pd.DatetimeIndex(["2026-03-02 00:00", "2026-03-02 23:00", "2026-03-07 05:00", "2026-03-08 23:00"])
    assert seasonal_position(index).tolist() == [0, 23, 29, 47]
    assert int(seasonal_position(pd.date_range("2026-01-01", periods=500, freq="h")).max()) < POSITIONS


def test_noisy_hours_get_wider_bands_and_each_hour_keeps_its_coverage() -> None:
    """Night residuals 5× larger: the night band is wider, the day band stays narrow (one pooled
    quantile would give the day the night's width), and fresh draws are covered at night too."""
    rng = np.random.default_rng(7)
    cal = calibrate_residuals(_folds(rng, night_sd=0.5, day_sd=0.1), offset=None, step_days=HOUR)
    index = pd.date_range("2026-06-01", periods=24, freq="h")
    bands = cal.bands(np.zeros(24), index)
    width = bands["hi95"] - bands["lo95"]
    assert width[:6].min() > 2 * width[6:23].max()  # the 24th step (lead 1 day) is in the next lead bucket
    fresh = _folds(rng, night_sd=0.5, day_sd=0.1, folds=20)
    resid = np.concatenate([f.resid for f in fresh])
    pos = np.concatenate([f.position for f in fresh])
    lead = np.concatenate([f.lead_days for f in fresh])
    full = cal.bands(np.zeros(len(fresh[0].resid)), pd.date_range("2026-03-02", periods=14 * 24, freq="h"))
    lo, hi = np.tile(full["lo95"], 20), np.tile(full["hi95"], 20)
    inside = (resid >= lo) & (resid <= hi)
    assert lead.shape == inside.shape
    night = pos % 24 < 6
    # The guarantee is marginal (split conformal); shrinking each hour's scale towards the pooled one
    # (SCALE_PRIOR) costs the noisiest hours a little coverage, never most of it.
    assert inside.mean() >= 0.94
    assert inside[night].mean() >= 0.85


@settings(max_examples=25, deadline=None)
@given(sd=st.floats(0.01, 5.0), seed=st.integers(0, 10_000))
def test_band_covers_new_exchangeable_residuals(sd: float, seed: int) -> None:
    """Residuals drawn like the calibration ones are covered at about the nominal 95 % (split conformal
    guarantee, Lei et al. 2018 Thm 2.1, in expectation; the band's own quantiles come from 1,680 draws,
    so a fresh sample's coverage may fall a little short of 0.95, never far)."""
    rng = np.random.default_rng(seed)
    cal = calibrate_residuals(_folds(rng, sd, sd), offset=None, step_days=HOUR)
    fresh = rng.normal(0.0, sd, (30, 14 * 24))
    bands = cal.bands(np.zeros(14 * 24), pd.date_range("2026-03-02", periods=14 * 24, freq="h"))
    assert ((fresh >= bands["lo95"]) & (fresh <= bands["hi95"])).mean() >= 0.93
    assert np.all(bands["lo95"] <= bands["lo80"]) and np.all(bands["hi80"] <= bands["hi95"])


@given(values=st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=200), seed=st.integers(0, 99))
def test_position_scales_are_positive_and_bounded(values: list[float], seed: int) -> None:
    resid = np.asarray(values)
    pos = np.random.default_rng(seed).integers(0, POSITIONS, len(resid))
    scale = position_scales(resid, pos)
    assert scale.shape == (POSITIONS,)
    assert np.all(np.isfinite(scale)) and np.all(scale > 0)
    # shrinkage: no position's scale exceeds what its residuals alone could justify plus the prior
    assert scale.max() <= 1 + len(resid)


def _growing(rng: np.random.Generator, growth: float, folds: int = 6) -> list[FoldResiduals]:
    """Hourly fold residuals whose spread is multiplied by ``growth`` from one fold to the next."""
    out = []
    for k in range(folds):
        index = pd.date_range("2026-03-02", periods=14 * 24, freq="h") + pd.Timedelta(days=14 * k)
        resid = rng.normal(0.0, growth**k, len(index))
        out.append(FoldResiduals((np.arange(len(index)) + 1) * HOUR, resid, rng.normal(0, 1, 14),
                                 seasonal_position(index)))
    return out


def test_exchangeable_folds_keep_the_plain_conformal_band() -> None:
    """Errors that do not change from fold to fold: the nested check finds the plain band right."""
    picks = [choose_tail_factors(_growing(np.random.default_rng(seed), 1.0)) for seed in range(6)]
    assert sum(p == (1.0, 1.0) for p in picks) >= 4
    assert all(min(p) >= 0.5 for p in picks)


def test_growing_errors_widen_the_tails_and_restore_coverage() -> None:
    """Errors 25 % larger each fold: the plain band calibrated on the past under-covers the next fold;
    the chosen factors widen it and the next fold's coverage comes back towards 95 %."""
    rng = np.random.default_rng(3)
    parts = _growing(rng, 1.25, folds=7)
    past, future = parts[:-1], parts[-1]
    lower, upper = choose_tail_factors(past)
    assert lower < 1.0 and upper < 1.0
    index = pd.date_range("2026-03-02", periods=14 * 24, freq="h")

    def coverage(cal: Calibrator) -> float:
        bands = cal.bands(np.zeros(len(index)), index)
        return float(np.mean((future.resid >= bands["lo95"]) & (future.resid <= bands["hi95"])))

    chosen = calibrate_residuals(past, offset=None, step_days=HOUR)
    assert chosen.tail_factors == (lower, upper)
    plain_rows = _step_quantiles(past, 1.0, 1.0)[0]
    plain = dataclasses.replace(chosen, bucket_quantiles=plain_rows, tail_factors=(1.0, 1.0))
    assert coverage(plain) < 0.92
    assert abs(coverage(chosen) - 0.95) < abs(coverage(plain) - 0.95)


def test_too_few_folds_use_the_default_factor() -> None:
    parts = _growing(np.random.default_rng(1), 1.0, folds=MIN_NESTED_FOLDS - 1)
    assert choose_tail_factors(parts) == (TAIL_FACTOR, TAIL_FACTOR)


def _hourly(noise: np.ndarray) -> pd.Series:
    idx = pd.date_range("2026-01-05", periods=len(noise), freq="h")
    t = np.arange(len(noise))
    return pd.Series(1000 * (1.5 + np.sin(2 * np.pi * t / 24)) * np.exp(noise), idx)


def test_forecast_says_when_its_band_was_widened() -> None:
    """Noise that keeps growing: the forecast widens its band and says so, with the quantiles used;
    steady noise: the plain band and no note."""
    from workbench.forecast import ForecastOptions, fit_forecast
    from workbench.i18n import t

    rng = np.random.default_rng(5)
    n = 16 * 7 * 24
    opts = ForecastOptions(horizon=pd.Timedelta(days=14).to_pytimedelta())
    growing = fit_forecast(_hourly(rng.normal(0, 0.02 + 0.25 * (np.arange(n) / n) ** 3)), opts)
    lower, upper = growing.calibrator.tail_factors
    assert upper < 1.0
    params = dict(growing.notes)["forecast.note.interval_widened"]
    assert params == {"low_pct": round(2.5 * lower, 2), "high_pct": round(100 - 2.5 * upper, 2)}
    assert f"{params['high_pct']}%" in t("forecast.note.interval_widened", "en", **params)
    steady = fit_forecast(_hourly(rng.normal(0, 0.05, n)), opts)
    assert steady.calibrator.tail_factors == (1.0, 1.0)
    assert "forecast.note.interval_widened" not in dict(steady.notes)
