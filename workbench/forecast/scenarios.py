"""Scenarios: growth and known events applied on top of the base forecast, kept apart from it.

* Growth: compound, g % per month of 30.44 days (365.25 / 12) counted from the forecast origin:
  factor(t) = (1 + g/100)^(Δt / 30.44 d).
* Events: inside [start, end) the load is multiplied by m ("×3") or raised by u (series unit).
  Multipliers act on the point forecast and on every quantile (a relative uncertainty stays
  relative); uplifts shift them all (a known extra load adds no uncertainty of its own).

Event text format (CLI, page): ``NAME:START/END:xM`` or ``NAME:START/END:+U``, ISO-8601 times, e.g.
``Double 11:2026-11-11T20:00/2026-11-12T02:00:x3``.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from workbench.errors import InputError
from workbench.forecast.features import event_indicator
from workbench.forecast.schema import Event, EventKind, Scenario

DAYS_PER_MONTH = 365.25 / 12
_EVENT_RE = re.compile(
    r"^(?P<name>[^:]+?)\s*:\s*(?P<start>[^/]+?)\s*/\s*(?P<end>[^/]+?)\s*:\s*(?P<op>[xX×*+])(?P<val>[-+0-9.eE]+)$"
)


def parse_event(text: str) -> Event:
    """Parse ``NAME:START/END:xM`` (multiplier) or ``NAME:START/END:+U`` (uplift)."""
    # the name may contain ':' only if the times do not, so split from the right on the op part
    m = _EVENT_RE.match(text.strip())
    if m is None:
        raise InputError("errors.forecast.event_syntax", text=text)
    try:
        start = dt.datetime.fromisoformat(m["start"])
        end = dt.datetime.fromisoformat(m["end"])
        value = float(m["val"])
    except ValueError as exc:
        raise InputError("errors.forecast.event_syntax", text=text) from exc
    kind = EventKind.UPLIFT if m["op"] == "+" else EventKind.MULTIPLIER
    return Event(name=m["name"].strip(), start=start, end=end, kind=kind, value=value)


def growth_factor(index: pd.DatetimeIndex, origin: pd.Timestamp, pct_per_month: float) -> np.ndarray:
    """(1 + g)^(months since origin), months of 30.44 days."""
    months = (index - origin).total_seconds().to_numpy() / 86400.0 / DAYS_PER_MONTH
    return np.power(1.0 + pct_per_month / 100.0, np.maximum(months, 0.0))


def apply_scenario(frame: pd.DataFrame, origin: pd.Timestamp, scenario: Scenario) -> pd.DataFrame:
    """A copy of ``frame`` (forecast + band columns, DatetimeIndex) with the scenario applied."""
    out = frame.copy()
    index = pd.DatetimeIndex(out.index)
    factor = growth_factor(index, origin, scenario.growth_pct_per_month)
    uplift = np.zeros(len(index))
    for event in scenario.events:
        inside = event_indicator(index, event)
        if event.kind is EventKind.MULTIPLIER:
            factor = factor * np.where(inside > 0, event.value, 1.0)
        else:
            uplift = uplift + inside * event.value
    for col in out.columns:
        out[col] = out[col].to_numpy(float) * factor + uplift
    return out


def event_markers(scenario: Scenario) -> pd.DataFrame:
    """Event windows as rows (name, start, end, label) for chart rules and tables."""
    rows = [
        {"name": e.name, "start": e.start, "end": e.end,
         "effect": f"×{e.value:g}" if e.kind is EventKind.MULTIPLIER else f"+{e.value:g}"}
        for e in scenario.events
    ]
    return pd.DataFrame(rows, columns=["name", "start", "end", "effect"])
