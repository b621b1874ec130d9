"""The caller of a store operation: the implicit local owner, a signed-in user, or a customer's share link.

Without sign-in configured the app is one advisor on a laptop, as before issue 16: that user (and the
CLI, unless it says ``--as``) is the *local owner* and may do everything.  With sign-in, a user is the
e-mail their identity provider vouches for, and sees only the workshops they are a member of.  A share
link makes a principal that may view exactly one workshop and nothing else.
"""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from workbench.errors import InputError
from workbench.store.models import LOCAL_ACTOR, SHARE_ACTOR, Role

# Deliberately loose (RFC 5321 allows far more than any regex checks): one '@', no spaces, a dot in the domain
# or 'localhost'.  The identity provider is the authority on which addresses exist.
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+$")
MAX_EMAIL = 320


class PrincipalKind(StrEnum):
    """The three kinds of caller."""

    LOCAL = "local"
    USER = "user"
    SHARE = "share"


def normalise_email(value: str) -> str:
    """An e-mail address as stored: trimmed and lower-case; :class:`InputError` when it is not one."""
    email = str(value or "").strip().lower()
    if len(email) > MAX_EMAIL or not _EMAIL.match(email):
        raise InputError("errors.access.bad_email", email=email[:100])
    return email


class Principal(BaseModel):
    """Who is asking.  Build one with :meth:`local`, :meth:`user` or :meth:`via_share`."""

    model_config = ConfigDict(frozen=True)

    kind: PrincipalKind
    email: str = ""
    workshop_id: str = ""  # the one workshop a share link opens

    @classmethod
    def local(cls) -> Principal:
        """The single local user (no sign-in configured) and the CLI: owner of every workshop."""
        return cls(kind=PrincipalKind.LOCAL)

    @classmethod
    def user(cls, email: str) -> Principal:
        """A signed-in user, by e-mail (normalised)."""
        return cls(kind=PrincipalKind.USER, email=normalise_email(email))

    @classmethod
    def via_share(cls, workshop_id: str) -> Principal:
        """A customer holding a read-only link to ``workshop_id``."""
        return cls(kind=PrincipalKind.SHARE, workshop_id=workshop_id)

    @property
    def actor(self) -> str:
        """How the audit trail names this principal."""
        if self.kind is PrincipalKind.USER:
            return self.email
        return LOCAL_ACTOR if self.kind is PrincipalKind.LOCAL else SHARE_ACTOR

    @property
    def can_create(self) -> bool:
        """Whether this principal may create or import workshops (a share link may not)."""
        return self.kind is not PrincipalKind.SHARE

    @property
    def is_team_member(self) -> bool:
        """True for people of the team (local or signed in), False for a customer's link."""
        return self.kind is not PrincipalKind.SHARE

    def fixed_role(self, workshop_id: str) -> Role | None:
        """The role that does not depend on membership: local owns all, a link views its one workshop.

        None for a signed-in user (look the membership up).
        """
        if self.kind is PrincipalKind.LOCAL:
            return Role.OWNER
        if self.kind is PrincipalKind.SHARE:
            return Role.VIEWER if workshop_id == self.workshop_id else None
        return None
