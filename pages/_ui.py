"""Shared helpers for the Streamlit pages: language, the open workshop, saving, and the error boundary.

Pages stay thin: they ask this module for the context (language, store, open workshop), translate
with :func:`tr`, save results with :func:`save_artefact` (at once, version-checked), and run their
work inside :func:`boundary` so a user never sees a traceback.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import streamlit as st

from workbench.errors import NotFoundError, StaleWriteError, WorkbenchError
from workbench.exports import safe_filename
from workbench.i18n import LANGUAGES, format_number, normalise_language, t, t_or
from workbench.store import WorkshopStore, open_store
from workbench.texts import display_text, escape_markdown
from workbench.workshop.demo import seed_demo
from workbench.workshop.models import Artefact, ArtefactKind, Workshop
from workbench.workshop.stored import StoredProblem, stored_problems

log = logging.getLogger("workbench.ui")

LANGUAGE_NAMES = {"zh-CN": "中文", "en": "English"}
_WS = "workshop_id"
_BASE = "workshop_base_version"


@dataclass
class PageContext:
    """What every page needs: the language, the store and the open workshop (or None)."""

    lang: str
    store: WorkshopStore
    workshop: Workshop | None


@st.cache_resource(show_spinner=False)
def get_store() -> WorkshopStore:
    """One store per server process."""
    return open_store()


def current_language() -> str:
    """The language: the ``lang`` query parameter, else the session's choice, else the browser locale."""
    from_url = st.query_params.get("lang")
    if from_url in LANGUAGES:
        st.session_state["lang"] = from_url
    elif "lang" not in st.session_state:
        st.session_state["lang"] = normalise_language(getattr(st.context, "locale", None))
    lang = st.session_state["lang"]
    if st.query_params.get("lang") != lang:
        st.query_params["lang"] = lang
    return lang


def set_language(lang: str) -> None:
    """Switch language for this session and the URL."""
    st.session_state["lang"] = lang
    st.query_params["lang"] = lang


def tr(key: str, /, **params: Any) -> str:
    """Translate ``key`` into the current language."""
    return t(key, current_language(), **params)


def labeller(prefix: str) -> Any:
    """A ``format_func`` for options translated as ``prefix + option``, with today's language bound in.

    Binding the language matters: Streamlit may call a format function outside the script run.
    """
    lang = current_language()
    return lambda option: t(f"{prefix}{option}", lang)


def model_name(model: str | None) -> str:
    """A forecast model's display name ('multi_seasonal' → 'Multi-seasonal regression (ours)')."""
    return t_or(f"forecast.model.{model}", model, current_language()) if model else ""


def num(value: float | None, digits: int | None = None) -> str:
    """A number formatted for the current language."""
    return format_number(value, current_language(), digits)


def open_workshop(workshop_id: str | None) -> None:
    """Make ``workshop_id`` the open workshop (None closes it); the URL follows."""
    if workshop_id:
        st.session_state[_WS] = workshop_id
        st.query_params["workshop"] = workshop_id
        st.session_state.pop(_BASE, None)
    else:
        st.session_state.pop(_WS, None)
        st.session_state.pop(_BASE, None)
        st.query_params.pop("workshop", None)


def _load_workshop(store: WorkshopStore) -> Workshop | None:
    from_url = st.query_params.get("workshop")
    if from_url and from_url != st.session_state.get(_WS):
        st.session_state[_WS] = from_url
        st.session_state.pop(_BASE, None)
    workshop_id = st.session_state.get(_WS)
    if not workshop_id:
        return None
    if st.query_params.get("workshop") != workshop_id:
        st.query_params["workshop"] = workshop_id
    try:
        workshop = store.get(workshop_id)
    except NotFoundError as exc:
        open_workshop(None)
        st.warning(error_text(exc))
        return None
    base = st.session_state.get(_BASE)
    if base is None or base[0] != workshop.id:
        st.session_state[_BASE] = (workshop.id, workshop.version)
    return workshop


def build_context() -> PageContext:
    """Load language, store and workshop for this script run (seeding the demo on the very first run)."""
    lang, store = current_language(), get_store()
    if not st.session_state.get("_demo_checked"):
        seed_demo(store, lang)
        st.session_state["_demo_checked"] = True
    return PageContext(lang=lang, store=store, workshop=_load_workshop(store))


def ensure_app_shell() -> None:
    """Make sure pages always run inside ``app.py`` (navigation, sidebar, language switch, error boundary).

    Streamlit keeps a legacy mode for apps with a ``pages/`` folder: until ``st.navigation`` has run
    once in the process, a first request for ``/report`` runs ``pages/report.py`` on its own, without
    the shell (the same mechanism makes the file list flash in the sidebar).  In that mode we leave it
    and run ``app.py`` in this same script run (so widget events of the run are kept); ``app.py``
    resolves the same URL to this page, which then runs normally.  Call it first thing in every page.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if not PagesManager.uses_pages_directory:
        return
    PagesManager.uses_pages_directory = False
    app = Path(__file__).resolve().parents[1] / "app.py"
    exec(compile(app.read_text(encoding="utf-8"), str(app), "exec"), {"__name__": "__main__", "__file__": str(app)})  # noqa: S102
    st.stop()


def page_context() -> PageContext:
    """The context prepared by ``app.py`` for this run, or a fresh one when a page runs alone (tests)."""
    ctx = st.session_state.get("_ctx")
    if ctx is not None and st.session_state.get("_ctx_from_app"):
        return ctx  # type: ignore[no-any-return]
    return build_context()


def _write_base(workshop: Workshop) -> int:
    """The version the user saw when acting: the one displayed by the previous run."""
    base = st.session_state.get(_BASE)
    return base[1] if base and base[0] == workshop.id else workshop.version


def finish_run(ctx: PageContext) -> None:
    """Remember the version this run displayed: the next write is based on what the user saw."""
    if ctx.workshop is None:
        return
    base = st.session_state.get(_BASE)
    own = base[1] if base and base[0] == ctx.workshop.id else 0
    st.session_state[_BASE] = (ctx.workshop.id, max(own, ctx.workshop.version))


def _after_write(workshop_id: str, version: int) -> None:
    st.session_state[_BASE] = (workshop_id, version)


def _stale(exc: StaleWriteError, workshop_id: str) -> None:
    show_error(exc)
    try:
        st.session_state[_BASE] = (workshop_id, get_store().version(workshop_id))
    except NotFoundError:
        open_workshop(None)


def save_artefact(kind: ArtefactKind | str, artefact_id: str, data: dict[str, Any], schema_version: int = 1) -> bool:
    """Save one artefact into the open workshop at once; False (with a message) when it was refused."""
    ctx = page_context()
    if ctx.workshop is None:
        st.info(tr("app.no_workshop"))
        return False
    try:
        version = ctx.store.put_artefact(ctx.workshop.id, _write_base(ctx.workshop), kind, artefact_id, data,
                                         schema_version)
    except StaleWriteError as exc:
        _stale(exc, ctx.workshop.id)
        return False
    except WorkbenchError as exc:
        show_error(exc)
        return False
    _after_write(ctx.workshop.id, version)
    return True


def delete_artefact(kind: ArtefactKind | str, artefact_id: str) -> bool:
    """Remove one artefact from the open workshop."""
    ctx = page_context()
    if ctx.workshop is None:
        return False
    try:
        version = ctx.store.delete_artefact(ctx.workshop.id, _write_base(ctx.workshop), kind, artefact_id)
    except StaleWriteError as exc:
        _stale(exc, ctx.workshop.id)
        return False
    _after_write(ctx.workshop.id, version)
    return True


def update_meta(**changes: Any) -> bool:
    """Change workshop fields (title, notes, …) at once, version-checked."""
    ctx = page_context()
    if ctx.workshop is None:
        return False
    try:
        meta = ctx.workshop.meta.model_validate({**ctx.workshop.meta.model_dump(), **changes})
        version = ctx.store.update_meta(ctx.workshop.id, _write_base(ctx.workshop), meta)
    except StaleWriteError as exc:
        _stale(exc, ctx.workshop.id)
        return False
    except WorkbenchError as exc:
        show_error(exc)
        return False
    except ValueError as exc:  # pydantic validation of a field
        st.error(tr("errors.validation.field", field=", ".join(changes), detail=str(exc).splitlines()[-1][:200]))
        return False
    _after_write(ctx.workshop.id, version)
    ctx.workshop = ctx.store.get(ctx.workshop.id)
    return True


def load_artefact(kind: ArtefactKind | str, artefact_id: str) -> dict[str, Any] | None:
    """The data of one artefact of the open workshop, or None."""
    ctx = page_context()
    if ctx.workshop is None:
        return None
    art = ctx.workshop.artefact(kind, artefact_id)
    return art.data if art else None


def list_artefacts(kind: ArtefactKind | str) -> list[Artefact]:
    """The artefacts of one kind in the open workshop, newest first."""
    ctx = page_context()
    return ctx.workshop.artefacts_of(kind) if ctx.workshop else []


#: Longest user text quoted inside a message (a 100,000-character id must not flood the page).
MESSAGE_TEXT_LIMIT = 300


def escape_md(text: object) -> str:
    """User text made inert for Streamlit's Markdown (messages, toasts, labels): see workbench.texts."""
    return escape_markdown(text, MESSAGE_TEXT_LIMIT)


def _inert_params(params: dict[str, Any]) -> dict[str, Any]:
    # text is escaped; numbers stay numbers so the catalogue formats them for the language
    return {k: escape_md(v) if isinstance(v, str) else v for k, v in params.items()}


def tr_user(key: str, /, **user_params: object) -> str:
    """Translate ``key`` whose parameters are user-provided text, escaped for Markdown elements."""
    return tr(key, **_inert_params(user_params))


def error_text(exc: WorkbenchError) -> str:
    """A core error's message for a Markdown element: its parameters (ids, names, file text) are inert."""
    return tr(exc.key, **_inert_params(exc.params))


def kind_name(kind: str) -> str:
    """A stored document's kind in the user's language ('draft' → 'Draft')."""
    return t_or(f"stored.kind.{kind}", tr("stored.kind.other"), current_language())


def stored_problem_row(problem: StoredProblem, key: str, message_key: str = "stored.problem") -> bool:
    """One unusable stored document: its problem, a download of its text and a discard button.

    True when the user discarded it (the caller reruns); the message quotes nothing as Markdown.
    """
    what, ident = kind_name(problem.kind), escape_md(problem.artefact_id)
    st.warning(tr(message_key, what=what, id=ident, problem=tr(problem.key, **_inert_params(problem.params))),
               icon="⚠️")
    left, right = st.columns(2)
    left.download_button(tr("stored.download"), problem.raw.encode("utf-8"), key=f"{key}_download",
                         file_name=safe_filename(f"{problem.kind}-{problem.artefact_id}", "json"),
                         mime="application/json", icon=":material/download:")
    discard = right.button(tr("stored.discard"), key=f"{key}_discard", icon=":material/delete:")
    if discard and delete_artefact(problem.kind, problem.artefact_id):
        st.toast(tr("stored.discarded", what=what, id=ident))
        return True
    return False


def stored_problems_panel(kinds: list[str] | None, key: str) -> list[StoredProblem]:
    """List the open workshop's stored documents of ``kinds`` (all when None) that cannot be used; returns them
    so the page can leave them out of its choices.  Nothing is shown when all are fine."""
    ctx = page_context()
    if ctx.workshop is None:
        return []
    problems = stored_problems(ctx.workshop, kinds)
    if not problems:
        return []
    with st.container(border=True):
        st.markdown(f"**{tr('stored.header')}**")
        for i, problem in enumerate(problems):
            if stored_problem_row(problem, f"{key}_{i}"):
                st.rerun()
    return problems


def name_text(name: object) -> str:
    """A user's name (title, customer, id) for plain-text places in a layout: one line, no bidi, shortened."""
    return display_text(name)


def show_error(exc: WorkbenchError) -> None:
    """Show a core error translated, never its traceback."""
    st.error(error_text(exc), icon="⚠️")


def _is_control_flow(exc: BaseException) -> bool:
    # st.rerun / st.stop / page switches are exceptions Streamlit must see.
    return type(exc).__module__.startswith("streamlit.runtime.scriptrunner")


@contextmanager
def boundary() -> Iterator[None]:
    """Run page code so that errors become translated messages, never tracebacks or server paths."""
    try:
        yield
    except WorkbenchError as exc:
        show_error(exc)
    except Exception as exc:
        if _is_control_flow(exc):
            raise
        incident = secrets.token_hex(4)
        log.exception("Unhandled error, incident %s", incident)
        st.error(tr("app.unexpected_error", incident=incident), icon="🚨")
