"""Forecast page: data → backtest and forecast → scenarios → peak saved for capacity sizing (thin: calls the core)."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from pages import _ui
from workbench.errors import WorkbenchError
from workbench.forecast import (
    Event,
    EventKind,
    ForecastOptions,
    ForecastResult,
    ModelName,
    Scenario,
    fit_forecast,
    with_scenarios,
)
from workbench.forecast.export import forecast_csv, summary
from workbench.forecast.holidays import supported_countries
from workbench.i18n import format_date, format_number, t_or
from workbench.io import Aggregation, GapPolicy, IngestOptions, MessageRef, note_text, read_load_file
from workbench.workshop.datasets import dataset_id, document_to_series, series_to_document
from workbench.workshop.documents import (
    CHAIN_ID,
    FORECAST_DRAFT_ID,
    DatasetDoc,
    DraftDoc,
    ForecastDoc,
    ForecastInputs,
    ForecastSettings,
    forecast_id,
    id_for_name,
)

_ui.ensure_app_shell()  # pages run inside app.py, also on a fresh server's first deep link

FULL_RES_DAYS = 21
MAX_CHART_POINTS = 2400


SAMPLE_FILE = Path(__file__).resolve().parents[1] / "sample_data" / "ecommerce_qps_5min.csv"
FREQS = ("", "1min", "5min", "15min", "30min", "1h")
TIMEZONES = ("Asia/Shanghai", "UTC", "Asia/Hong_Kong", "Asia/Singapore", "Asia/Tokyo", "Europe/London",
             "America/New_York")


@st.cache_data(show_spinner=False, max_entries=8)
def _ingest(
    data: bytes | None, name: str, options: dict[str, Any]
) -> tuple[pd.Series, list[tuple[str, dict[str, Any]]], list[str]]:
    """Read and clean the file (the sample when ``data`` is None) with the user's overrides."""
    opts = IngestOptions.model_validate(options)
    res = read_load_file(SAMPLE_FILE.read_bytes(), SAMPLE_FILE.name, opts) if data is None \
        else read_load_file(data, name, opts)
    return res.series, [(n.key, n.params) for n in res.report.notes], list(res.columns)


@st.cache_data(show_spinner=False, max_entries=8, hash_funcs={DatasetDoc: lambda d: d.digest})
def _kept_series(artefact_id: str, updated_at: str, doc: DatasetDoc) -> pd.Series:
    """A dataset kept in the workshop, as a series (cached per artefact version)."""
    del artefact_id, updated_at  # cache key
    return document_to_series(doc)


def _keep_dataset(ctx: _ui.PageContext, series: pd.Series, name: str,
                  notes: list[tuple[str, dict[str, Any]]], reading: dict[str, Any]) -> str | None:
    """An uploaded history is kept in the open workshop at once (the cleaned series, not the file); its id."""
    if ctx.workshop is None:
        st.caption(_ui.tr("forecast.dataset_no_workshop"))
        return None
    art_id = dataset_id(name)
    doc = DatasetDoc.model_validate(series_to_document(series, name, [{"key": k, "params": p} for k, p in notes]))
    doc = doc.model_copy(update={"reading": reading})
    stored = _ui.read_doc(DatasetDoc, art_id)
    if (stored is not None and stored.digest == doc.digest) or _ui.save_doc(doc, art_id):
        st.caption(_ui.tr_user("forecast.dataset_kept", name=art_id))
        return art_id
    return None


def _seed(values: dict[str, Any]) -> None:
    """Give widgets that have no value in this session (first visit, after leaving the page, a refresh) the
    value the workshop holds: what the user last chose shows again."""
    for key, value in values.items():
        if key not in st.session_state:
            st.session_state[key] = value


def _seed_reading(reading: dict[str, Any] | None, columns: list[str]) -> None:
    r = IngestOptions.model_validate(reading or {})
    _seed({"ing_values": [c for c in (r.value_columns or []) if c in columns], "ing_time": r.time_column or "",
           "ing_tz": r.timezone if r.timezone in TIMEZONES else TIMEZONES[0],
           "ing_freq": r.freq if r.freq in FREQS else "", "ing_agg": r.aggregation.value, "ing_gaps": r.gaps.value,
           "ing_outliers": r.remove_outliers})


def _ingest_options(columns: list[str], reading: dict[str, Any] | None) -> dict[str, Any]:
    """Overrides of what the reader detected: value column(s), time column, timezone, interval, gaps, outliers."""
    t = _ui.tr
    _seed_reading(reading, columns)
    with st.expander(t("forecast.ingest_options")):
        c1, c2, c3 = st.columns(3)
        values = c1.multiselect(t("forecast.opt_values"), columns, default=[], key="ing_values",
                                help=t("forecast.opt_values_help"))
        time_col = c2.text_input(t("forecast.opt_time"), key="ing_time", max_chars=120, help=t("forecast.opt_auto"))
        tz = c3.selectbox(t("forecast.opt_timezone"), TIMEZONES, key="ing_tz")
        c4, c5, c6 = st.columns(3)
        freq = c4.selectbox(t("forecast.opt_freq"), FREQS, key="ing_freq",
                            format_func=lambda f: f or t("forecast.opt_auto"))
        agg = c5.selectbox(t("forecast.opt_aggregation"), [a.value for a in Aggregation], key="ing_agg",
                           format_func=_ui.labeller("forecast.agg."))
        gaps = c6.selectbox(t("forecast.opt_gaps"), [g.value for g in GapPolicy], key="ing_gaps",
                            format_func=_ui.labeller("forecast.gaps."))
        remove = st.checkbox(t("forecast.opt_remove_outliers"), key="ing_outliers",
                             help=t("forecast.opt_outliers_help"))
    return IngestOptions(value_columns=values or None, time_column=time_col.strip() or None, timezone=tz,
                         freq=freq or None, aggregation=agg, gaps=gaps,
                         remove_outliers=remove).model_dump(mode="json", exclude_defaults=True)


@st.cache_data(show_spinner=False, max_entries=8)
def _fit(series: pd.Series, options: dict[str, Any], name: str, _done: ForecastResult | None = None) -> ForecastResult:
    """The expensive part (backtest, fit, calibration): rerun only when the data or model options change.

    ``_done`` (not part of the cache key) stores a result computed outside the cache, with progress."""
    if _done is not None:
        return _done
    return fit_forecast(series, ForecastOptions.model_validate(options), series_name=name)


def _fit_with_progress(series: pd.Series, options: dict[str, Any], name: str) -> None:
    """Fit with a progress bar the first time these inputs are seen, then hand the result to the cache.

    (A Streamlit element must not be updated from inside a cached function, so the fit runs outside.)"""
    key = f"{int(pd.util.hash_pandas_object(series).sum())}|{sorted(options.items())}|{name}"
    seen: set[str] = st.session_state.setdefault("fc_fitted", set())
    if key in seen:
        return
    bar = st.progress(0.0)
    result = fit_forecast(series, ForecastOptions.model_validate(options), series_name=name,
                          progress=lambda done: bar.progress(min(1.0, done)))
    bar.empty()
    _fit(series, options, name, _done=result)
    seen.add(key)


@st.cache_data(show_spinner=False, max_entries=32)
def _forecast(series: pd.Series, options: dict[str, Any], scenarios: list[dict[str, Any]], name: str) -> ForecastResult:
    """Scenarios on top of the cached fit: editing growth or events costs milliseconds."""
    return with_scenarios(_fit(series, options, name), [Scenario.model_validate(s) for s in scenarios],
                          ForecastOptions.model_validate(options))


def _thin(frame: pd.DataFrame, how: str) -> pd.DataFrame:
    """Coarsen to at most MAX_CHART_POINTS rows (max for load, so peaks stay visible)."""
    rule = pd.Timedelta(hours=1)
    while len(frame) > MAX_CHART_POINTS:
        frame = frame.resample(rule).agg(how).dropna(how="all")
        rule *= 2
    return frame


def _history_for_chart(series: pd.Series) -> pd.DataFrame:
    cut = series.index[-1] - pd.Timedelta(days=FULL_RES_DAYS)
    old = series[series.index <= cut].resample("1h").max()
    recent = series[series.index > cut].to_frame("value")
    return pd.concat([_thin(old.to_frame("value"), "max"), _thin(recent, "max")])


def _chart(series: pd.Series, result: ForecastResult, scenario: str) -> alt.LayerChart:
    hist = _history_for_chart(series).reset_index(names="time")
    hist["time"] = hist["time"].dt.tz_localize(None)
    frame = result.scenarios[scenario].frame[["forecast", "lo95", "hi95", "lo80", "hi80"]]
    fc = _thin(frame, "max").reset_index(names="time")
    fc["time"] = fc["time"].dt.tz_localize(None)
    x = alt.X("time:T", title=_ui.tr("forecast.col.time"))
    zoom = alt.selection_interval(bind="scales", encodings=["x"])
    layers = [
        alt.Chart(fc).mark_area(opacity=0.18).encode(x=x, y="lo95:Q", y2="hi95:Q"),
        alt.Chart(fc).mark_area(opacity=0.3).encode(x=x, y="lo80:Q", y2="hi80:Q"),
        alt.Chart(hist).mark_line(color="#666", strokeWidth=1).encode(
            x=x, y=alt.Y("value:Q", title=_ui.tr("forecast.col.value"))),
        alt.Chart(fc).mark_line(strokeWidth=1.5).encode(x=x, y="forecast:Q"),
    ]
    events = result.scenarios[scenario].scenario.events
    if events:
        marks = pd.DataFrame({"time": [pd.Timestamp(e.start).tz_localize(None) if pd.Timestamp(e.start).tz
                                       else pd.Timestamp(e.start) for e in events], "name": [e.name for e in events]})
        layers.append(alt.Chart(marks).mark_rule(color="#d62728", strokeDash=[4, 3]).encode(x=x, tooltip="name:N"))
    return alt.layer(*layers).add_params(zoom).properties(height=360)


def _component_label(name: str) -> str:
    """A model component's display name ('daily' → 'Daily shape'); unknown names are shown as they are."""
    return t_or(f"forecast.component.{name}", name, _ui.current_language())


def _components_chart(result: ForecastResult) -> alt.Chart | None:
    comps = result.components
    if comps is None:
        return None
    comps = comps.iloc[: min(len(comps), 14 * int(pd.Timedelta(days=1) / result.step))]
    long = _thin(comps, "mean").reset_index(names="time").melt("time", var_name="component", value_name="value")
    long["time"] = long["time"].dt.tz_localize(None)
    long["component"] = long["component"].map(_component_label)
    return alt.Chart(long).mark_line().encode(
        x=alt.X("time:T", title=_ui.tr("forecast.col.time")), y=alt.Y("value:Q", title=_ui.tr("forecast.col.value")),
        color=alt.Color("component:N", title=_ui.tr("forecast.col.component")),
    ).properties(height=220).interactive(bind_y=False)


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(float(value), digits)


def _scores_table(result: ForecastResult) -> pd.DataFrame:
    rows = []
    for s in result.scores:
        rows.append(
            {
                _ui.tr("forecast.col.model"): _ui.tr(f"forecast.model.{s.model.value}")
                + (" ✓" if s.model == result.model else ""),
                _ui.tr("forecast.col.mase"): _round(s.mase, 3),
                _ui.tr("forecast.col.smape"): _round(s.smape, 2),
                _ui.tr("forecast.col.coverage95"): _round(s.coverage95, 3),
                _ui.tr("forecast.col.peak_error"): _round(s.peak_error_pct, 2),
                _ui.tr("forecast.col.fit_seconds"): _round(s.fit_seconds, 3),
                _ui.tr("forecast.col.status"): _ui.tr(s.skipped, **s.skipped_params) if s.skipped else "",
            }
        )
    return pd.DataFrame(rows)


EVENT_COLUMNS = ("name", "start", "end", "kind", "value")


def _events_from_editor(table: pd.DataFrame) -> tuple[Event, ...]:
    events = []
    for row in table.dropna(subset=["name", "start", "end", "value"]).to_dict("records"):
        kind = EventKind.UPLIFT if row.get("kind") == "+" else EventKind.MULTIPLIER
        events.append(Event(name=str(row["name"]), start=pd.Timestamp(row["start"]).to_pydatetime(),
                            end=pd.Timestamp(row["end"]).to_pydatetime(), kind=kind, value=float(row["value"])))
    return tuple(events)


def _events_frame(events: tuple[Event, ...]) -> pd.DataFrame:
    """The editor's table of the stored events (local wall-clock times, as the user typed them)."""
    def local(value: dt.datetime) -> pd.Timestamp:
        ts = pd.Timestamp(value)
        return ts.tz_localize(None) if ts.tz is not None else ts

    return pd.DataFrame({
        "name": pd.Series([e.name for e in events], dtype="object"),
        "start": pd.Series([local(e.start) for e in events], dtype="datetime64[ns]"),
        "end": pd.Series([local(e.end) for e in events], dtype="datetime64[ns]"),
        "kind": pd.Series(["+" if e.kind is EventKind.UPLIFT else "×" for e in events], dtype="object"),
        "value": pd.Series([e.value for e in events], dtype="float64"),
    })


def _digest(frame: pd.DataFrame) -> str:
    return hashlib.sha256(frame.to_json(date_format="iso").encode("utf-8")).hexdigest()[:12]


def _inputs(series: pd.Series, stored: ForecastInputs) -> tuple[ForecastSettings, Scenario]:
    """The forecast form, opened on the workshop's last inputs; returns what it holds now."""
    st.subheader(_ui.tr("forecast.settings_header"))
    names = ["auto", *[m.value for m in ModelName]]
    _seed({"fc_horizon": stored.settings.horizon_days,
           "fc_model": stored.settings.model if stored.settings.model in names else "auto",
           "fc_holidays": stored.settings.holiday_country, "fc_thorough": stored.settings.thorough,
           "fc_scen_name": stored.scenario.name, "fc_growth": float(stored.scenario.growth_pct_per_month)})
    base = _events_frame(stored.scenario.events)
    # The editor's key follows the stored events: once an edit is saved, a fresh editor shows the saved table
    # (an editor keeps its edits as a diff on its data, which must never be applied to a newer table).
    editor_key = "events_editor_" + _digest(base)
    with st.form("forecast_form"):
        c1, c2, c3 = st.columns(3)
        horizon = c1.number_input(_ui.tr("forecast.horizon_days"), min_value=1, max_value=548, step=1,
                                  key="fc_horizon")
        model = c2.selectbox(_ui.tr("forecast.model_choice"), names, key="fc_model", format_func=lambda m: _ui.tr(
            "forecast.model_auto") if m == "auto" else _ui.tr(f"forecast.model.{m}"))
        countries = ["CN", "none", *[c for c in supported_countries() if c != "CN"]]
        holidays = c3.selectbox(_ui.tr("forecast.holiday_country"), countries, key="fc_holidays",
                                help=_ui.tr("forecast.holiday_country_help"),
                                format_func=lambda c: _ui.tr(f"forecast.holidays_{c.lower()}") if c in ("CN", "none")
                                else c)
        thorough = c3.checkbox(_ui.tr("forecast.thorough"), key="fc_thorough", help=_ui.tr("forecast.thorough_help"))
        st.markdown(f"**{_ui.tr('forecast.scenario_header')}**")
        st.caption(_ui.tr("forecast.scenario_help"))
        s1, s2 = st.columns([1, 2])
        scen_name = s1.text_input(_ui.tr("forecast.scenario_name"), max_chars=60, key="fc_scen_name")
        growth = s2.slider(_ui.tr("forecast.growth"), min_value=-20.0, max_value=50.0, step=0.5, key="fc_growth")
        table = st.data_editor(base, num_rows="dynamic", key=editor_key, column_config={
            "name": st.column_config.TextColumn(_ui.tr("forecast.event_name"), max_chars=80),
            "start": st.column_config.DatetimeColumn(_ui.tr("forecast.event_start")),
            "end": st.column_config.DatetimeColumn(_ui.tr("forecast.event_end")),
            "kind": st.column_config.SelectboxColumn(_ui.tr("forecast.event_kind"), options=["×", "+"]),
            "value": st.column_config.NumberColumn(_ui.tr("forecast.event_value"), min_value=0.0),
        })
        st.form_submit_button(_ui.tr("forecast.run"), type="primary")
    settings = ForecastSettings(horizon_days=int(horizon), model=str(model), holiday_country=str(holidays),
                                thorough=bool(thorough))
    name = (scen_name or "").strip() or "scenario"
    scenario = Scenario(name=name if name != "base" else "scenario", growth_pct_per_month=float(growth),
                        events=_events_from_editor(pd.DataFrame(table)))
    return settings, scenario


def _engine_inputs(settings: ForecastSettings, scenario: Scenario) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The cached engine calls' arguments: forecast options and the scenario list (none when it changes nothing)."""
    options = ForecastOptions(horizon=dt.timedelta(days=settings.horizon_days),
                              model=None if settings.model == "auto" else ModelName(settings.model),
                              holiday_country=None if settings.holiday_country == "none" else settings.holiday_country,
                              thorough=settings.thorough).model_dump(mode="json")
    scenarios = [scenario.model_dump(mode="json")] if scenario.events or scenario.growth_pct_per_month else []
    return options, scenarios


@st.cache_data(show_spinner=False, max_entries=16)
def _chart_specs(series: pd.Series, options: dict[str, Any], scenarios: list[dict[str, Any]], name: str,
                 scenario: str, lang: str) -> tuple[dict[str, Any], dict[str, Any] | None, bytes]:
    """Vega-Lite specs of the main and components charts and the CSV, built once per input (a rerun only
    re-sends them: encoding thousands of points with Altair on every widget click is what made it slow)."""
    del lang  # part of the cache key: axis titles are translated
    result = _forecast(series, options, scenarios, name)
    comps = _components_chart(result)
    return (_chart(series, result, scenario).to_dict(), None if comps is None else comps.to_dict(),
            forecast_csv(result))


def _local_time(value: Any) -> str:
    return pd.Timestamp(value).strftime("%Y-%m-%d %H:%M")


def _comparison_table(result: ForecastResult) -> pd.DataFrame:
    """Scenarios side by side, rounded and with translated headers (a customer reads this table)."""
    table = result.comparison()
    c = "forecast.col."
    return pd.DataFrame({
        _ui.tr(c + "scenario"): table["scenario"],
        _ui.tr(c + "growth"): table["growth_pct_per_month"].round(1),
        _ui.tr(c + "events"): table["events"],
        _ui.tr(c + "point"): table["peak_point"].round(0),
        _ui.tr(c + "p80"): table["peak_p80"].round(0),
        _ui.tr(c + "p95"): table["peak_p95"].round(0),
        _ui.tr(c + "peak_time"): table["peak_time"].map(_local_time),
    })


def _daily_table(daily: pd.DataFrame) -> pd.DataFrame:
    """Daily peaks: day, time, point, P80, P95, 95 % high, rounded."""
    c = "forecast.col."
    return pd.DataFrame({
        _ui.tr(c + "day"): [str(d) for d in daily.index],
        _ui.tr(c + "peak_time"): daily["peak_time"].map(_local_time).to_numpy(),
        _ui.tr(c + "point"): daily["point"].round(0).to_numpy(),
        _ui.tr(c + "p80"): daily["p80"].round(0).to_numpy(),
        _ui.tr(c + "p95"): daily["p95"].round(0).to_numpy(),
        _ui.tr(c + "hi95"): daily["hi95"].round(0).to_numpy(),
    })


def _use_for_sizing(series: pd.Series, result: ForecastResult, scenario: str, inputs: ForecastInputs) -> None:
    """Save the forecast (with what produced it), make it the chain's forecast, and open Capacity → Sizing on it."""
    ctx = _ui.page_context()
    if ctx.workshop is None:
        st.warning(_ui.tr("forecast.no_workshop"))
        return
    doc = ForecastDoc(peak=result.scenarios[scenario].peak, summary=summary(result, series),
                      inputs=inputs.model_copy(update={"chosen": scenario}))
    # never the id of a forecast with another name ("双十一" and "大促" once both became "qps")
    fid = id_for_name(ctx.workshop, ForecastDoc.KIND, forecast_id(result.series_name, scenario), doc.name)
    if not _ui.save_doc(doc, fid):
        return
    settings = _ui.chain_settings()
    wanted = settings.model_copy(update={"forecast_id": fid, "use_forecast": True})
    if wanted != settings and not _ui.save_doc(wanted, CHAIN_ID):
        return
    _ui.open_sizing_with_forecast(fid, _ui.tr_user("forecast.saved", scenario=scenario))


def _results(series: pd.Series, result: ForecastResult, key: tuple[dict[str, Any], list[dict[str, Any]], str],
             inputs: ForecastInputs) -> None:
    st.success(_ui.tr("forecast.chosen_model", model=_ui.tr(f"forecast.model.{result.model.value}")))
    for note_key, note_params in result.notes:
        st.info(_ui.tr_user(note_key, **note_params))
    names = list(result.scenarios)
    scenario = st.selectbox(_ui.tr("forecast.scenario_for_sizing"), names, key="fc_chosen")
    st.subheader(_ui.tr("forecast.chart_header"))
    st.caption(_ui.tr("forecast.chart_caption"))
    main_spec, comps_spec, csv_bytes = _chart_specs(series, *key, scenario, _ui.current_language())
    st.vega_lite_chart(main_spec, width="stretch")
    if comps_spec is not None:
        st.subheader(_ui.tr("forecast.components_header"))
        st.caption(_ui.tr("forecast.components_caption"))
        st.vega_lite_chart(comps_spec, width="stretch")
    st.subheader(_ui.tr("forecast.backtest_header"))
    st.caption(_ui.tr("forecast.backtest_caption", folds=max(s.folds for s in result.scores)))
    st.dataframe(_scores_table(result), hide_index=True, placeholder="—")  # a model not run has no scores
    st.subheader(_ui.tr("forecast.compare_header"))
    st.dataframe(_comparison_table(result), hide_index=True, placeholder="—")
    chosen = result.scenarios[scenario]
    p = chosen.peak
    lang = _ui.current_language()
    st.text(_ui.tr("forecast.peak_summary", scenario=p.scenario, point=format_number(p.peak.point, lang, 0),
                   unit=p.unit or _ui.tr("report.unit_rps"), day=format_date(p.peak_day, lang),
                   p80=format_number(p.peak.p80, lang, 0), p95=format_number(p.peak.p95, lang, 0)))
    st.subheader(_ui.tr("forecast.peak_header"))
    st.caption(_ui.tr("forecast.peak_caption"))
    st.dataframe(_daily_table(chosen.daily_peaks), width="stretch", hide_index=True, placeholder="—")
    c1, c2 = st.columns(2)
    c1.download_button(_ui.tr("forecast.download"), csv_bytes, file_name="forecast.csv", mime="text/csv")
    if c2.button(_ui.tr("forecast.save"), key="save_forecast", disabled=_ui.read_only(_ui.page_context())):
        _use_for_sizing(series, result, scenario, inputs)


def _chosen_scenario(names: list[str], stored: str | None) -> str:
    """The scenario to show and hand over: the one picked in this session, else the workshop's, else the newest.

    A scenario the user has just named or changed is the one to look at: a choice made among earlier scenarios
    must not keep the page on "base" once a new one exists."""
    if st.session_state.get("fc_chosen") not in names or st.session_state.get("fc_chosen_among") != names:
        fresh = "fc_chosen_among" not in st.session_state  # first run of this session: the workshop's choice
        st.session_state["fc_chosen"] = stored if fresh and stored in names else names[-1]
    st.session_state["fc_chosen_among"] = names
    return str(st.session_state["fc_chosen"])


def _stored_inputs(kept: dict[str, Any]) -> ForecastInputs:
    """What the Forecast page shows on arrival: the draft as last edited, else the inputs of the chain's
    forecast (rebuilt from its summary for older files), else a kept dataset, else the sample."""
    found = _ui.read_doc(DraftDoc, FORECAST_DRAFT_ID)
    if found is not None and found.forecast is not None:
        inputs = found.forecast
    else:
        forecast = _ui.newest_doc(ForecastDoc, _ui.chain_settings().forecast_id)
        inputs = forecast[1].restored_inputs() if forecast else ForecastInputs()
        if inputs.source == "sample" and kept and forecast is None:
            inputs = inputs.model_copy(update={"source": "workshop", "dataset_id": next(iter(kept))})
    if inputs.source == "workshop" and inputs.dataset_id not in kept:
        inputs = inputs.model_copy(update={"source": "sample", "dataset_id": None})
    return inputs


def _save_draft(stored: ForecastInputs, current: ForecastInputs) -> None:
    """Keep the page's inputs in the workshop as soon as they change (no explicit save needed)."""
    ctx = _ui.page_context()
    if current != stored and ctx.workshop is not None and ctx.can_edit:
        _ui.save_doc(DraftDoc(forecast=current, saved=dt.datetime.now(dt.UTC)), FORECAST_DRAFT_ID)


def main() -> None:
    ctx = _ui.page_context()
    st.title(_ui.tr("forecast.title"))
    st.caption(_ui.tr("forecast.intro"))
    locked = _ui.read_only_banner(ctx)
    unusable = {p.artefact_id for p in _ui.stored_problems_panel(["dataset"], key="fc_stored")}
    kept = {a.id: (a, d) for a, d in _ui.docs(DatasetDoc) if a.id not in unusable}
    stored = _stored_inputs(kept)
    sources = ["sample", *([] if locked else ["upload"]), *(["workshop"] if kept else [])]
    _seed({"fc_source": stored.source if stored.source in sources else "sample",
           "fc_dataset": stored.dataset_id if stored.dataset_id in kept else next(iter(kept), None)})
    source = st.radio(_ui.tr("forecast.source"), sources, horizontal=True, key="fc_source",
                      format_func=_ui.labeller("forecast.source_"))
    data, name = None, "sample"
    reading, dataset = stored.reading, None
    if source == "workshop":
        dataset = st.selectbox(_ui.tr("forecast.dataset_pick"), list(kept), key="fc_dataset")
        art, doc = kept[dataset]
        series = _kept_series(art.id, art.updated_at.isoformat(), doc)
        name = art.id
        st.caption(_ui.tr_user("forecast.dataset_from", name=doc.source or art.id, points=len(series)))
    else:
        if source == "upload":
            up = st.file_uploader(_ui.tr("forecast.upload"))
            if up is None:
                st.info(_ui.tr("forecast.no_data"))
                return
            data, name = up.getvalue(), up.name
        columns = st.session_state.get("ing_columns", [])
        reading = _ingest_options(columns, stored.reading)
        series, notes, columns_now = _ingest(data, name, reading)
        if columns_now != columns:
            st.session_state["ing_columns"] = columns_now
            st.rerun()
        with st.expander(_ui.tr("forecast.ingest_header")):
            for note_key, note_params in notes:
                st.text(note_text(MessageRef(key=note_key, params=note_params), ctx.lang))
        if data is not None:
            dataset = _keep_dataset(ctx, series, name, notes, reading)
    settings, scenario = _inputs(series, stored)
    options, scenarios = _engine_inputs(settings, scenario)
    with st.status(_ui.tr("forecast.fitting"), expanded=True) as status:
        _fit_with_progress(series, options, str(series.name or name))
        result = _forecast(series, options, scenarios, str(series.name or name))
        status.update(label=_ui.tr("forecast.done"), state="complete", expanded=False)
    current = ForecastInputs(source="workshop" if dataset else "sample", dataset_id=dataset, reading=reading,
                             settings=settings, scenario=scenario,
                             chosen=_chosen_scenario(list(result.scenarios), stored.chosen))
    _save_draft(stored, current)
    _results(series, result, (options, scenarios, str(series.name or name)), current)


with _ui.boundary():
    try:
        main()
    except WorkbenchError as exc:
        _ui.show_error(exc)
