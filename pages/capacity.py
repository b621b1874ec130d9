"""Capacity page: queue calculator, load-test lab (USL), multi-tier MVA and sizing (thin: calls the core)."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from pages import _capacity_models, _ui
from workbench.capacity.explain import sizing_export_rows, sizing_rows
from workbench.capacity.loadtest import read_loadtest
from workbench.capacity.models import Bounds, LatencySLO, LoadTestData, MVAResult, QueueResult, SizingResult, USLFit
from workbench.capacity.mva import mva_bounds, solve_network
from workbench.capacity.queues import QueueSpec, queue_curves, slo_verdict, solve_queue
from workbench.capacity.sizing import size_tiers
from workbench.capacity.tables import stations_from_rows, tiers_from_rows
from workbench.capacity.usl import amdahl_throughput, concurrency_for_throughput, fit_usl, predict, usl_throughput
from workbench.capacity.validate import (
    MAX_RATE,
    MAX_TIME_MS,
    MIN_RATE,
    MIN_TIME_MS,
    FieldError,
    number,
    offered_load,
)
from workbench.errors import InputError
from workbench.exports import to_safe_csv
from workbench.i18n import LANGUAGES, format_number, format_percent, t
from workbench.workshop.documents import (
    CHAIN_ID,
    ForecastDoc,
    InputSource,
    SizingDoc,
    SizingInputs,
    SizingProvenance,
    TierRow,
    id_for_name,
    sizing_id,
)

_ui.ensure_app_shell()  # pages run inside app.py, also on a fresh server's first deep link

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"
PERCENTILES = (0.9, 0.95, 0.99, 0.999)
DEFAULT_STATIONS = pd.DataFrame(
    {"name": ["lb", "web", "app", "cache", "db"], "demand_ms": [1.0, 12.0, 30.0, 2.0, 8.0],
     "servers": [1, 4, 8, 1, 1], "kind": ["delay", "queue", "queue", "queue", "queue"]}
)
DEFAULT_TIERS = pd.DataFrame(
    {"name": ["web", "api", "db"], "service_ms": [12.0, 18.0, 4.0], "service_cv": [1.0, 0.8, 0.5],
     "arrival_cv": [1.0, 1.0, 1.0], "workers": [8, 16, 4], "price_per_hour": [0.35, 0.7, 2.4],
     "visit_ratio": [1.0, 1.0, 2.0], "usl_sigma": [np.nan] * 3, "usl_kappa": [np.nan] * 3, "usl_lambda": [np.nan] * 3}
)

_USL_TIER = "capacity_usl_tier"


def _n(value: float | None, digits: int | None = None) -> str:
    return format_number(value, _ui.current_language(), digits)


def _pc(share: float) -> str:
    """A share as a percentage that never rounds 99.98 % up to "100.0"."""
    return format_percent(share, _ui.current_language())


def _pct(q: float) -> str:
    return f"{q * 100:g}"


# --- cached core calls -------------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=32)
def _queue(rate: float, service_s: float, servers: int, ca: float, cs: float, qs: tuple[float, ...],
           wait_target: float, room: int | None = None) -> QueueResult:
    return solve_queue(QueueSpec(arrival_rate=rate, service_time=service_s, servers=servers, arrival_cv=ca,
                                 service_cv=cs, percentiles=qs, wait_target=wait_target,
                                 capacity=None if room is None else max(room, servers)))


@st.cache_data(show_spinner=False, max_entries=16)
def _queue_curves(rate: float, service_s: float, servers: int, ca: float, cs: float,
                  qs: tuple[float, ...]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Percentiles (ms) against arrival rate (fixed c) and against servers (fixed λ), from the core."""
    by_rate, by_servers = queue_curves(rate, service_s, servers, ca, cs, qs)
    return pd.DataFrame(by_rate), pd.DataFrame(by_servers)


@st.cache_data(show_spinner=False, max_entries=8)
def _fit(data: bytes) -> tuple[LoadTestData, USLFit]:
    points = read_loadtest(data)
    fit = fit_usl(points.concurrency, points.throughput)
    return points, fit


@st.cache_data(show_spinner=False, max_entries=8)
def _mva(rows: str, users: int, think_s: float) -> tuple[MVAResult, Bounds]:
    stations = stations_from_rows(json.loads(rows))
    return solve_network(stations, users, think_s), mva_bounds(stations, think_s)


@st.cache_data(show_spinner=False, max_entries=8)
def _size(rows: str, peak: float, slo_ms: float, q: float, cap: float, azs: int) -> list[SizingResult]:
    tiers = tiers_from_rows(json.loads(rows))
    return size_tiers(peak, tiers, LatencySLO(percentile=q, target=slo_ms / 1e3), cap, azs)


def _seed(values: dict[str, Any]) -> None:
    """Give widgets without a value in this session (first visit, back from another page, a refresh) the value
    the workshop holds."""
    for key, value in values.items():
        if key not in st.session_state:
            st.session_state[key] = value


def _how(lines: list[str]) -> None:
    with st.expander(_ui.tr("capacity.how")):
        for line in lines:
            st.text(line)


# --- queue calculator --------------------------------------------------------------------------


def _queue_inputs() -> dict[str, Any]:
    with st.form("queue_form"):
        c1, c2, c3 = st.columns(3)
        rate = c1.number_input(_ui.tr("capacity.queue.rate"), min_value=0.001, value=800.0, step=50.0, key="q_rate")
        service_ms = c2.number_input(_ui.tr("capacity.queue.service_ms"), min_value=0.001, value=50.0, step=5.0,
                                     key="q_service")
        servers = c3.number_input(_ui.tr("capacity.queue.servers"), min_value=1, max_value=100_000, value=48,
                                  step=1, key="q_servers")
        c4, c5, c6 = st.columns(3)
        cs = c4.number_input(_ui.tr("capacity.queue.service_cv"), min_value=0.0, max_value=10.0, value=1.0,
                             step=0.1, key="q_cs")
        ca = c5.number_input(_ui.tr("capacity.queue.arrival_cv"), min_value=0.0, max_value=10.0, value=1.0,
                             step=0.1, key="q_ca")
        wait_ms = c6.number_input(_ui.tr("capacity.queue.wait_target_ms"), min_value=0.0, value=20.0, step=5.0,
                                  key="q_wait")
        c7, c8, c9 = st.columns(3)
        room = c9.number_input(_ui.tr("capacity.queue.room"), min_value=0, max_value=100_000, value=0, step=1,
                               key="q_room", help=_ui.tr("capacity.queue.room_help"))
        slo_ms = c7.number_input(_ui.tr("capacity.queue.slo_ms"), min_value=0.001, value=300.0, step=10.0,
                                 key="q_slo")
        q = c8.selectbox(_ui.tr("capacity.queue.percentile"), PERCENTILES, index=2, format_func=lambda v: f"P{_pct(v)}",
                         key="q_pct")
        st.form_submit_button(_ui.tr("capacity.queue.submit"))
    return {"rate": rate, "service_s": service_ms / 1e3, "servers": int(servers), "cs": cs, "ca": ca,
            "wait_s": wait_ms / 1e3, "slo_ms": slo_ms, "q": q, "room": int(room) or None}


def _queue_metrics(res: QueueResult, inp: dict[str, Any]) -> None:
    q, slo_ms = inp["q"], inp["slo_ms"]
    cols = st.columns(4)
    cols[0].metric(_ui.tr("capacity.queue.utilisation"), f"{_pc(res.utilisation)} %")
    cols[1].metric(_ui.tr("capacity.queue.prob_wait"), f"{_pc(res.prob_wait)} %")
    cols[2].metric(_ui.tr("capacity.queue.mean_wait"), _n(res.mean_wait * 1e3))
    cols[3].metric(_ui.tr("capacity.queue.mean_response"), _n(res.mean_response * 1e3))
    cols = st.columns(4)
    cols[0].metric(_ui.tr("capacity.queue.p_response", pct=_pct(q)), _n(res.response_percentiles[q] * 1e3))
    cols[1].metric(_ui.tr("capacity.queue.p_wait", pct=_pct(q)), _n(res.wait_percentiles[q] * 1e3))
    cols[2].metric(_ui.tr("capacity.queue.queue_length"), _n(res.mean_queue_length))
    cols[3].metric(_ui.tr("capacity.queue.service_level", target=_n(inp["wait_s"] * 1e3)),
                   f"{_pc(res.service_level or 0.0)} %")
    key, got = slo_verdict(res, slo_ms / 1e3, q)
    verdict = _ui.tr(key, pct=_pct(q), value=_n(got["value_ms"]), target=_n(slo_ms), refused=_n(got["refused_pct"]))
    if key == "capacity.queue.slo_met":
        st.success(verdict)
    else:
        st.warning(verdict)
    if not res.exact:
        st.caption(_ui.tr("capacity.approx_note"))
    scv = (res.arrival_cv**2 + res.service_cv**2) / 2
    _how([
        _ui.tr("capacity.how_queue.utilisation", rate=_n(res.arrival_rate), service_s=_n(res.service_time),
               servers=res.servers, value=_n(res.utilisation)),
        _ui.tr("capacity.how_queue.prob_wait", load=_n(res.offered_load), servers=res.servers),
        _ui.tr("capacity.how_queue.mean_wait", value=_n(res.mean_wait * 1e3),
               scv_note="" if scv == 1 else _ui.tr("capacity.how_queue.scv_note", scv=_n(scv))),
        _ui.tr("capacity.how_queue.mean_response", wait=_n(res.mean_wait * 1e3), service=_n(res.service_time * 1e3),
               value=_n(res.mean_response * 1e3)),
        _ui.tr("capacity.how_queue.queue_length", rate=_n(res.arrival_rate), wait=_n(res.mean_wait * 1e3),
               value=_n(res.mean_queue_length), in_system=_n(res.mean_in_system)),
        _ui.tr("capacity.how_queue.service_level", target=_n(inp["wait_s"] * 1e3)),
        _ui.tr("capacity.how_queue.percentiles"),
    ])


def _percentile_chart(frame: pd.DataFrame, x_title: str, slo_ms: float, point: tuple[float, float],
                      title: str) -> alt.LayerChart:
    y_max = max(slo_ms * 3, point[1] * 1.5)
    data = frame.assign(ms=frame["ms"].clip(upper=y_max))
    x = alt.X("x:Q", title=x_title)
    y = alt.Y("ms:Q", title=_ui.tr("capacity.queue.axis_latency"), scale=alt.Scale(domain=[0, y_max]))
    lines = alt.Chart(data).mark_line().encode(
        x=x, y=y, color=alt.Color("q:N", title=_ui.tr("capacity.queue.series"), legend=alt.Legend(orient="bottom")))
    slo = alt.Chart(pd.DataFrame({"ms": [slo_ms], "label": [_ui.tr("capacity.queue.slo_line")]})).mark_rule(
        color="#d62728", strokeDash=[6, 4]).encode(y="ms:Q", tooltip="label:N")
    chosen = alt.Chart(pd.DataFrame({"x": [point[0]], "ms": [min(point[1], y_max)],
                                     "label": [_ui.tr("capacity.queue.chosen")]})).mark_point(
        size=120, filled=True, color="black").encode(x="x:Q", y="ms:Q", tooltip="label:N")
    return alt.layer(lines, slo, chosen).properties(height=300, title=title)


@contextmanager
def _in_user_words() -> Iterator[None]:
    """A field check's error as the page shows it: the field's label translated, the unit kept next to its
    number (the page's Markdown escaping would drop a unit's leading space)."""
    try:
        yield
    except FieldError as exc:
        params = dict(exc.params)
        unit = str(params.pop("unit", ""))
        for key in ("value", "minimum", "maximum"):
            if key in params:
                params[key] = f"{params[key]}{unit}"
        params.update(unit="", field=_ui.tr(str(params.get("field", ""))))
        raise InputError(exc.key, **params) from None


def _check_queue(inp: dict[str, Any]) -> None:
    """The checks of ``workbench queue`` in the user's units (ms, req/s): a translated message, never a
    300-digit utilisation or a traceback (shared validators of :mod:`workbench.capacity.validate`)."""
    number(inp["rate"], "capacity.field.rate", unit="req/s", maximum=MAX_RATE, smallest=MIN_RATE)
    number(inp["service_s"] * 1e3, "capacity.field.service_ms", unit="ms", maximum=MAX_TIME_MS, smallest=MIN_TIME_MS)
    number(inp["wait_s"] * 1e3, "capacity.field.wait_target_ms", unit="ms", maximum=MAX_TIME_MS, allow_min=True,
           smallest=MIN_TIME_MS)
    number(inp["slo_ms"], "capacity.field.slo_ms", unit="ms", maximum=MAX_TIME_MS, smallest=MIN_TIME_MS)
    offered_load(inp["rate"], inp["service_s"])


def queue_tab() -> None:
    inp = _queue_inputs()
    with _in_user_words():
        _check_queue(inp)
    qs = tuple(sorted({0.5, 0.95, 0.99, inp["q"]}))
    res = _queue(inp["rate"], inp["service_s"], inp["servers"], inp["ca"], inp["cs"], qs, inp["wait_s"], inp["room"])
    st.caption(_ui.tr("capacity.queue.model_used", model=_ui.tr(f"capacity.model.{res.kind.value}")))
    if res.prob_empty is not None:
        st.caption(f"{_ui.tr('capacity.queue.prob_empty')}: {_n(res.prob_empty)}")
    if not res.stable:
        st.error(_ui.tr("capacity.queue.unstable", rho=f"{_n(res.utilisation * 100, 1)} %", servers=res.servers,
                        min_servers=res.min_stable_servers()))
        return
    _queue_metrics(res, inp)
    if res.prob_blocked is not None:  # a bounded queue: its own figures, not the unbounded curves
        st.metric(_ui.tr("capacity.queue.prob_blocked"), f"{_n(res.prob_blocked * 100, 3)} %")
        _how([_ui.tr("capacity.how_queue.finite", room=res.capacity, servers=res.servers)])
        return
    by_rate, by_servers = _queue_curves(inp["rate"], inp["service_s"], inp["servers"], inp["ca"], inp["cs"],
                                        tuple(sorted({0.5, 0.95, inp["q"]})))
    point_y = res.response_percentiles[inp["q"]] * 1e3
    c1, c2 = st.columns(2)
    c1.altair_chart(_percentile_chart(by_rate, _ui.tr("capacity.queue.axis_rate"), inp["slo_ms"],
                                      (inp["rate"], point_y), _ui.tr("capacity.queue.chart_rate",
                                                                      servers=inp["servers"])), width="stretch")
    c2.altair_chart(_percentile_chart(by_servers, _ui.tr("capacity.queue.axis_servers"), inp["slo_ms"],
                                      (inp["servers"], point_y), _ui.tr("capacity.queue.chart_servers",
                                                                         rate=_n(inp["rate"]))), width="stretch")


# --- load-test lab -----------------------------------------------------------------------------


def _usl_source() -> bytes | None:
    choice = st.radio(_ui.tr("capacity.usl.intro"), ["sample", "jmeter", "upload"], horizontal=True, key="usl_src",
                      format_func=lambda k: {"sample": _ui.tr("capacity.usl.use_sample"),
                                             "jmeter": _ui.tr("capacity.usl.sample_jmeter"),
                                             "upload": _ui.tr("capacity.usl.upload")}[k])
    if choice == "sample":
        return (SAMPLES / "loadtest_sample.csv").read_bytes()
    if choice == "jmeter":
        return (SAMPLES / "loadtest_jmeter.csv").read_bytes()
    upload = st.file_uploader(_ui.tr("capacity.usl.upload"), type=["csv", "txt", "jtl", "json"], key="usl_file")
    if upload is None:
        st.info(_ui.tr("capacity.usl.no_data"))
        return None
    return upload.getvalue()


def _usl_chart(points: LoadTestData, fit: USLFit) -> alt.LayerChart:
    n_max = max(points.concurrency) * 1.3
    if fit.peak_concurrency:
        n_max = max(n_max, fit.peak_concurrency * 1.3)
    grid = np.linspace(1, n_max, 120)
    preds = predict(fit, grid)
    sigma, kappa, lam = fit.sigma.estimate, fit.kappa.estimate, fit.lam.estimate
    y_cap = max(max(points.throughput), fit.peak_throughput or 0.0) * 1.4
    curves = pd.concat([
        pd.DataFrame({"n": grid, "x": usl_throughput(grid, sigma, kappa, lam), "s": _ui.tr("capacity.usl.series_usl")}),
        pd.DataFrame({"n": grid, "x": lam * grid, "s": _ui.tr("capacity.usl.series_linear")}),
        pd.DataFrame({"n": grid, "x": amdahl_throughput(grid, sigma, lam), "s": _ui.tr("capacity.usl.series_amdahl")}),
    ])
    curves = curves[curves["x"] <= y_cap]  # references leave the plot instead of flattening at its edge
    band = pd.DataFrame({"n": grid, "lo": [p.pi_low for p in preds], "hi": [min(p.pi_high, y_cap) for p in preds]})
    data = pd.DataFrame({"n": points.concurrency, "x": points.throughput})
    x = alt.X("n:Q", title=_ui.tr("capacity.usl.axis_n"))
    layers = [
        alt.Chart(band).mark_area(opacity=0.15).encode(x=x, y="lo:Q", y2="hi:Q"),
        alt.Chart(curves).mark_line().encode(
            x=x, y=alt.Y("x:Q", title=_ui.tr("capacity.usl.axis_x"), scale=alt.Scale(domain=[0, y_cap])),
            color=alt.Color("s:N", title=None, legend=alt.Legend(orient="bottom")),
            strokeDash=alt.StrokeDash("s:N", legend=None)),
        alt.Chart(data).mark_circle(size=70, color="black").encode(x=x, y="x:Q", tooltip=["n:Q", "x:Q"]),
    ]
    if fit.peak_concurrency:
        peak = pd.DataFrame({"n": [fit.peak_concurrency], "x": [fit.peak_throughput]})
        layers.append(alt.Chart(peak).mark_rule(strokeDash=[4, 3], color="#d62728").encode(x="n:Q"))
        layers.append(alt.Chart(peak).mark_point(size=150, shape="diamond", filled=True, color="#d62728").encode(
            x="n:Q", y="x:Q", tooltip=["n:Q", "x:Q"]))
    return alt.layer(*layers).properties(height=380, title=_ui.tr("capacity.usl.chart"))


def usl_tab() -> None:
    data = _usl_source()
    if data is None:
        return
    points, fit = _fit(data)
    cols = st.columns(3)
    for col, key, iv in ((cols[0], "sigma", fit.sigma), (cols[1], "kappa", fit.kappa), (cols[2], "lam", fit.lam)):
        show = (lambda v: f"{v:.3e}") if 0 < iv.estimate < 0.001 else (lambda v: _n(v, 4 if v < 1 else None))
        col.metric(_ui.tr(f"capacity.usl.{key}"), show(iv.estimate))
        col.caption(_ui.tr("capacity.usl.ci", level="95", low=show(iv.low), high=show(iv.high)))
    cols = st.columns(3)
    cols[0].metric(_ui.tr("capacity.usl.r2"), _n(fit.r_squared, 4))
    cols[1].metric(_ui.tr("capacity.usl.peak_n"),
                   _n(fit.peak_concurrency) if fit.peak_concurrency else _ui.tr("capacity.usl.no_peak"))
    cols[2].metric(_ui.tr("capacity.usl.peak_x"), _n(fit.peak_throughput))
    notes = [*points.notes, *fit.warnings]
    if notes:
        st.subheader(_ui.tr("capacity.usl.warnings"))
        for w in notes:
            st.warning(_ui.tr_user(w.key, **{k: (_n(v) if isinstance(v, float) else v) for k, v in w.params.items()}))
    st.altair_chart(_usl_chart(points, fit), width="stretch")
    target = st.number_input(_ui.tr("capacity.usl.target"), min_value=0.001,
                             value=float(round((fit.peak_throughput or max(points.throughput)) * 0.7, 1)),
                             key="usl_target")
    with _in_user_words():
        number(target, "capacity.field.target_rps", unit="req/s", maximum=MAX_RATE, smallest=MIN_RATE)
    n = concurrency_for_throughput(fit, target)
    if n is None:
        st.info(_ui.tr("capacity.usl.target_above_peak", target=_n(target), peak=_n(fit.peak_throughput)))
    else:
        st.text(_ui.tr("capacity.usl.target_n", target=_n(target), n=_n(n)))
    c1, c2 = st.columns(2)
    c1.download_button(_ui.tr("capacity.usl.download"), fit.model_dump_json(indent=2), file_name="usl_fit.json",
                       mime="application/json", key="usl_download")
    if fit.peak_throughput is not None and c2.button(_ui.tr("capacity.usl.use_as_tier"), key="usl_to_tier"):
        st.session_state[_USL_TIER] = {"name": "usl-fit", "service_ms": np.nan, "service_cv": np.nan,
                                       "arrival_cv": 1.0, "workers": 1, "price_per_hour": np.nan, "visit_ratio": 1.0,
                                       "usl_sigma": fit.sigma.estimate, "usl_kappa": fit.kappa.estimate,
                                       "usl_lambda": fit.lam.estimate}
        st.success(_ui.tr("capacity.usl.added_as_tier"))
    _how([_ui.tr("capacity.usl.how", points=fit.n_points, levels=fit.n_levels,
                 peak_n=_n(fit.peak_concurrency) if fit.peak_concurrency else "∞")])


# --- multi-tier MVA ----------------------------------------------------------------------------


def _mva_charts(res: MVAResult, b: Bounds) -> tuple[alt.LayerChart, alt.LayerChart]:
    n = np.asarray(res.populations, dtype=float)
    idx = np.unique(np.linspace(0, n.size - 1, min(n.size, 400)).astype(int))
    frame = pd.DataFrame({"n": n[idx], "x": np.asarray(res.throughput)[idx],
                          "r": np.asarray(res.response_time)[idx] * 1e3})
    frame["x_bound"] = [b.throughput_upper(v) for v in frame["n"]]
    frame["r_bound"] = [b.response_lower(v) * 1e3 for v in frame["n"]]
    x = alt.X("n:Q", title=_ui.tr("capacity.mva.axis_users"))

    def chart(col: str, bound: str, title: str, axis: str) -> alt.LayerChart:
        long = frame.melt("n", [col, bound], var_name="s", value_name="v").replace(
            {"s": {col: _ui.tr("capacity.mva.series_mva"), bound: _ui.tr("capacity.mva.series_bound")}})
        return alt.Chart(long).mark_line().encode(
            x=x, y=alt.Y("v:Q", title=axis), color=alt.Color("s:N", title=None, legend=alt.Legend(orient="bottom")),
            strokeDash=alt.StrokeDash("s:N", legend=None)).properties(height=300, title=title)

    return (chart("x", "x_bound", _ui.tr("capacity.mva.chart_x"), _ui.tr("capacity.mva.axis_x")),
            chart("r", "r_bound", _ui.tr("capacity.mva.chart_r"), _ui.tr("capacity.mva.axis_r")))


def mva_tab() -> None:
    st.caption(_ui.tr("capacity.mva.intro"))
    with st.form("mva_form"):
        table = st.data_editor(
            DEFAULT_STATIONS, num_rows="dynamic", key="mva_stations", hide_index=True,
            column_config={
                "name": st.column_config.TextColumn(_ui.tr("capacity.mva.col_name"), max_chars=80),
                "demand_ms": st.column_config.NumberColumn(_ui.tr("capacity.mva.col_demand"), min_value=0.0),
                "servers": st.column_config.NumberColumn(_ui.tr("capacity.mva.col_servers"), min_value=1,
                                                         max_value=4096, step=1),
                "kind": st.column_config.SelectboxColumn(_ui.tr("capacity.mva.col_kind"), options=["queue", "delay"]),
            },
        )
        c1, c2 = st.columns(2)
        users = c1.number_input(_ui.tr("capacity.mva.users"), min_value=1, max_value=10_000, value=300, key="mva_users")
        think = c2.number_input(_ui.tr("capacity.mva.think_ms"), min_value=0.0, value=1000.0, step=100.0,
                                key="mva_think")
        st.form_submit_button(_ui.tr("capacity.mva.run"))
    with _in_user_words():
        number(think, "capacity.field.think_ms", unit="ms", minimum=0.0, allow_min=True, maximum=MAX_TIME_MS,
               smallest=MIN_TIME_MS)
    rows = json.dumps(table.replace({np.nan: None}).to_dict("records"))
    res, b = _mva(rows, int(users), think / 1e3)
    st.caption(_ui.tr("capacity.mva.exact" if res.exact else "capacity.mva.approx"))
    st.info(_ui.tr_user("capacity.mva.bottleneck", name=b.bottleneck, dmax=_n(b.max_demand * 1e3),
                   xmax=_n(1.0 / b.max_demand), nstar=_n(b.n_star)))
    st.text(_ui.tr("capacity.mva.at_users", users=res.populations[-1], x=_n(res.throughput[-1]),
                   r=_n(res.response_time[-1] * 1e3)))
    cx, cr = _mva_charts(res, b)
    c1, c2 = st.columns(2)
    c1.altair_chart(cx, width="stretch")
    c2.altair_chart(cr, width="stretch")
    st.caption(_ui.tr("capacity.mva.utilisation_table", users=res.populations[-1]))
    per_station = pd.DataFrame({
        _ui.tr("capacity.mva.col_name"): res.station_names,
        _ui.tr("capacity.mva.col_util"): [u[-1] for u in res.utilisation],
        _ui.tr("capacity.mva.col_queue"): [q[-1] for q in res.queue_length],
    })
    bottleneck_row = res.station_names.index(b.bottleneck)
    st.dataframe(per_station.style.apply(
        lambda r: ["background-color: #ffe0e0" if r.name == bottleneck_row else "" for _ in r], axis=1).format(
        precision=3), hide_index=True)
    _how([_ui.tr("capacity.mva.how")])


# --- sizing ------------------------------------------------------------------------------------


def _forecast_peaks(quantile: str) -> dict[str, tuple[float, str, str]]:
    """Saved forecasts' peaks at the chain's quantile: id → (value, unit, the name the user knows it by)."""
    out: dict[str, tuple[float, str, str]] = {}
    for art, doc in _ui.docs(ForecastDoc):
        value = doc.peak_value(quantile)  # type: ignore[arg-type]
        if value > 0:
            out[art.id] = (value, doc.peak.unit or _ui.tr("report.unit_rps"), doc.name or art.id)
    return out


def _tier_row(row: dict[str, Any]) -> dict[str, Any]:
    """One tier in its stored form (empty and NaN cells dropped)."""
    clean = {k: v for k, v in row.items() if v is not None and not (isinstance(v, float) and math.isnan(v))}
    return TierRow.model_validate(clean).model_dump(exclude_none=True)


def _example_rows() -> list[dict[str, Any]]:
    return [_tier_row(r) for r in DEFAULT_TIERS.to_dict("records")]


def _rows_of(table: pd.DataFrame) -> list[dict[str, Any]]:
    """The editor's rows without empty cells (NaN → absent), in the stored form."""
    return [_tier_row(r) for r in table.replace({np.nan: None}).to_dict("records") if r.get("name")]


def _tier_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(DEFAULT_TIERS.columns))
    return frame.astype({c: "float64" for c in DEFAULT_TIERS.columns if c != "name"})


def _peak_source(chain_forecast: str | None, stored: SizingDoc | None, peaks: dict[str, Any]) -> str:
    """Which saved forecast's peak the Sizing tab opens on ("" = the typed-in peak).

    The chain's forecast comes first: "use this peak for sizing" makes it the chain's before any sizing is saved,
    so a refresh must still show that peak; then the forecast the sizing last used."""
    if chain_forecast in peaks:
        return str(chain_forecast)
    if stored is not None and stored.provenance.peak is InputSource.FORECAST and stored.provenance.forecast_id in peaks:
        return str(stored.provenance.forecast_id)
    return ""


def _sizing_inputs() -> dict[str, Any]:
    """The sizing form, opened on the workshop's sizing last used (its tiers, peak and source) or on examples."""
    settings = _ui.chain_settings()
    quantile = settings.quantile
    peaks = _forecast_peaks(quantile)
    found = _ui.newest_doc(SizingDoc, settings.sizing_id)
    stored = found[1] if found else None
    opened = st.session_state.pop(_ui.OPEN_SIZING, None)  # "use this peak for sizing" on the Forecast page
    if opened in peaks:
        st.session_state["size_peak_src"] = opened
        st.session_state.pop(f"size_peak_{opened}", None)
    src = _peak_source(settings.forecast_id if settings.use_forecast else None, stored, peaks)
    _seed({"size_peak_src": src,
           "size_slo": stored.inputs.slo_ms if stored else 150.0,
           "size_pct": stored.inputs.q if stored and stored.inputs.q in PERCENTILES else 0.99,
           "size_cap": stored.inputs.cap * 100 if stored else 70.0, "size_azs": stored.inputs.azs if stored else 3,
           "size_scenario": stored.inputs.scenario if stored else "peak"})
    pick = ""
    if peaks:
        options = ["", *peaks]
        if st.session_state.get("size_peak_src") not in options:
            st.session_state["size_peak_src"] = ""
        pick = st.selectbox(_ui.tr("capacity.sizing.peak_source"), options, key="size_peak_src",
                            format_func=lambda k: _ui.tr("capacity.sizing.peak_typed") if not k else
                            _ui.tr("capacity.sizing.peak_forecast", name=_ui.name_text(peaks[k][2]),
                                   value=_n(peaks[k][0], 0),
                                   unit=peaks[k][1], quantile=quantile.upper()))
    typed = stored.inputs.peak if stored else 2000.0
    # One widget per source: a keyed widget keeps its own value, so a new pick must get a new key to show its peak.
    _seed({f"size_peak_{pick or 'typed'}": peaks[pick][0] if pick else typed})
    usl_row = st.session_state.get(_USL_TIER)
    rows = stored.tier_dicts() if stored is not None and stored.tiers else _example_rows()
    examples = stored is None or not stored.confirmed  # still the examples (typed in or saved unconfirmed)
    if usl_row is not None:
        rows = [*rows, _tier_row(usl_row)]
    base = _tier_frame(rows)
    if stored is not None and stored.provenance.tiers is InputSource.EXAMPLE:
        st.warning(_ui.tr("capacity.sizing.examples_saved"), icon="✏️")
    elif examples:
        st.warning(_ui.tr("capacity.sizing.examples_note"), icon="✏️")
    with st.form("size_form"):
        c1, c2, c3 = st.columns(3)
        c4, c5, c6 = st.columns(3)
        peak = c1.number_input(_ui.tr("capacity.sizing.peak_rps"), min_value=0.001, step=100.0,
                               key=f"size_peak_{pick or 'typed'}", disabled=bool(pick))
        slo_ms = c2.number_input(_ui.tr("capacity.sizing.slo_ms"), min_value=0.001, step=10.0, key="size_slo")
        q = c3.selectbox(_ui.tr("capacity.sizing.percentile"), PERCENTILES, format_func=lambda v: f"P{_pct(v)}",
                         key="size_pct")
        cap = c4.number_input(_ui.tr("capacity.sizing.util_cap"), min_value=1.0, max_value=99.0, step=5.0,
                              key="size_cap")
        azs = c5.number_input(_ui.tr("capacity.sizing.azs"), min_value=1, max_value=10, key="size_azs")
        scenario = c6.text_input(_ui.tr("capacity.sizing.scenario"), max_chars=60, key="size_scenario")
        table = st.data_editor(
            base, num_rows="dynamic", key="size_tiers_" + hashlib.sha256(base.to_json().encode()).hexdigest()[:12],
            hide_index=True, placeholder="—",
            column_config={
                "name": st.column_config.TextColumn(_ui.tr("capacity.sizing.col_name"), max_chars=80),
                "service_ms": st.column_config.NumberColumn(_ui.tr("capacity.sizing.col_service"), min_value=0.001),
                "service_cv": st.column_config.NumberColumn(_ui.tr("capacity.sizing.col_cv"), min_value=0.0,
                                                            max_value=10.0),
                "arrival_cv": st.column_config.NumberColumn(_ui.tr("capacity.sizing.col_arrival_cv"), min_value=0.0,
                                                            max_value=10.0),
                "workers": st.column_config.NumberColumn(_ui.tr("capacity.sizing.col_workers"), min_value=1, step=1),
                "price_per_hour": st.column_config.NumberColumn(_ui.tr("capacity.sizing.col_price"), min_value=0.0),
                "visit_ratio": st.column_config.NumberColumn(_ui.tr("capacity.sizing.col_visits"), min_value=0.001),
                "usl_sigma": st.column_config.NumberColumn("USL σ", min_value=0.0, max_value=1.0, format="%.5f"),
                "usl_kappa": st.column_config.NumberColumn("USL κ", min_value=0.0, format="%.7f"),
                "usl_lambda": st.column_config.NumberColumn("USL λ", min_value=0.0),
            },
        )
        confirm = st.checkbox(_ui.tr("capacity.sizing.confirm_examples"), key="size_confirm") if examples else False
        submitted = st.form_submit_button(_ui.tr("capacity.sizing.run"))
    tier_rows = _rows_of(pd.DataFrame(table))
    still_examples = examples and tier_rows == rows and not confirm
    return {"peak": float(peak), "slo_ms": float(slo_ms), "q": float(q), "cap": cap / 100, "azs": int(azs),
            "scenario": (scenario or "").strip() or "peak", "rows": json.dumps(tier_rows), "tier_rows": tier_rows,
            "submitted": submitted, "forecast_id": pick or None, "quantile": quantile,
            "tiers_source": InputSource.EXAMPLE if still_examples else InputSource.CONFIRMED}


def _save_sizing(inp: dict[str, Any], results: list[SizingResult], rows: list[dict[str, Any]]) -> None:
    """Save the sizing with where each input came from; the chain then follows its peak source."""
    doc = SizingDoc(
        inputs=SizingInputs(peak=inp["peak"], slo_ms=inp["slo_ms"], q=inp["q"], cap=inp["cap"], azs=inp["azs"],
                            scenario=inp["scenario"]),
        tiers=[TierRow.model_validate(r) for r in inp["tier_rows"]],
        provenance=SizingProvenance(peak=InputSource.FORECAST if inp["forecast_id"] else InputSource.TYPED,
                                    forecast_id=inp["forecast_id"],
                                    quantile=inp["quantile"] if inp["forecast_id"] else None,
                                    tiers=inp["tiers_source"]),
        results=[r.model_dump(mode="json") for r in results], rows=rows)
    # never the id of a sizing with another name ("双十一峰值" and "大促峰值" once both became "sizing")
    sid = id_for_name(_ui.page_context().workshop, SizingDoc.KIND, sizing_id(inp["scenario"]), doc.name)
    if _ui.page_context().workshop is None:
        st.info(_ui.tr("capacity.sizing.not_saved"))
        return
    if not _ui.save_doc(doc, sid):
        return
    settings = _ui.chain_settings()
    wanted = settings.model_copy(update={"sizing_id": sid, "use_forecast": bool(inp["forecast_id"]),
                                         "forecast_id": inp["forecast_id"] or settings.forecast_id})
    if wanted == settings or _ui.save_doc(wanted, CHAIN_ID):
        st.success(_ui.tr_user("capacity.sizing.saved", scenario=inp["scenario"]))
        if inp["tiers_source"] is InputSource.EXAMPLE:
            st.warning(_ui.tr("capacity.sizing.examples_saved"), icon="✏️")


def _sizing_table(results: list[SizingResult]) -> pd.DataFrame:
    tr = _ui.tr
    return pd.DataFrame([{
        tr("capacity.sizing.col_name"): r.tier,
        tr("capacity.sizing.res_required"): r.required_instances,
        tr("capacity.sizing.res_az"): r.instances_with_az_loss,
        tr("capacity.sizing.res_per_az"): " / ".join(str(v) for v in r.per_az),
        tr("capacity.sizing.res_binding"): tr(f"capacity.sizing.binding_short.{r.binding.value}") if r.binding
        else tr("capacity.sizing.infeasible"),
        tr("capacity.sizing.res_util"): None if r.utilisation_at_peak is None else round(r.utilisation_at_peak, 3),
        tr("capacity.sizing.res_latency"): None if r.latency_at_peak is None else round(r.latency_at_peak * 1e3, 2),
        tr("capacity.sizing.res_cost"): r.cost_per_hour,
        tr("capacity.sizing.res_cost_az"): r.cost_per_hour_az,
    } for r in results])


def sizing_tab() -> None:
    _ui.show_flash()
    st.caption(_ui.tr("capacity.sizing.intro"))
    inp = _sizing_inputs()
    with _in_user_words():
        number(inp["peak"], "capacity.field.peak_rps", unit="req/s", maximum=MAX_RATE, smallest=MIN_RATE)
        number(inp["slo_ms"], "capacity.field.slo_ms", unit="ms", maximum=MAX_TIME_MS, smallest=MIN_TIME_MS)
    results = _size(inp["rows"], inp["peak"], inp["slo_ms"], inp["q"], inp["cap"], inp["azs"])
    st.dataframe(_sizing_table(results), hide_index=True, placeholder="—")
    lang = _ui.current_language()
    rows = sizing_rows(results, lang)
    for r, row in zip(results, rows, strict=True):
        if r.feasible:  # a statement, not an expression: Streamlit "magic" would st.write() its value
            st.text(row["explanation"])
        else:
            st.warning(_ui.escape_md(row["explanation"]))
        if r.latency_is_mean:
            st.caption(_ui.tr("capacity.sizing.latency_mean_note"))
    if inp["azs"] == 1:
        st.caption(_ui.tr("capacity.sizing.single_az"))
    st.download_button(_ui.tr("capacity.sizing.download"), to_safe_csv(pd.DataFrame(sizing_export_rows(rows, lang))),
                       file_name="sizing.csv", mime="text/csv", key="size_download")
    if inp["submitted"] and not _ui.read_only(_ui.page_context()):  # a viewer sizes what-ifs; nothing is kept
        _save_sizing(inp, results, rows)
    _how([_ui.tr("capacity.sizing.how", pct=_pct(inp["q"]))])


TAB_KEY = _ui.CAPACITY_TAB


def _tab_named(value: object, keys: list[str]) -> str | None:
    """The tab (its catalogue key, ``tab_sizing``) that ``value`` names: its label in any language ("Sizing" or
    the Chinese one) or its stable key ("sizing", "tab_sizing"); None for anything else."""
    if not isinstance(value, str) or not value:
        return None
    for key in keys:
        if value in (key, key.removeprefix("tab_")) or any(value == t(f"capacity.{key}", lang) for lang in LANGUAGES):
            return key
    return None


def _keep_open_tab(keys: list[str], labels: list[str]) -> None:
    """Open the tab the user had (or a link names) in today's language before the tabs are drawn.

    The tabs are bound to ``?capacity_tab=<label>`` and Streamlit accepts only a label of this run, so a language
    switch (the labels change) or a link written in the other language would open the first tab: here the tab is
    found by its label in either language (or its stable key) and set, on each run, by its label in the current one:
    the bound tabs then write it into the URL (Streamlit does so from the run after the tabs were first drawn with
    these labels)."""
    if _ui.OPEN_SIZING in st.session_state:  # sent here by "use this peak for sizing"
        wanted: str | None = "tab_sizing"
    else:  # the session's tab first: the URL the server saw may be older than the user's last click
        wanted = _tab_named(st.session_state.get(TAB_KEY), keys) or _tab_named(st.query_params.get(TAB_KEY), keys)
    if wanted is None:
        st.session_state.pop(TAB_KEY, None)
        return
    st.session_state[TAB_KEY] = labels[keys.index(wanted)]  # a value set in code: the bound tabs write it to the URL


def main() -> None:
    ctx = _ui.page_context()
    st.title(_ui.tr("capacity.title"))
    st.caption(_ui.tr("capacity.intro"))
    _ui.read_only_banner(ctx)
    m = _capacity_models
    bodies = {"tab_queue": queue_tab, "tab_erlang": m.erlang_staffing_tab, "tab_usl": usl_tab,
              "tab_usl_solve": m.usl_backwards_tab, "tab_mva": mva_tab, "tab_closed": m.closed_classes_tab,
              "tab_open": m.open_network_tab, "tab_sizing": sizing_tab}
    labels = [_ui.tr(f"capacity.{key}") for key in bodies]
    _keep_open_tab(list(bodies), labels)
    # The tabs track which one is open, so only its content runs (a tab switch reruns the page); the open tab is
    # in the URL (?capacity_tab=Sizing), so a refresh or a shared link opens the same tab.
    tabs = st.tabs(labels, key=TAB_KEY, on_change="rerun", bind="query-params")
    for tab, body in zip(tabs, bodies.values(), strict=True):
        if tab.open is False:
            continue
        with tab, _ui.boundary():
            body()


main()
