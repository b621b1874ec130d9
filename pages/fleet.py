"""Fleet radar page: upload a fleet (or take the sample), run the radar on Dask, rank, open one as a workshop."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from pages import _ui
from workbench.errors import InputError, WorkbenchError
from workbench.fleet import FleetOptions, discover_services, read_capacity, run_fleet
from workbench.fleet.analyse import forecast_options
from workbench.fleet.inputs import service_name
from workbench.fleet.output import summary
from workbench.fleet.ranking import STATUS_ORDER
from workbench.fleet.uploads import MAX_UPLOAD_FILES, MAX_UPLOAD_MB, check_upload, sample_files, stage
from workbench.forecast import ModelName, fit_forecast
from workbench.forecast.export import summary as summary_of
from workbench.io import read_load_file
from workbench.workshop.datasets import dataset_id, series_to_document
from workbench.workshop.documents import forecast_id
from workbench.workshop.models import ArtefactKind, WorkshopMeta

_ui.ensure_app_shell()  # pages run inside app.py, also on a fresh server's first deep link

ctx = _ui.page_context()
tr = _ui.tr
_RESULT = "fleet_result"
_FILES = "fleet_files"
SHOWN = ("rank", "service", "status", "sparkline", "capacity_rps", "peak_point", "peak_p95", "headroom_pct",
         "first_exceed_point", "first_exceed_p95", "growth_pct_per_month", "model", "flags", "error")

st.title(tr("fleet.title"))
st.caption(tr("fleet.intro"))


def _inputs() -> tuple[dict[str, bytes], bytes | None] | None:
    """(history files, capacity CSV) from the sample or the upload; None until both are there."""
    source = st.radio(tr("fleet.source"), ["sample", "upload"], horizontal=True, key="fleet_source",
                      format_func=lambda s: tr(f"fleet.source_{s}"))
    if source == "sample":
        return sample_files()
    st.caption(tr("fleet.upload_limit", files=MAX_UPLOAD_FILES, mb=MAX_UPLOAD_MB))
    uploads = st.file_uploader(tr("fleet.upload_histories"), accept_multiple_files=True, key="fleet_upload",
                               type=["csv", "gz", "parquet", "xlsx", "json"])
    cap = st.file_uploader(tr("fleet.upload_capacity"), type=["csv"], key="fleet_capacity")
    if not uploads:
        return None
    files = {u.name: u.getvalue() for u in uploads}
    check_upload(files)
    if cap is None:
        st.info(tr("fleet.need_capacity"))
        return None
    return files, cap.getvalue()


def _options(horizon_days: int, fast: bool) -> FleetOptions:
    """In-process workers (threads): no process spawn inside the web server; a remote cluster if configured."""
    return FleetOptions(
        horizon=dt.timedelta(days=horizon_days), processes=False, workers=min(2, os.cpu_count() or 1),
        **({"candidates": (ModelName.SEASONAL,)} if fast else {}),
    )


def _run(files: dict[str, bytes], capacity: bytes, options: FleetOptions) -> pd.DataFrame:
    caps = read_capacity(capacity)
    bar = st.progress(0.0, text=tr("fleet.running", done=0, total=len(files)))

    def progress(done: int, total: int) -> None:
        bar.progress(done / max(total, 1), text=tr("fleet.running", done=done, total=total))

    with tempfile.TemporaryDirectory(prefix="fleet-") as tmp:
        folder = stage(files, Path(tmp))
        run = run_fleet(discover_services(folder), caps, options, progress)
    bar.empty()
    counts = run.table["status"].value_counts()
    st.session_state["fleet_done"] = tr("fleet.done", total=len(run.table), workers=run.workers,
                                        failed=int(counts.get("failed", 0)), breach=int(counts.get("breach", 0)),
                                        at_risk=int(counts.get("at_risk", 0)))
    return run.table


def _table(table: pd.DataFrame) -> pd.DataFrame:
    """The ranked table filtered by status and service name."""
    c1, c2 = st.columns([2, 1])
    statuses = [s for s in STATUS_ORDER if s in set(table["status"])]
    picked = c1.multiselect(tr("fleet.filter_status"), statuses, default=statuses, key="fleet_status",
                            format_func=_ui.labeller("fleet.status."))
    search = c2.text_input(tr("fleet.filter_search"), key="fleet_search", max_chars=100)
    shown = table[table["status"].isin(picked)]
    if search.strip():
        shown = shown[shown["service"].str.contains(search.strip(), case=False, regex=False)]
    view = shown[[c for c in SHOWN if c in shown.columns]].copy()
    view["status"] = view["status"].map(_ui.labeller("fleet.status."))
    view["sparkline"] = view["sparkline"].map(lambda v: list(v) if v is not None else [])
    cfg: dict[str, Any] = {c: st.column_config.Column(tr(f"fleet.col.{c}")) for c in view.columns}
    cfg["sparkline"] = st.column_config.LineChartColumn(tr("fleet.col.sparkline"))
    for c in ("capacity_rps", "peak_point", "peak_p95", "headroom_pct", "growth_pct_per_month"):
        cfg[c] = st.column_config.NumberColumn(tr(f"fleet.col.{c}"), format="%.1f")
    st.dataframe(view, column_config=cfg, hide_index=True, width="stretch", key="fleet_table")
    return shown


def _open_as_workshop(table: pd.DataFrame, files: dict[str, bytes], options: FleetOptions) -> None:
    """Create a workshop holding one service's cleaned history and its base forecast, and open it.

    The forecast is refitted for this one service with the run's options (the radar keeps rows, not
    fits), so the workshop gets exactly what the Forecast page would save.
    """
    ok = table[table["status"] != "failed"]["service"].tolist()
    if not ok:
        return
    c1, c2 = st.columns([2, 1])
    service = c1.selectbox(tr("fleet.open_pick"), ok, key="fleet_open_pick")
    if not c2.button(tr("fleet.open_button"), key="fleet_open"):
        return
    name = next((n for n in files if service_name(Path(n)) == service), None)
    if name is None:
        raise InputError("errors.fleet.no_rows", service=service)
    ingest = read_load_file(files[name], name)
    notes = [{"key": n.key, "params": n.params} for n in ingest.report.notes]
    doc = series_to_document(ingest.series.rename(service), name, notes)
    title = tr("fleet.open_title", service=service)[:200]
    fit = fit_forecast(ingest.series, forecast_options(options), series_name=service)
    ws = ctx.store.create(WorkshopMeta(title=title, language=ctx.lang))
    version = ctx.store.put_artefact(ws.id, ws.version, ArtefactKind.DATASET, dataset_id(name), doc)
    ctx.store.put_artefact(ws.id, version, ArtefactKind.FORECAST, forecast_id(service, "base"),
                           {"peak": fit.base.peak.model_dump(mode="json"), "summary": summary_of(fit, ingest.series)})
    _ui.open_workshop(ws.id)
    st.success(_ui.tr_user("fleet.opened", title=title, service=service))


try:
    got = _inputs()
    c1, c2 = st.columns(2)
    horizon = int(c1.number_input(tr("fleet.horizon_days"), min_value=1, max_value=365, value=30, step=1,
                                  key="fleet_horizon"))
    fast = c2.checkbox(tr("fleet.fast_mode"), key="fleet_fast", help=tr("fleet.fast_help"))
    st.caption(tr("fleet.engine_note"))
    if got is not None and st.button(tr("fleet.run"), type="primary", key="fleet_run"):
        files, capacity = got
        assert capacity is not None
        st.session_state[_RESULT] = _run(files, capacity, _options(horizon, fast))
        st.session_state[_FILES] = files
        st.session_state["fleet_options"] = (horizon, fast)
    result: pd.DataFrame | None = st.session_state.get(_RESULT)
    if result is None:
        st.info(tr("fleet.no_run"))
    else:
        st.success(st.session_state.get("fleet_done", ""))
        _table(result)
        st.download_button(tr("fleet.download_csv"), summary(result).to_csv(index=False).encode("utf-8"),
                           file_name="fleet_summary.csv", mime="text/csv", key="fleet_csv")
        _open_as_workshop(result, st.session_state.get(_FILES, {}),
                          _options(*st.session_state.get("fleet_options", (horizon, fast))))
except WorkbenchError as exc:
    _ui.show_error(exc)
