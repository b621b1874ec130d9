"""An architecture the loader accepts can always be saved: the documents' limit is the upload limit."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from workbench.architecture.loader import max_bytes
from workbench.store import open_store
from workbench.workshop.documents import ArchitectureDoc, DraftDoc, dump, parse
from workbench.workshop.models import WorkshopMeta

NOW = dt.datetime(2026, 12, 2, tzinfo=dt.UTC)


def test_a_six_megabyte_design_saves_as_draft_and_version() -> None:
    # a 10,000-component estate is ~5 MB of YAML; the documents used to stop at 5,000,000 characters (a crash
    # on the Architecture page when such a file was uploaded: the loader allows 32 MB)
    text = "# " + "x" * 6_000_000 + "\n"
    store = open_store()
    ws = store.create(WorkshopMeta(title="big estate"))
    draft = DraftDoc(yaml=text, saved=NOW)
    version = ArchitectureDoc(yaml=text, name="big")
    assert len(draft.yaml or "") == len(version.yaml) == len(text)
    for doc, artefact_id in ((draft, "architecture"), (version, "v001")):
        store.put_artefact(ws.id, store.version(ws.id), doc.KIND, artefact_id, dump(doc), doc.SCHEMA)
    opened = store.get(ws.id)
    for kind, artefact_id in (("draft", "architecture"), ("architecture", "v001")):
        back = parse(kind, opened.artefact(kind, artefact_id).data)
        assert len(back.yaml) == len(text)


def test_beyond_the_file_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBENCH_MAX_ARCHITECTURE_MB", "1")
    assert max_bytes() == 1024 * 1024
    with pytest.raises(ValidationError):
        DraftDoc(yaml="x" * (max_bytes() + 1), saved=NOW)
    with pytest.raises(ValidationError):
        ArchitectureDoc(yaml="x" * (max_bytes() + 1))
