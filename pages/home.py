"""Workshops: create, open, rename, duplicate, delete, search, export and import; members, links and history.

What the user may do is decided by the core (``ctx.store`` is access-checked); the page only hides the
buttons a role cannot use, so nobody is offered an action that would be refused.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import available_timezones

import streamlit as st

from pages import _access_panel, _ui
from workbench.errors import WorkbenchError
from workbench.exports import safe_filename
from workbench.workshop.documents import SETTINGS_ID, WorkshopSettings, workshop_settings
from workbench.workshop.exchange import export_workshop, import_workshop
from workbench.workshop.models import ArtefactKind, Workshop, WorkshopMeta

_ui.ensure_app_shell()  # pages run inside app.py, also on a fresh server's first deep link

ctx = _ui.page_context()
tr = _ui.tr
FIELD_LABELS = {"title": "home.rename", "customer": "home.customer", "advisor": "home.advisor", "date": "home.date",
                "language": "home.language", "notes": "home.notes"}
UNSAVED = "home_unsaved_fields"  # field -> widget key of edits the store refused (kept on screen to retry)

st.title(tr("home.title"))
st.caption(tr("home.intro"))


def _save_field(field: str, widget_key: str) -> None:
    value = st.session_state[widget_key]
    if field == "title" and not str(value).strip():
        st.session_state[widget_key] = ctx.workshop.meta.title if ctx.workshop else ""
        st.toast(tr("home.title_required"))
        return
    unsaved = st.session_state.setdefault(UNSAVED, {})
    if _ui.update_meta(**{field: value}):
        unsaved.pop(field, None)
        st.toast(tr("common.saved"), icon="✅")
        return
    if not _ui.last_refusal_was_stale():
        unsaved[field] = widget_key  # not saved (database gone, read-only, ...): the message says why,
        return  # the input stays on screen and "Save again" retries it
    unsaved.pop(field, None)
    latest = _ui.latest_meta()
    if latest is not None:  # refused (e.g. another tab saved first): show what is stored, so the refused text
        st.session_state[widget_key] = getattr(latest, field)  # cannot be sent again by the next event


@st.cache_data(show_spinner=False)
def _zone_names() -> list[str]:
    return sorted(z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/")))


def _save_zone(widget_key: str) -> None:
    chosen = st.session_state[widget_key] or None
    if _ui.save_doc(WorkshopSettings(timezone=chosen), SETTINGS_ID):
        st.toast(tr("common.saved"), icon="✅")
        return
    latest = _ui.latest_workshop()  # refused (another tab saved first): show what is stored
    st.session_state[widget_key] = (workshop_settings(latest).timezone or "") if latest is not None else ""


def zone_picker(ws: Workshop, locked: bool) -> None:
    """The workshop's time zone (every time shown for it); empty: each viewer's browser zone."""
    current = workshop_settings(ws).timezone or ""
    names = ["", *_zone_names()]
    if current not in names:
        names.append(current)
    browser = tr("home.timezone_browser", zone=str(_ui.browser_zone()))  # bound now: Streamlit may format later
    st.selectbox(tr("home.timezone"), names, index=names.index(current), key=f"ws_{ws.id}_timezone",
                 format_func=lambda z: z or browser, help=tr("home.timezone_help"), disabled=locked,
                 on_change=_save_zone, args=(f"ws_{ws.id}_timezone",))


def _retry_unsaved() -> None:
    for field, widget_key in list(st.session_state.get(UNSAVED, {}).items()):
        if widget_key in st.session_state:
            _save_field(field, widget_key)


def _unsaved_notice() -> None:
    """After a failed save: which fields are not saved, and a button to save them again."""
    unsaved = st.session_state.get(UNSAVED) or {}
    if not unsaved:
        return
    st.warning(tr("home.unsaved", fields=", ".join(tr(FIELD_LABELS[f]) for f in unsaved)), icon="⚠️")
    st.button(tr("home.save_again"), key="save_again", on_click=_retry_unsaved, icon=":material/save:")


def _confirm_delete(workshop_id: str, title: str) -> None:
    """An inline confirmation (kept open across reruns until confirmed or cancelled)."""
    with st.container(border=True):
        st.warning(_ui.tr_user("home.delete_confirm", title=title), icon="🗑️")
        left, right = st.columns(2)
        if left.button(tr("home.delete_yes"), type="primary", key="confirm_delete"):
            st.session_state.pop("delete_pending", None)
            ctx.store.delete(workshop_id)
            _ui.open_workshop(None)
            st.session_state["flash"] = tr("home.deleted")
            st.rerun()
        if right.button(tr("common.cancel"), key="cancel_delete"):
            st.session_state.pop("delete_pending", None)
            st.rerun()


def current_workshop_panel() -> None:
    """Edit the open workshop in place: every field saves when the user leaves it."""
    ws = ctx.workshop
    assert ws is not None
    st.subheader(tr("home.current_header"))
    locked = not ctx.can_edit
    if locked and ctx.role is not None and ctx.principal.is_team_member:
        st.caption(tr("access.read_only", role=tr(f"access.role.{ctx.role.value}")))
    elif not locked:
        st.caption(tr("home.edit_hint"))
    _unsaved_notice()
    k = f"ws_{ws.id}"
    left, right = st.columns(2)
    left.text_input(tr("home.rename"), value=ws.meta.title, key=f"{k}_title", max_chars=200, disabled=locked,
                    on_change=_save_field, args=("title", f"{k}_title"))
    right.text_input(tr("home.customer"), value=ws.meta.customer, key=f"{k}_customer", max_chars=200,
                     disabled=locked, on_change=_save_field, args=("customer", f"{k}_customer"))
    left.text_input(tr("home.advisor"), value=ws.meta.advisor, key=f"{k}_advisor", max_chars=200, disabled=locked,
                    on_change=_save_field, args=("advisor", f"{k}_advisor"))
    right.date_input(tr("home.date"), value=ws.meta.date, key=f"{k}_date", disabled=locked,
                     on_change=_save_field, args=("date", f"{k}_date"))
    st.selectbox(tr("home.language"), options=list(_ui.LANGUAGE_NAMES), format_func=_ui.LANGUAGE_NAMES.get,
                 index=list(_ui.LANGUAGE_NAMES).index(ws.meta.language), key=f"{k}_language", disabled=locked,
                 on_change=_save_field, args=("language", f"{k}_language"))
    st.text_area(tr("home.notes"), value=ws.meta.notes, key=f"{k}_notes", max_chars=20_000, disabled=locked,
                 on_change=_save_field, args=("notes", f"{k}_notes"))
    zone_picker(ws, locked)
    counts = {kind: len(ws.artefacts_of(kind)) for kind in ArtefactKind}
    if any(counts.values()):
        st.caption(tr("home.artefacts") + ": " + " · ".join(
            tr("home.artefact_count", kind=tr(f"home.kind.{kind.value}"), count=n) for kind, n in counts.items() if n))
    st.caption(tr("home.version", version=ws.version, updated=_ui.local_time(ws.updated_at)))
    c1, c2, c3, c4 = st.columns(4)
    history = ctx.store.history(ws.id) if ctx.principal.is_team_member else None
    c1.download_button(tr("home.export"), data=export_workshop(ws, history).encode("utf-8"),
                       file_name=safe_filename(ws.meta.title, "json"), mime="application/json", key="export")
    if ctx.principal.can_create and c2.button(tr("home.duplicate"), key="duplicate"):
        copy = ctx.store.duplicate(ws.id, f"{ws.meta.title} {tr('home.copy_suffix')}")
        _ui.open_workshop(copy.id)
        st.session_state["flash"] = _ui.tr_user("home.duplicated", title=copy.meta.title)
        st.rerun()
    if ctx.is_owner and c3.button(tr("home.delete"), key="delete"):
        st.session_state["delete_pending"] = ws.id
    if st.session_state.get("delete_pending") == ws.id:
        _confirm_delete(ws.id, ws.meta.title)
    if c4.button(tr("home.close"), key="close"):
        _ui.open_workshop(None)
        st.rerun()


CREATE_FIELDS = ("create_title", "create_customer", "create_advisor", "create_date", "create_language")


def create_form() -> None:
    # not clear_on_submit: when the store refuses (e.g. the database is read-only) the typed fields stay to retry;
    # they are cleared only once the workshop exists
    with st.expander(tr("home.create_header"), expanded=ctx.workshop is None), \
            st.form("create_workshop", clear_on_submit=False):
            left, right = st.columns(2)
            title = left.text_input(tr("home.title_field"), max_chars=200, key="create_title")
            customer = right.text_input(tr("home.customer"), max_chars=200, key="create_customer")
            advisor = left.text_input(tr("home.advisor"), max_chars=200, key="create_advisor")
            date = right.date_input(tr("home.date"), value=dt.date.today(), key="create_date")
            language = st.selectbox(tr("home.language"), options=list(_ui.LANGUAGE_NAMES),
                                    format_func=_ui.LANGUAGE_NAMES.get, index=list(_ui.LANGUAGE_NAMES).index(ctx.lang),
                                    key="create_language")
            if st.form_submit_button(tr("home.create"), type="primary"):
                if not title.strip():
                    st.error(tr("home.title_required"))
                    return
                try:
                    ws = ctx.store.create(WorkshopMeta(title=title, customer=customer, advisor=advisor, date=date,
                                                       language=language))
                except WorkbenchError as exc:
                    _ui.show_error(exc)
                    return
                for key in CREATE_FIELDS:
                    st.session_state.pop(key, None)
                _ui.open_workshop(ws.id)
                st.session_state["flash"] = _ui.tr_user("home.created", title=ws.meta.title)
                st.rerun()


def workshop_list() -> None:
    st.subheader(tr("home.list_header"))
    query = st.text_input(tr("home.search"), key="search", max_chars=100)
    rows = ctx.store.list(query)
    if not rows:
        st.info(tr("home.no_match") if query else tr("home.no_workshops"))
        return
    zones = _ui.workshop_zones()  # each workshop's times in its own zone
    header = st.columns([4, 3, 2, 2, 1])
    for col, key in zip(header, ("col_title", "col_customer", "col_advisor", "col_updated"), strict=False):
        col.caption(tr(f"home.{key}"))
    for row in rows[:100]:
        cols = st.columns([4, 3, 2, 2, 1])
        cols[0].text(_ui.name_text(row.title))
        cols[1].text(_ui.name_text(row.customer))
        cols[2].text(_ui.name_text(row.advisor))
        cols[3].text(_ui.local_time(row.updated_at, _ui.zone_named(zones.get(row.id))))
        is_open = ctx.workshop is not None and ctx.workshop.id == row.id
        if cols[4].button(tr("home.opened") if is_open else tr("home.open"), key=f"open_{row.id}",
                          disabled=is_open):
            _ui.open_workshop(row.id)
            st.rerun()


def import_panel() -> None:
    with st.expander(tr("home.import_header")):
        upload = st.file_uploader(tr("home.import_help"), type=["json"], key="import_file")
        if upload is not None and st.button(tr("home.import_button"), key="import"):
            try:
                ws = import_workshop(ctx.store, upload.getvalue())
            except WorkbenchError as exc:
                _ui.show_error(exc)
                return
            _ui.open_workshop(ws.id)
            st.session_state["flash"] = _ui.tr_user("home.imported", title=ws.meta.title)
            st.rerun()


if flash := st.session_state.pop("flash", None):
    st.success(flash)
if ctx.workshop is not None:
    current_workshop_panel()
    _access_panel.access_panels(ctx)
    st.divider()
if ctx.principal.can_create:
    create_form()
workshop_list()
if ctx.principal.can_create:
    import_panel()
