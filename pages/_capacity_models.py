"""More capacity models for the Capacity page, one tab each (thin: inputs → one core call → figures + how).

Erlang B both ways and staffing (SL, ASA, occupancy, shrinkage); the USL read backwards; an open network
of queues (Jackson); closed-network bounds (ABA + BJB) and multi-class MVA.  Called from
``pages/capacity.py``; each tab runs inside the page's error boundary, so a bad input shows its
translated message.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pages import _ui
from workbench.capacity.bounds import network_bounds
from workbench.capacity.erlang import erlang_b
from workbench.capacity.jackson import solve_open_network
from workbench.capacity.loss import load_for_blocking, servers_for_blocking
from workbench.capacity.models import StationKind
from workbench.capacity.multiclass import multiclass_mva
from workbench.capacity.mva import exact_mva
from workbench.capacity.staffing import staff
from workbench.capacity.tables import classes_from_rows, open_network_from_rows, stations_from_rows
from workbench.capacity.usl import (
    amdahl_concurrency_for,
    usl_at_latency,
    usl_concurrency_for,
    usl_diagnostics,
    usl_peak,
)
from workbench.i18n import format_number

DEFAULT_OPEN = pd.DataFrame(
    {"name": ["web", "app", "db"], "service_ms": [4.0, 10.0, 8.0], "servers": [4, 8, 2],
     "external_rps": [400.0, 0.0, 0.0], "to_web": [0.0, 0.0, 0.0], "to_app": [1.0, 0.0, 0.2],
     "to_db": [0.0, 0.3, 0.0]}
)
DEFAULT_CLOSED = pd.DataFrame({"name": ["cpu", "disk", "lan"], "demand_ms": [50.0, 80.0, 10.0], "servers": [1, 1, 1],
                               "kind": ["queue", "queue", "delay"]})
DEFAULT_CLASSES = pd.DataFrame({"class": ["browse", "buy"], "users": [30, 10], "think_ms": [2000.0, 1000.0],
                                "cpu": [40.0, 90.0], "disk": [60.0, 150.0], "lan": [10.0, 10.0]})


def _n(value: float | None, digits: int | None = None) -> str:
    return format_number(value, _ui.current_language(), digits)


def _how(lines: list[str]) -> None:
    with st.expander(_ui.tr("capacity.how")):
        for line in lines:
            st.text(line)


def erlang_staffing_tab() -> None:
    """Erlang B both ways, then agent/worker staffing with SL, ASA, occupancy and shrinkage."""
    st.caption(_ui.tr("capacity.models.erlang_intro"))
    with st.form("erlang_form"):
        c1, c2, c3 = st.columns(3)
        load = c1.number_input(_ui.tr("capacity.models.load"), min_value=0.001, max_value=1e7, value=10.0,
                               key="eb_load")
        pct = c2.number_input(_ui.tr("capacity.models.blocking_pct"), min_value=0.0001, max_value=99.0, value=1.0,
                              key="eb_pct")
        servers = c3.number_input(_ui.tr("capacity.models.servers"), min_value=1, max_value=10_000_000, value=20,
                                  key="eb_servers")
        st.form_submit_button(_ui.tr("capacity.queue.submit"))
    b = pct / 100
    need = servers_for_blocking(load, b)
    carried = load_for_blocking(int(servers), b)
    cols = list(st.columns(2))
    cols[0].metric(_ui.tr("capacity.models.servers_needed", load=_n(load), pct=f"{pct:g}"), f"{need:,}",
                   help=_ui.tr("capacity.models.achieved", value=_n(erlang_b(need, load) * 100, 3)))
    cols[1].metric(_ui.tr("capacity.models.load_carried", servers=int(servers), pct=f"{pct:g}"), _n(carried))
    _how([_ui.tr("capacity.models.how_erlang")])
    st.divider()
    st.caption(_ui.tr("capacity.models.staff_intro"))
    with st.form("staff_form"):
        c1, c2, c3 = st.columns(3)
        per_hour = c1.number_input(_ui.tr("capacity.models.per_hour"), min_value=0.001, max_value=1e9, value=200.0,
                                   key="st_rate")
        aht = c2.number_input(_ui.tr("capacity.models.aht_s"), min_value=0.001, max_value=1e6, value=180.0,
                              key="st_aht")
        shrink = c3.number_input(_ui.tr("capacity.models.shrinkage_pct"), min_value=0.0, max_value=95.0, value=30.0,
                                 key="st_shrink")
        c4, c5, c6, c7 = st.columns(4)
        sl = c4.number_input(_ui.tr("capacity.models.sl_pct"), min_value=1.0, max_value=99.9, value=80.0, key="st_sl")
        wait = c5.number_input(_ui.tr("capacity.models.wait_s"), min_value=0.0, max_value=1e6, value=20.0,
                               key="st_wait")
        asa = c6.number_input(_ui.tr("capacity.models.asa_s"), min_value=0.0, max_value=1e6, value=0.0, key="st_asa",
                              help=_ui.tr("capacity.models.zero_off"))
        occ = c7.number_input(_ui.tr("capacity.models.occupancy_pct"), min_value=0.0, max_value=100.0, value=85.0,
                              key="st_occ", help=_ui.tr("capacity.models.zero_off"))
        st.form_submit_button(_ui.tr("capacity.queue.submit"))
    res = staff(per_hour / 3600, aht, wait_target=wait, service_level=sl / 100, asa_target=asa or None,
                max_occupancy=(occ / 100) if 0 < occ < 100 else None, shrinkage=shrink / 100)
    cols4 = st.columns(4)
    cols = list(cols4)
    cols[0].metric(_ui.tr("capacity.models.agents"), f"{res.agents:,}",
                   help=_ui.tr(f"capacity.staff.binding.{res.binding.value}"))
    cols[1].metric(_ui.tr("capacity.models.scheduled"), f"{res.scheduled:,}")
    cols[2].metric(_ui.tr("capacity.staff.service_level", wait=_n(wait)), f"{_n((res.service_level or 0) * 100, 1)} %")
    cols[3].metric(_ui.tr("capacity.staff.asa"), _n(res.asa))
    st.info(_ui.tr("capacity.cli.staff", agents=res.agents, scheduled=res.scheduled,
                   binding=_ui.tr(f"capacity.staff.binding.{res.binding.value}"), load=_n(res.offered_load)))
    _how([_ui.tr("capacity.models.how_staff", load=_n(res.offered_load), occ=_n(res.occupancy * 100, 1))])


def usl_backwards_tab() -> None:
    """The USL from known coefficients: peak, latency target, throughput target (exact root), diagnostics."""
    st.caption(_ui.tr("capacity.models.usl_intro"))
    with st.form("usl_solve_form"):
        c1, c2, c3 = st.columns(3)
        sigma = c1.number_input("σ", min_value=0.0, max_value=1.0, value=0.0277, format="%.5f", key="us_sigma")
        kappa = c2.number_input("κ", min_value=0.0, max_value=1.0, value=0.000104, format="%.7f", key="us_kappa")
        lam = c3.number_input(_ui.tr("capacity.field.lambda"), min_value=0.0001, max_value=1e9, value=90.0,
                              key="us_lambda")
        c4, c5, c6 = st.columns(3)
        at = c4.number_input(_ui.tr("capacity.field.concurrency"), min_value=1.0, max_value=1e9, value=64.0,
                             key="us_at")
        latency_ms = c5.number_input(_ui.tr("capacity.models.latency_ms"), min_value=0.001, max_value=1e9, value=100.0,
                                     key="us_lat")
        target = c6.number_input(_ui.tr("capacity.models.target_rps"), min_value=0.001, max_value=1e9, value=1500.0,
                                 key="us_target")
        st.form_submit_button(_ui.tr("capacity.queue.submit"))
    peak_n, peak_x = usl_peak(sigma, kappa, lam)
    d = usl_diagnostics(sigma, kappa, lam, at)
    cols = st.columns(4)
    cols[0].metric(_ui.tr("capacity.usl.peak_n"), _n(peak_n) if peak_n else _ui.tr("capacity.usl.no_peak"))
    cols[1].metric(_ui.tr("capacity.usl.peak_x"), _n(peak_x))
    cols[2].metric(_ui.tr("capacity.models.efficiency", n=_n(at)), f"{_n(d.efficiency * 100, 1)} %")
    cols[3].metric(_ui.tr("capacity.models.throughput_at", n=_n(at)), _n(d.throughput))
    st.info(_ui.tr("capacity.cli.usl_at", n=_n(at), x=_n(d.throughput), r=_n(d.latency * 1e3),
                   eff=_n(d.efficiency * 100), dominant=_ui.tr(f"capacity.usl.dominant.{d.dominant}")))
    got = usl_at_latency(sigma, kappa, lam, latency_ms / 1e3)
    if got is None:
        st.warning(_ui.tr("capacity.cli.usl_latency_impossible", target=_n(latency_ms), floor=_n(1e3 / lam)))
    else:
        st.info(_ui.tr("capacity.cli.usl_latency", target=_n(latency_ms), n=_n(got[0]), x=_n(got[1])))
    n_exact = usl_concurrency_for(sigma, kappa, lam, target)
    if n_exact is None:
        st.warning(_ui.tr("capacity.usl.target_above_peak", target=_n(target), peak=_n(peak_x)))
    else:
        amdahl = amdahl_concurrency_for(sigma, lam, target)
        st.info(_ui.tr("capacity.models.target_exact", target=_n(target), n=_n(n_exact),
                       amdahl=_n(amdahl) if amdahl else "—"))
    _how([_ui.tr("capacity.models.how_usl")])


def open_network_tab() -> None:
    """Jackson network from an editable table: stations with external arrivals and routing columns."""
    st.caption(_ui.tr("capacity.models.open_intro"))
    frame = st.data_editor(DEFAULT_OPEN, num_rows="dynamic", key="open_net", width="stretch")
    stations, routing = open_network_from_rows(frame.to_dict("records"))
    res = solve_open_network(stations, routing)
    table = pd.DataFrame({
        _ui.tr("capacity.mva.col_name"): res.station_names,
        _ui.tr("capacity.models.col_visits"): res.visits,
        _ui.tr("capacity.models.col_rate"): res.arrival_rates,
        _ui.tr("capacity.mva.col_util"): [q.utilisation for q in res.queues],
        _ui.tr("capacity.models.col_response"): [None if q.mean_response is None else q.mean_response * 1e3
                                                 for q in res.queues],
        _ui.tr("capacity.queue.prob_empty"): [q.prob_empty for q in res.queues],
    })
    st.dataframe(table, hide_index=True, width="stretch")
    if res.stable:
        st.info(_ui.tr("capacity.cli.network_total", r=_n((res.mean_response or 0) * 1e3), name=res.bottleneck,
                       scale=_n(res.max_scale)))
    else:
        st.error(_ui.tr("capacity.cli.network_unstable", name=res.bottleneck))
    _how([_ui.tr("capacity.models.how_open")])


def closed_classes_tab() -> None:
    """All the bounds of a closed network against exact MVA, then several user classes."""
    st.caption(_ui.tr("capacity.models.bounds_intro"))
    frame = st.data_editor(DEFAULT_CLOSED, num_rows="dynamic", key="closed_net", width="stretch")
    c1, c2 = st.columns(2)
    users = int(c1.number_input(_ui.tr("capacity.mva.users"), min_value=1, max_value=10_000, value=50, key="cb_users"))
    think = c2.number_input(_ui.tr("capacity.mva.think_ms"), min_value=0.0, max_value=1e9, value=1000.0, key="cb_z")
    stations = stations_from_rows(frame.to_dict("records"))
    pops = sorted({1, max(1, users // 4), max(1, users // 2), users})
    res = exact_mva(stations, users, think / 1e3)
    b = network_bounds(stations, pops, think / 1e3)
    rows = []
    for i, n in enumerate(b.populations):
        row = {_ui.tr("capacity.mva.axis_users"): n, _ui.tr("capacity.models.col_x_exact"): res.throughput[n - 1],
               _ui.tr("capacity.models.col_aba"): f"{_n(b.x_lower_aba[i])} – {_n(b.x_upper_aba[i])}"}
        if b.balanced and b.x_lower_bjb is not None and b.x_upper_bjb is not None:
            row[_ui.tr("capacity.models.col_bjb")] = f"{_n(b.x_lower_bjb[i])} – {_n(b.x_upper_bjb[i])}"
        rows.append(row)
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    if not b.balanced:
        st.caption(_ui.tr("capacity.models.bjb_single_only"))
    _how([_ui.tr("capacity.models.how_bounds")])
    st.divider()
    st.caption(_ui.tr("capacity.models.classes_intro"))
    classes = st.data_editor(DEFAULT_CLASSES, num_rows="dynamic", key="classes", width="stretch")
    specs = classes_from_rows(classes.to_dict("records"), [s.name for s in stations])
    if any(s.servers > 1 for s in stations if s.kind is StationKind.QUEUE):
        st.warning(_ui.tr("errors.capacity.classes_single_server"))
        return
    mc = multiclass_mva(specs, [s.name for s in stations], [s.kind for s in stations])
    st.dataframe(pd.DataFrame({
        _ui.tr("capacity.models.col_class"): mc.class_names,
        _ui.tr("capacity.models.col_rate"): mc.throughput,
        _ui.tr("capacity.models.col_response"): [r * 1e3 for r in mc.response_time],
    }), hide_index=True, width="stretch")
    _how([_ui.tr("capacity.models.how_classes")])
