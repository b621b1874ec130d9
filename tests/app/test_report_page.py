"""The Report page: chain inputs with provenance, mapping, milestones, report preview and downloads."""

from __future__ import annotations

from tests.conftest import ROOT
from tests.core.workshop.test_chain import SINGLE_AZ, TIERS, _forecast_doc
from workbench.store import open_store
from workbench.workshop.models import WorkshopMeta


def _workshop():
    store = open_store()
    ws = store.create(WorkshopMeta(title="Report test", customer="ACME"))
    v = store.put_artefact(ws.id, ws.version, "sizing", "peak", {
        "inputs": {"peak": 500.0, "slo_ms": 150.0, "q": 0.99, "cap": 0.7, "azs": 2}, "tiers": TIERS})
    v = store.put_artefact(ws.id, v, "architecture", "v001", {"yaml": SINGLE_AZ, "name": "single"})
    store.put_artefact(ws.id, v, "forecast", "qps-double11", _forecast_doc(6000.0, 6600.0, 7200.0))
    return store, ws.id


def _open(app, ws_id, lang="en"):
    at = app(lang=lang, workshop=ws_id)
    at.run()
    at.switch_page(str(ROOT / "pages" / "report.py")).run()
    assert not at.exception, at.exception
    return at


def test_chain_inputs_show_provenance_and_loads(app):
    _, ws_id = _open_store_ws = _workshop()
    at = _open(app, ws_id)
    captions = " ".join(c.value for c in at.caption)
    assert "forecast “qps · double11”, scenario “double11”, P95" in captions  # its name, not its id
    assert any(m.label == "Peak used for sizing" and "7,200" in m.value for m in at.metric)
    assert len(at.dataframe) >= 1
    assert not any("Traceback" in e.value for e in at.error)


def test_choosing_the_typed_peak_is_saved_and_changes_the_source(app):
    store, ws_id = _workshop()
    at = _open(app, ws_id)
    at.selectbox(key="chain_forecast").select_index(0).run()
    assert not at.exception
    settings = store.get(ws_id).artefact("chain", "settings").data
    assert settings["use_forecast"] is False
    assert any(m.label == "Peak used for sizing" and "500" in m.value for m in at.metric)


def test_take_milestone_and_download_report(app):
    store, ws_id = _workshop()
    at = _open(app, ws_id)
    at.segmented_control(key="report_section").set_value("milestones").run()
    form_inputs = [t for t in at.text_input if t.label == "Milestone name"]
    form_inputs[0].input("Review 1")
    at.button(key="FormSubmitter:milestone_form-Take milestone").click().run()
    assert not at.exception
    assert [a.id for a in store.get(ws_id).artefacts_of("milestone")] == ["review-1"]
    assert any("Milestone saved: Review 1" in s.value for s in at.success)


def test_page_without_workshop_says_what_to_do(app):
    at = app(lang="zh-CN")
    at.run()
    at.switch_page(str(ROOT / "pages" / "report.py")).run()
    assert not at.exception
    assert any("尚未打开工作坊" in i.value for i in at.info)


def test_pdf_is_made_on_request_and_offered_for_download(app):
    from workbench.report.pdf import pdf_available

    if not pdf_available():
        import pytest

        pytest.skip("WeasyPrint/Pango not installed")
    _, ws_id = _workshop()
    at = _open(app, ws_id)
    at.segmented_control(key="report_section").set_value("report").run()
    assert not at.exception
    assert not at.get("download_button") or all("PDF" not in str(b.proto.label) for b in at.get("download_button"))
    at.button(key="make_pdf").click().run()
    assert not at.exception, at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Download report (PDF)" in labels
