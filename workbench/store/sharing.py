"""Rows for who may see a workshop: members by e-mail with a role, and read-only share links.

Storage only: deciding who may do what is :mod:`workbench.access`.  A share link's token is returned
once, when it is made; the table keeps its SHA-256, so neither a database dump nor a backup holds a
link that opens anything (the same idea as GitHub's personal access tokens).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import Connection, delete, insert, select, update

from workbench.store.audit import utc
from workbench.store.models import Member, Role, ShareLink
from workbench.store.schema import share_links, workshop_members

#: Token length in bytes: 192 random bits, URL-safe base64 (32 characters).
TOKEN_BYTES = 24


def token_hash(token: str) -> str:
    """The stored form of a share token."""
    return hashlib.sha256(token.encode("utf-8", errors="replace")).hexdigest()


def role_of(conn: Connection, workshop_id: str, email: str) -> Role | None:
    """The member's role in the workshop, or None."""
    value = conn.execute(select(workshop_members.c.role).where(
        (workshop_members.c.workshop_id == workshop_id) & (workshop_members.c.email == email))).scalar()
    return Role(value) if value else None


def members(conn: Connection, workshop_id: str) -> list[Member]:
    """All members of a workshop, owners first, then by e-mail."""
    rows = conn.execute(select(workshop_members).where(workshop_members.c.workshop_id == workshop_id)).mappings()
    out = [Member(email=r["email"], role=Role(r["role"]), added_by=r["added_by"], added_at=utc(r["added_at"]))
           for r in rows]
    return sorted(out, key=lambda m: (-m.role.rank, m.email))


def workshops_of(conn: Connection, email: str) -> list[str]:
    """The ids of the workshops ``email`` is a member of."""
    return list(conn.execute(select(workshop_members.c.workshop_id).where(workshop_members.c.email == email))
                .scalars())


def set_member(conn: Connection, workshop_id: str, email: str, role: Role, added_by: str) -> None:
    """Add a member or change their role."""
    conn.execute(delete(workshop_members).where(
        (workshop_members.c.workshop_id == workshop_id) & (workshop_members.c.email == email)))
    conn.execute(insert(workshop_members).values(workshop_id=workshop_id, email=email, role=role.value,
                                                 added_by=added_by, added_at=dt.datetime.now(dt.UTC)))


def remove_member(conn: Connection, workshop_id: str, email: str) -> bool:
    """Remove a member; False when they were not one."""
    result = conn.execute(delete(workshop_members).where(
        (workshop_members.c.workshop_id == workshop_id) & (workshop_members.c.email == email)))
    return bool(result.rowcount)


def create_link(conn: Connection, workshop_id: str, created_by: str) -> tuple[ShareLink, str]:
    """A new link and its token (the only time the token exists in clear)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    link = ShareLink(id=secrets.token_hex(6), created_by=created_by, created_at=dt.datetime.now(dt.UTC))
    conn.execute(insert(share_links).values(id=link.id, workshop_id=workshop_id, token_hash=token_hash(token),
                                            created_by=created_by, created_at=link.created_at))
    return link, token


def links(conn: Connection, workshop_id: str) -> list[ShareLink]:
    """A workshop's links, newest first, revoked ones included."""
    rows = conn.execute(select(share_links).where(share_links.c.workshop_id == workshop_id)
                        .order_by(share_links.c.created_at.desc())).mappings()
    return [ShareLink(id=r["id"], created_by=r["created_by"], created_at=utc(r["created_at"]),
                      revoked_at=utc(r["revoked_at"]) if r["revoked_at"] else None) for r in rows]


def revoke_link(conn: Connection, workshop_id: str, link_id: str) -> bool:
    """Revoke a link of this workshop; False when there is no such active link."""
    result = conn.execute(update(share_links).where(
        (share_links.c.workshop_id == workshop_id) & (share_links.c.id == link_id)
        & share_links.c.revoked_at.is_(None)).values(revoked_at=dt.datetime.now(dt.UTC)))
    return bool(result.rowcount)


def workshop_of_token(conn: Connection, token: str) -> str | None:
    """The workshop an active link's token opens, or None (unknown or revoked)."""
    return conn.execute(select(share_links.c.workshop_id).where(
        (share_links.c.token_hash == token_hash(token)) & share_links.c.revoked_at.is_(None))).scalar()


def forget_workshop(conn: Connection, workshop_id: str) -> None:
    """Remove a deleted workshop's members and links (not relying on the database's cascade)."""
    conn.execute(delete(workshop_members).where(workshop_members.c.workshop_id == workshop_id))
    conn.execute(delete(share_links).where(share_links.c.workshop_id == workshop_id))
