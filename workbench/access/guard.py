"""The access-checked store: every read and write of a workshop asks the caller's role first.

Pages and the CLI hold an :class:`AccessStore` (the raw :class:`~workbench.store.WorkshopStore` plus a
:class:`~workbench.access.principal.Principal`) and call the same methods they called on the store.  The
check is here, in the core, so no page or command can forget it.

Refusals:
* no role at all (not a member, a wrong link, a guessed or deleted id) → :class:`NotFoundError`, the very
  message an id that does not exist gets, so probing ids tells nothing (OWASP ASVS 4.0, V4.2.1 "insecure
  direct object references"; GitHub answers 404 for private repositories the same way);
* a role too weak for the action (a viewer saving) → :class:`ForbiddenError` naming the role needed.
"""

from __future__ import annotations

import builtins
from typing import Any

from sqlalchemy import Connection

from workbench.access.principal import Principal, PrincipalKind, normalise_email
from workbench.errors import ForbiddenError, InputError, NotFoundError
from workbench.store import audit, sharing
from workbench.store.models import (
    ID_PATTERN,
    ArtefactKind,
    AuditAction,
    AuditEntry,
    Member,
    Role,
    ShareLink,
    Workshop,
    WorkshopMeta,
    WorkshopSummary,
)
from workbench.store.repository import WorkshopStore

_NEED_KEY = {Role.VIEWER: "errors.access.need_viewer", Role.EDITOR: "errors.access.need_editor",
             Role.OWNER: "errors.access.need_owner"}


class AccessStore:
    """The store as seen by one principal: same method names as :class:`WorkshopStore`, each one checked."""

    def __init__(self, store: WorkshopStore, principal: Principal) -> None:
        self.store = store
        self.principal = principal

    # ---- roles ---------------------------------------------------------------------------
    def role(self, workshop_id: str) -> Role | None:
        """The caller's role in a workshop (None: they may not know it exists)."""
        if not workshop_id or not ID_PATTERN.match(str(workshop_id)):
            return None
        p = self.principal
        if p.kind is PrincipalKind.SHARE:
            return Role.VIEWER if workshop_id == p.workshop_id else None
        if p.kind is PrincipalKind.LOCAL:
            return Role.OWNER
        with self.store.reading() as conn:
            return sharing.role_of(conn, workshop_id, p.email)

    def require(self, workshop_id: str, needed: Role) -> Role:
        """The caller's role when it covers ``needed``; otherwise the refusal described in the module doc."""
        role = self.role(workshop_id)
        if role is None:
            raise NotFoundError("errors.store.not_found", id=str(workshop_id)[:64])
        if not role.covers(needed):
            raise ForbiddenError(_NEED_KEY[needed], role=role.value)
        return role

    def _require_team(self, workshop_id: str, needed: Role) -> Role:
        role = self.require(workshop_id, needed)
        if not self.principal.is_team_member:
            raise ForbiddenError("errors.access.share_read_only")
        return role

    def _require_create(self) -> None:
        if not self.principal.can_create:
            raise ForbiddenError("errors.access.share_read_only")

    @property
    def _owner(self) -> str | None:
        """The e-mail that becomes owner of what this caller creates (the local user makes unowned ones)."""
        return self.principal.email if self.principal.kind is PrincipalKind.USER else None

    # ---- reading -------------------------------------------------------------------------
    def list(self, search: str | None = None) -> list[WorkshopSummary]:
        """The workshops the caller may see, most recently changed first."""
        p = self.principal
        if p.kind is PrincipalKind.LOCAL:
            return self.store.list(search)
        if p.kind is PrincipalKind.SHARE:
            return self.store.list(search, ids=[p.workshop_id])
        with self.store.reading() as conn:
            ids = sharing.workshops_of(conn, p.email)
        return self.store.list(search, ids=ids) if ids else []

    def get(self, workshop_id: str) -> Workshop:
        """A workshop the caller may view."""
        self.require(workshop_id, Role.VIEWER)
        return self.store.get(workshop_id)

    def version(self, workshop_id: str) -> int:
        """The current version of a workshop the caller may view."""
        self.require(workshop_id, Role.VIEWER)
        return self.store.version(workshop_id)

    def history(self, workshop_id: str) -> builtins.list[AuditEntry]:
        """Who changed what and when (members of the team only: it names colleagues)."""
        self._require_team(workshop_id, Role.VIEWER)
        with self.store.reading() as conn:
            return audit.entries(conn, workshop_id)

    # ---- writing -------------------------------------------------------------------------
    def create(self, meta: WorkshopMeta) -> Workshop:
        """A new workshop owned by the caller."""
        self._require_create()
        return self.store.create(meta, actor=self.principal.actor, owner=self._owner)

    def insert(self, workshop: Workshop, *, history: builtins.list[AuditEntry] | None = None) -> Workshop:
        """Store an imported workshop (with the trail it brings) owned by the caller."""
        self._require_create()
        return self.store.insert(workshop, history=history or (), actor=self.principal.actor, owner=self._owner)

    def duplicate(self, workshop_id: str, title: str | None = None) -> Workshop:
        """A copy of a workshop the caller may view, owned by the caller."""
        self._require_team(workshop_id, Role.VIEWER)
        return self.store.duplicate(workshop_id, title, actor=self.principal.actor, owner=self._owner)

    def update_meta(self, workshop_id: str, expected_version: int, meta: WorkshopMeta) -> int:
        """Edit the workshop's fields (editors and owners)."""
        self.require(workshop_id, Role.EDITOR)
        return self.store.update_meta(workshop_id, expected_version, meta, actor=self.principal.actor)

    def put_artefact(self, workshop_id: str, expected_version: int, kind: ArtefactKind | str, artefact_id: str,
                     data: dict[str, Any], schema_version: int = 1) -> int:
        """Save one artefact (editors and owners)."""
        self.require(workshop_id, Role.EDITOR)
        return self.store.put_artefact(workshop_id, expected_version, kind, artefact_id, data, schema_version,
                                       actor=self.principal.actor)

    def delete_artefact(self, workshop_id: str, expected_version: int, kind: ArtefactKind | str,
                        artefact_id: str) -> int:
        """Remove one artefact (editors and owners)."""
        self.require(workshop_id, Role.EDITOR)
        return self.store.delete_artefact(workshop_id, expected_version, kind, artefact_id,
                                          actor=self.principal.actor)

    def delete(self, workshop_id: str) -> None:
        """Delete a workshop (owners only)."""
        self.require(workshop_id, Role.OWNER)
        self.store.delete(workshop_id, actor=self.principal.actor)

    # ---- members (owners only) -----------------------------------------------------------
    def members(self, workshop_id: str) -> builtins.list[Member]:
        """Who may see the workshop and with which role."""
        self._require_team(workshop_id, Role.OWNER)
        with self.store.reading() as conn:
            return sharing.members(conn, workshop_id)

    def set_member(self, workshop_id: str, email: str, role: Role | str) -> None:
        """Add a member or change their role; the last owner cannot be demoted."""
        self._require_team(workshop_id, Role.OWNER)
        email, role = normalise_email(email), Role(role)
        with self.store.writing() as conn:
            if role is not Role.OWNER:
                self._keep_an_owner(conn, workshop_id, email)
            sharing.set_member(conn, workshop_id, email, role, self.principal.actor)
            self._record(conn, workshop_id, AuditAction.MEMBER, f"{email} {role.value}")

    def remove_member(self, workshop_id: str, email: str) -> None:
        """Take a member's access away; the last owner cannot be removed."""
        self._require_team(workshop_id, Role.OWNER)
        email = normalise_email(email)
        with self.store.writing() as conn:
            self._keep_an_owner(conn, workshop_id, email)
            if not sharing.remove_member(conn, workshop_id, email):
                raise InputError("errors.access.not_a_member", email=email)
            self._record(conn, workshop_id, AuditAction.MEMBER, f"{email} none")

    @staticmethod
    def _keep_an_owner(conn: Connection, workshop_id: str, email: str) -> None:
        owners = [m.email for m in sharing.members(conn, workshop_id) if m.role is Role.OWNER]
        if owners == [email]:
            raise ForbiddenError("errors.access.last_owner")

    # ---- share links (owners only) -------------------------------------------------------
    def share_links(self, workshop_id: str) -> builtins.list[ShareLink]:
        """The workshop's read-only links, newest first (revoked ones included)."""
        self._require_team(workshop_id, Role.OWNER)
        with self.store.reading() as conn:
            return sharing.links(conn, workshop_id)

    def create_share_link(self, workshop_id: str) -> tuple[ShareLink, str]:
        """A new read-only link; returns it and its token, which is shown once and never stored in clear."""
        self._require_team(workshop_id, Role.OWNER)
        with self.store.writing() as conn:
            link, token = sharing.create_link(conn, workshop_id, self.principal.actor)
            self._record(conn, workshop_id, AuditAction.SHARE, link.id)
        return link, token

    def revoke_share_link(self, workshop_id: str, link_id: str) -> None:
        """Revoke a link: whoever holds it sees "not found" from now on."""
        self._require_team(workshop_id, Role.OWNER)
        with self.store.writing() as conn:
            if not sharing.revoke_link(conn, workshop_id, link_id):
                raise NotFoundError("errors.access.no_such_link", id=str(link_id)[:16])
            self._record(conn, workshop_id, AuditAction.UNSHARE, link_id)

    def _record(self, conn: Connection, workshop_id: str, action: AuditAction, detail: str) -> None:
        version = audit.version_now(conn, workshop_id)
        audit.record(conn, workshop_id, self.principal.actor, action, version, detail=detail)

    # ---- settings (app-wide, e.g. the demo's seeding) ------------------------------------
    def get_setting(self, key: str) -> str | None:
        """A small app-wide value."""
        return self.store.get_setting(key)

    def set_setting(self, key: str, value: str) -> None:
        """Set an app-wide value (the team, not a share link)."""
        self._require_create()
        self.store.set_setting(key, value)


def principal_for_share(store: WorkshopStore, token: str) -> Principal | None:
    """The viewer a share link's token makes, or None when the token is unknown or revoked."""
    token = str(token or "").strip()
    if not token or len(token) > 128:
        return None
    with store.reading() as conn:
        workshop_id = sharing.workshop_of_token(conn, token)
    return Principal.via_share(workshop_id) if workshop_id else None
