"""Report: the chain's inputs (where each number comes from), milestones, and the report to download."""

from __future__ import annotations

import base64
import datetime as dt

import altair as alt
import pandas as pd
import streamlit as st

from pages import _ui
from workbench.errors import InputError
from workbench.exports import safe_filename
from workbench.i18n import format_number
from workbench.report.pdf import PdfError, pdf_available, render_pdf
from workbench.report.render import render_html, render_json, render_markdown
from workbench.workshop.chain import ChainResult, chain_if_ready, compute_chain, load_rows
from workbench.workshop.documents import (
    CHAIN_ID,
    ArchitectureDoc,
    ChainSettings,
    ForecastDoc,
    Milestone,
    SizingDoc,
    milestone_id,
)
from workbench.workshop.milestones import PILLARS, compare, take_milestone
from workbench.workshop.models import Workshop
from workbench.workshop.report_builder import build_report_data, unit_of

_ui.ensure_app_shell()  # pages run inside app.py, also on a fresh server's first deep link

tr = _ui.tr


@st.cache_data(show_spinner=False, max_entries=16)
def _report(workshop_json: str, lang: str) -> tuple[str, str, str]:
    workshop = Workshop.model_validate_json(workshop_json)
    data = build_report_data(workshop, lang)
    return render_html(data), render_markdown(data), render_json(data)


@st.cache_data(show_spinner=False, max_entries=4)
def _pdf(html: str) -> bytes:
    return render_pdf(html)


def _save_settings(settings: ChainSettings) -> None:
    if locked:  # a viewer's choices apply on screen only
        return
    if _ui.save_doc(settings, CHAIN_ID):
        st.rerun()


def inputs_panel(ws: Workshop) -> ChainResult | None:
    """Pick the forecast, quantile, sizing and architecture version; show where every input comes from."""
    del ws
    settings = _ui.chain_settings()
    # options are ids (the stored choice); each is shown by the name the user typed
    forecast_names: dict[str, str] = {a.id: d.name or a.id for a, d in _ui.docs(ForecastDoc)}
    sizing_names: dict[str, str] = {a.id: d.name or a.id for a, d in _ui.docs(SizingDoc)}
    forecasts, sizings = list(forecast_names), list(sizing_names)
    archs = [a.id for a, _ in _ui.docs(ArchitectureDoc)]
    c1, c2, c3, c4 = st.columns(4)
    forecast_options: list[str | None] = [None, *forecasts]
    wanted_forecast = (None if not settings.use_forecast or not forecasts
                       else settings.forecast_id if settings.forecast_id in forecasts else forecasts[0])
    forecast = c1.selectbox(tr("report_page.forecast"), forecast_options, key="chain_forecast",
                            index=forecast_options.index(wanted_forecast),
                            format_func=lambda v: tr("report_page.typed_peak") if v is None
                            else _ui.name_text(forecast_names.get(v, v)))
    quantile = c2.radio(tr("report_page.quantile"), ["p95", "p80", "point"], horizontal=True,
                        index=["p95", "p80", "point"].index(settings.quantile), key="chain_quantile",
                        format_func=lambda q: tr("report.point") if q == "point" else q.upper())
    sizing = c3.selectbox(tr("report_page.sizing"), sizings or [None], key="chain_sizing",
                          index=sizings.index(settings.sizing_id) if settings.sizing_id in sizings else 0,
                          format_func=lambda v: _ui.name_text(sizing_names.get(v, v)) if v else "—")
    arch = c4.selectbox(tr("report_page.architecture"), archs or [None], key="chain_arch",
                        index=archs.index(settings.architecture_id) if settings.architecture_id in archs else 0,
                        format_func=lambda v: v or "—")
    wanted = settings.model_copy(update={"forecast_id": forecast, "use_forecast": forecast is not None,
                                         "quantile": quantile, "sizing_id": sizing, "architecture_id": arch})
    effective = settings.model_copy(
        update={
            "forecast_id": wanted_forecast,
            "use_forecast": wanted_forecast is not None,
            "sizing_id": settings.sizing_id if settings.sizing_id in sizings else (sizings[0] if sizings else None),
            "architecture_id": settings.architecture_id
            if settings.architecture_id in archs
            else (archs[0] if archs else None),
        }
    )
    if wanted != effective:  # only a choice the user made is saved; defaults stay implicit
        _save_settings(wanted)
    try:
        chain = compute_chain(_ui.page_context().workshop, wanted)  # type: ignore[arg-type]
    except InputError as exc:
        _ui.show_error(exc)
        return None
    prov = chain.provenance
    source = _ui.chain_source(prov)
    st.caption(tr("common.source") + ": " + source)
    st.metric(tr("report_page.peak"), f"{format_number(chain.peak_rps, ctx.lang, 0)} {unit_of(chain.unit, ctx.lang)}")
    if chain.architecture is not None:
        st.caption(_ui.tr_user("report_page.source_arch", version=prov.architecture_id or "",
                               name=prov.architecture_name or ""))
        mapping_editor(chain, wanted)
        loads_table(chain)
    return chain


def mapping_editor(chain: ChainResult, settings: ChainSettings) -> None:
    """Tier → component, suggested automatically; edits are saved at once."""
    assert chain.architecture is not None
    current = {load.tier: load.component_id for load in chain.loads}
    frame = pd.DataFrame({"tier": [r.tier for r in chain.sizing],
                          "component": [current.get(r.tier) for r in chain.sizing]})
    ids = [c.id for c in chain.architecture.components]
    edited = st.data_editor(
        frame, hide_index=True, key="chain_mapping", disabled=True if locked else ["tier"],
        column_config={"tier": st.column_config.TextColumn(tr("report.tier")),
                       "component": st.column_config.SelectboxColumn(tr("report.component"), options=ids)})
    mapping = {str(r["tier"]): str(r["component"]) for r in edited.to_dict("records") if r["component"]}
    if mapping != current and mapping != settings.mapping:
        _save_settings(settings.model_copy(update={"mapping": mapping}))


def loads_table(chain: ChainResult) -> None:
    """Per component: current vs required instances, utilisation at the peak, capacity after losing each AZ."""
    if not chain.loads:
        st.info(tr("report_page.no_mapping"))
        return
    rows = load_rows(chain, ctx.lang)
    st.dataframe(pd.DataFrame(rows), hide_index=True)
    st.caption(tr("report_page.loads_how"))
    if chain.review is not None:
        for f in (f for f in chain.review.findings if f.rule_id.startswith("CAP")):
            st.warning(_ui.escape_md(f.text(ctx.lang)["title"]), icon="⚠️")


def milestones_panel(ws: Workshop, chain: ChainResult | None) -> None:
    """Take a milestone of the current state; compare two milestones."""
    items = sorted(((a.id, m) for a, m in _ui.docs(Milestone)), key=lambda x: (x[1].date, x[1].created_at))
    with st.form("milestone_form", clear_on_submit=True):
        c1, c2 = st.columns([3, 1])
        name = c1.text_input(tr("report_page.milestone_name"), max_chars=120)
        day = c2.date_input(tr("report.date"), value=dt.date.today())
        if st.form_submit_button(tr("report_page.take_milestone"), disabled=locked):
            if chain is None or chain.review is None:
                st.error(tr("report_page.milestone_needs_chain"))
            elif not name.strip():
                st.error(tr("report_page.milestone_name_required"))
            else:
                ms = take_milestone(name, chain, ws.meta.language, day)
                if _ui.save_doc(ms, milestone_id(name, {i for i, _ in items})):
                    st.session_state["flash_report"] = _ui.tr_user("report_page.milestone_saved", name=name)
                    st.rerun()
    if not items:
        st.caption(tr("report_page.no_milestones"))
        return
    trend = pd.DataFrame([{"milestone": m.name, "pillar": tr(f"report.pillar.{p}"), "score": m.scores.get(p, 0.0)}
                          for _, m in items for p in PILLARS])
    st.altair_chart(alt.Chart(trend).mark_line(point=True).encode(
        x=alt.X("milestone:N", sort=[m.name for _, m in items], title=None),
        y=alt.Y("score:Q", scale=alt.Scale(domain=[0, 100]), title=tr("report.score")),
        color=alt.Color("pillar:N", title=None)), width="stretch")
    if len(items) >= 2:
        names = [i for i, _ in items]
        by_id = dict(items)
        c1, c2 = st.columns(2)
        before = c1.selectbox(
            tr("report_page.before"), names, index=len(names) - 2, format_func=lambda i: by_id[i].name
        )
        after = c2.selectbox(tr("report_page.after"), names, index=len(names) - 1, format_func=lambda i: by_id[i].name)
        diff = compare(by_id[before], by_id[after])
        cols = st.columns(len(diff.score_delta) + 1)
        cols[0].metric(tr("report.overall"), format_number(by_id[after].overall or 0.0, ctx.lang, 0),
                       delta=None if diff.overall_delta is None else round(diff.overall_delta, 1))
        for col, (pillar, delta) in zip(cols[1:], diff.score_delta.items(), strict=True):
            col.metric(tr(f"report.pillar.{pillar}"), format_number(by_id[after].scores.get(pillar, 0.0), ctx.lang, 0),
                       delta=round(delta, 1))
        left, right = st.columns(2)
        left.markdown(f"**{tr('report.resolved')}** ({len(diff.resolved)})")
        left.dataframe(pd.DataFrame([{"rule": f.rule_id, "title": f.title, "components": ", ".join(f.components)}
                                     for f in diff.resolved]), hide_index=True)
        right.markdown(f"**{tr('report.new')}** ({len(diff.new)})")
        right.dataframe(pd.DataFrame([{"rule": f.rule_id, "title": f.title, "components": ", ".join(f.components)}
                                      for f in diff.new]), hide_index=True)


def report_panel(ws: Workshop) -> None:
    """Preview and download the report (HTML, Markdown, JSON) in the chosen language."""
    lang = st.segmented_control(tr("report_page.report_language"), options=list(_ui.LANGUAGE_NAMES),
                                default=ws.meta.language, format_func=_ui.LANGUAGE_NAMES.get, key="report_lang")
    lang = lang or ws.meta.language
    with st.spinner(tr("report_page.building")):
        html, md, js = _report(ws.model_dump_json(), lang)
    base = safe_filename(f"{ws.meta.customer} {ws.meta.title}".strip(), "html")[:-5]
    c0, c1, c2, c3 = st.columns(4)
    c1.download_button(tr("report_page.download_html"), html.encode("utf-8"), file_name=f"{base}.html",
                       mime="text/html", key="dl_html")
    c2.download_button(tr("report_page.download_md"), md.encode("utf-8"), file_name=f"{base}.md",
                       mime="text/markdown", key="dl_md")
    c3.download_button(tr("report_page.download_json"), js.encode("utf-8"), file_name=f"{base}.json",
                       mime="application/json", key="dl_json")
    if not pdf_available():
        c0.caption(tr("errors.report.pdf_unavailable"))
    elif st.session_state.get("pdf_for") == (ws.id, ws.version, lang):
        try:  # made on request only: a PDF of a long review takes seconds of the server's time
            with st.spinner(tr("report_page.building_pdf")):
                pdf = _pdf(html)
        except PdfError as exc:
            _ui.show_error(exc)
        else:
            c0.download_button(tr("report_page.download_pdf"), pdf, file_name=f"{base}.pdf", mime="application/pdf",
                               key="dl_pdf", type="primary")
    elif c0.button(tr("report_page.make_pdf"), key="make_pdf", type="primary"):
        st.session_state["pdf_for"] = (ws.id, ws.version, lang)
        st.rerun()
    # A data: URL gives the preview an opaque origin: even a hostile string could never reach the app.
    st.iframe("data:text/html;base64," + base64.b64encode(html.encode("utf-8")).decode("ascii"), height=900)


ctx = _ui.page_context()
st.title(tr("report_page.title"))
st.caption(tr("report_page.intro"))
if ctx.workshop is None:
    st.info(tr("app.no_workshop"))
    st.stop()
locked = _ui.read_only_banner(ctx)  # downloads stay; saved choices, mapping and milestones do not
if flash := st.session_state.pop("flash_report", None):
    st.success(flash)
workshop = ctx.workshop
_ui.stored_problems_panel(None, key="report_stored")
# Only the chosen panel runs: the report (diagram layout, charts) is built when it is looked at.
with _ui.boundary():  # also when the page runs on its own (tests), errors stay messages
    # the open section is in the URL (?report_section=report): a refresh or a shared link shows the same one
    section = st.segmented_control(" ", ["inputs", "milestones", "report"], default="inputs", key="report_section",
                                   format_func=_ui.labeller("report_page.tab_"), label_visibility="collapsed",
                                   required=True, bind="query-params")
    section = section or "inputs"
    if section == "inputs":
        inputs_panel(workshop)
    elif section == "milestones":
        milestones_panel(workshop, chain_if_ready(workshop))
    else:
        report_panel(workshop)
