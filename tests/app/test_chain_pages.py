"""The chain across pages on the demo workshop: capacity on the architecture, capacity findings, report."""

from __future__ import annotations

from tests.conftest import ROOT
from workbench.store import open_store
from workbench.workshop.demo import seed_demo


def _demo_app(app, lang="en"):
    demo = seed_demo(open_store(), lang)
    at = app(lang=lang, workshop=demo.id)
    at.run()
    return at, demo


def test_architecture_page_shows_capacity_at_the_forecast_peak(app):
    at = _arch_page(app, seed_demo(open_store(), "en").id)
    at.segmented_control(key="arch_section").set_value("capacity").run()
    assert not at.exception
    assert any(m.label == "Peak used for sizing" for m in at.metric)
    table = at.dataframe[0].value
    assert set(table["Component"]) >= {"web", "mysql"}
    web = table[table["Component"] == "web"].iloc[0]
    assert web["Required"] > web["Current"]  # the single-AZ design is far short of the Double 11 peak


def test_capacity_findings_join_the_review_on_the_architecture_page(app):
    at = _arch_page(app, seed_demo(open_store(), "en").id)
    at.segmented_control(key="arch_section").set_value("findings").run()
    assert not at.exception
    labels = " ".join(e.label for e in at.expander)
    assert "CAP-" in labels


def test_report_page_renders_the_demo(app):
    at, _ = _demo_app(app, "zh-CN")
    at.switch_page(str(ROOT / "pages" / "report.py")).run()
    assert not at.exception
    assert any(m.label == "测算所用峰值" for m in at.metric)
    at.segmented_control(key="report_section").set_value("report").run()
    assert not at.exception
    assert len(at.get("iframe")) == 1  # the report preview
    assert len(at.get("download_button")) >= 3  # HTML, Markdown, JSON


def _arch_page(app, ws_id, lang="en"):
    at = app(lang=lang, workshop=ws_id)
    at.run()
    at.switch_page(str(ROOT / "pages" / "architecture.py")).run()
    at.session_state["_ctx_from_app"] = False
    return at


def test_editor_work_survives_a_refresh_as_a_draft_until_saved_as_a_version(app):
    store = open_store()
    demo = seed_demo(store, "en")
    at = _arch_page(app, demo.id)
    at.segmented_control(key="arch_section").set_value("edit").run()
    text = at.text_area(key="arch_editor").value
    edited = text.replace("name: E-commerce shop", "name: Edited shop", 1)
    assert edited != text
    at.text_area(key="arch_editor").set_value(edited).run()
    assert not at.exception
    assert store.get(demo.id).artefact("draft", "architecture").data["yaml"] == edited
    again = _arch_page(app, demo.id)  # a refresh: a new session on the same workshop
    again.segmented_control(key="arch_section").set_value("edit").run()
    assert again.text_area(key="arch_editor").value == edited
    again.button(key="arch_save_version").click().run()
    assert not again.exception
    assert store.get(demo.id).artefact("draft", "architecture") is None
    assert "Edited shop" in store.get(demo.id).artefacts_of("architecture")[0].data["yaml"]


def test_opening_another_workshop_shows_its_own_architecture(app):
    from workbench.workshop.models import WorkshopMeta

    store = open_store()
    demo = seed_demo(store, "en")
    other = store.create(WorkshopMeta(title="empty"))
    at = _arch_page(app, demo.id)
    demo_text = at.session_state["arch_source"]
    at.query_params["workshop"] = other.id
    at.run()
    assert at.session_state["arch_source"] != demo_text
