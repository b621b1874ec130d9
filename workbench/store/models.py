"""The store's envelope: a workshop, its metadata and its artefacts as JSON documents with a kind and an id.

A workshop is one customer engagement.  Its artefacts are versioned JSON documents per kind (a dataset,
a forecast, a sizing scenario, an architecture version, findings, a milestone, ...); the store keeps them
as JSON, never pickle, so any version of the app can read what another wrote.  What a document of each
kind contains is the workshop layer's business (:mod:`workbench.workshop.documents`): the store only
carries ``data`` as validated JSON and never imports the workshop layer (design.md).
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from workbench.texts import strip_bidi

ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
MAX_TEXT = 200
MAX_NOTES = 20_000


class ArtefactKind(StrEnum):
    """What an artefact is; each capability owns one or more kinds."""

    DATASET = "dataset"
    FORECAST = "forecast"
    SIZING = "sizing"
    ARCHITECTURE = "architecture"
    FINDINGS = "findings"
    MILESTONE = "milestone"
    CHAIN = "chain"
    DRAFT = "draft"  # work in progress on a page (e.g. the architecture editor), so nothing typed is lost
    HOMEWORK = "homework"  # follow-up items agreed with the customer (model registered by workshop/homework.py)
    SETTINGS = "settings"  # workshop-wide settings (its time zone)


class WorkshopMeta(BaseModel):
    """The fields a user edits on the home page."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    customer: str = Field("", max_length=MAX_TEXT, description="Customer name, free text")
    title: str = Field(..., min_length=1, max_length=MAX_TEXT, description="Workshop title")
    advisor: str = Field("", max_length=MAX_TEXT, description="Technical advisor running the workshop")
    date: dt.date = Field(default_factory=dt.date.today, description="Date of the engagement")
    notes: str = Field("", max_length=MAX_NOTES, description="Free notes, shown as plain text")
    language: str = Field("zh-CN", pattern=r"^(zh-CN|en)$", description="Language of the report")

    @field_validator("customer", "title", "advisor", "notes", mode="before")
    @classmethod
    def _no_bidi_controls(cls, value: Any) -> Any:
        # a right-to-left override would make a name read differently from what is stored (workbench.texts)
        return strip_bidi(value) if isinstance(value, str) else value


class Artefact(BaseModel):
    """One typed JSON document attached to a workshop."""

    model_config = ConfigDict(extra="forbid")

    kind: ArtefactKind
    id: str = Field(..., description="Identifier unique within the workshop and kind")
    schema_version: int = Field(1, ge=1, description="Version of the document's own schema")
    data: dict[str, Any]
    created_at: dt.datetime
    updated_at: dt.datetime

    @field_validator("id")
    @classmethod
    def _safe_id(cls, value: str) -> str:
        if not ID_PATTERN.match(value):
            raise ValueError("artefact id must be 1-64 characters of letters, digits, '-' or '_'")
        return value


class DamagedArtefact(BaseModel):
    """A stored document the store could not read back (its JSON or its row): kept apart, never raised.

    The page shows it with its problem and offers to download the raw text or discard it, so one bad
    document can never keep a workshop from opening (issue 9).
    """

    model_config = ConfigDict(frozen=True)

    kind: str = Field(..., description="The row's kind, as stored (may not be a known ArtefactKind)")
    id: str = Field(..., description="The row's artefact id, as stored")
    detail: str = Field("", description="Why it could not be read (exception type and message, shortened)")
    raw: str = Field("", description="The stored text, for download")


class WorkshopSummary(BaseModel):
    """A row of the workshop list."""

    id: str
    customer: str
    title: str
    advisor: str
    date: dt.date
    language: str
    version: int
    updated_at: dt.datetime


class Workshop(BaseModel):
    """A workshop with its metadata, optimistic-locking version and artefacts."""

    id: str
    meta: WorkshopMeta
    version: int = Field(..., ge=1, description="Incremented by every committed change")
    created_at: dt.datetime
    updated_at: dt.datetime
    artefacts: list[Artefact] = Field(default_factory=list)
    damaged: list[DamagedArtefact] = Field(default_factory=list, description="Stored documents that cannot be read")

    def artefacts_of(self, kind: ArtefactKind | str) -> list[Artefact]:
        """The artefacts of one kind, newest first."""
        items = [a for a in self.artefacts if a.kind == kind]
        return sorted(items, key=lambda a: a.updated_at, reverse=True)

    def artefact(self, kind: ArtefactKind | str, artefact_id: str) -> Artefact | None:
        """One artefact by kind and id, or None."""
        return next((a for a in self.artefacts if a.kind == kind and a.id == artefact_id), None)


# ---- identity (issue 16): members, share links and the audit trail ----------------------------------------

#: Who wrote something when nobody signed in: the single local user of a laptop install, or the CLI.
LOCAL_ACTOR = "local"
#: Who a read through a share link is (never writes, shown in nothing but refusals).
SHARE_ACTOR = "share-link"


class Role(StrEnum):
    """What a member may do with a workshop; each role includes the ones before it."""

    VIEWER = "viewer"  # read everything, change nothing
    EDITOR = "editor"  # also save artefacts and edit the workshop's fields
    OWNER = "owner"  # also delete the workshop, manage members and share links

    @property
    def rank(self) -> int:
        """0, 1, 2: a role covers every role of lower rank."""
        return list(Role).index(self)

    def covers(self, needed: Role) -> bool:
        """True when this role may do what ``needed`` may."""
        return self.rank >= needed.rank


class AuditAction(StrEnum):
    """What a write did (the audit trail's verb)."""

    CREATE = "create"
    IMPORT = "import"
    DUPLICATE = "duplicate"
    EDIT = "edit"  # the workshop's own fields (title, customer, notes, ...)
    SAVE = "save"  # one artefact inserted or replaced
    DISCARD = "discard"  # one artefact removed
    DELETE = "delete"  # the whole workshop
    MEMBER = "member"  # a member added, re-roled (detail: e-mail and role) or removed (role "none")
    SHARE = "share"  # a read-only link created (detail: the link's id, never its token)
    UNSHARE = "unshare"  # a read-only link revoked


class AuditEntry(BaseModel):
    """One line of a workshop's trail: who did what to which artefact, when, and the version it made."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    at: dt.datetime = Field(..., description="When, UTC")
    actor: str = Field(..., max_length=320, description="The e-mail of the signed-in user, or 'local'")
    action: AuditAction
    kind: str = Field("", max_length=32, description="The artefact's kind, empty for workshop-level actions")
    artefact_id: str = Field("", max_length=64, description="The artefact's id, empty for workshop-level actions")
    detail: str = Field("", max_length=320, description="Extra facts (a member's e-mail and role, a link id)")
    version: int = Field(..., ge=0, description="The workshop's version after the change")


class Member(BaseModel):
    """A person who may see a workshop, by the e-mail their identity provider vouches for."""

    model_config = ConfigDict(frozen=True)

    email: str
    role: Role
    added_by: str
    added_at: dt.datetime


class ShareLink(BaseModel):
    """A read-only link for a customer; only its id is kept readable (the token is stored hashed)."""

    model_config = ConfigDict(frozen=True)

    id: str
    created_by: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None = None

    @property
    def active(self) -> bool:
        """False once revoked."""
        return self.revoked_at is None
