"""Design-matrix columns for the multi-seasonal regression (see :mod:`workbench.forecast.seasonal`).

Each builder returns named columns for a :class:`pandas.DatetimeIndex`.  The terms follow Prophet
(Taylor & Letham, "Forecasting at scale", The American Statistician 72(1), 2018, §3.1–3.3):
a piecewise-linear trend with hinge functions at candidate changepoints, Fourier series for each
period, indicator regressors for holidays and events.  Time is measured in days; phases use local
wall-clock time so that "20:00" means the same thing in fit and forecast.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.forecast.holidays import DayTypes
from workbench.forecast.schema import Event


@dataclass(frozen=True)
class Block:
    """A group of columns with one role (trend, daily, …) and one ridge penalty weight."""

    name: str
    columns: np.ndarray  # shape (n, k)
    penalty: float  # ridge weight per column, relative to the total sample weight


def time_of_day(index: pd.DatetimeIndex) -> np.ndarray:
    """Fraction of the local day elapsed, in [0, 1)."""
    return (index.hour * 3600 + index.minute * 60 + index.second).to_numpy(float) / 86400.0


def fourier(phase: np.ndarray, order: int) -> np.ndarray:
    """Columns sin(2πkφ), cos(2πkφ) for k = 1..order (FPP3 §7.4, Fourier terms)."""
    k = np.arange(1, order + 1)
    angles = 2.0 * np.pi * phase[:, None] * k[None, :]
    return np.hstack([np.sin(angles), np.cos(angles)])


def trend_block(t_days: np.ndarray, changepoints: np.ndarray, span_days: float, penalty: float) -> Block:
    """Hinge columns max(0, t − c_j)/span: the slope changes at each candidate changepoint."""
    hinges = np.maximum(0.0, t_days[:, None] - changepoints[None, :]) / span_days
    return Block("changepoints", hinges, penalty)


def seasonal_blocks(
    index: pd.DatetimeIndex,
    days: DayTypes,
    daily_order: int,
    weekly_order: int,
    offday_order: int,
    penalty: float,
    dow_order: int = 0,
) -> list[Block]:
    """Daily and weekly Fourier terms, weekday × daily-shape and off-day × daily-shape interactions.

    The weekday interaction (a daily shape of order ``dow_order`` per weekday, Monday as reference)
    lets each weekday keep its own profile, which weekly seasonal naive captures and a low-order
    weekly Fourier series cannot.
    """
    tod = time_of_day(index)
    week_phase = (index.dayofweek.to_numpy(float) + tod) / 7.0
    blocks = [
        Block("daily", fourier(tod, daily_order), penalty),
        Block("weekly", fourier(week_phase, weekly_order), penalty),
    ]
    if dow_order > 0:
        dow = index.dayofweek.to_numpy()
        shape = np.hstack([np.ones((len(index), 1)), fourier(tod, dow_order)])
        cols = [shape * (dow == d)[:, None] for d in range(1, 7)]
        blocks.append(Block("weekly", np.hstack(cols), penalty))
    off = days.off_day[:, None]
    blocks.append(Block("offday", np.hstack([off, off * fourier(tod, offday_order)]), penalty))
    return blocks


def holiday_block(days: DayTypes, penalty: float) -> Block:
    """Level shift on public holidays (beyond the off-day shape) and on adjusted working days."""
    return Block("holiday", np.column_stack([days.holiday, days.adjusted_workday]), penalty)


def event_block(index: pd.DatetimeIndex, events: Sequence[Event], penalty: float) -> Block:
    """One 0/1 column per known event window (its coefficient is the event's effect)."""
    cols = [event_indicator(index, e) for e in events]
    data = np.column_stack(cols) if cols else np.zeros((len(index), 0))
    return Block("events", data, penalty)


def event_indicator(index: pd.DatetimeIndex, event: Event) -> np.ndarray:
    """1.0 for timestamps inside [start, end), aligning naive event times to the index's time zone."""
    start, end = pd.Timestamp(event.start), pd.Timestamp(event.end)
    if index.tz is not None:
        start = start.tz_localize(index.tz) if start.tz is None else start.tz_convert(index.tz)
        end = end.tz_localize(index.tz) if end.tz is None else end.tz_convert(index.tz)
    elif start.tz is not None:
        start, end = start.tz_localize(None), end.tz_localize(None)
    return ((index >= start) & (index < end)).astype(float)
