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
from workbench.exports import to_safe_csv
from workbench.fleet import FleetOptions, ServiceSource, discover_services, load_service, read_capacity, run_fleet
from workbench.fleet.analyse import forecast_options
from workbench.fleet.inputs import MAX_CAPACITY_BYTES, service_name
from workbench.fleet.output import problems, summary
from workbench.fleet.ranking import STATUS_ORDER
from workbench.fleet.server_paths import resolve_server_path, server_root
from workbench.fleet.sparkline import sparkline_data_uri
from workbench.fleet.uploads import MAX_UPLOAD_FILES, MAX_UPLOAD_MB, check_upload, sample_files, stage
from workbench.forecast import ModelName, fit_forecast
from workbench.forecast.export import summary as summary_of
from workbench.io import IngestResult, read_load_file
from workbench.workshop.datasets import dataset_id, series_to_document
from workbench.workshop.documents import forecast_id
from workbench.workshop.models import ArtefactKind, WorkshopMeta

_ui.ensure_app_shell()  # pages run inside app.py, also on a fresh server's first deep link

ctx = _ui.page_context()
tr = _ui.tr
_RESULT = "fleet_result"
_FILES = "fleet_files"
_SOURCES = "fleet_sources"
SHOWN = ("rank", "service", "status", "sparkline", "capacity_rps", "peak_point", "peak_p95", "headroom_pct",
         "first_exceed_point", "first_exceed_p95", "growth_pct_per_month", "model", "flags", "error")

st.title(tr("fleet.title"))
st.caption(tr("fleet.intro"))


Inputs = tuple[dict[str, bytes], bytes] | tuple[Path, bytes]


def _server_input(root: Path) -> tuple[Path, bytes] | None:
    """(fleet path, capacity CSV) from paths on the server, inside the allowed root; None until given."""
    st.caption(tr("fleet.server_note", root=str(root)))
    text = st.text_input(tr("fleet.server_path", root=str(root)), key="fleet_server_path", max_chars=1000)
    cap_text = st.text_input(tr("fleet.server_capacity"), key="fleet_server_capacity", max_chars=1000)
    if not text.strip():
        return None
    path = resolve_server_path(text, root)
    cap = resolve_server_path(cap_text, root) if cap_text.strip() else \
        resolve_server_path(str((path if path.is_dir() else path.parent) / "capacity.csv"), root)
    if not cap.is_file():
        raise InputError("errors.fleet.not_found", path=cap.name)
    if cap.stat().st_size > MAX_CAPACITY_BYTES:
        raise InputError("errors.fleet.capacity_too_large", limit_mb=MAX_CAPACITY_BYTES // (1024 * 1024))
    return path, cap.read_bytes()


def _inputs() -> Inputs | None:
    """(history files or a server path, capacity CSV) from the sample, the upload or the server; None until
    both are there.  The server path is offered only when the server allows it (WORKBENCH_FLEET_SERVER_ROOT)."""
    root = server_root()
    choices = ["sample", "upload"] + (["server"] if root is not None else [])
    source = st.radio(tr("fleet.source"), choices, horizontal=True, key="fleet_source",
                      format_func=lambda s: tr(f"fleet.source_{s}"))
    if source == "sample":
        return sample_files()
    if source == "server" and root is not None:
        return _server_input(root)
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


def _run(data: dict[str, bytes] | Path, capacity: bytes, options: FleetOptions) -> pd.DataFrame:
    caps = read_capacity(capacity)
    bar = st.progress(0.0, text=tr("fleet.running", done=0, total=0))

    def progress(done: int, total: int) -> None:
        bar.progress(done / max(total, 1), text=tr("fleet.running", done=done, total=total))

    if isinstance(data, Path):  # a path on the server, already checked against the allowed root
        sources = discover_services(data)
        st.session_state[_SOURCES] = sources
        run = run_fleet(sources, caps, options, progress)
    else:
        with tempfile.TemporaryDirectory(prefix="fleet-") as tmp:
            folder = stage(data, Path(tmp))
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
    view["sparkline"] = [_sparkline(row) for row in shown.to_dict("records")]
    view["flags"] = shown["flags"].map(_flag_labels)
    if "error" in view.columns:
        view["error"] = problems(shown, ctx.lang)  # the problem in words, never its message key
    cfg: dict[str, Any] = {c: st.column_config.Column(tr(f"fleet.col.{c}")) for c in view.columns}
    cfg["sparkline"] = st.column_config.ImageColumn(tr("fleet.col.sparkline"), width="medium")
    for c in ("capacity_rps", "peak_point", "peak_p95", "headroom_pct", "growth_pct_per_month"):
        cfg[c] = st.column_config.NumberColumn(tr(f"fleet.col.{c}"), format="%.1f")
    st.dataframe(view, column_config=cfg, hide_index=True, width="stretch", key="fleet_table",
                 placeholder="—")  # no capacity, not exceeded, failed: a dash, never "None"
    return shown


def _sparkline(row: dict[str, Any]) -> str:
    """History + forecast daily peaks and the capacity line of one row, as an image cell."""
    values = [float(v) for v in (row.get("sparkline") if row.get("sparkline") is not None else [])]
    cap = row.get("capacity_rps")
    raw = row.get("sparkline_history")
    history = int(raw) if raw is not None and pd.notna(raw) else 0
    return sparkline_data_uri(values, history, float(cap) if cap is not None and pd.notna(cap) else None)


def _flag_labels(flags: Any) -> str:
    """Data-quality flag codes ("gaps,outliers") as translated labels."""
    codes = [c for c in str(flags or "").split(",") if c]
    return ", ".join(tr(f"fleet.flag.{c}") for c in codes)


def _service_ingest(service: str, files: dict[str, bytes], options: FleetOptions) -> tuple[IngestResult, str]:
    """(ingest, dataset name) of one service of the last run: from the uploaded files or the server path."""
    name = next((n for n in files if service_name(Path(n)) == service), None)
    if name is not None:
        return read_load_file(files[name], name), name
    sources: list[ServiceSource] = st.session_state.get(_SOURCES) or []
    src = next((s for s in sources if s.service == service), None)
    if src is None:
        raise InputError("errors.fleet.no_rows", service=service)
    return load_service(src, options), (service if src.shared else Path(src.path).name)


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
    ingest, name = _service_ingest(service, files, options)
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
        data, capacity = got
        st.session_state[_RESULT] = _run(data, capacity, _options(horizon, fast))
        st.session_state[_FILES] = data if isinstance(data, dict) else {}
        st.session_state["fleet_options"] = (horizon, fast)
    result: pd.DataFrame | None = st.session_state.get(_RESULT)
    if result is None:
        st.info(tr("fleet.no_run"))
    else:
        st.success(st.session_state.get("fleet_done", ""))
        _table(result)
        st.download_button(tr("fleet.download_csv"), to_safe_csv(summary(result, ctx.lang)),
                           file_name="fleet_summary.csv", mime="text/csv", key="fleet_csv")
        _open_as_workshop(result, st.session_state.get(_FILES, {}),
                          _options(*st.session_state.get("fleet_options", (horizon, fast))))
except WorkbenchError as exc:
    _ui.show_error(exc)
