"""The architecture model, the catalogue and the JSON Schema."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from workbench.architecture.catalogue import (
    SlaScope,
    effective_sla,
    is_stateful,
    load_catalogue,
    type_key,
)
from workbench.architecture.model import Architecture, Component, Disruption, HAMode, Link, Placement, Policy
from workbench.architecture.schema import architecture_json_schema

GENERIC_TYPES = {
    "load_balancer",
    "api_gateway",
    "compute",
    "container_service",
    "serverless",
    "cache",
    "relational_db",
    "nosql",
    "message_queue",
    "object_storage",
    "cdn",
    "dns",
    "search",
}
TENCENT_PRODUCTS = {
    "clb",
    "cvm",
    "tke",
    "scf",
    "tencentdb_mysql",
    "tdsql_c",
    "redis",
    "ckafka",
    "tdmq",
    "cos",
    "cdn",
    "dnspod",
    "es",
}


def test_replicas_default_to_the_placement_total() -> None:
    c = Component(id="web", type="cvm", placement=[{"az": "z1", "count": 2}, {"az": "z2", "count": 3}])
    assert c.replicas == 5
    assert c.azs == ["z1", "z2"]


def test_replicas_and_placement_must_agree() -> None:
    with pytest.raises(ValidationError):
        Component(id="web", type="cvm", replicas=3, placement=[{"az": "z1", "count": 2}])


def test_placement_needs_exactly_one_domain() -> None:
    with pytest.raises(ValidationError):
        Placement()
    with pytest.raises(ValidationError):
        Placement(az="z1", region="r")


def test_link_uses_from_and_to_in_files() -> None:
    link = Link.model_validate({"from": "a", "to": "b"})
    assert (link.source, link.target) == ("a", "b")
    assert link.model_dump(by_alias=True)["from"] == "a"


def test_policy_fills_missing_disruptions_with_defaults() -> None:
    p = Policy.model_validate({"rto_minutes": {"az": 10}})
    # Issue 4: defaults AZ RTO 15 min, region RTO 30 min.
    assert p.rto_minutes == pytest.approx({Disruption.INSTANCE: 5.0, Disruption.AZ: 10.0, Disruption.REGION: 30.0})
    assert Policy().rto_minutes[Disruption.REGION] == pytest.approx(30.0)


def test_only_schema_version_1_is_read() -> None:
    with pytest.raises(ValidationError):
        Architecture(schema_version=2)


def test_model_copy_drops_cached_lookups() -> None:
    arch = Architecture(components=[Component(id="a", type="cvm")])
    assert set(arch.components_by_id) == {"a"}
    copy = arch.model_copy(update={"components": [Component(id="b", type="cvm")]})
    assert set(copy.components_by_id) == {"b"}
    assert set(arch.components_by_id) == {"a"}


def test_component_region_via_az_and_region_level_placement() -> None:
    arch = Architecture(
        regions=[{"id": "r1", "azs": [{"id": "z1"}]}, {"id": "r2"}],
        components=[Component(id="a", type="cvm", placement=[{"az": "z1"}, {"region": "r2"}])],
    )
    assert arch.component_regions(arch.components[0]) == ["r1", "r2"]


def test_catalogue_has_every_generic_type_and_tencent_product() -> None:
    cat = load_catalogue()
    assert set(cat.types) >= GENERIC_TYPES
    assert set(cat.products) >= TENCENT_PRODUCTS
    assert all(p.type in cat.types for p in cat.products.values())


def test_published_slas_match_the_research_note() -> None:
    """Research note §4.5: CVM 99.95 % per instance [TC10]; CLB 99.95 % [TC11]; TencentDB MySQL two-node
    99.95 %, three-node 99.99 %, single-node none stated [TC2]; Redis 99.95 % per instance (Redis SLA §8.1,
    cloud.tencent.com/document/product/239/30920); CKafka 99.95 % (CKafka SLA, cloud.tencent.com/document/product/
    597/36103); CDN and DNSPod figures not retrieved (null, the maths flags them as assumed)."""
    cat = load_catalogue()
    assert cat.products["cvm"].sla == pytest.approx(0.9995)
    assert cat.products["clb"].sla == pytest.approx(0.9995)
    assert cat.products["tencentdb_mysql"].sla == pytest.approx(0.9995)
    assert cat.products["tencentdb_mysql_three_node"].sla == pytest.approx(0.9999)
    assert cat.products["tencentdb_mysql"].sla_by_ha_mode["none"] is None
    assert cat.products["redis"].sla == pytest.approx(0.9995)
    assert cat.products["ckafka"].sla == pytest.approx(0.9995)
    assert cat.products["cdn"].sla is None and cat.products["dnspod"].sla is None
    for key in ("clb", "cvm", "tke", "tencentdb_mysql", "redis", "ckafka", "cos", "cdn", "dnspod"):
        docs = cat.products[key].docs
        assert docs["zh-CN"].startswith("https://cloud.tencent.com/document/product/"), key
        assert "tencent" in docs["en"], key
    for product in cat.products.values():
        if product.sla is not None:
            assert product.sla_source, "a published SLA needs its source"


def test_sla_resolution_order() -> None:
    single = Component(id="db", type="relational_db", product="tencentdb_mysql", ha_mode=HAMode.NONE)
    pair = single.model_copy(update={"ha_mode": HAMode.MULTI_AZ})
    override = pair.model_copy(update={"sla": 0.99})
    assert effective_sla(single).assumed  # single-node: no published figure, default assumption used
    assert effective_sla(single).value == pytest.approx(load_catalogue().assumptions.default_instance_availability)
    assert effective_sla(pair).value == pytest.approx(0.9995) and not effective_sla(pair).assumed
    assert effective_sla(pair).scope == SlaScope.SERVICE
    assert effective_sla(override).value == pytest.approx(0.99) and effective_sla(override).source == "component"


def test_type_may_name_a_product_and_stateful_comes_from_the_type() -> None:
    c = Component(id="db", type="tencentdb_mysql")
    assert type_key(c) == "relational_db"
    assert is_stateful(c)
    assert not is_stateful(c.model_copy(update={"stateful": False}))
    assert not is_stateful(Component(id="w", type="cvm"))


def test_json_schema_exports_and_validates_a_template() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    from pathlib import Path

    from workbench.architecture.loader import load_architecture, to_document

    schema = architecture_json_schema()
    assert "relational_db" in schema["$defs"]["Component"]["properties"]["type"]["enum"]
    assert "from" in schema["$defs"]["Link"]["properties"]
    root = Path(__file__).resolve().parents[3]
    arch = load_architecture((root / "sample_data/architectures/two_regions_three_dcs.yaml").read_bytes())
    jsonschema.validate(json.loads(json.dumps(to_document(arch))), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"components": [{"id": "a", "type": "nope"}]}, schema)


def test_committed_schema_file_is_current() -> None:
    from pathlib import Path

    path = Path(__file__).resolve().parents[3] / "docs" / "architecture.schema.json"
    assert json.loads(path.read_text(encoding="utf-8")) == json.loads(json.dumps(architecture_json_schema()))
