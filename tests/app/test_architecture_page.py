"""The Architecture page: templates, sections, fixes and waivers as versions, what-if, bad input as messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROOT
from workbench.architecture.model import Disruption
from workbench.store import open_store
from workbench.workshop.models import WorkshopMeta

PAGE = "pages/architecture.py"
TEMPLATES = sorted(p.stem for p in (ROOT / "sample_data" / "architectures").glob("*.yaml"))
SECTIONS = ("diagram", "findings", "whatif", "edit", "versions", "downloads")


def _switch(at):
    """Open the page.  AppTest runs a switched-to page alone (app.py is not rerun), so the context app.py
    left in the session would go stale after a save: make the page build its own context each run."""
    at.switch_page(PAGE)
    at.session_state["_ctx_from_app"] = False
    return at.run()


def _open(app, workshop: str | None = None):
    query = {"lang": "en"} | ({"workshop": workshop} if workshop else {})
    at = app(**query).run()
    _switch(at)
    assert not at.exception, at.exception
    return at


def _section(at, name: str):
    at.segmented_control(key="arch_section").set_value(name).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _workshop() -> str:
    return open_store().create(WorkshopMeta(title="Architecture homework")).id


@pytest.mark.parametrize("template", TEMPLATES)
def test_each_template_renders_every_section(app, template: str) -> None:
    at = _open(app)
    at.selectbox(key="arch_template").set_value(template).run()
    at.button(key="arch_load_template").click().run()
    assert not at.exception
    assert len(at.metric) == 6 and all(0 <= float(m.value) <= 100 for m in at.metric)
    for name in SECTIONS:
        _section(at, name)
        assert not at.error, [e.value for e in at.error]


def test_apply_fix_saves_a_new_version_with_before_after_and_diff(app) -> None:
    ws = _workshop()
    at = _open(app, ws)
    at.selectbox(key="arch_template").set_value("single_az").run()
    at.button(key="arch_load_template").click().run()
    _section(at, "findings")
    fix_buttons = [b for b in at.button if str(b.key).startswith("arch_fix_")]
    assert fix_buttons, "the single-AZ template has mechanical fixes"
    fix_buttons[0].click().run()
    assert not at.exception
    assert any("applied" in s.value for s in at.success)
    workshop = open_store().get(ws)
    versions = workshop.artefacts_of("architecture")
    assert len(versions) == 1 and versions[0].data["parent"] is None
    assert workshop.artefacts_of("findings")[0].id == versions[0].id
    at.segmented_control(key="arch_section").set_value("findings").run()
    assert any(c.language == "diff" for c in at.code)  # the diff of the fix is shown
    assert at.dataframe  # before/after table
    # a second fix is based on the first version
    fix_buttons = [b for b in at.button if str(b.key).startswith("arch_fix_")]
    fix_buttons[0].click().run()
    versions = open_store().get(ws).artefacts_of("architecture")
    assert len(versions) == 2
    assert {v.data["parent"] for v in versions} == {None, "v001"}


def test_waive_with_reason_adds_a_waiver_version(app) -> None:
    ws = _workshop()
    at = _open(app, ws)
    _section(at, "findings")
    before = len([e for e in at.expander])
    at.text_input(key="arch_waive_reason_0").input("Accepted for the pilot <b>")
    at.button(key="FormSubmitter:arch_waive_0-Waive").click().run()
    assert not at.exception
    versions = open_store().get(ws).artefacts_of("architecture")
    assert len(versions) == 1 and "Accepted for the pilot <b>" in versions[0].data["yaml"]
    _section(at, "findings")
    assert len(at.expander) <= before
    assert not any("<b>" in m.value for m in at.markdown)


def test_two_firings_on_the_same_components_are_told_apart_by_their_subject(app) -> None:
    # same_city_active_active: REL-019 fires for dns, clb once per journey (browse, checkout)
    at = _open(app)
    at.selectbox(key="arch_template").set_value("same_city_active_active").run()
    at.button(key="arch_load_template").click().run()
    _section(at, "findings")
    lines = [m.value.replace("\\", "") for m in at.markdown if m.value.startswith("**dns, clb**")]
    assert any("journey browse" in v for v in lines) and any("journey checkout" in v for v in lines), lines


def test_whatif_lose_an_az_shows_journeys_and_recovery(app) -> None:
    at = _open(app)
    _section(at, "whatif")
    target = at.selectbox(key="arch_whatif_target_az")
    assert target.options
    target.set_value(target.options[-1]).run()
    assert not at.exception
    labels = [m.label for m in at.metric]
    assert "Journeys surviving" in labels and "Estimated RTO" in labels and "Estimated RPO" in labels
    at.segmented_control(key="arch_whatif_kind").set_value(Disruption.REGION).run()
    assert not at.exception and at.selectbox(key="arch_whatif_target_region").options


def test_bad_yaml_shows_located_problems_not_an_exception(app) -> None:
    at = _open(app)
    _section(at, "edit")
    at.text_area(key="arch_editor").set_value("name: broken\ncomponents: [\n").run()
    assert not at.exception
    assert any("problem" in e.value for e in at.error)
    issues = at.dataframe[0].value
    assert {"Location", "Line", "Column", "Problem"} <= set(issues.columns)
    assert issues["Line"].notna().any()
    at.text_area(key="arch_editor").set_value("name: !!python/object/apply:os.system ['true']\n").run()
    assert not at.exception and at.error


def test_hostile_names_are_shown_as_text(app, tmp_path: Path) -> None:
    at = _open(app)
    _section(at, "edit")
    hostile = ('schema_version: 1\nname: "<script>alert(1)</script> **bold** [x](javascript:alert(1))"\n'
               'components:\n  - {id: "a", name: "<img src=x onerror=alert(1)>", type: compute}\n')
    at.text_area(key="arch_editor").set_value(hostile).run()
    assert not at.exception and not at.error
    for name in ("diagram", "findings", "downloads"):
        _section(at, name)
    assert not any("<script>" in m.value or "javascript:" in m.value for m in at.markdown)


def test_chinese_page_is_translated(app) -> None:
    at = _switch(app(lang="zh-CN").run())
    assert not at.exception
    assert at.title[0].value == "架构评审"
    assert {m.label for m in at.metric} >= {"可靠性", "总分"}


def test_the_effect_of_a_fix_is_not_shown_over_another_design(app) -> None:
    at = _open(app, _workshop())
    at.selectbox(key="arch_template").set_value("single_az").run()
    at.button(key="arch_load_template").click().run()
    _section(at, "findings")
    [b for b in at.button if str(b.key).startswith("arch_fix_")][0].click().run()
    _section(at, "findings")
    assert any(c.language == "diff" for c in at.code)  # the fix's effect, under the version it made
    at.selectbox(key="arch_template").set_value("two_regions_three_dcs").run()
    at.button(key="arch_load_template").click().run()
    _section(at, "findings")
    assert not any(c.language == "diff" for c in at.code)
    assert not any("Effect of the fix" in h.value for h in at.subheader)


def test_an_uploaded_file_is_the_users_own_design_and_a_binary_one_is_refused(app) -> None:
    at = _open(app, _workshop())
    at.selectbox(key="arch_template").set_value("single_az").run()
    at.button(key="arch_load_template").click().run()
    _section(at, "edit")
    before = at.session_state["arch_source"]
    at.file_uploader(key="arch_upload").set_value(("junk.yaml", b"\x00\x01\x02\xff" * 300, "text/yaml")).run()
    assert not at.exception and at.error
    assert not any("File loaded" in s.value for s in at.success)
    assert at.session_state["arch_source"] == before  # the design on screen is kept, no garbage in the editor
    text = (ROOT / "sample_data" / "architectures" / "two_regions_three_dcs.yaml").read_bytes()
    at.file_uploader(key="arch_upload").set_value(("mine.yaml", text, "text/yaml")).run()
    assert not at.exception
    assert any("File loaded" in s.value for s in at.success)
    assert any("own design" in c.value for c in at.caption), [c.value for c in at.caption]
