"""Terraform plan/state JSON import: components, AZs, links, count/for_each, report, refusals."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.architecture.importers import EntryKind, ImportRefused, SourceFile, import_sources
from workbench.architecture.importers.terraform import region_of_az
from workbench.architecture.importers.terraform_types import tencent_zone
from workbench.architecture.loader import dump_architecture, load_architecture
from workbench.architecture.review import review_architecture


def _by_id(result):
    return result.architecture.components_by_id


def _links(result) -> set[tuple[str, str]]:
    return {(lk.source, lk.target) for lk in result.architecture.links}


def test_tencent_plan_components_zones_and_links(run) -> None:
    r = run("terraform/tencentcloud_plan.json")
    comps = _by_id(r)
    assert set(comps) == {
        "tencentcloud_clb_instance.web", "tencentcloud_instance.web", "tencentcloud_mysql_instance.orders",
        "tencentcloud_redis_instance.session", "tencentcloud_ckafka_instance.events", "tencentcloud_cos_bucket.images",
        "tencentcloud_kubernetes_cluster.apps", "tencentcloud_kubernetes_node_pool.workers",
    }
    assert [(r.id, [a.id for a in r.azs]) for r in r.architecture.regions] == [
        ("ap-guangzhou", ["ap-guangzhou-3", "ap-guangzhou-4"])]
    cvm = comps["tencentcloud_instance.web"]  # count = 2, one per zone
    assert (cvm.type, cvm.product, cvm.replicas, cvm.azs) == ("compute", "cvm", 2, ["ap-guangzhou-3", "ap-guangzhou-4"])
    db = comps["tencentcloud_mysql_instance.orders"]  # first_slave_zone in the other AZ, strong sync
    gz34 = ["ap-guangzhou-3", "ap-guangzhou-4"]
    assert (db.ha_mode.value, db.replication.value, db.azs) == ("multi_az", "sync", gz34)
    for numeric in ("tencentcloud_redis_instance.session", "tencentcloud_ckafka_instance.events"):
        assert comps[numeric].azs == gz34  # numeric zone ids (100003, 100004) read as zone names
    clb = comps["tencentcloud_clb_instance.web"]
    assert clb.public and clb.encryption_in_transit  # OPEN network, HTTPS listener
    pool = comps["tencentcloud_kubernetes_node_pool.workers"]  # subnets from for_each keys in configuration
    assert pool.autoscaling is not None and (pool.autoscaling.min, pool.autoscaling.max) == (3, 12)
    assert {p.az: p.count for p in pool.placement} == {"ap-guangzhou-3": 2, "ap-guangzhou-4": 2}
    assert {("tencentcloud_clb_instance.web", "tencentcloud_instance.web"),
            ("tencentcloud_instance.web", "tencentcloud_mysql_instance.orders"),
            ("tencentcloud_instance.web", "tencentcloud_redis_instance.session"),
            ("tencentcloud_instance.web", "tencentcloud_ckafka_instance.events")} <= _links(r)
    assert r.architecture.entry_points == ["tencentcloud_clb_instance.web"]


def test_tencent_plan_report_names_instances_assumptions_and_ignored(run) -> None:
    r = run("terraform/tencentcloud_plan.json")
    recognised = {e.address for e in r.report.of_kind(EntryKind.RECOGNISED)}
    assert {"tencentcloud_instance.web[0]", "tencentcloud_instance.web[1]",
            'tencentcloud_subnet.app["gz3"]', 'tencentcloud_subnet.app["gz4"]'} <= recognised
    ignored = r.report.of_kind(EntryKind.IGNORED)
    assert [(e.address, e.key) for e in ignored] == [
        ("tencentcloud_security_group.web", "architecture_import.terraform.ignored_type")]
    assumed = {(e.component, e.key.rsplit(".", 1)[-1]) for e in r.report.of_kind(EntryKind.ASSUMED)}
    assert ("tencentcloud_mysql_instance.orders", "daily_backup") in assumed
    assert all(e.file == "tencentcloud_plan.json" for e in r.report.entries)
    text = [e.text("en") for e in ignored] + [e.text("zh-CN") for e in ignored]
    assert "not a component" in text[0] and "不是评审中的组件" in text[1]


def test_aws_state_multi_az_asg_and_for_each(run) -> None:
    r = run("terraform/aws_state.json")
    comps = _by_id(r)
    rds = comps["aws_db_instance.orders"]
    assert rds.ha_mode.value == "multi_az" and rds.replicas == 2 and rds.placement[0].region == "us-east-1"
    asg = comps["aws_autoscaling_group.web"]
    assert asg.azs == ["us-east-1a", "us-east-1b", "us-east-1c"] and asg.autoscaling is not None
    assert comps["aws_instance.batch"].azs == ["us-east-1a"]  # subnet_id of the for_each instance
    assert ("aws_lb.web", "aws_autoscaling_group.web") in _links(r)  # listener → target group ← ASG
    assert ("aws_autoscaling_group.web", "aws_db_instance.orders") in _links(r)  # depends_on
    assert any(e.address == 'aws_instance.batch["reports"]' for e in r.report.entries)
    assert comps["aws_elasticache_replication_group.session"].failover.mode.value == "automatic"


def test_pretty_printed_json_reports_lines(imports_dir) -> None:
    doc = json.loads((imports_dir / "terraform/aws_state.json").read_text())
    text = json.dumps(doc, indent=2)
    r = import_sources([SourceFile("state.json", text.encode())])
    lines = text.splitlines()
    for e in r.report.entries:
        if e.address:
            assert e.line is not None and f'"address": {json.dumps(e.address)}' in lines[e.line - 1]


@pytest.mark.parametrize("fixture", ["terraform/tencentcloud_plan.json", "terraform/aws_state.json"])
def test_round_trip_and_review(run, fixture: str) -> None:
    r = run(fixture)
    text = dump_architecture(r.architecture)
    assert load_architecture(text) == r.architecture
    again = import_sources([SourceFile("architecture.yaml", text.encode())])
    assert again.architecture == r.architecture
    assert review_architecture(r.architecture).scores.overall >= 0


def test_other_provider_is_refused_naming_expected_and_found(run) -> None:
    with pytest.raises(ImportRefused) as err:
        run("terraform/google_plan.json")
    assert err.value.key == "errors.architecture_import.terraform_provider"
    assert err.value.params["found"] == "google" and "tencentcloud" in err.value.params["expected"]


@pytest.mark.parametrize(("text", "key"), [
    ('{"format_version": "1.0", "terraform_version": "1.9.8", ', "terraform_not_json"),
    ('{"format_version": "1.0", "terraform_version": "1.9.8"}', "terraform_empty"),
    ('{"format_version": "1.0", "values": ' + "[" * 150 + "]" * 150 + "}", "too_deep"),
    ('{"resources": [], "version": 4, "terraform_version": "x"}', "unknown_source"),
])
def test_bad_json_gets_a_message(text: str, key: str) -> None:
    with pytest.raises(ImportRefused) as err:
        import_sources([SourceFile("x.json", text.encode())])
    assert err.value.key == f"errors.architecture_import.{key}"


def test_tencent_numeric_zone_ids() -> None:
    assert tencent_zone(100003) == "ap-guangzhou-3"
    assert tencent_zone("200001") == "ap-shanghai-1"
    assert tencent_zone(800007) == "ap-beijing-7"
    assert tencent_zone("ap-guangzhou-4") == "ap-guangzhou-4"
    assert tencent_zone(123456) == "zone-123456"
    assert tencent_zone(True) == "" and tencent_zone(None) == ""


def test_region_of_az() -> None:
    assert region_of_az("ap-guangzhou-3") == "ap-guangzhou"
    assert region_of_az("us-east-1a") == "us-east-1"
    assert region_of_az("na-siliconvalley-1") == "na-siliconvalley"


@settings(max_examples=15, deadline=None)
@given(st.integers(min_value=1, max_value=30))
def test_generated_states_keep_every_component_and_link(generator, n_tiers: int) -> None:
    """State of n tiers: 10 components per tier, every CVM linked from its CLB and to its data stores."""
    doc = generator("make_terraform").state_of_size(n_tiers * 10)
    r = import_sources([SourceFile("state.json", json.dumps(doc).encode())])
    assert len(r.architecture.components) == n_tiers * 10
    assert len(r.architecture.links) == n_tiers * 6 * 3  # CLB → 6 CVMs; each CVM → MySQL, Redis
    assert {a.id for reg in r.architecture.regions for a in reg.azs} <= {
        f"{reg}-{k}" for reg in ("ap-guangzhou", "ap-shanghai") for k in (2, 3, 4)}
    assert load_architecture(dump_architecture(r.architecture)) == r.architecture
