"""Loading stored drafts and artefacts never raises into a page (issue 9: a workshop can always be opened)."""

from __future__ import annotations

import json

import pytest

from workbench.architecture.loader import ArchitectureLoadError, LoadResult
from workbench.errors import WorkbenchError
from workbench.i18n import catalogue
from workbench.store import open_store
from workbench.workshop.models import ArtefactKind, WorkshopMeta
from workbench.workshop.safe_load import (
    artefact_download,
    broken_artefacts,
    load_safely,
    load_stored_architecture,
)

GOOD = "schema_version: 1\ncomponents:\n  - {id: web, type: cvm}\n"


def test_a_draft_with_a_huge_integer_comes_back_as_an_error_value() -> None:
    result = load_stored_architecture({"yaml": "name: x\ncomponents:\n  - id: a\n    replicas: " + "9" * 5000})
    assert isinstance(result, ArchitectureLoadError)
    assert result.issues[0].key == "errors.architecture.number_too_long" and result.issues[0].line == 4


def test_a_good_draft_loads() -> None:
    result = load_stored_architecture({"yaml": GOOD, "saved": "2026-01-01T00:00:00"})
    assert isinstance(result, LoadResult) and result.architecture.components[0].id == "web"


@pytest.mark.parametrize("data", [None, {}, {"yaml": 5}, {"yaml": ["a"]}, "text"])
def test_a_malformed_stored_document_is_an_error_value(data: object) -> None:
    result = load_stored_architecture(data)  # type: ignore[arg-type]
    assert isinstance(result, WorkbenchError) and result.key == "errors.artefact.malformed"
    assert "yaml" in result.translate("zh-CN")


def test_an_unforeseen_exception_becomes_an_incident_not_a_raise(caplog: pytest.LogCaptureFixture) -> None:
    def boom() -> None:
        raise KeyError("/srv/secret/path")

    result = load_safely(boom, kind="draft", artefact_id="architecture")
    assert isinstance(result, WorkbenchError) and result.key == "errors.artefact.unexpected"
    text = result.translate("en")
    assert result.params["incident"] in text and "/srv/secret" not in text
    assert result.params["incident"] in caplog.text  # the log links the incident to the traceback
    assert all(result.key in catalogue(lang) for lang in ("en", "zh-CN"))


def test_broken_artefacts_lists_a_bad_architecture_version_and_download_keeps_it() -> None:
    store = open_store()
    ws = store.create(WorkshopMeta(title="broken"))
    v = store.put_artefact(ws.id, ws.version, ArtefactKind.ARCHITECTURE, "v1", {"yaml": GOOD})
    bad = "components:\n  - id: a\n    type: cvm\n    count: " + "1" * 5000
    store.put_artefact(ws.id, v, ArtefactKind.ARCHITECTURE, "v2", {"yaml": bad})
    broken = broken_artefacts(store.get(ws.id))
    assert [(b.kind, b.id) for b in broken] == [("architecture", "v2")]
    art = store.get(ws.id).artefact(ArtefactKind.ARCHITECTURE, "v2")
    assert art is not None
    name, body = artefact_download(art)
    assert name == "architecture-v2.json" and json.loads(body)["data"]["yaml"] == bad
