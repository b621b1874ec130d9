"""Saving a document nested past the interpreter's recursion limit is a StoreError, not a RecursionError."""

from __future__ import annotations

import pytest

from workbench.errors import StoreError
from workbench.store import open_store
from workbench.store.repository import dumps_document
from workbench.workshop.models import WorkshopMeta


def _deep(levels: int) -> dict:
    root: dict = {}
    node = root
    for _ in range(levels):
        node["k"] = {}
        node = node["k"]
    return root


def test_deep_document_is_refused_with_a_message_and_nothing_is_stored() -> None:
    with pytest.raises(StoreError) as info:
        dumps_document(_deep(5_000))
    assert info.value.key == "errors.store.not_serialisable"
    store = open_store()
    ws = store.create(WorkshopMeta(title="deep"))
    with pytest.raises(StoreError):
        store.put_artefact(ws.id, ws.version, "draft", "architecture", _deep(5_000))
    assert store.get(ws.id).artefacts == [] and store.get(ws.id).version == ws.version
