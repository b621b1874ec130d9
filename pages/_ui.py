"""Shared helpers for the Streamlit pages: language, the open workshop, saving, and the error boundary.

Pages stay thin: they ask this module for the context (language, store, open workshop), translate
with :func:`tr`, save results with :func:`save_artefact` (at once, version-checked), and run their
work inside :func:`boundary` so a user never sees a traceback.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import streamlit as st
from streamlit.errors import StreamlitAPIException

from pages import _auth
from workbench.access import AccessStore, Principal
from workbench.access.principal import PrincipalKind
from workbench.errors import ForbiddenError, NotFoundError, StaleWriteError, WorkbenchError
from workbench.exports import safe_filename
from workbench.i18n import LANGUAGES, format_date, format_number, normalise_language, t, t_or
from workbench.store import WorkshopStore, open_store
from workbench.store.models import Role
from workbench.texts import display_text, escape_markdown
from workbench.workshop import documents
from workbench.workshop.chain import Provenance
from workbench.workshop.demo import seed_demo
from workbench.workshop.documents import Document
from workbench.workshop.models import Artefact, ArtefactKind, Workshop, WorkshopMeta
from workbench.workshop.safe_load import StoredProblem, stored_problems

D = TypeVar("D", bound=Document)

log = logging.getLogger("workbench.ui")

LANGUAGE_NAMES = {"zh-CN": "中文", "en": "English"}
_WS = "workshop_id"
_BASE = "workshop_base_version"


@dataclass
class PageContext:
    """What every page needs: the language, the access-checked store, who is asking, and the open workshop."""

    lang: str
    store: AccessStore
    workshop: Workshop | None
    principal: Principal = field(default_factory=Principal.local)
    role: Role | None = None  # the principal's role in the open workshop
    shown: set[str] = field(default_factory=set)  # messages already shown in this run (a refusal once, not per save)

    @property
    def can_edit(self) -> bool:
        """Whether the open workshop may be changed by this user (editors and owners)."""
        return self.role is not None and self.role.covers(Role.EDITOR)

    @property
    def is_owner(self) -> bool:
        """Whether this user owns the open workshop (members, links, deletion)."""
        return self.role is Role.OWNER and self.principal.is_team_member


def read_only(ctx: PageContext) -> bool:
    """Whether a workshop is open that this user may only view (no workshop open: pages behave as before)."""
    return ctx.workshop is not None and not ctx.can_edit


def read_only_banner(ctx: PageContext) -> bool:
    """On a workshop-bound page, say once at the top that the open workshop is read-only for this user.

    True when the user cannot edit it (a viewer or a read-only link): the page then disables or leaves out
    its write actions (``disabled=locked``) and skips its automatic saves; downloads stay available.
    """
    locked = read_only(ctx)
    if locked:
        st.info(tr("access.read_only_page"), icon=":material/lock:")
    return locked


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
    return str(st.session_state["lang"])


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


def browser_zone() -> dt.tzinfo:
    """The browser's time zone (``st.context.timezone``); UTC when it is unknown or invalid."""
    name = getattr(st.context, "timezone", None)
    try:
        return ZoneInfo(name) if name else dt.UTC
    except (ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def zone_named(name: str | None) -> dt.tzinfo:
    """The zone called ``name`` (a workshop's setting); the browser's when it is None or unknown."""
    try:
        return ZoneInfo(name) if name else browser_zone()
    except (ZoneInfoNotFoundError, ValueError):
        return browser_zone()


def time_zone() -> dt.tzinfo:
    """The zone times are shown in: the open workshop's setting, else the browser's.  The workshop's setting makes
    a Beijing workshop read in Beijing time for everyone in the room, whatever their laptop says."""
    workshop = page_context().workshop
    return zone_named(documents.workshop_settings(workshop).timezone if workshop is not None else None)


def local_time(value: dt.datetime | None, zone: dt.tzinfo | None = None) -> str:
    """A stored (UTC) timestamp in ``zone`` (default: :func:`time_zone`), written the way the language writes
    dates."""
    if value is None:
        return "—"
    aware = value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
    return format_date(aware.astimezone(zone or time_zone()), current_language(), with_time=True)


def workshop_zones() -> dict[str, str]:
    """Each workshop's own time zone (those that set one), for lists of workshops (one query)."""
    stored = get_store().artefact_everywhere(documents.WorkshopSettings.KIND, documents.SETTINGS_ID)
    return {wid: zone for wid, data in stored.items() if (zone := documents.zone_of(data))}


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


def _load_workshop(store: AccessStore) -> Workshop | None:
    if store.principal.kind is PrincipalKind.SHARE:  # a share link opens its one workshop, whatever the URL says
        st.session_state[_WS] = store.principal.workshop_id
    from_url = st.query_params.get("workshop")
    if from_url and from_url != st.session_state.get(_WS):
        st.session_state[_WS] = from_url
        st.session_state.pop(_BASE, None)
    workshop_id = st.session_state.get(_WS)
    if not workshop_id:
        return None
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


def nav_params() -> dict[str, str]:
    """The query parameters every page's URL carries: the language and the open workshop."""
    params = {"lang": current_language()}
    if st.session_state.get(_WS):
        params["workshop"] = str(st.session_state[_WS])
    if token := _auth.share_token():
        params[_auth.SHARE_PARAM] = token
    return params


def sync_url() -> None:
    """Put the language and the open workshop in the URL in one change (each change of the query string is one
    browser-history entry, so links and page switches carry them already and this is usually a no-op)."""
    wanted = nav_params()
    names = ("lang", "workshop", _auth.SHARE_PARAM)
    current = {k: st.query_params.get(k) for k in names}
    if any(current.get(k) != v for k, v in wanted.items()) or (current["workshop"] and "workshop" not in wanted):
        params = {k: v for k, v in st.query_params.to_dict().items() if k not in names}
        try:
            st.query_params.from_dict({**params, **wanted})
        except StreamlitAPIException:  # a parameter bound to a widget (an open tab) may only change through it
            for key, value in wanted.items():
                st.query_params[key] = value
            if "workshop" not in wanted:
                st.query_params.pop("workshop", None)


def build_context() -> PageContext:
    """Load language, user, store and workshop for this script run (seeding the demo on a laptop's first run).

    With sign-in configured and nobody signed in, this shows the sign-in screen and stops the run.
    """
    lang, raw = current_language(), get_store()
    principal = _auth.current_principal(raw, lang)
    store = AccessStore(raw, principal)
    if principal.kind is PrincipalKind.LOCAL and not st.session_state.get("_demo_checked"):
        seed_demo(store, lang)  # a team server starts empty: a demo would belong to nobody
        st.session_state["_demo_checked"] = True
    workshop = _load_workshop(store)
    ctx = PageContext(lang=lang, store=store, workshop=workshop, principal=principal,
                      role=store.role(workshop.id) if workshop else None)
    sync_url()
    return ctx


def ensure_app_shell() -> None:
    """Make sure pages always run inside ``app.py`` (navigation, sidebar, language switch, error boundary).

    Streamlit keeps a legacy mode for apps with a ``pages/`` folder: until ``st.navigation`` has run
    once in the process, a first request for ``/report`` runs ``pages/report.py`` on its own, without
    the shell (the same mechanism makes the file list flash in the sidebar).  In that mode we leave it
    and run ``app.py`` in this same script run (so widget events of the run are kept); ``app.py``
    resolves the same URL to this page, which then runs normally.  Call it first thing in every page.

    Why a workaround (checked in Streamlit 1.5x's source): the legacy mode is the class attribute
    ``PagesManager.uses_pages_directory``, set from the mere existence of ``pages/`` next to the main script when
    the first session starts (``runtime/pages_manager.py``) and cleared only by a call of ``st.navigation``
    (``commands/navigation.py``); while it is set, ``ScriptRunner`` runs ``_mpa_v1``, which resolves a deep link to
    the page file itself.  No config option switches it off (``client.showSidebarNavigation = false`` only hides
    the list), and the one startup hook, a lifespan of an ASGI ``st.App``, would change ``streamlit run app.py``.
    The folder keeps its name (the layout asked for), so this function is the one place that handles it.
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


_REFUSED_STALE = "_last_write_refused_stale"


def last_refusal_was_stale() -> bool:
    """Whether the last refused write lost to a newer version (then the page shows what is stored); after
    any other failure (database gone, read-only, unreachable) the user's input stays on screen to retry."""
    return bool(st.session_state.get(_REFUSED_STALE))


def _failed(exc: WorkbenchError) -> None:
    st.session_state[_REFUSED_STALE] = False
    show_error(exc)


def _stale(exc: StaleWriteError, workshop_id: str) -> None:
    show_error(exc)
    st.session_state[_REFUSED_STALE] = True
    try:
        st.session_state[_BASE] = (workshop_id, get_store().version(workshop_id))
    except NotFoundError:
        open_workshop(None)


def _refused(ctx: PageContext, exc: ForbiddenError) -> None:
    """A write the user's role does not allow: said once per run (a page may try several saves), never "saved"."""
    if exc.key not in ctx.shown:
        ctx.shown.add(exc.key)
        show_error(exc)


def save_artefact(kind: ArtefactKind | str, artefact_id: str, data: dict[str, Any], schema_version: int = 1) -> bool:
    """Save one artefact into the open workshop at once; False (with a message) when it was refused."""
    ctx = page_context()
    if ctx.workshop is None:
        st.info(tr("app.no_workshop"))
        return False
    try:
        version = ctx.store.put_artefact(ctx.workshop.id, _write_base(ctx.workshop), kind, artefact_id, data,
                                         schema_version)
    except ForbiddenError as exc:
        _refused(ctx, exc)
        return False
    except StaleWriteError as exc:
        _stale(exc, ctx.workshop.id)
        return False
    except WorkbenchError as exc:
        _failed(exc)
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
    except ForbiddenError as exc:
        _refused(ctx, exc)
        return False
    except StaleWriteError as exc:
        _stale(exc, ctx.workshop.id)
        return False
    except WorkbenchError as exc:
        _failed(exc)
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
    except ForbiddenError as exc:
        _refused(ctx, exc)
        return False
    except StaleWriteError as exc:
        _stale(exc, ctx.workshop.id)
        return False
    except WorkbenchError as exc:
        _failed(exc)
        return False
    except ValueError as exc:  # pydantic validation of a field
        st.error(tr("errors.validation.field", field=", ".join(changes), detail=str(exc).splitlines()[-1][:200]))
        return False
    _after_write(ctx.workshop.id, version)
    ctx.workshop = ctx.store.get(ctx.workshop.id)
    return True


def latest_meta() -> WorkshopMeta | None:
    """The open workshop's metadata as stored now (after a refused write, to show what won)."""
    ctx = page_context()
    if ctx.workshop is None:
        return None
    try:
        return ctx.store.get(ctx.workshop.id).meta
    except NotFoundError:
        return None


def latest_workshop() -> Workshop | None:
    """The open workshop as stored now (after a refused write, to show what won)."""
    ctx = page_context()
    if ctx.workshop is None:
        return None
    try:
        return ctx.store.get(ctx.workshop.id)
    except NotFoundError:
        return None


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


def _unreadable(exc: WorkbenchError) -> None:
    """A stored document that no longer matches its model is skipped with a message, never a crash: the rest
    of the workshop stays usable (the message names the artefact and the field)."""
    shown = st.session_state.setdefault("_unreadable_shown", set())
    text = exc.translate(current_language())
    if text not in shown:
        shown.add(text)
        st.warning(text, icon="⚠️")


def read_doc(model: type[D], artefact_id: str | None) -> D | None:
    """One typed document of the open workshop, or None (also when it is unreadable: then a message says so)."""
    try:
        return documents.read(page_context().workshop, model, artefact_id)
    except WorkbenchError as exc:
        _unreadable(exc)
        return None


def docs(model: type[D]) -> list[tuple[Artefact, D]]:
    """The readable typed documents of one kind in the open workshop, newest first, with their envelopes."""
    ws = page_context().workshop
    if ws is None:
        return []
    out = []
    for art in ws.artefacts_of(model.KIND):
        doc = read_doc(model, art.id)
        if doc is not None:
            out.append((art, doc))
    return out


def newest_doc(model: type[D], wanted: str | None = None) -> tuple[str, D] | None:
    """``wanted`` when it exists, else the newest readable document of the kind, as (id, document)."""
    if wanted:
        doc = read_doc(model, wanted)
        if doc is not None:
            return wanted, doc
    items = docs(model)
    return (items[0][0].id, items[0][1]) if items else None


def save_doc(doc: Document, artefact_id: str) -> bool:
    """Save a typed document into the open workshop at once (version-checked); False when refused."""
    return save_artefact(doc.KIND, artefact_id, documents.dump(doc), doc.SCHEMA)


def save_doc_if_changed(doc: Document, artefact_id: str) -> bool:
    """Save ``doc`` unless the workshop already holds exactly it (edits are saved as they happen, once)."""
    stored = load_artefact(doc.KIND, artefact_id)
    if stored is not None and stored == documents.dump(doc):
        return True
    return save_doc(doc, artefact_id)


OPEN_SIZING, FLASH = "capacity_open_sizing", "flash_message"
#: The Capacity page's tabs are bound to this query parameter (its value: the open tab's label).
CAPACITY_TAB = "capacity_tab"


def open_sizing_with_forecast(forecast_id: str, message: str) -> None:
    """Go to the Capacity page's Sizing tab with the peak of ``forecast_id`` filled in, saying ``message``.

    The tab is named in the URL as well, so a refresh of the page that opens still shows the Sizing tab."""
    st.session_state[OPEN_SIZING] = forecast_id
    st.session_state[FLASH] = message
    st.switch_page("pages/capacity.py", query_params={**nav_params(), CAPACITY_TAB: tr("capacity.tab_sizing")})


def chain_source(prov: Provenance) -> str:
    """Where the chain's peak comes from, for a caption: the forecast or sizing by the name the user typed (not
    its id: "双十一" and "大促" have ids derived from them that mean nothing to a customer), made inert."""
    if prov.peak_source == "forecast":
        return tr("report_page.source_forecast", forecast=escape_md(prov.forecast_name or prov.forecast_id or ""),
                  scenario=escape_md(prov.scenario or ""), quantile=(prov.quantile or "").upper(),
                  model=model_name(prov.model))
    return tr("report_page.source_typed", sizing=escape_md(prov.sizing_name or prov.sizing_id or ""))


def show_flash() -> None:
    """A message left by the page that sent the user here (e.g. "forecast saved"), shown once."""
    message = st.session_state.pop(FLASH, None)
    if message:
        st.success(message, icon="✅")


def chain_settings() -> documents.ChainSettings:
    """The open workshop's chain settings (defaults when none saved or unreadable)."""
    return read_doc(documents.ChainSettings, documents.CHAIN_ID) or documents.ChainSettings()




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
    """A core error's message for a Markdown element: its parameters (ids, names, file text) are inert.

    As :meth:`workbench.capacity.validate.FieldError.translate` does, a ``field`` naming a catalogue key is shown
    as its translated label (catalogue text, not escaped); text parameters keep their leading/trailing spaces
    (a unit comes as " ms": "120 ms", not "120ms").
    """
    lang = current_language()
    params: dict[str, Any] = {}
    for name, value in exc.params.items():
        if not isinstance(value, str):
            params[name] = value  # numbers stay numbers so the catalogue formats them for the language
            continue
        label = t_or(value, "", lang) if name == "field" else ""
        if label:  # our own catalogue's text, not user input: shown as written
            params[name] = label
            continue
        core = value.strip(" ")
        lead, trail = " " * (len(value) - len(value.lstrip(" "))), " " * (len(value) - len(value.rstrip(" ")))
        params[name] = f"{lead}{escape_md(core)}{trail}" if core else value
    return tr(exc.key, **params)


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
    left.download_button(tr("stored.download"), problem.raw.encode("utf-8", errors="replace"), key=f"{key}_download",
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
