"""Pydantic models of a workshop and the artefacts that capabilities attach to it.

A workshop is one customer engagement.  Its artefacts are typed, versioned JSON documents per kind
(a dataset, a forecast, a sizing scenario, an architecture version, findings, a milestone); the store
keeps them as JSON, never pickle, so any version of the app can read what another wrote.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

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
    HOMEWORK = "homework"  # the improvement plan: items tracked from raised to closed
    DRAFT = "draft"  # work in progress on a page (e.g. the architecture editor), so nothing typed is lost


class WorkshopMeta(BaseModel):
    """The fields a user edits on the home page."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    customer: str = Field("", max_length=MAX_TEXT, description="Customer name, free text")
    title: str = Field(..., min_length=1, max_length=MAX_TEXT, description="Workshop title")
    advisor: str = Field("", max_length=MAX_TEXT, description="Technical advisor running the workshop")
    date: dt.date = Field(default_factory=dt.date.today, description="Date of the engagement")
    notes: str = Field("", max_length=MAX_NOTES, description="Free notes, shown as plain text")
    language: str = Field("zh-CN", pattern=r"^(zh-CN|en)$", description="Language of the report")


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

    def artefacts_of(self, kind: ArtefactKind | str) -> list[Artefact]:
        """The artefacts of one kind, newest first."""
        items = [a for a in self.artefacts if a.kind == kind]
        return sorted(items, key=lambda a: a.updated_at, reverse=True)

    def artefact(self, kind: ArtefactKind | str, artefact_id: str) -> Artefact | None:
        """One artefact by kind and id, or None."""
        return next((a for a in self.artefacts if a.kind == kind and a.id == artefact_id), None)
