"""Capacity Workbench: the entry point.  Wires the pages, the language switch and the error boundary.

Navigation is ours, not Streamlit's auto-discovery: the default page list (taken from the ``pages/``
folder before this script runs) is switched off in ``.streamlit/config.toml`` because it flashes
file names in the sidebar; here we register each page with a fixed ASCII ``url_path`` and draw the
sidebar links with translated titles.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from pages import _auth, _ui

# (script, translation key of the title, icon, url_path). Only pages that work are listed.
PAGES: list[tuple[str, str, str, str]] = [
    ("pages/home.py", "nav.home", ":material/folder_open:", "workshops"),
    ("pages/forecast.py", "nav.forecast", ":material/trending_up:", "forecast"),
    ("pages/capacity.py", "nav.capacity", ":material/speed:", "capacity"),
    ("pages/architecture.py", "nav.architecture", ":material/account_tree:", "architecture"),
    ("pages/homework.py", "nav.homework", ":material/checklist:", "homework"),
    ("pages/report.py", "nav.report", ":material/summarize:", "report"),
    ("pages/fleet.py", "fleet.nav", ":material/radar:", "fleet"),
]

# A local image: a ":material/…:" page icon makes the browser fetch the favicon from fonts.gstatic.com,
# and the app must work offline without any request leaving the machine.
PAGE_ICON = Path(__file__).resolve().parent / "assets" / "page_icon.png"
st.set_page_config(page_title="Capacity Workbench", page_icon=str(PAGE_ICON), layout="wide")

lang = _ui.current_language()
pages = [
    st.Page(script, title=_ui.tr(key), icon=icon, url_path=url_path, default=(i == 0))
    for i, (script, key, icon, url_path) in enumerate(PAGES)
]
navigation = st.navigation(pages, position="hidden")

st.session_state.pop("_ctx", None)  # never a previous run's user: the context is rebuilt (and checked) each run
with _ui.boundary():
    st.session_state["_ctx_from_app"] = True
    ctx = _ui.build_context()
    st.session_state["_ctx"] = ctx

with st.sidebar:
    st.markdown(f"### {_ui.tr('app.name')}")
    for page in pages:
        # The links carry the language and workshop: a visit is then one browser-history entry, not three.
        st.page_link(page, label=page.title, icon=page.icon, query_params=_ui.nav_params())
    st.divider()
    choice = st.segmented_control(
        _ui.tr("app.language"), options=list(_ui.LANGUAGE_NAMES), default=lang,
        format_func=_ui.LANGUAGE_NAMES.__getitem__, key="language_switch",
    )
    if choice and choice != lang:
        _ui.set_language(choice)
        st.rerun()
    workshop = st.session_state["_ctx"].workshop if "_ctx" in st.session_state else None
    if workshop is not None:
        st.caption(_ui.tr("app.current_workshop"))
        st.text(_ui.name_text(workshop.meta.title))
    if "_ctx" in st.session_state:
        _auth.account_sidebar(st.session_state["_ctx"].principal, lang)

if "_ctx" in st.session_state and not st.session_state["_ctx"].principal.is_team_member:
    st.info(_ui.tr("access.share_banner"), icon="🔗")

try:
    with _ui.boundary():
        navigation.run()
    if "_ctx" in st.session_state:
        _ui.finish_run(st.session_state["_ctx"])
finally:
    # The context belongs to this run only: a page run on its own later must load a fresh one.
    st.session_state["_ctx_from_app"] = False
