"""Architecture: pick a template, upload or edit a design; diagram, scores, findings, what-if, fixes, versions.

The YAML text in ``st.session_state[SOURCE]`` is the single source of truth: templates, uploads, the table
editors, waivers, fixes and saved versions all produce a new text, which goes through the same loader
(validated, every problem located) and the same cached review.  A change is applied by :func:`_set_source`
and a rerun, so the editor widget always shows what is reviewed.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st
import yaml

from pages import _findings_view, _import_panel, _scale, _ui
from workbench.architecture import diagram, export, fixes, tables
from workbench.architecture.findings import ComponentCapacity, Finding, Pillar, Severity
from workbench.architecture.loader import load_architecture, max_bytes, max_mb
from workbench.architecture.model import Architecture, Disruption, Waiver
from workbench.architecture.review import Review, review_architecture
from workbench.architecture.sniff import binary_kind
from workbench.architecture.whatif import simulate
from workbench.errors import InputError, WorkbenchError
from workbench.exports import safe_filename
from workbench.workshop.chain import ChainResult, chain_if_ready, load_rows
from workbench.workshop.documents import (
    ARCHITECTURE_DRAFT_ID,
    ArchitectureDoc,
    DraftDoc,
    FindingsDoc,
    next_version_id,
)
from workbench.workshop.safe_load import StoredProblem, load_architecture_safely

_ui.ensure_app_shell()  # pages run inside app.py, also on a fresh server's first deep link

ctx = _ui.page_context()
tr = _ui.tr
lang = ctx.lang
locked = _ui.read_only(ctx)  # a viewer or a read-only link: nothing is saved, write actions are disabled

TEMPLATE_DIR = Path(__file__).resolve().parents[1] / "sample_data" / "architectures"
SOURCE, EDITOR, PENDING = "arch_source", "arch_editor", "arch_pending"
VERSION, LOCAL_VERSIONS, FLASH, LAST_FIX = "arch_version", "arch_local_versions", "arch_flash", "arch_last_fix"
DRAFT_PROBLEM = "arch_draft_problem"  # the stored draft this session opened with cannot be loaded
WORKSHOP_KEY, DRAFT_ID, TEMPLATE = "arch_workshop", ARCHITECTURE_DRAFT_ID, "arch_template_of"
SECTIONS = ("diagram", "findings", "whatif", "capacity", "edit", "versions", "downloads")


# --- cached core calls --------------------------------------------------------------------------------


def parse(text: str) -> tuple[Architecture | None, list[tuple[str, int | None, int | None, str, dict[str, Any]]]]:
    """The architecture, or the located problems; a model made or read on the page is not parsed again (nor
    copied out of the cache on every call, which costs tenths of a second at 1,000 components)."""
    kept = _scale.remembered(text)
    if kept is not None:
        return kept, []
    arch, found = _parse(text)
    if arch is not None:
        _scale.remember(text, arch)
    return arch, found


@st.cache_data(show_spinner=False, max_entries=64)
def _parse(text: str) -> tuple[Architecture | None, list[tuple[str, int | None, int | None, str, dict[str, Any]]]]:
    """The architecture, or the located problems (location, line, column, key, params); never raises."""
    name = "architecture.json" if text.lstrip().startswith("{") else "architecture.yaml"
    arch, found = load_architecture_safely(text, name)
    return arch, [(i.location, i.line, i.column, i.key, dict(i.params)) for i in found]


def chain_now(text: str) -> ChainResult | None:
    """The workshop's chain with this design: capacity at the forecast peak joins the review (memoised)."""
    return None if ctx.workshop is None else chain_if_ready(ctx.workshop, architecture_yaml=text)


def facts_of(text: str) -> str:
    """Capacity facts of the chain as JSON text ('' without a chain): a hashable cache key for the review."""
    chain = chain_now(text) if parse(text)[0] is not None else None
    if chain is None or not chain.capacity_facts:
        return ""
    return json.dumps({k: v.model_dump(mode="json") for k, v in chain.capacity_facts.items()}, sort_keys=True)


@st.cache_data(show_spinner=False, max_entries=32)
def _review(text: str, facts: str) -> Review:
    arch, _ = parse(text)
    assert arch is not None
    capacity = {k: ComponentCapacity.model_validate(v) for k, v in json.loads(facts).items()} if facts else None
    return review_architecture(arch, capacity=capacity)


def review_of(text: str) -> Review:
    """The review of ``text``, with the capacity findings of the workshop's chain when there is one."""
    facts = facts_of(text)
    return _scale.memo(("review", text, facts), lambda: _review(text, facts))


@st.cache_data(show_spinner=False, max_entries=32)
def _dot(text: str, view: str, language: str, facts: str) -> str:
    arch, _ = parse(text)
    assert arch is not None
    rv = _review(text, facts)
    return diagram.to_dot(arch, findings=rv.findings, spofs=rv.analysis.spofs, view=view, lang=language)


def dot_of(text: str, view: str, language: str) -> str:
    """DOT of ``text`` with its findings marked (cached)."""
    return _dot(text, view, language, facts_of(text))


@st.cache_data(show_spinner=False, max_entries=16)
def rendered(dot_source: str, fmt: str) -> bytes:
    return diagram.render(dot_source, fmt)


@st.cache_data(show_spinner=False)
def templates() -> dict[str, str]:
    """Template file stem → YAML text, from ``sample_data/architectures``."""
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(TEMPLATE_DIR.glob("*.y*ml"))}


# --- source and versions ------------------------------------------------------------------------------


def _save_draft(text: str | None) -> None:
    """Keep unsaved editor work in the workshop (a refresh or another device finds it); None clears it."""
    if ctx.workshop is None or locked:
        return
    stored = _ui.read_doc(DraftDoc, DRAFT_ID)
    if text is None:
        if stored is not None:
            _ui.delete_artefact("draft", DRAFT_ID)
    elif stored is None or stored.yaml != text or stored.template != st.session_state.get(TEMPLATE):
        _ui.save_doc(DraftDoc(yaml=text, saved=dt.datetime.now(dt.UTC).replace(microsecond=0),
                              template=st.session_state.get(TEMPLATE), parent=st.session_state.get(VERSION)),
                     DRAFT_ID)


def _set_source(text: str, *, version: str | None = None, flash: str | None = None,
                template: str | None = None, own: bool = False) -> None:
    """Make ``text`` the reviewed source on the next run (the editor widget follows).

    ``template``: the template it comes from (kept with the draft and the versions saved from it); ``own``: it
    comes from no template (an uploaded file), so the origin of what was on screen before is dropped."""
    if version is None and (template is not None or own):
        st.session_state[TEMPLATE] = template
    _save_draft(None if version else text)
    st.session_state[PENDING] = (text, version)
    if flash:
        st.session_state[FLASH] = flash
    st.rerun()


def _versions() -> dict[str, ArchitectureDoc]:
    """Saved versions by id, from the workshop or, without one, this session."""
    if ctx.workshop is not None:
        return {a.id: doc for a, doc in _ui.docs(ArchitectureDoc)}
    return dict(st.session_state.get(LOCAL_VERSIONS, {}))


def _in_use(versions: dict[str, ArchitectureDoc]) -> str | None:
    """The version the chain (report, capacity) uses: the pinned one, else the newest."""
    pinned = _ui.chain_settings().architecture_id
    if pinned in versions:
        return pinned
    return max(versions, key=lambda v: (versions[v].created or dt.datetime.min.replace(tzinfo=dt.UTC), v),
               default=None)


def _save_version(text: str, arch: Architecture, parent: str | None) -> str | None:
    """Save ``text`` as a new version (and its findings); its id, or None when the store refused."""
    existing = _versions()
    vid = next_version_id(existing)
    template = st.session_state.get(TEMPLATE)
    doc = ArchitectureDoc(yaml=text, name=arch.name, created=dt.datetime.now(dt.UTC).replace(microsecond=0),
                          parent=parent, template=template)
    if ctx.workshop is None:
        st.session_state[LOCAL_VERSIONS] = {**existing, vid: doc}
        return vid
    if locked:
        return None
    if not _ui.save_doc(doc, vid):
        return None
    rv = review_of(text)
    _ui.save_doc(FindingsDoc(architecture_version=vid, scores=export.scores_record(rv.scores),
                             findings=[export.finding_record(f, lang) for f in rv.findings],
                             waived=[export.finding_record(f, lang) for f in rv.waived]), vid)
    return vid


def _new_version(arch: Architecture, flash: str, fix: dict[str, Any] | None = None) -> None:
    """Save ``arch`` as a new version whose parent is the current one, then show it (kept typed: no re-parse).

    ``fix``: the before/after of the fix that made it, shown while that version is the one on screen."""
    text = _scale.kept_text(arch)
    vid = _save_version(text, arch, st.session_state.get(VERSION))
    if fix is not None:
        st.session_state[LAST_FIX] = {**fix, "version": vid}
    _set_source(text, version=vid, flash=flash)


def _initial_source() -> tuple[str, str | None, str | None]:
    """(text, version, template) to open with: the unsaved draft, else the version in use, else a template."""
    draft = _ui.read_doc(DraftDoc, DRAFT_ID) if ctx.workshop is not None else None
    if draft and draft.yaml:
        if parse(draft.yaml)[0] is None:
            st.session_state[DRAFT_PROBLEM] = True  # offer to download or discard it, as well as to repair it
        return draft.yaml, None, draft.template  # unsaved work from before the refresh
    versions = _versions()
    vid = _in_use(versions)
    if vid is not None:
        return versions[vid].yaml, vid, versions[vid].template
    stem, first = next(iter(templates().items()), (None, "schema_version: 1\nname: ''\n"))
    return first, None, stem


# The editor state belongs to one workshop: opening another one starts from that workshop's own design.
if st.session_state.get(WORKSHOP_KEY) != (ctx.workshop.id if ctx.workshop else None):
    for stale in (SOURCE, EDITOR, VERSION, PENDING, LAST_FIX, TEMPLATE, DRAFT_PROBLEM):
        st.session_state.pop(stale, None)
    st.session_state[WORKSHOP_KEY] = ctx.workshop.id if ctx.workshop else None
if PENDING in st.session_state:
    text, vid = st.session_state.pop(PENDING)
    st.session_state[SOURCE] = st.session_state[EDITOR] = text
    st.session_state[VERSION] = vid
    if vid is not None and vid in (known := _versions()):
        st.session_state[TEMPLATE] = known[vid].template
if SOURCE not in st.session_state:
    text, vid, stem = _initial_source()
    st.session_state[SOURCE] = st.session_state[EDITOR] = text
    st.session_state[VERSION] = vid
    st.session_state[TEMPLATE] = stem


def _on_edit() -> None:
    st.session_state[SOURCE] = st.session_state[EDITOR]
    st.session_state[VERSION] = None
    _save_draft(st.session_state[EDITOR])


# --- small renderers ----------------------------------------------------------------------------------


def _cell(number: int | None) -> str:
    return "—" if number is None else str(number)


def _issue_rows(issues: list[tuple[str, int | None, int | None, str, dict[str, Any]]]) -> pd.DataFrame:
    return pd.DataFrame(
        [{tr("architecture.page.col_location"): loc or "—", tr("architecture.page.col_line"): _cell(line),
          tr("architecture.page.col_column"): _cell(col), tr("architecture.page.col_problem"): tr(key, **params)}
         for loc, line, col, key, params in issues]
    )


def _sev(s: Severity) -> str:
    return tr(f"architecture.severity.{s.value}")


def _pillar(p: Pillar) -> str:
    return tr(f"architecture.pillar.{p.value}")


def _score_cards(rv: Review) -> None:
    cols = st.columns(6)
    for col, p in zip(cols, Pillar, strict=False):
        col.metric(_pillar(p), f"{rv.scores.pillar(p):.1f}", border=True,
                   help=tr(f"architecture.page.band_{rv.scores.band(p)}"))
    cols[5].metric(tr("architecture.report.overall"), f"{rv.scores.overall:.1f}", border=True,
                   help=tr(f"architecture.page.band_{rv.scores.band()}"))


def _template_label(stem: str) -> str:
    """A template's own ``name`` (shown as plain text in the select box), else its file name."""
    parsed, _ = parse(templates()[stem])
    return parsed.name if parsed is not None and parsed.name else stem


# --- page ---------------------------------------------------------------------------------------------

st.title(tr("architecture.page.title"))
st.caption(tr("architecture.page.intro"))
_ui.read_only_banner(ctx)
if FLASH in st.session_state:
    st.success(st.session_state.pop(FLASH), icon="✅")
if ctx.workshop is None:
    st.info(tr("architecture.page.no_workshop"), icon="ℹ️")

source_text: str = st.session_state[SOURCE]
arch, issues = parse(source_text)

with st.container(border=True):
    left, mid, right = st.columns([2, 2, 1], vertical_alignment="bottom")
    names = list(templates())
    choice = left.selectbox(tr("architecture.page.template"), names, key="arch_template",
                            format_func=_template_label)
    if mid.button(tr("architecture.page.load_template"), key="arch_load_template",
                  disabled=not names or locked):
        _set_source(templates()[choice], flash=tr("architecture.page.loaded_template"), template=choice)
    current = st.session_state.get(VERSION)
    in_use = _in_use(_versions())
    right.caption(tr("architecture.page.version_current", version=current) if current
                  else tr("architecture.page.version_unsaved"))
    origin = st.session_state.get(TEMPLATE)
    st.caption(" · ".join([
        (tr("architecture.page.version_in_use", version=current) if current and current == in_use
         else tr("architecture.page.chain_uses", version=in_use) if in_use else tr("architecture.page.no_version_yet")),
        tr("architecture.page.from_template", template=_template_label(origin)) if origin in templates()
        else tr("architecture.page.own_design")]))
    if right.button(tr("architecture.page.save_version"), key="arch_save_version", disabled=arch is None or
                    current is not None or locked):
        assert arch is not None
        vid = _save_version(source_text, arch, None)
        if vid:
            _set_source(source_text, version=vid, flash=tr("architecture.page.saved_version", version=vid))



def draft_problem_panel(first_issue: tuple[str, int | None, int | None, str, dict[str, Any]]) -> None:
    """The stored draft cannot be loaded: say why, and offer its download and its discard (then start afresh)."""
    draft = _ui.load_artefact("draft", DRAFT_ID)
    if draft is None:
        st.session_state.pop(DRAFT_PROBLEM, None)
        return
    _, _, _, key, params = first_issue
    problem = StoredProblem(kind="draft", artefact_id=DRAFT_ID, key=key, params=params,
                            raw=json.dumps(draft, ensure_ascii=False, indent=2, default=str))
    with st.container(border=True):
        if _ui.stored_problem_row(problem, "arch_draft", message_key="stored.draft_problem"):
            for stale in (SOURCE, EDITOR, VERSION, DRAFT_PROBLEM):
                st.session_state.pop(stale, None)
            st.rerun()


if ctx.workshop is not None:
    if arch is None and issues and st.session_state.get(DRAFT_PROBLEM):
        draft_problem_panel(issues[0])
    _ui.stored_problems_panel(["architecture", "draft"], key="arch_stored")
if arch is None:
    st.error(tr("architecture.page.invalid", count=len(issues)), icon="⚠️")
    st.dataframe(_issue_rows(issues), hide_index=True, alt=tr("architecture.page.invalid_alt"))

section = st.segmented_control(
    tr("architecture.page.section"), SECTIONS, key="arch_section", default="diagram",
    format_func=lambda s: tr(f"architecture.page.sections.{s}"), required=True, bind="query-params",
) or ("edit" if arch is None else "diagram")  # the open section is in the URL (?arch_section=…): refresh keeps it
if arch is None and section not in ("edit", "versions"):
    section = "edit"

review: Review | None = None
if arch is not None:
    with _ui.boundary():  # an analysis failure must not take the editor away
        review = review_of(source_text)
if review is not None:
    _score_cards(review)
elif section not in ("edit", "versions"):
    section = "edit"


def diagram_section(arch: Architecture) -> None:
    big = len(arch.components) > diagram.AGGREGATE_ABOVE
    full = st.toggle(tr("architecture.page.full_view"), key="arch_full_view", value=not big, disabled=not big,
                     help=tr("architecture.page.full_view_help", limit=diagram.AGGREGATE_ABOVE))
    if big and full:
        st.warning(tr("architecture.page.full_view_slow", count=len(arch.components)))
    view = "full" if full or not big else "aggregated"
    st.graphviz_chart(dot_of(source_text, view, lang))
    if big and review is not None:
        _scale.drilldown(arch, source_text, review, lang)
    if not diagram.dot_available():
        st.info(InputError("errors.architecture.graphviz_missing").translate(lang))


def _waive(arch: Architecture, f: Finding, reason: str, until: dt.date | None) -> None:
    targets: list[str | None] = list(f.component_ids) or [None]
    waivers = [*arch.waivers, *(Waiver(rule=f.rule_id, component=c, subject=f.subject or None, reason=reason,
                                          until=until) for c in targets)]
    _new_version(arch.model_copy(update={"waivers": waivers}), tr("architecture.page.waived_saved", rule=f.rule_id))


def _apply_fix(arch: Architecture, f: Finding) -> None:
    # After the fix, capacity facts are recomputed for the new replica counts: before and after judged alike.
    outcome = fixes.apply_fix(arch, f, before=review_of(source_text),
                              review_with=lambda new: review_of(_scale.kept_text(new)))
    _new_version(outcome.architecture, tr("architecture.page.fix_applied", rule=f.rule_id),
                 fix=_findings_view.summary_of_fix(outcome, f))


def _show_last_fix() -> None:
    last = st.session_state.get(LAST_FIX)
    if not last or last.get("version") != st.session_state.get(VERSION):
        return  # another design is on screen now (a template, an upload, an edit, another version)
    with st.container(border=True):
        st.subheader(tr("architecture.page.fix_result", rule=last["rule"]))
        if last["rows"]:
            frame = pd.DataFrame(last["rows"]).rename(columns={
                "measure": tr("architecture.page.col_measure"), "before": tr("architecture.page.col_before"),
                "after": tr("architecture.page.col_after")})
            st.dataframe(frame, hide_index=True, alt=tr("architecture.page.fix_result_alt"))
        if not last.get("resolved", True):
            st.warning(tr("architecture.page.fix_not_resolved"))
        if last["diff"]:
            st.code("\n".join(last["diff"]), language="diff")
        if st.button(tr("architecture.page.dismiss"), key="arch_dismiss_fix"):
            st.session_state.pop(LAST_FIX, None)
            st.rerun()


def _finding_actions(arch: Architecture, f: Finding, i: int) -> None:
    """The fix button and the waiver form of one finding (its texts are shown by its rule group)."""
    if locked:
        return
    if fixes.fixable(f) and st.button(tr("architecture.page.apply_fix"), key=f"arch_fix_{i}", type="primary"):
        with _ui.boundary():
            _apply_fix(arch, f)
    with st.form(key=f"arch_waive_{i}", border=False):
        c1, c2, c3 = st.columns([3, 1, 1], vertical_alignment="bottom")
        reason = c1.text_input(tr("architecture.page.waive_reason"), key=f"arch_waive_reason_{i}", max_chars=500)
        until = c2.date_input(tr("architecture.page.waive_until"), value=None, key=f"arch_waive_until_{i}")
        if c3.form_submit_button(tr("architecture.page.waive")):
            if not reason.strip():
                st.warning(tr("architecture.page.waive_reason_required"))
            else:
                _waive(arch, f, reason.strip(), until)


def findings_section(arch: Architecture, rv: Review) -> None:
    _show_last_fix()
    c1, c2, c3 = st.columns(3)
    pillars = c1.multiselect(tr("architecture.page.filter_pillar"), list(Pillar), format_func=_pillar,
                             key="arch_filter_pillar")
    severities = c2.multiselect(tr("architecture.page.filter_severity"), list(Severity), format_func=_sev,
                                key="arch_filter_severity")
    component = c3.selectbox(tr("architecture.page.filter_component"), [""] + [c.id for c in arch.components],
                             format_func=lambda c: c or tr("architecture.page.all"), key="arch_filter_component")
    shown = [f for f in rv.findings
             if (not pillars or f.pillar in pillars) and (not severities or f.severity in severities)
             and (not component or component in f.component_ids)]
    st.caption(tr("architecture.page.findings_count", shown=len(shown), total=len(rv.findings)))
    _findings_view.summary(rv)
    _findings_view.grouped(rv, shown, lambda f, i: _finding_actions(arch, f, i))
    if rv.waived:
        st.subheader(tr("architecture.report.waived", count=len(rv.waived)))
        st.dataframe(export.findings_frame(rv.waived, lang)[["rule_id", "severity", "components", "title",
                                                             "waiver_reason", "waiver_until"]],
                     hide_index=True, alt=tr("architecture.page.waived_alt"))


def whatif_section(arch: Architecture) -> None:
    kinds = {Disruption.AZ: sorted(arch.az_region), Disruption.REGION: [r.id for r in arch.regions],
             Disruption.INSTANCE: [c.id for c in arch.components]}
    c1, c2 = st.columns([3, 2], vertical_alignment="bottom")
    kind = c1.segmented_control(tr("architecture.page.whatif_kind"), list(kinds), key="arch_whatif_kind",
                                default=Disruption.AZ, format_func=lambda d: tr(f"architecture.page.lose_{d.value}"))
    kind = kind or Disruption.AZ
    targets = kinds[kind]
    if not targets:
        st.info(tr("architecture.page.whatif_none"))
        return
    target = c2.selectbox(tr("architecture.page.whatif_target"), targets, key=f"arch_whatif_target_{kind.value}")
    result = simulate(arch, kind, target)
    total = len(result.journeys_surviving) + len(result.journeys_broken)
    m1, m2, m3 = st.columns(3)
    m1.metric(tr("architecture.page.journeys_surviving"), f"{len(result.journeys_surviving)} / {total}", border=True)
    rto_text = tr("architecture.sections.unbounded") if result.rto_unbounded else f"{result.rto_minutes_est:.1f} min"
    m2.metric(tr("architecture.page.rto_est"), rto_text, border=True,
              delta=tr("architecture.page.meets") if result.meets_rto else tr("architecture.page.breaches"),
              delta_color="normal" if result.meets_rto else "inverse",
              help=tr("architecture.page.target_minutes", minutes=result.rto_target))
    rpo = "—" if result.rpo_minutes_est is None else f"{result.rpo_minutes_est:.1f} min"
    m3.metric(
        tr("architecture.page.rpo_est"),
        tr("architecture.page.data_lost") if result.data_loss else rpo,
        border=True,
        delta=tr("architecture.page.meets") if result.meets_rpo else tr("architecture.page.breaches"),
        delta_color="normal" if result.meets_rpo else "inverse",
        help=tr("architecture.page.target_minutes", minutes=result.rpo_target),
    )
    if result.journeys_broken:
        st.text(tr("architecture.page.journeys_broken") + ": " + ", ".join(result.journeys_broken))
    if result.capacity_left:
        frame = pd.DataFrame(
            {
                tr("architecture.page.col_component"): list(result.capacity_left),
                tr("architecture.page.col_capacity_left"): [f"{v:.0%}" for v in result.capacity_left.values()],
            }
        )
        st.dataframe(frame, hide_index=True, alt=tr("architecture.page.capacity_alt"))
    for m in result.explanation:
        st.text("• " + m.text(lang))


def _save_imported(imported: Architecture) -> None:
    """An imported design is the customer's own: no template origin (the one on screen before is not it)."""
    st.session_state[TEMPLATE] = None
    _new_version(imported, tr("architecture_import.page.imported"))


def edit_section(arch: Architecture | None) -> None:
    if not locked:
        _import_panel.render(_save_imported)
    uploaded = st.file_uploader(tr("architecture.page.upload"), type=["yaml", "yml", "json"], key="arch_upload",
                                disabled=locked)
    if uploaded is not None and st.session_state.get("arch_upload_seen") != uploaded.file_id:
        st.session_state["arch_upload_seen"] = uploaded.file_id
        data = uploaded.getvalue()
        kind = binary_kind(data)
        if kind is None and data[:1024].decode("utf-8", errors="replace").count("\ufffd") > 4:
            kind = "binary"  # not UTF-8 text either (the loader's own test, see loader._decode)
        if len(data) > max_bytes():
            st.error(tr("errors.architecture.too_large", limit_mb=f"{max_mb():g}"))
        elif kind is not None and kind != "utf16":  # nothing to repair in the editor: say what it is, keep the design
            st.error(tr(f"errors.architecture.file_type.{kind}"))
        else:
            text = data.decode("utf-16" if kind == "utf16" else "utf-8-sig", errors="replace")
            if uploaded.name.lower().endswith(".json"):
                up_arch, _ = parse_json(text)
                text = _scale.kept_text(up_arch) if up_arch is not None else text
            _set_source(text, flash=tr("architecture.page.uploaded"), own=True)
    st.text_area(tr("architecture.page.editor"), key=EDITOR, height=420, on_change=_on_edit,
                 help=tr("architecture.page.editor_help"), disabled=locked)
    if arch is None:
        return
    st.subheader(tr("architecture.page.tables"))
    with st.form("arch_tables", border=False):
        comps = st.data_editor(tables.components_frame(arch), num_rows="dynamic", key="arch_components_table",
                               hide_index=True, disabled=locked)
        links = st.data_editor(tables.links_frame(arch), num_rows="dynamic", key="arch_links_table",
                               hide_index=True, disabled=locked)
        if st.form_submit_button(tr("architecture.page.apply_tables"), disabled=locked):
            with _ui.boundary():
                doc = tables.apply_tables(arch, comps, links)
                _set_source(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=120),
                            flash=tr("architecture.page.tables_applied"))


def parse_json(text: str) -> tuple[Architecture | None, list[Any]]:
    try:
        return load_architecture(text, filename="upload.json"), []
    except WorkbenchError:
        return None, []


def versions_section() -> None:
    versions = _versions()
    if not versions:
        st.info(tr("architecture.page.no_versions"))
        return
    ordered = sorted(versions, key=lambda v: (str(versions[v].created or ""), v), reverse=True)
    in_use = _in_use(versions)
    rows = [{tr("architecture.page.col_version"): v + (" ✓" if v == in_use else ""),
             tr("architecture.page.col_name"): versions[v].name,
             tr("architecture.page.col_created"): _ui.local_time(versions[v].created),
             tr("architecture.page.col_parent"): versions[v].parent or "—",
             tr("architecture.page.col_template"): _template_label(versions[v].template)
             if versions[v].template in templates() else "—"} for v in ordered]
    st.dataframe(pd.DataFrame(rows), hide_index=True, alt=tr("architecture.page.versions_alt"))
    c1, c2 = st.columns([2, 1], vertical_alignment="bottom")
    pick = c1.selectbox(tr("architecture.page.version_pick"), ordered, key="arch_version_pick")
    if c2.button(tr("architecture.page.open_version"), key="arch_open_version"):
        _set_source(versions[pick].yaml, version=pick,
                    flash=tr("architecture.page.opened_version", version=pick))


def downloads_section(arch: Architecture, rv: Review) -> None:
    name = arch.name or "architecture"
    big = len(arch.components) > diagram.AGGREGATE_ABOVE
    view = "full" if st.session_state.get("arch_full_view") or not big else "aggregated"
    dot = dot_of(source_text, view, lang)
    row = st.container(horizontal=True)
    row.download_button("YAML", source_text.encode("utf-8"), safe_filename(name, "yaml"), "application/yaml",
                        key="arch_dl_yaml", icon=":material/download:")
    row.download_button("DOT", dot.encode("utf-8"), safe_filename(name, "dot"), "text/vnd.graphviz",
                        key="arch_dl_dot", icon=":material/download:")
    if diagram.dot_available():
        try:
            row.download_button("SVG", rendered(dot, "svg"), safe_filename(name, "svg"), "image/svg+xml",
                                key="arch_dl_svg", icon=":material/download:")
            row.download_button("PNG", rendered(dot, "png"), safe_filename(name, "png"), "image/png",
                                key="arch_dl_png", icon=":material/download:")
        except InputError as exc:
            _ui.show_error(exc)
    else:
        st.info(InputError("errors.architecture.graphviz_missing").translate(lang))
    row.download_button(tr("architecture.page.findings_json"), export.review_json(rv, arch, lang).encode("utf-8"),
                        safe_filename(f"{name}-findings", "json"), "application/json", key="arch_dl_json",
                        icon=":material/download:")
    row.download_button(tr("architecture.page.findings_csv"), export.findings_csv(rv.findings + rv.waived, lang),
                        safe_filename(f"{name}-findings", "csv"), "text/csv", key="arch_dl_csv",
                        icon=":material/download:")


def capacity_section() -> None:
    """Per component: current instances vs required at the forecast peak, utilisation, AZ-loss headroom."""
    chain = chain_now(source_text)
    if chain is None:
        st.info(tr("architecture.page.capacity_none"), icon="ℹ️")
        return
    prov = chain.provenance
    st.caption(tr("common.source") + ": " + _ui.chain_source(prov))
    st.metric(tr("report_page.peak"), f"{_ui.num(chain.peak_rps, 0)} {chain.unit or tr('report.unit_rps')}")
    rows = load_rows(chain, lang)
    if not rows:
        st.info(tr("report_page.no_mapping"))
        return
    st.dataframe(pd.DataFrame(rows), hide_index=True)
    for comp_id, zones in chain.az_mismatches().items():
        st.warning(tr("architecture.page.az_mismatch", component=comp_id, count=len(zones), zones=", ".join(zones),
                      azs=chain.azs))
    st.caption(tr("report_page.loads_how"))


with _ui.boundary():
    if section == "edit":
        edit_section(arch)
    elif section == "versions":
        versions_section()
    elif arch is not None and review is not None:
        if section == "diagram":
            diagram_section(arch)
        elif section == "findings":
            findings_section(arch, review)
        elif section == "whatif":
            whatif_section(arch)
        elif section == "capacity":
            capacity_section()
        elif section == "downloads":
            downloads_section(arch, review)
