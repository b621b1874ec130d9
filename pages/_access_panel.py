"""Who may see the open workshop (members, read-only links) and what happened to it (the history).

Thin: every rule (only owners manage, the last owner stays, links are shown once) is in the core's
:class:`workbench.access.AccessStore`; this module draws and forwards.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

import pandas as pd
import streamlit as st

from pages import _auth, _ui
from workbench.access.principal import PrincipalKind
from workbench.errors import WorkbenchError
from workbench.store.models import LOCAL_ACTOR, AuditAction, AuditEntry, Role

tr = _ui.tr


def _role_name(role: Role | str) -> str:
    return tr(f"access.role.{Role(role).value}")


def _share_url(token: str) -> str:
    """The link a customer opens: this app's address, the Workshops page, the token and the language.

    The Workshops page is the app's default page, and Streamlit serves a default page at the app's root only (its
    ``url_path`` is ""): "/workshops" showed "Page not found" before the workshop.  This panel is drawn on that
    page, so ``st.context.url`` is the root itself (with a server's base path, if one is configured)."""
    here = urlsplit(str(getattr(st.context, "url", "") or ""))
    root = f"{here.scheme}://{here.netloc}{here.path.rstrip('/')}" if here.scheme and here.netloc else ""
    return f"{root}/?" + urlencode({_auth.SHARE_PARAM: token, "lang": _ui.current_language()})


def members_panel(ctx: _ui.PageContext) -> None:
    """List the members, add or re-role one, remove one (owners only)."""
    ws = ctx.workshop
    assert ws is not None
    st.caption(tr("access.members_intro"))
    if ctx.principal.kind is PrincipalKind.LOCAL:
        st.info(tr("access.members_local"), icon="ℹ️")
    members = ctx.store.members(ws.id)
    if not members:
        st.info(tr("access.members_none"))
    for i, m in enumerate(members):
        left, right = st.columns([5, 1])
        left.text(tr("access.member_row", email=m.email, role=_role_name(m.role), by=_actor(m.added_by),
                     when=_ui.local_time(m.added_at)))
        if right.button(tr("access.member_remove"), key=f"member_remove_{i}"):
            _act(lambda email=m.email: ctx.store.remove_member(ws.id, email),
                 _ui.tr_user("access.member_removed", email=m.email))
    with st.form("member_form", clear_on_submit=True):
        left, right = st.columns([3, 2])
        email = left.text_input(tr("access.member_email"), max_chars=320, key="member_email")
        role = right.selectbox(tr("access.member_role"), options=[r.value for r in Role],
                               format_func=_ui.labeller("access.role."), key="member_role")
        if st.form_submit_button(tr("access.member_add")):
            _act(lambda: ctx.store.set_member(ws.id, email, role),
                 _ui.tr_user("access.member_saved", email=email.strip().lower(), role=_role_name(role)))


def share_panel(ctx: _ui.PageContext) -> None:
    """Create read-only links (each shown once) and revoke them (owners only)."""
    ws = ctx.workshop
    assert ws is not None
    st.caption(tr("access.share_intro"))
    if st.button(tr("access.share_create"), key="share_create", icon=":material/link:"):
        try:
            _, token = ctx.store.create_share_link(ws.id)
        except WorkbenchError as exc:
            _ui.show_error(exc)
        else:
            st.success(tr("access.share_created"))
            st.code(_share_url(token), language=None)
    links = ctx.store.share_links(ws.id)
    if not links:
        st.caption(tr("access.share_none"))
    for link in links:
        left, right = st.columns([5, 1])
        if link.active:
            left.text(tr("access.share_row", id=link.id, by=_actor(link.created_by),
                         when=_ui.local_time(link.created_at)))
            if right.button(tr("access.share_revoke"), key=f"share_revoke_{link.id}"):
                _act(lambda lid=link.id: ctx.store.revoke_share_link(ws.id, lid),
                     tr("access.share_revoked", id=link.id))
        else:
            left.caption(tr("access.share_revoked_row", id=link.id, when=_ui.local_time(link.revoked_at)))


def _actor(actor: str) -> str:
    return tr("access.audit_local") if actor == LOCAL_ACTOR else actor


def _what(entry: AuditEntry) -> str:
    text = tr(f"access.action.{entry.action.value}")
    if entry.kind:
        text += " " + _ui.kind_name(entry.kind)
    return text


def _item(entry: AuditEntry) -> str:
    """The artefact, or for a member change "e-mail → role" with the role translated (stored as its value)."""
    if entry.artefact_id:
        return entry.artefact_id
    if entry.action is AuditAction.MEMBER:
        email, _, role = entry.detail.rpartition(" ")
        if role in {r.value for r in Role}:
            return tr("access.audit_member_role", email=email, role=_role_name(role))
        if role == "none":
            return tr("access.audit_member_removed", email=email)
    return entry.detail


def history_frame(entries: list[AuditEntry]) -> pd.DataFrame:
    """The trail as a table, newest first, with translated headers and times in the user's zone."""
    rows = [
        {tr("access.audit_when"): _ui.local_time(e.at), tr("access.audit_who"): _actor(e.actor),
         tr("access.audit_what"): _what(e), tr("access.audit_artefact"): _item(e),
         tr("access.audit_version"): e.version}
        for e in reversed(entries)
    ]
    return pd.DataFrame(rows)


def history_panel(ctx: _ui.PageContext) -> None:
    """Who changed what and when in the open workshop."""
    ws = ctx.workshop
    assert ws is not None
    st.caption(tr("access.audit_intro"))
    entries = ctx.store.history(ws.id)
    if not entries:
        st.info(tr("access.audit_empty"))
        return
    st.dataframe(history_frame(entries), hide_index=True, width="stretch")


def _act(action: object, done: str) -> None:
    """Run a member or link change; say what happened, or why not, and refresh."""
    try:
        action()  # type: ignore[operator]
    except WorkbenchError as exc:
        _ui.show_error(exc)
        return
    st.session_state["flash"] = done
    st.rerun()


def access_panels(ctx: _ui.PageContext) -> None:
    """The members, links and history of the open workshop, each in its own tab, for whoever may see it."""
    if ctx.workshop is None or not ctx.principal.is_team_member:
        return
    panels = [("access.members_header", members_panel), ("access.share_header", share_panel)] if ctx.is_owner else []
    panels.append(("access.audit_header", history_panel))
    # A key and state tracking keep the chosen tab across reruns (a button inside must not jump back to the first).
    tabs = st.tabs([tr(label) for label, _ in panels], key=f"access_tabs_{len(panels)}", on_change="rerun")
    for tab, (_, draw) in zip(tabs, panels, strict=True):
        with tab:
            draw(ctx)
