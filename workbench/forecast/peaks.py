"""Peak forecasts: per future day the predicted maximum and its quantiles, and the horizon's peak.

The daily peak's quantiles come from the backtest residuals of daily maxima
(:meth:`Calibrator.peak_bands`), applied to the maximum of the (scenario-adjusted) point path; the
point value is their median, because the maximum of a smooth mean path underestimates the maximum
of the noisy actual load (max of expectations ≤ expectation of the max, Jensen's inequality).
The horizon peak is the day with the highest point peak; its P80/P95 are the largest daily
P80/P95 in the horizon (a day other than the point-peak day may carry the highest upper quantile).
Assumption: errors of different days are strongly correlated (a level error persists), so the
maximum over days of each day's quantile approximates the quantile of the horizon maximum.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.forecast.intervals import Calibrator
from workbench.forecast.schema import PeakValue


def daily_peaks(path: pd.Series, origin: pd.Timestamp, calibrator: Calibrator) -> pd.DataFrame:
    """One row per local day: peak time, point, p80, p95, lo95, hi95 (series unit)."""
    day = pd.DatetimeIndex(path.index).normalize()
    grouped = path.groupby(day)
    point = grouped.max()
    times = pd.DatetimeIndex(list(grouped.idxmax()))
    lead_days = (times - origin).total_seconds().to_numpy() / 86400.0
    bands = calibrator.peak_bands(point.to_numpy(float), lead_days)
    out = pd.DataFrame(
        {
            "peak_time": times,
            "point": bands["mid"],
            "p80": bands["p80"],
            "p95": bands["p95"],
            "lo95": bands["lo95"],
            "hi95": bands["hi95"],
        },
        index=pd.Index([d.date() for d in point.index], name="day"),
    )
    return out


def horizon_peak(table: pd.DataFrame) -> tuple[PeakValue, pd.Timestamp, object]:
    """(peak value, time, day) of the whole horizon from a :func:`daily_peaks` table."""
    if table.empty:
        raise ValueError("empty peak table")
    top = table["point"].to_numpy().argmax()
    value = PeakValue(
        point=float(table["point"].iloc[top]),
        p80=float(np.max(table["p80"])),
        p95=float(np.max(table["p95"])),
        low95=float(table["lo95"].iloc[top]),
        high95=float(np.max(table["hi95"])),
    )
    return value, pd.Timestamp(table["peak_time"].iloc[top]), table.index[top]
