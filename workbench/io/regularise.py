"""Put a cleaned, sorted series onto a regular grid: detect the interval, resample, find and fill gaps."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandas.tseries.frequencies import to_offset

from workbench.errors import InputError
from workbench.io.models import Aggregation, GapPolicy

# Intervals monitoring systems commonly use; a median interval within 10 % of one snaps to it.
_NICE = tuple(
    pd.Timedelta(x)
    for x in (
        "1s",
        "5s",
        "10s",
        "15s",
        "30s",
        "1min",
        "2min",
        "5min",
        "10min",
        "15min",
        "30min",
        "1h",
        "2h",
        "3h",
        "6h",
        "12h",
        "1D",
        "7D",
    )
)


@dataclass(frozen=True)
class Regular:
    """A regular series and what regularising it did."""

    series: pd.Series
    freq: str
    gap_mask: pd.Series  # bool: bin had no sample
    gap_count: int
    gaps: list[tuple[pd.Timestamp, pd.Timestamp]]
    filled: int


def freq_string(delta: pd.Timedelta) -> str:
    """A pandas offset alias for a fixed interval ('5min', '1h', '1D')."""
    return str(to_offset(delta).freqstr)


def interval_text(delta: pd.Timedelta) -> str:
    """A readable interval for notes: '1min', '5min', '1h', '1D' (never a bare 'min')."""
    text = freq_string(delta)
    return text if text[:1].isdigit() else f"1{text}"


def snap_to_grid(values: pd.Series, freq: pd.Timedelta) -> tuple[pd.Series, int]:
    """Move each timestamp to the nearest multiple of ``freq`` (jittered scrapes); returns (series, moved).

    Rounding is done in UTC (a local DST transition cannot make a mark ambiguous), so it applies to
    sub-daily intervals only; daily data is binned by local day instead.
    """
    if freq >= pd.Timedelta(days=1):
        return values, 0
    idx = pd.DatetimeIndex(values.index)
    utc = idx.tz_convert("UTC") if idx.tz is not None else idx
    rounded = utc.round(freq)
    moved = int((rounded != utc).sum())
    new = rounded.tz_convert(idx.tz) if idx.tz is not None else rounded
    return pd.Series(values.to_numpy(), index=new, name=values.name), moved


def median_interval(index: pd.DatetimeIndex) -> tuple[pd.Timedelta, float]:
    """(median interval snapped to a common value, share of intervals that differ from it)."""
    diffs = pd.Series(np.diff(index.asi8))
    diffs = diffs[diffs > 0]
    if diffs.empty:
        raise InputError("errors.io.too_short", points=1)
    med = pd.Timedelta(int(diffs.median()), unit="ns")
    for nice in _NICE:
        if abs(med - nice) <= 0.1 * nice:
            med = nice
            break
    else:
        med = med.round("1s") if med >= pd.Timedelta("1s") else pd.Timedelta("1s")  # load needs no sub-second grid
    tolerance = 0.1 * med.value
    irregular = float((np.abs(diffs - med.value) > tolerance).mean())
    return med, irregular


def parse_freq(freq: str) -> pd.Timedelta:
    """Validate a user frequency: a positive fixed interval pandas understands."""
    try:
        delta = pd.Timedelta(to_offset(freq))
    except (ValueError, TypeError) as exc:
        raise InputError("errors.io.bad_freq", freq=freq) from exc
    if delta <= pd.Timedelta(0):
        raise InputError("errors.io.bad_freq", freq=freq)
    return delta


def _aggregate(values: pd.Series, freq: str, how: Aggregation) -> pd.Series:
    res = values.resample(freq)
    if how is Aggregation.mean:
        return res.mean()
    if how is Aggregation.max:
        return res.max()
    if how is Aggregation.sum:
        return res.sum(min_count=1)
    return res.quantile(0.95)


def _runs(mask: pd.Series, limit: int = 20) -> tuple[int, list[tuple[pd.Timestamp, pd.Timestamp]]]:
    """Number of runs of True and the first ``limit`` of them as (first, last) timestamps."""
    arr = mask.to_numpy()
    if not arr.any():
        return 0, []
    edges = np.diff(np.concatenate(([0], arr.astype(np.int8), [0])))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1) - 1
    idx = mask.index
    return len(starts), [(idx[s], idx[e]) for s, e in zip(starts[:limit], ends[:limit], strict=True)]


def fill(series: pd.Series, mask: pd.Series, policy: GapPolicy) -> tuple[pd.Series, int]:
    """Fill the bins in ``mask`` according to ``policy``; returns (series, bins filled)."""
    if not mask.any() or policy is GapPolicy.leave:
        return series.where(~mask), 0
    holes = series.where(~mask)
    if policy is GapPolicy.zero:
        return holes.fillna(0.0), int(mask.sum())
    filled = holes.interpolate(method="time", limit_direction="both")
    return filled, int(mask.sum())


def regularise(values: pd.Series, freq: pd.Timedelta, how: Aggregation, policy: GapPolicy, max_points: int) -> Regular:
    """Resample sorted ``values`` to ``freq`` with ``how``; report and fill empty bins by ``policy``."""
    span = values.index[-1] - values.index[0]
    if span / freq + 1 > max_points:
        raise InputError(
            "errors.io.grid_too_large", points=int(span / freq) + 1, limit=max_points, freq=freq_string(freq)
        )
    alias = freq_string(freq)
    out = _aggregate(values, alias, how).astype("float64")
    gap_mask = out.isna()
    count, gaps = _runs(gap_mask)
    out, filled = fill(out, gap_mask, policy)
    out.index.freq = None
    return Regular(out, alias, gap_mask, count, gaps, filled)


def gap_runs(mask: pd.Series) -> tuple[int, list[tuple[pd.Timestamp, pd.Timestamp]]]:
    """Public wrapper: (number of runs, first 20 runs) of a boolean gap mask."""
    return _runs(mask)
