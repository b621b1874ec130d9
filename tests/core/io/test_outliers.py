"""Outliers are flagged by a robust seasonal rule, kept by default, removed only on request."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.core.io._data import regular_frame
from workbench.io import GapPolicy, IngestOptions, read_load_frame
from workbench.io.outliers import flag_outliers


def _diurnal(days: int, seed: int = 11) -> pd.Series:
    idx = pd.date_range("2026-05-01", periods=288 * days, freq="5min", tz="Asia/Shanghai")
    hour = idx.hour + idx.minute / 60
    base = 1000 + 3000 * np.exp(-0.5 * ((hour - 21) / 2.0) ** 2)
    return pd.Series(base * np.random.default_rng(seed).lognormal(0, 0.04, len(idx)), index=idx)


@pytest.mark.parametrize("days", [2, 10, 40])
def test_few_false_alarms_on_plain_noise(days: int) -> None:
    # Gaussian (log-)noise: a modified z-score > 3.5 should be rare (Iglewicz & Hoaglin 1993, §3.3).
    mask = flag_outliers(_diurnal(days))
    assert mask.mean() < 0.01


def test_promotion_evening_is_flagged_but_kept() -> None:
    s = _diurnal(30)
    promo = (s.index >= "2026-05-18 20:00") & (s.index < "2026-05-19 02:00")
    s[promo] *= 2.5
    times = s.index.map(lambda t: t.isoformat())
    res = read_load_frame(pd.DataFrame({"timestamp": times, "qps": s.to_numpy()}))
    assert res.outlier_mask[promo].mean() > 0.9
    assert res.outlier_mask[~promo].mean() < 0.01
    np.testing.assert_allclose(res.series[promo].to_numpy(), s[promo].to_numpy())  # nothing removed
    assert res.report.outlier_count == int(res.outlier_mask.sum())
    assert not res.report.outliers_removed
    assert "io.note.outliers_flagged" in [n.key for n in res.report.notes]


def test_removing_outliers_replaces_them_by_the_gap_policy() -> None:
    df = regular_frame(periods=288 * 6)
    df.loc[1000, "qps"] = df["qps"].max() * 20  # a scrape glitch
    kept = read_load_frame(df)
    assert kept.outlier_mask.iloc[1000] and kept.series.iloc[1000] == pytest.approx(df["qps"][1000])
    removed = read_load_frame(df, IngestOptions(remove_outliers=True))
    assert removed.report.outliers_removed
    assert removed.series.iloc[1000] == pytest.approx((df["qps"][999] + df["qps"][1001]) / 2)
    assert removed.report.filled == removed.report.outlier_count
    left = read_load_frame(df, IngestOptions(remove_outliers=True, gaps=GapPolicy.leave))
    assert np.isnan(left.series.iloc[1000])


def test_gaps_are_never_flagged() -> None:
    df = regular_frame(periods=288 * 5).drop(index=range(300, 320))
    res = read_load_frame(df, IngestOptions(gaps=GapPolicy.zero))
    assert not res.outlier_mask.iloc[300:320].any()


def test_flat_series_has_no_outliers() -> None:
    idx = pd.date_range("2026-05-01", periods=2000, freq="1min", tz="UTC")
    assert not flag_outliers(pd.Series(100.0, index=idx)).any()


def test_two_week_hourly_weekly_pattern_is_not_flagged_but_a_spike_is() -> None:
    """Issue 14: on a clean two-week hourly history every weekend point (96 of 336) used to be flagged."""
    idx = pd.date_range("2026-03-02", periods=336, freq="h", tz="Asia/Shanghai")
    shape = 1 + 0.3 * np.sin(2 * np.pi * np.asarray(idx.hour) / 24)
    y = np.asarray(np.where(idx.dayofweek >= 5, 50.0, 100.0) * shape)
    assert not flag_outliers(pd.Series(y, idx)).any()  # the pattern alone: nothing
    y = y * np.random.default_rng(3).lognormal(0, 0.02, len(y))
    noisy = flag_outliers(pd.Series(y, idx))
    assert int(noisy.sum()) <= 4 and int(noisy[idx.dayofweek >= 5].sum()) <= 2  # at most stray noise points
    y[200] *= 4
    mask = flag_outliers(pd.Series(y, idx))
    assert mask.iloc[200]


def test_daily_history_weekly_rhythm_is_not_flagged_but_a_spike_is() -> None:
    idx = pd.date_range("2024-01-01", periods=365, freq="D")
    weekly = np.asarray(np.where(idx.dayofweek >= 5, 0.6, 1.0))
    y = 1000 * weekly * np.random.default_rng(4).lognormal(0, 0.03, len(idx))
    assert int(flag_outliers(pd.Series(y, idx)).sum()) <= 4  # was: every weekend day (a 25-point median)
    y[180] *= 3
    mask = flag_outliers(pd.Series(y, idx))
    assert mask.iloc[180]
