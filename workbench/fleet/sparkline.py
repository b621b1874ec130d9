"""A row's sparkline as a small SVG: daily peaks of the history, the forecast daily peaks, the capacity line.

Streamlit's line-chart cell draws one series only; the radar needs three things in one glance —
where the load was, where the forecast goes, and where capacity is — so the page shows this SVG in an
image cell.  Pure string building (no plotting library): a polyline per part on a shared y scale
that always includes the capacity, so a service far below its capacity looks far below it.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Sequence

WIDTH, HEIGHT, PAD = 160, 36, 2.0
HISTORY_COLOUR, FORECAST_COLOUR, CAPACITY_COLOUR = "#4c78a8", "#f58518", "#d62728"


def _finite(values: Sequence[float]) -> list[float]:
    return [float(v) for v in values if v is not None and math.isfinite(float(v))]


def scale(values: Sequence[float], capacity: float | None) -> tuple[float, float]:
    """(low, high) of the y axis: the data and the capacity, with zero as the floor for load."""
    pool = _finite(values) + ([capacity] if capacity is not None and math.isfinite(capacity) else [])
    if not pool:
        return 0.0, 1.0
    low, high = min(0.0, min(pool)), max(pool)
    return (low, high) if high > low else (low, low + 1.0)


def y_of(value: float, low: float, high: float) -> float:
    """SVG y (0 at the top) of ``value``."""
    return PAD + (HEIGHT - 2 * PAD) * (1.0 - (value - low) / (high - low))


def _points(values: Sequence[float], start: int, count: int, low: float, high: float) -> str:
    step = (WIDTH - 2 * PAD) / max(count - 1, 1)
    out = []
    for i, v in enumerate(values):
        if v is None or not math.isfinite(float(v)):
            continue
        out.append(f"{PAD + (start + i) * step:.1f},{y_of(float(v), low, high):.1f}")
    return " ".join(out)


def sparkline_svg(values: Sequence[float], history: int, capacity: float | None) -> str:
    """SVG text: ``values[:history]`` (history), ``values[history - 1:]`` (forecast, joined to the
    history's last point) and a dashed horizontal line at ``capacity`` when one is given."""
    count = len(values)
    low, high = scale(values, capacity)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
             f'viewBox="0 0 {WIDTH} {HEIGHT}">']
    if capacity is not None and math.isfinite(capacity):
        y = y_of(capacity, low, high)
        parts.append(f'<line class="capacity" x1="0" y1="{y:.1f}" x2="{WIDTH}" y2="{y:.1f}" '
                     f'stroke="{CAPACITY_COLOUR}" stroke-width="1" stroke-dasharray="3,2"/>')
    if history > 0:
        parts.append(f'<polyline class="history" fill="none" stroke="{HISTORY_COLOUR}" stroke-width="1.2" '
                     f'points="{_points(values[:history], 0, count, low, high)}"/>')
    first = max(history - 1, 0)
    if count > history:
        parts.append(f'<polyline class="forecast" fill="none" stroke="{FORECAST_COLOUR}" stroke-width="1.2" '
                     f'points="{_points(values[first:], first, count, low, high)}"/>')
    parts.append("</svg>")
    return "".join(parts)


def sparkline_data_uri(values: Sequence[float], history: int, capacity: float | None) -> str:
    """:func:`sparkline_svg` as a ``data:`` URI for an image cell."""
    svg = sparkline_svg(values, history, capacity)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
