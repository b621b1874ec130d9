"""Who is using the app: sign-in with OpenID Connect through Streamlit's ``st.login``, or a share link.

* ``[auth]`` configured in ``.streamlit/secrets.toml`` (see docs/deploy.md): everybody signs in; the
  principal is the e-mail the identity provider vouches for (``st.user.email``).
* No ``[auth]``: one advisor on a laptop, as always: the implicit local owner, no sign-in screen.
* ``?share=TOKEN`` in the URL: a customer's read-only view of one workshop, with or without sign-in.

Decisions about rights are not taken here: the core's :class:`workbench.access.AccessStore` takes them.
"""

from __future__ import annotations

import streamlit as st

from workbench.access import Principal, principal_for_share
from workbench.errors import InputError
from workbench.i18n import t
from workbench.store import WorkshopStore

SHARE_PARAM = "share"
_SHARE_STATE = "share_token"


def auth_configured() -> bool:
    """True when ``.streamlit/secrets.toml`` (or ``secrets.files``) has an ``[auth]`` section."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all: Streamlit raises its own "not found" error
        return False


def share_token() -> str | None:
    """The share token of this session: from the URL, kept while the user moves between pages."""
    from_url = st.query_params.get(SHARE_PARAM)
    if from_url:
        st.session_state[_SHARE_STATE] = from_url
    value = st.session_state.get(_SHARE_STATE)
    return str(value) if value else None


def _sign_in_screen(lang: str) -> None:
    st.title(t("access.signin_title", lang))
    st.write(t("access.signin_intro", lang))
    if st.button(t("access.signin_button", lang), type="primary", key="sign_in", icon=":material/login:"):
        st.login()
    st.stop()


def _signed_in_principal(lang: str) -> Principal:
    """The signed-in user by the e-mail the provider vouches for; without one, a message and sign-out only."""
    if st.user.get("email_verified", True) not in (False, "false"):
        try:
            return Principal.user(str(st.user.get("email") or ""))
        except InputError:
            pass
    st.error(t("access.no_email", lang), icon="⚠️")
    if st.button(t("access.signout", lang), key="sign_out_no_email"):
        st.logout()
    st.stop()


def current_principal(store: WorkshopStore, lang: str) -> Principal:
    """The principal of this run; shows the sign-in screen (and stops) when sign-in is needed."""
    token = share_token()
    if token:
        principal = principal_for_share(store, token)
        if principal is None:
            st.session_state.pop(_SHARE_STATE, None)
            st.error(t("access.share_invalid", lang), icon="🔗")
            st.stop()
        return principal
    if not auth_configured():
        return Principal.local()
    if not st.user.is_logged_in:
        _sign_in_screen(lang)
    return _signed_in_principal(lang)


def account_sidebar(principal: Principal, lang: str) -> None:
    """Who is signed in, and the sign-out button (nothing for the local user)."""
    if principal.email:
        st.text(t("access.signed_in_as", lang, email=principal.email))  # plain text: an address is not a link
        if st.button(t("access.signout", lang), key="sign_out", icon=":material/logout:"):
            st.logout()
