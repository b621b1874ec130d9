"""The import panel of the Architecture page: upload, report reviewed, shapes typed, saved as a version."""

from __future__ import annotations

from tests.conftest import ROOT
from workbench.store import open_store
from workbench.workshop.models import WorkshopMeta

PAGE = "pages/architecture.py"
IMPORTS = ROOT / "sample_data" / "imports"


def _open(app, workshop: str | None = None):
    at = app(**({"lang": "en"} | ({"workshop": workshop} if workshop else {}))).run()
    at.switch_page(PAGE)
    at.session_state["_ctx_from_app"] = False
    at.run()
    at.segmented_control(key="arch_section").set_value("edit").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _report_rows(at) -> list[dict]:
    (frame,) = [d for d in at.dataframe if "Detail" in d.value.columns]
    return frame.value.to_dict("records")


def test_terraform_upload_shows_the_report_then_saves_a_version(app) -> None:
    ws = open_store().create(WorkshopMeta(title="Import")).id
    at = _open(app, ws)
    data = (IMPORTS / "terraform/tencentcloud_plan.json").read_bytes()
    at.file_uploader(key="arch_import_upload").set_value(("plan.json", data, "application/json")).run()
    assert not at.exception and not at.error
    rows = _report_rows(at)
    where = {r["Where"] for r in rows}
    assert "plan.json tencentcloud_instance.web[1]" in where
    assert any(r["What"] == "Ignored" and "tencentcloud_security_group" in r["Detail"] for r in rows)
    assert any(r["What"] == "Assumed" and "once a day" in r["Detail"] for r in rows)
    assert not open_store().get(ws).artefacts_of("architecture")  # nothing saved before the advisor says so
    at.button(key="arch_import_save").click().run()
    assert not at.exception
    versions = open_store().get(ws).artefacts_of("architecture")
    assert len(versions) == 1 and "tencentcloud_instance.web" in versions[0].data["yaml"]
    assert any("Imported" in s.value for s in at.success)
    assert "tencentcloud_mysql_instance.orders" in at.session_state["arch_source"]


def test_drawio_unknown_shape_is_typed_and_reimported(app) -> None:
    at = _open(app)
    data = (IMPORTS / "drawio/tencent_shop.drawio").read_bytes()
    at.file_uploader(key="arch_import_upload").set_value(("shop.drawio", data, "application/xml")).run()
    assert any(r["What"] == "To type" and "风控系统" in r["Detail"] for r in _report_rows(at))
    at.selectbox(key="arch_import_type_0").set_value("compute").run()
    at.button(key="arch_import_retype").click().run()
    assert not at.exception
    assert not any(r["What"] == "To type" for r in _report_rows(at))
    result = at.session_state["arch_import_result"]
    assert any(c.name == "风控系统" and c.type == "compute" for c in result.architecture.components)


def test_bad_source_is_refused_and_nothing_changes(app) -> None:
    ws = open_store().create(WorkshopMeta(title="Import")).id
    at = _open(app, ws)
    before = at.session_state["arch_source"]
    data = (IMPORTS / "terraform/google_plan.json").read_bytes()
    at.file_uploader(key="arch_import_upload").set_value(("google.json", data, "application/json")).run()
    assert not at.exception
    assert any("supported provider" in e.value and "google" in e.value for e in at.error)
    assert at.session_state["arch_source"] == before
    assert not open_store().get(ws).artefacts_of("architecture")


def test_sample_import(app) -> None:
    at = _open(app)
    at.selectbox(key="arch_import_sample").set_value("kubernetes/shop").run()
    at.button(key="arch_import_sample_go").click().run()
    assert not at.exception
    rows = _report_rows(at)
    assert any("PodDisruptionBudget minAvailable=4" in r["Detail"] for r in rows)
    assert any(r["Where"] == "shop/web.yaml:3 Deployment/shop/web" for r in rows)


def test_an_imported_design_is_not_said_to_start_from_the_template_on_screen_before(app) -> None:
    ws = open_store().create(WorkshopMeta(title="Import origin")).id
    at = _open(app, ws)  # opens on a template (the first one)
    data = (IMPORTS / "terraform/tencentcloud_plan.json").read_bytes()
    at.file_uploader(key="arch_import_upload").set_value(("plan.json", data, "application/json")).run()
    at.button(key="arch_import_save").click().run()
    assert not at.exception
    (version,) = open_store().get(ws).artefacts_of("architecture")
    assert version.data["template"] is None
    assert not any("started from the template" in c.value for c in at.caption)
