"""A workshop can always be opened and repaired: broken stored documents are shown, downloadable, discardable."""

from __future__ import annotations

from sqlalchemy import update

from tests.app.test_architecture_page import _open, _section
from workbench.store import open_store
from workbench.store.schema import artefacts
from workbench.workshop.demo import seed_demo
from workbench.workshop.models import WorkshopMeta

HUGE_INT = "9" * 5_000
BROKEN_DRAFT = f"schema_version: 1\nname: x\ncomponents:\n  - id: web\n    type: vm\n    replicas: {HUGE_INT}\n"


def _workshop_with_draft(yaml_text: str) -> str:
    store = open_store()
    ws = store.create(WorkshopMeta(title="Broken draft"))
    store.put_artefact(ws.id, ws.version, "draft", "architecture", {"yaml": yaml_text, "saved": "2026-11-01"})
    return ws.id


def _texts(elements) -> list[str]:
    return [e.value for e in elements]


def test_a_broken_draft_is_shown_with_its_problem_and_can_be_discarded(app) -> None:
    ws = _workshop_with_draft(BROKEN_DRAFT)
    at = _open(app, ws)
    assert not at.exception
    warnings = _texts(at.warning)
    assert any("draft" in w.lower() and "cannot be read" in w for w in warnings), warnings
    assert at.button(key="arch_draft_discard") is not None
    assert "arch_draft_download" in str(at.get("download_button"))
    assert at.text_area(key="arch_editor").value == BROKEN_DRAFT  # repairable in place, too

    at.button(key="arch_draft_discard").click().run()
    assert not at.exception
    assert open_store().get(ws).artefact("draft", "architecture") is None
    assert not any("cannot be read" in w for w in _texts(at.warning))
    assert len(at.metric) == 6  # a design (the newest version or a template) is reviewed again
    _section(at, "edit")
    editor = at.text_area(key="arch_editor")
    assert HUGE_INT not in editor.value
    editor.input(editor.value.replace("name:", "name: repaired #", 1)).run()  # and the editor works
    assert not at.exception and len(at.metric) == 6


def test_a_draft_row_that_cannot_be_read_back_does_not_break_the_page(app) -> None:
    ws = _workshop_with_draft("schema_version: 1\n")
    store = open_store()
    with store.engine.begin() as conn:
        conn.execute(update(artefacts).where(artefacts.c.workshop_id == ws).values(data='{"yaml": ' + HUGE_INT + "}"))
    at = _open(app, ws)
    assert not at.exception and not at.error
    assert any("cannot be used" in w for w in _texts(at.warning))
    at.button(key="arch_stored_0_discard").click().run()
    assert not at.exception
    assert store.get(ws).damaged == []
    assert not any("cannot be used" in w for w in _texts(at.warning))


def test_a_broken_stored_version_does_not_break_the_report_page(app) -> None:
    store = open_store()
    demo = seed_demo(store, "en")
    assert demo is not None
    newest = demo.artefacts_of("architecture")[0]
    store.put_artefact(demo.id, demo.version, "architecture", newest.id, {**newest.data, "yaml": BROKEN_DRAFT})
    at = app(lang="en", workshop=demo.id).run()
    at.switch_page("pages/report.py")
    at.session_state["_ctx_from_app"] = False
    at.run()
    assert not at.exception
    assert not any("Something went wrong" in e for e in _texts(at.error))
    assert any("cannot be used" in w for w in _texts(at.warning))


def test_a_damaged_dataset_is_shown_on_the_forecast_page(app) -> None:
    store = open_store()
    ws = store.create(WorkshopMeta(title="Datasets"))
    store.put_artefact(ws.id, ws.version, "dataset", "broken", {"values": "x", "start": "?", "step_seconds": 0})
    at = app(lang="en", workshop=ws.id).run()
    at.switch_page("pages/forecast.py")
    at.session_state["_ctx_from_app"] = False
    at.run()
    assert not at.exception
    assert any("cannot be used" in w for w in _texts(at.warning))
    at.button(key="fc_stored_0_discard").click().run()
    assert not at.exception and store.get(ws.id).artefacts_of("dataset") == []
