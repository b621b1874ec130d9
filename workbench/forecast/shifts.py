"""Level-shift detection: a sustained jump of the load level (a launch, a migration, traffic ×2).

Method: daily means of the load (local days at least half observed); for every day k with a full week
on both sides, the ratio r_k = mean(week after k) / mean(week before k) compares whole weeks, so the
weekly cycle cancels.  The day with the largest |log r_k| is a shift when the jump is at least
×1.5 (or ÷1.5) and it persists: the mean of everything after k moves at least ×1.4 the same way
against each of the two weeks before k (a holiday week that returns to normal does not).  This is the
two-window mean-change statistic of CUSUM-type change detection (Page, "Continuous inspection
schemes", Biometrika 41, 1954; Basseville & Nikiforov, *Detection of Abrupt Changes*, 1993, §2.2)
applied to weekly windows, with fixed, conservative thresholds instead of a noise model.

Why: history from before a shift makes the backtest residuals (and so the intervals) far too wide
after it (issue 14: P95 peak 4.2× the true peak three weeks after traffic doubled).  The caller
forecasts from the data after the shift when enough of it exists, and says so either way.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

MIN_JUMP = 1.5
MIN_PERSIST = 1.4
WINDOW_DAYS = 7


@dataclass(frozen=True)
class LevelShift:
    """Where the level moved (first local day on the new level) and by what factor."""

    at: pd.Timestamp
    ratio: float


def detect_level_shift(series: pd.Series) -> LevelShift | None:
    """The strongest sustained level shift of ``series`` (see module docstring), or None."""
    values = series.to_numpy(float)
    idx = pd.DatetimeIndex(series.index)
    days = idx.normalize()
    frame = pd.DataFrame({"v": values, "day": days})
    grouped = frame.groupby("day")["v"]
    counts, means = grouped.count(), grouped.mean()
    full = counts.max()
    daily = means[counts >= 0.5 * full]
    if len(daily) < 3 * WINDOW_DAYS or (daily < 0).any():
        return None
    d = daily.to_numpy()
    w = WINDOW_DAYS
    csum = np.concatenate(([0.0], np.cumsum(d)))
    ks = np.arange(w, len(d) - w + 1)
    before = (csum[ks] - csum[ks - w]) / w
    after = (csum[ks + w] - csum[ks]) / w
    # Whole weeks are compared, so closed days (a zero daily mean) are fine; a week with no load at all is not
    # a level to compare against (a service that starts from nothing is a launch, not a shift of a level).
    valid = (before > 0) & (after > 0)
    if not valid.any():
        return None
    logr = np.zeros_like(before)
    logr[valid] = np.log(after[valid] / before[valid])
    best = int(np.argmax(np.abs(logr)))
    k = int(ks[best])
    ratio = float(np.exp(logr[best]))
    if abs(logr[best]) < np.log(MIN_JUMP):
        return None
    level = float(d[k:].mean())
    # both weeks before must be on the old level: a holiday week followed by normal weeks is no shift
    for ref in (d[k - w : k], d[max(0, k - 2 * w) : k - w]):
        if len(ref) == 0:
            continue
        if float(ref.mean()) <= 0.0:
            return None
        persist = level / float(ref.mean())
        if (ratio > 1) != (persist > 1) or abs(np.log(persist)) < np.log(MIN_PERSIST):
            return None
    return LevelShift(pd.Timestamp(daily.index[k]), ratio)
