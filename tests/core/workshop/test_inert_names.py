"""Names from users and files cannot reorder what is read: bidi controls never reach the store or a file name."""

from __future__ import annotations

import json

import pytest

from workbench.exports import safe_filename
from workbench.store import open_store
from workbench.texts import BIDI_CONTROLS
from workbench.workshop.exchange import export_workshop, import_workshop
from workbench.workshop.models import WorkshopMeta


@pytest.mark.parametrize("control", sorted(BIDI_CONTROLS))
def test_workshop_names_lose_bidi_controls(control: str) -> None:
    meta = WorkshopMeta(title=f"invoice{control}gnp.exe", customer=f"{control}ACME", advisor=f"Li{control}",
                        notes=f"a{control}b")
    assert (meta.title, meta.customer, meta.advisor, meta.notes) == ("invoicegnp.exe", "ACME", "Li", "ab")


def test_an_imported_workshop_loses_bidi_controls() -> None:
    store = open_store()
    ws = store.create(WorkshopMeta(title="plain"))
    doc = json.loads(export_workshop(ws))
    doc["meta"]["title"] = "report\u202efdp.exe"
    imported = import_workshop(store, json.dumps(doc).encode())
    assert store.get(imported.id).meta.title == "reportfdp.exe"


@pytest.mark.parametrize("control", sorted(BIDI_CONTROLS))
def test_file_names_lose_bidi_controls(control: str) -> None:
    assert safe_filename(f"invoice{control}gnp", "exe") == "invoicegnp.exe"
