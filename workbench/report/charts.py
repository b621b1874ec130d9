"""Charts for the report, exported to SVG by vl-convert (Vega-Lite rendered without a browser).

Plain inputs in, SVG text out: the report embeds the SVG, so the file needs no network or script.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd
import vl_convert as vlc

_FONT = "Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif"


def _svg(chart: alt.TopLevelMixin) -> str:
    spec = chart.configure(font=_FONT).configure_view(stroke=None).to_dict()
    return str(vlc.vegalite_to_svg(spec))


def forecast_peaks_svg(
    history: list[dict[str, Any]], daily: list[dict[str, Any]], labels: dict[str, str]
) -> str | None:
    """Daily maxima of the recent history, then the forecast daily peak (point) with its P80–P95 band.

    ``history``: rows {day, max}; ``daily``: rows {day, point, p80, p95}; ``labels``: history, forecast,
    p95, axis_y, axis_x (already translated).
    """
    if not daily:
        return None
    hist = pd.DataFrame(history or [], columns=["day", "max"])
    fut = pd.DataFrame(daily)
    series = pd.concat([
        pd.DataFrame({"day": hist["day"], "value": hist["max"], "kind": labels["history"]}),
        pd.DataFrame({"day": fut["day"], "value": fut["point"], "kind": labels["forecast"]}),
    ])
    x = alt.X("day:T", title=labels["axis_x"])
    band = alt.Chart(fut).mark_area(opacity=0.25, color="#0052d9").encode(
        x=x, y=alt.Y("p80:Q", title=labels["axis_y"]), y2="p95:Q")
    p95 = alt.Chart(fut).mark_line(strokeDash=[4, 3], color="#0052d9").encode(x=x, y="p95:Q")
    lines = alt.Chart(series).mark_line(point=alt.OverlayMarkDef(size=14)).encode(
        x=x, y=alt.Y("value:Q", title=labels["axis_y"]),
        color=alt.Color("kind:N", title=None, scale=alt.Scale(range=["#5b6475", "#0052d9"]),
                        legend=alt.Legend(orient="top")))
    return _svg((band + p95 + lines).properties(width=820, height=260))


def milestone_trend_svg(rows: list[dict[str, Any]], axis_y: str) -> str | None:
    """Score per pillar (and overall) across milestones: rows {milestone, pillar, score} in order."""
    if len({r["milestone"] for r in rows}) < 2:
        return None
    frame = pd.DataFrame(rows)
    order = list(dict.fromkeys(frame["milestone"]))
    chart = alt.Chart(frame).mark_line(point=True).encode(
        x=alt.X("milestone:N", sort=order, title=None),
        y=alt.Y("score:Q", title=axis_y, scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("pillar:N", title=None, legend=alt.Legend(orient="top")),
    )
    return _svg(chart.properties(width=820, height=220))
