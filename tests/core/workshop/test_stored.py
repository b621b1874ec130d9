"""A workshop always opens: stored documents that cannot be loaded become problems, never exceptions (issue 9)."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from workbench.store import open_store
from workbench.store.schema import artefacts
from workbench.workshop.chain import chain_if_ready
from workbench.workshop.demo import seed_demo
from workbench.workshop.models import WorkshopMeta
from workbench.workshop.safe_load import load_architecture_safely, stored_problems

HUGE_INT = "9" * 5_000  # over Python's int-to-str digit limit (4,300): int() raises ValueError
BROKEN_YAML = f"schema_version: 1\nname: x\ncomponents:\n  - id: web\n    type: vm\n    replicas: {HUGE_INT}\n"
DEEP_YAML = "a: " + "[" * 5_000 + "]" * 5_000 + "\n"


def _workshop_with(kind: str, artefact_id: str, data: dict) -> tuple[object, str]:
    store = open_store()
    ws = store.create(WorkshopMeta(title="t"))
    store.put_artefact(ws.id, ws.version, kind, artefact_id, data)
    return store, ws.id


def _corrupt_row(store, workshop_id: str, raw: str) -> None:
    """Write raw text into a stored document, as another tool or an older version might have."""
    with store.engine.begin() as conn:
        conn.execute(update(artefacts).where(artefacts.c.workshop_id == workshop_id).values(data=raw))


@pytest.mark.parametrize("text", [BROKEN_YAML, DEEP_YAML])
def test_loading_an_architecture_never_raises(text: str) -> None:
    arch, issues = load_architecture_safely(text)
    assert arch is None and issues and all(i.key.startswith("errors.") for i in issues)


def test_an_unexpected_exception_while_loading_is_an_issue_not_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    import workbench.workshop.safe_load as safe_load

    def boom(*args: object) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(safe_load, "load_architecture", boom)
    arch, (issue,) = load_architecture_safely("name: x\n")
    assert arch is None and issue.key == "errors.artefact.unexpected" and issue.params["incident"]


def test_a_broken_architecture_version_is_a_problem_with_its_text() -> None:
    store, wid = _workshop_with("architecture", "v001", {"yaml": BROKEN_YAML, "name": "x"})
    (problem,) = stored_problems(store.get(wid))
    assert (problem.kind, problem.artefact_id) == ("architecture", "v001")
    assert problem.key.startswith("errors.") and HUGE_INT in problem.raw
    assert problem.text("en") and problem.text("zh-CN")


def test_an_invalid_draft_is_work_in_progress_not_a_stored_problem() -> None:
    store, wid = _workshop_with("draft", "architecture", {"yaml": BROKEN_YAML})
    assert stored_problems(store.get(wid)) == []  # the architecture page shows it in the editor


def test_a_row_whose_json_cannot_be_read_back_does_not_stop_the_workshop_opening() -> None:
    store, wid = _workshop_with("draft", "architecture", {"yaml": "x"})
    _corrupt_row(store, wid, '{"yaml": ' + HUGE_INT + "}")
    ws = store.get(wid)  # opens
    assert ws.artefacts == [] and [d.id for d in ws.damaged] == ["architecture"]
    (problem,) = stored_problems(ws, ["draft"])
    assert problem.key == "errors.stored.unreadable" and "ValueError" in problem.params["detail"]
    assert isinstance(problem.text("en"), str) and HUGE_INT not in problem.text("en")
    assert problem.raw.endswith(HUGE_INT + "}")
    store.delete_artefact(wid, ws.version, problem.kind, problem.artefact_id)  # it can be discarded
    assert store.get(wid).damaged == []


def test_deeply_nested_json_in_a_row_is_damaged_not_a_recursion_error() -> None:
    store, wid = _workshop_with("dataset", "d", {"values": [1, 2]})
    _corrupt_row(store, wid, "[" * 100_000 + "]" * 100_000)
    (damaged,) = store.get(wid).damaged
    assert "RecursionError" in damaged.detail


def test_a_damaged_dataset_is_a_problem() -> None:
    store, wid = _workshop_with("dataset", "d", {"values": "not a list", "start": "x", "step_seconds": 0})
    (problem,) = stored_problems(store.get(wid), ["dataset"])
    assert problem.key == "errors.dataset.damaged"


def test_healthy_workshops_have_no_problems() -> None:
    store = open_store()
    demo = seed_demo(store, "en")
    assert demo is not None and stored_problems(store.get(demo.id)) == []


def test_the_chain_with_a_broken_stored_version_is_none_not_a_crash() -> None:
    store = open_store()
    demo = seed_demo(store, "en")
    assert demo is not None
    newest = demo.artefacts_of("architecture")[0]
    store.put_artefact(demo.id, demo.version, "architecture", newest.id, {**newest.data, "yaml": BROKEN_YAML})
    assert chain_if_ready(store.get(demo.id)) is None
