"""Large estates on the Architecture page: drill-down into the aggregated diagram; fixes keep the typed model."""

from __future__ import annotations

import json

from workbench.architecture import diagram
from workbench.architecture.drilldown import clusters
from workbench.architecture.loader import dump_architecture
from workbench.architecture.synthetic import generate_architecture
from workbench.store import open_store
from workbench.workshop.models import WorkshopMeta

PAGE = "pages/architecture.py"


def _open_with(app, text: str, workshop: str | None = None):
    at = app(**({"lang": "en"} | ({"workshop": workshop} if workshop else {}))).run()
    at.switch_page(PAGE)
    at.session_state["_ctx_from_app"] = False
    at.run()  # the first run on the page binds it to the workshop (and clears any pending text)
    at.session_state["arch_pending"] = (text, None)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_drill_down_into_one_group_of_the_aggregated_diagram(app) -> None:
    arch = generate_architecture(diagram.AGGREGATE_ABOVE + 50, seed=3)
    at = _open_with(app, dump_architecture(arch, "json"))
    assert len(at.get("graphviz_chart")) == 1
    biggest = clusters(arch)[0]  # the picker lists groups largest first
    at.selectbox(key="arch_drill").set_value(biggest.key).run()
    assert not at.exception
    charts = at.get("graphviz_chart")
    assert len(charts) == 2
    assert "cluster_legend" in charts[1].proto.spec and charts[1].proto.spec.count("->") >= 1


def test_fix_on_a_large_model_keeps_the_typed_model_and_writes_json(app) -> None:
    ws = open_store().create(WorkshopMeta(title="Estate")).id
    arch = generate_architecture(400, seed=1)
    at = _open_with(app, dump_architecture(arch, "json"), ws)
    at.segmented_control(key="arch_section").set_value("findings").run()
    fix = next(b for b in at.button if str(b.key).startswith("arch_fix_"))
    fix.click().run()
    assert not at.exception
    (version,) = open_store().get(ws).artefacts_of("architecture")
    text = version.data["yaml"]
    assert json.loads(text)["schema_version"] == 1  # JSON: read back with json.loads, not the YAML composer
    kept = at.session_state["arch_models"]
    assert text in kept and kept[text].components != arch.components
