"""Workshop-bound pages for a principal that cannot edit (a viewer, a read-only link): a banner says so, the write
actions are disabled or absent, nothing is written (the workshop's version stays), downloads stay; an editor edits."""

from __future__ import annotations

import pytest

from tests.app.test_access_pages import ALICE, BOB, _as, _signed_in
from tests.conftest import ROOT
from tests.core.workshop.test_chain import SINGLE_AZ
from workbench.store.models import Role
from workbench.workshop.models import WorkshopMeta

BANNER = "Read-only: you can view this workshop; ask its owner for editor access."


def _workshop(role: Role) -> str:
    """Alice's workshop with an architecture version, Bob a member with ``role``."""
    owner = _as(ALICE)
    ws = owner.create(WorkshopMeta(title="Shared review", customer="ACME", advisor="Ada"))
    owner.put_artefact(ws.id, ws.version, "architecture", "v001", {"yaml": SINGLE_AZ, "name": "single"})
    owner.set_member(ws.id, BOB, role)
    return ws.id


def _version(ws_id: str) -> int:
    return _as(ALICE).get(ws_id).version


def _page(app, page: str, ws_id: str, *, share: str | None = None):
    at = _signed_in(app, None, share=share) if share else _signed_in(app, BOB, workshop=ws_id)
    at.run()
    at.switch_page(str(ROOT / "pages" / page)).run()
    assert not at.exception, at.exception
    return at


def _banner(at) -> bool:
    return any(i.value == BANNER for i in at.info)


def _buttons(at, key: str) -> list:
    return [b for b in at.button if b.key == key]


def test_viewer_on_forecast_sees_the_banner_no_upload_and_a_disabled_save(app):
    ws_id = _workshop(Role.VIEWER)
    before = _version(ws_id)
    at = _page(app, "forecast.py", ws_id)
    assert _banner(at)
    assert "upload" not in at.radio(key="fc_source").options
    assert at.button(key="save_forecast").disabled
    assert _version(ws_id) == before  # the page's inputs were not kept as a draft


def test_viewer_on_capacity_sizes_but_nothing_is_saved(app):
    ws_id = _workshop(Role.VIEWER)
    before = _version(ws_id)
    at = _page(app, "capacity.py", ws_id)
    assert _banner(at)
    at.session_state["capacity_tab"] = "Sizing"
    at.run()
    next(b for b in at.button if b.label == "Size the tiers").click().run()
    assert not at.exception, at.exception
    assert at.dataframe  # the what-if is shown
    assert not at.error  # no refusal: the save is not attempted
    assert _version(ws_id) == before


def test_viewer_on_architecture_cannot_edit_save_or_load(app):
    ws_id = _workshop(Role.VIEWER)
    before = _version(ws_id)
    at = _page(app, "architecture.py", ws_id)
    assert _banner(at)
    assert at.button(key="arch_save_version").disabled
    assert at.button(key="arch_load_template").disabled
    at.segmented_control(key="arch_section").set_value("edit").run()
    assert not at.exception, at.exception
    assert at.text_area(key="arch_editor").disabled
    assert not _buttons(at, "arch_import_sample_go")  # no import into the workshop
    assert at.button(key="FormSubmitter:arch_tables-Apply table edits").disabled
    at.segmented_control(key="arch_section").set_value("findings").run()
    assert at.markdown or at.subheader  # the findings are shown
    assert not [b for b in at.button if str(b.key).startswith("arch_fix_")]  # no fixes, no waivers
    assert not [b for b in at.button if "arch_waive_" in str(b.key)]
    assert _version(ws_id) == before


def test_viewer_on_homework_sees_no_take_button_and_writes_nothing(app):
    ws_id = _workshop(Role.VIEWER)
    before = _version(ws_id)
    at = _page(app, "homework.py", ws_id)
    assert _banner(at)
    assert not _buttons(at, "hw_take")
    assert not [b for b in at.button if "FormSubmitter:" in str(b.key)]  # no add / edit forms
    assert _version(ws_id) == before


def test_viewer_on_report_keeps_downloads_but_cannot_take_a_milestone(app):
    ws_id = _workshop(Role.VIEWER)
    before = _version(ws_id)
    at = _page(app, "report.py", ws_id)
    assert _banner(at)
    at.segmented_control(key="report_section").set_value("milestones").run()
    assert at.button(key="FormSubmitter:milestone_form-Take milestone").disabled
    at.segmented_control(key="report_section").set_value("report").run()
    assert not at.exception, at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Download HTML" in labels or any("HTML" in label for label in labels)
    assert all(not b.proto.disabled for b in at.get("download_button"))
    assert _version(ws_id) == before


@pytest.mark.parametrize("page", ["forecast.py", "capacity.py", "architecture.py", "homework.py", "report.py"])
def test_a_share_link_holder_sees_the_banner_and_writes_nothing(app, page):
    ws_id = _workshop(Role.VIEWER)
    _, token = _as(ALICE).create_share_link(ws_id)
    before = _version(ws_id)
    at = _page(app, page, ws_id, share=token)
    assert _banner(at)
    assert _version(ws_id) == before


def test_an_editor_sees_no_banner_and_can_save_an_architecture_version(app):
    ws_id = _workshop(Role.EDITOR)
    at = _page(app, "architecture.py", ws_id)
    assert not _banner(at)
    assert not at.button(key="arch_load_template").disabled
    before = _version(ws_id)
    at.button(key="arch_load_template").click().run()  # loading a template keeps it as the editor's draft
    assert not at.exception, at.exception
    assert _version(ws_id) > before


def test_an_editor_can_take_findings_as_homework(app):
    ws_id = _workshop(Role.EDITOR)
    at = _page(app, "homework.py", ws_id)
    assert not _banner(at)
    before = _version(ws_id)
    at.button(key="hw_take").click().run()
    assert not at.exception, at.exception
    assert _version(ws_id) > before
