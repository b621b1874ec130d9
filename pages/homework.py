"""Homework: the improvement plan (items grouped by status, inline edits saved at once) and the service review."""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd
import streamlit as st

from pages import _ui
from workbench.architecture.findings import Severity
from workbench.architecture.review import Review
from workbench.exports import safe_filename, to_safe_csv, to_safe_excel
from workbench.texts import display_text
from workbench.workshop.homework import (
    PLAN_ID,
    HomeworkPlan,
    Status,
    add_item,
    apply_edits,
    confirm_done,
    current_review,
    edit_item,
    export_rows,
    group_by_rule,
    item_texts,
    plan_of,
    reconcile,
    service_review,
    take_findings,
)
from workbench.workshop.milestones import PILLARS, Milestone
from workbench.workshop.models import ArtefactKind, Workshop
from workbench.workshop.report_builder import workshop_timezone

_ui.ensure_app_shell()  # pages run inside app.py, also on a fresh server's first deep link

tr = _ui.tr
SEVERITIES = tuple(s.value for s in Severity)  # worst first, as the core orders them


def _save(plan: HomeworkPlan, flash: str | None = None) -> None:
    """Save the plan at once; rerun so every panel shows the saved state (never for a viewer: nothing is kept)."""
    if locked:
        return
    if _ui.save_artefact(ArtefactKind.HOMEWORK, PLAN_ID, plan.model_dump(mode="json")):
        if flash:
            st.session_state["flash_homework"] = flash
        st.rerun()


def proposed_panel(plan: HomeworkPlan, now: dt.datetime, advisor: str) -> None:
    """Items whose findings are gone: the advisor confirms each."""
    proposed = [i for i in plan.items if i.proposed_done]
    if not proposed:
        return
    with st.container(border=True):
        st.subheader(tr("homework.proposed_title"))
        st.caption(tr("homework.proposed_help"))
        for item in proposed:
            c1, c2 = st.columns([4, 1])
            c1.text(f"{item.id} · {item.title[:300]}")
            if c2.button(tr("homework.confirm"), key=f"hw_confirm_{item.id}", disabled=locked):
                _save(confirm_done(plan, item.id, now, by=advisor), tr("homework.saved"))


def take_panel(plan: HomeworkPlan, review: Review | None, version: str | None, now: dt.datetime, advisor: str) -> None:
    """Take the current review's findings (one item per rule) into the plan."""
    with st.expander(tr("homework.take_title"), expanded=not plan.items):
        if review is None:
            st.info(tr("homework.no_review"))
            return
        covered = plan.covered_rules()
        fresh = [f for f in group_by_rule(review.findings) if f.rule_id not in covered]
        if not fresh:
            st.caption(tr("homework.take_none"))
            return
        titles = {
            f.rule_id: f"[{tr('report.severity.' + f.severity.value)}] {f.text(ctx.lang)['title'][:200]}" for f in fresh
        }
        rules = st.multiselect(
            tr("homework.take_rules"),
            list(titles),
            default=list(titles),
            format_func=titles.__getitem__,
            key="hw_take_rules",
        )
        if st.button(tr("homework.take_button"), key="hw_take", type="primary",
                     disabled=not rules or locked):
            new = take_findings(plan, review.findings, ctx.lang, now, rules=rules, by=advisor)
            new = new.model_copy(update={"reviewed_version": version})
            _save(new, tr("homework.taken", count=len(new.items) - len(plan.items)))


def edit_panel(plan: HomeworkPlan, now: dt.datetime, advisor: str) -> None:
    """One item in a form: long texts (fix, notes, the reason a risk is accepted) get room the table lacks."""
    # picking an item reruns the page: keep the panel open from then on
    with st.expander(tr("homework.edit_title"), expanded=bool(st.session_state.get("hw_edit_open"))):
        ids = [i.id for i in plan.items]
        chosen = st.selectbox(
            tr("homework.edit_pick"),
            ids,
            key="hw_edit_pick",
            format_func=lambda i: f"{i} · {display_text(plan.get(i).title if plan.get(i) else '')}",
            on_change=lambda: st.session_state.update(hw_edit_open=True),
        )
        item = plan.get(chosen) if chosen else None
        if item is None:
            return
        statuses = [s.value for s in Status]
        with st.form(f"hw_edit_{item.id}"):
            c1, c2, c3, c4 = st.columns(4)
            owner = c1.text_input(
                tr("homework.col.owner"), value=item.owner, max_chars=200, key=f"hw_e_owner_{item.id}"
            )
            due = c2.date_input(tr("homework.col.due"), value=item.due, key=f"hw_e_due_{item.id}")
            status = c3.selectbox(
                tr("homework.col.status"),
                statuses,
                index=statuses.index(item.status.value),
                format_func=_ui.labeller("homework.status."),
                key=f"hw_e_status_{item.id}",
            )
            effort = c4.selectbox(
                tr("homework.col.effort"),
                ["S", "M", "L"],
                index="SML".index(item.effort.value),
                key=f"hw_e_effort_{item.id}",
            )
            fix = st.text_area(tr("homework.col.fix"), value=item.fix, max_chars=100_000, key=f"hw_e_fix_{item.id}")
            notes = st.text_area(
                tr("homework.col.notes"), value=item.notes, max_chars=100_000, key=f"hw_e_notes_{item.id}"
            )
            c5, c6 = st.columns([3, 1])
            reason = c5.text_input(
                tr("homework.col.accepted_reason"),
                value=item.accepted_reason,
                max_chars=2_000,
                key=f"hw_e_reason_{item.id}",
            )
            who = c6.text_input(
                tr("homework.col.accepted_by"), value=item.accepted_by, max_chars=200, key=f"hw_e_who_{item.id}"
            )
            if st.form_submit_button(tr("homework.edit_save")):
                row = {
                    "id": item.id,
                    "owner": owner,
                    "due": due,
                    "status": status,
                    "effort": effort,
                    "notes": notes,
                    "accepted_reason": reason,
                    "accepted_by": who,
                }
                try:
                    new = apply_edits(plan, [row], now, by=advisor)
                    new = edit_item(new, item.id, fix=fix) if fix != item.fix else new
                except ValueError:
                    st.error(
                        tr("homework.accept_needs_reason")
                        if status == Status.risk_accepted.value
                        else tr("homework.bad_edit", detail=item.id)
                    )
                else:
                    _save(new, tr("homework.saved"))


def add_panel(plan: HomeworkPlan, now: dt.datetime, advisor: str) -> None:
    """Type an item in by hand."""
    with st.expander(tr("homework.add_title")), st.form("hw_add", clear_on_submit=True):
        title = st.text_input(tr("homework.col.title"), max_chars=2_000)
        c1, c2, c3, c4 = st.columns(4)
        owner = c1.text_input(tr("homework.col.owner"), max_chars=200)
        due = c2.date_input(tr("homework.col.due"), value=None)
        severity = c3.selectbox(
            tr("homework.col.severity"), SEVERITIES, index=2, format_func=_ui.labeller("report.severity.")
        )
        pillar = c4.selectbox(tr("homework.col.pillar"), PILLARS, format_func=_ui.labeller("report.pillar."))
        fix = st.text_area(tr("homework.col.fix"), max_chars=20_000)
        if st.form_submit_button(tr("homework.add_button")):
            if not title.strip():
                st.error(tr("homework.title_required"))
            else:
                _save(
                    add_item(
                        plan,
                        now,
                        title=title,
                        owner=owner,
                        due=due,
                        severity=severity,
                        pillar=pillar,
                        fix=fix,
                        by=advisor,
                    ),
                    tr("homework.saved"),
                )


def _status_label(status: str) -> str:
    return tr(f"homework.status.{status}")


def plan_tables(plan: HomeworkPlan, today: dt.date, now: dt.datetime, advisor: str, review: Review | None) -> None:
    """Filters, then one editable table per status (rows by pillar); every edit is saved at once.

    Items made from findings show their title in the page's language (:func:`item_texts`)."""
    c1, c2, c3 = st.columns([2, 2, 1])
    owners = sorted({i.owner for i in plan.items if i.owner})
    pick_owners = c1.multiselect(tr("homework.filter_owner"), owners, key="hw_f_owner")
    pick_sev = c2.multiselect(
        tr("homework.filter_severity"), SEVERITIES, key="hw_f_sev", format_func=_ui.labeller("report.severity.")
    )
    only_late = c3.toggle(tr("homework.filter_overdue"), key="hw_f_late")
    shown = [
        i
        for i in plan.items
        if (not pick_owners or i.owner in pick_owners)
        and (not pick_sev or i.severity.value in pick_sev)
        and (not only_late or i.is_overdue(today))
    ]
    labels = {s.value: _status_label(s.value) for s in Status}
    by_label = {v: k for k, v in labels.items()}
    findings = review.findings if review is not None else []
    for status in Status:
        items = sorted(
            (i for i in shown if i.status == status), key=lambda i: (PILLARS.index(i.pillar), i.due or dt.date.max)
        )
        if not items:
            continue
        late = sum(i.is_overdue(today) for i in items)
        st.subheader(
            f"{labels[status.value]} ({len(items)})"
            + (f" · {tr('homework.overdue_count', count=late)}" if late else "")
        )
        frame = pd.DataFrame(
            [
                {
                    "id": i.id,
                    "pillar": tr(f"report.pillar.{i.pillar}"),
                    "severity": tr(f"report.severity.{i.severity.value}"),
                    "title": item_texts(i, ctx.lang, findings)["title"],
                    "owner": i.owner,
                    "due": i.due,
                    "overdue": i.is_overdue(today),
                    "effort": i.effort.value,
                    "status": labels[i.status.value],
                    "components": ", ".join(i.components),
                    "notes": i.notes,
                    "accepted_reason": i.accepted_reason,
                    "accepted_by": i.accepted_by,
                }
                for i in items
            ]
        )
        edited = st.data_editor(
            frame,
            hide_index=True,
            placeholder="—",  # an item without a due date (or owner) shows a dash, never "None"
            key=f"hw_editor_{status.value}",
            disabled=True if locked else ["id", "pillar", "severity", "overdue", "components"],
            column_config={
                "id": st.column_config.TextColumn(tr("homework.col.id"), width="small"),
                "pillar": st.column_config.TextColumn(tr("homework.col.pillar")),
                "severity": st.column_config.TextColumn(tr("homework.col.severity")),
                "title": st.column_config.TextColumn(tr("homework.col.title"), width="large", max_chars=100_000),
                "owner": st.column_config.TextColumn(tr("homework.col.owner"), max_chars=200),
                "due": st.column_config.DateColumn(tr("homework.col.due")),
                "overdue": st.column_config.CheckboxColumn(tr("homework.col.overdue")),
                "effort": st.column_config.SelectboxColumn(
                    tr("homework.col.effort"), options=["S", "M", "L"], required=True
                ),
                "status": st.column_config.SelectboxColumn(
                    tr("homework.col.status"), options=list(by_label), required=True
                ),
                "components": st.column_config.TextColumn(tr("homework.col.components")),
                "notes": st.column_config.TextColumn(tr("homework.col.notes"), max_chars=100_000),
                "accepted_reason": st.column_config.TextColumn(tr("homework.col.accepted_reason"), max_chars=100_000),
                "accepted_by": st.column_config.TextColumn(tr("homework.col.accepted_by"), max_chars=200),
            },
        )
        rows = edited.to_dict("records")
        before = frame.to_dict("records")
        changed = [  # a title left as shown is not saved: it may be the item's words said in the page's language
            {k: v for k, v in r.items() if k != "title" or v != b["title"]}
            | {"status": by_label.get(str(r["status"]), status.value)}
            for r, b in zip(rows, before, strict=True)
            if r != b
        ]
        if changed:
            try:
                new = apply_edits(plan, changed, now, by=advisor)
            except ValueError:
                wants_accept = any(r["status"] == Status.risk_accepted.value for r in changed)
                st.error(
                    tr("homework.accept_needs_reason")
                    if wants_accept
                    else tr("homework.bad_edit", detail=tr("homework.col.due"))
                )
            else:
                if new != plan:
                    _save(new, tr("homework.saved"))


def export_buttons(ws: Workshop, plan: HomeworkPlan, today: dt.date, review: Review | None) -> None:
    """CSV and Excel of the plan, formula-safe, for the customer's own tracker, in the page's language."""
    frame = pd.DataFrame(export_rows(plan, ctx.lang, today, review.findings if review is not None else []))
    base = safe_filename(f"{ws.meta.customer} {tr('homework.title')}".strip(), "csv")[:-4]
    c1, c2 = st.columns(2)
    c1.download_button(
        tr("homework.export_csv"), to_safe_csv(frame), file_name=f"{base}.csv", mime="text/csv", key="hw_csv"
    )
    c2.download_button(
        tr("homework.export_xlsx"),
        to_safe_excel(frame, tr("homework.title")),
        file_name=f"{base}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="hw_xlsx",
    )


def _item_table(items: list) -> None:  # type: ignore[type-arg]
    if not items:
        st.caption(tr("homework.nothing"))
        return
    st.dataframe(
        pd.DataFrame(
            [
                {
                    tr("homework.col.id"): i.id,
                    tr("homework.col.title"): i.title,
                    tr("homework.col.owner"): i.owner,
                    tr("homework.col.due"): i.due,
                    tr("homework.col.status"): _status_label(i.status.value),
                }
                for i in items
            ]
        ),
        hide_index=True,
        placeholder="—",
    )


def service_review_panel(ws: Workshop, plan: HomeworkPlan, review: Review | None, today: dt.date) -> None:
    """For a milestone meeting: closed since the last milestone, overdue, new, and the score trend."""
    milestones = sorted(
        (Milestone.model_validate(a.data) for a in ws.artefacts_of(ArtefactKind.MILESTONE)),
        key=lambda m: (m.date, m.created_at),
    )
    now_key = "__now__"
    options = [now_key, *range(len(milestones))][::-1] if milestones else [now_key]
    choice = st.selectbox(
        tr("homework.review_at"),
        options,
        index=0,
        key="hw_review_at",
        format_func=lambda o: (
            tr("homework.review_now")
            if o == now_key
            else f"{milestones[int(o)].date.isoformat()} · {display_text(milestones[int(o)].name)}"
        ),
    )
    if choice == now_key:
        previous = milestones[-1] if milestones else None
        until = None
    else:
        previous = milestones[int(choice) - 1] if int(choice) > 0 else None
        until = milestones[int(choice)].created_at
    if previous is not None:
        st.caption(tr("homework.review_since", name=previous.name, date=previous.date.isoformat()))
    else:
        st.caption(tr("homework.review_no_milestone"))
    result = service_review(plan, previous.created_at if previous else None, today, until)
    cols = st.columns(4)
    cols[0].metric(tr("homework.closed"), len(result.closed))
    cols[1].metric(tr("homework.overdue"), len(result.overdue))
    cols[2].metric(tr("homework.new"), len(result.new))
    cols[3].metric(tr("homework.open"), result.open_count)
    for key, items in (("closed", result.closed), ("overdue", result.overdue), ("new", result.new)):
        st.markdown(f"**{tr('homework.' + key)}** ({len(items)})")
        _item_table(items)
    trend = [{"when": f"{m.date.isoformat()} {m.name}", "score": m.overall or 0.0} for m in milestones]
    if review is not None:
        trend.append({"when": tr("homework.current"), "score": float(review.scores.overall)})
    if trend:
        st.markdown(f"**{tr('homework.score_trend')}**")
        st.altair_chart(
            alt.Chart(pd.DataFrame(trend))
            .mark_line(point=True)
            .encode(
                x=alt.X("when:N", sort=[r["when"] for r in trend], title=None),
                y=alt.Y("score:Q", scale=alt.Scale(domain=[0, 100]), title=tr("report.score")),
            ),
            width="stretch",
        )


ctx = _ui.page_context()
st.title(tr("homework.title"))
st.caption(tr("homework.intro"))
if ctx.workshop is None:
    st.info(tr("app.no_workshop"))
    st.stop()
locked = _ui.read_only_banner(ctx)  # a viewer or a read-only link: the plan is shown, never changed
if flash := st.session_state.pop("flash_homework", None):
    st.success(flash)
workshop = ctx.workshop
with _ui.boundary():
    tz, _ = workshop_timezone(workshop)
    now = dt.datetime.now(tz)
    today = now.date()
    plan = plan_of(workshop)
    review, version = current_review(workshop)
    if review is not None and plan.items and version != plan.reviewed_version:
        reviewed = reconcile(plan, review.findings, now, version)
        reopened = sum(
            1
            for a, b in zip(plan.items, reviewed.items, strict=True)
            if b.status == Status.open and a.status != Status.open
        )
        proposed = sum(i.proposed_done for i in reviewed.items)
        _save(
            reviewed,
            tr("homework.reconciled", version=version or "", reopened=reopened, proposed=proposed)
            if proposed or reopened
            else None,
        )
    advisor = workshop.meta.advisor
    section = st.segmented_control(
        " ",
        ["plan", "review"],
        default="plan",
        key="hw_section",
        format_func=_ui.labeller("homework.tab_"),
        label_visibility="collapsed",
    )
    if (section or "plan") == "plan":
        proposed_panel(plan, now, advisor)
        if not locked:
            take_panel(plan, review, version, now, advisor)
        if plan.items:
            plan_tables(plan, today, now, advisor, review)
            export_buttons(workshop, plan, today, review)
            if not locked:
                edit_panel(plan, now, advisor)
        else:
            st.caption(tr("homework.empty"))
        if not locked:
            add_panel(plan, now, advisor)
    else:
        service_review_panel(workshop, plan, review, today)
