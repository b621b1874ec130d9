"""Kubernetes manifests import: replicas, zone spread, HPA, PDB, Services/Ingress links, probes, refusals."""

from __future__ import annotations

import json

import pytest

from workbench.architecture.importers import EntryKind, ImportRefused, SourceFile, import_sources
from workbench.architecture.loader import dump_architecture, load_architecture

DEPLOY = """apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}}}
spec:
  replicas: {replicas}
  selector: {{matchLabels: {{app: {name}}}}}
  template:
    metadata: {{labels: {{app: {name}}}}}
    spec:
{extra}      containers:
        - name: c
          image: example/{name}:1
"""
SPREAD = """      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: topology.kubernetes.io/zone
          whenUnsatisfiable: {when}
"""


def _import(*docs: str):
    return import_sources([SourceFile("m.yaml", "\n---\n".join(docs).encode())])


def test_shop_folder(run) -> None:
    r = run("kubernetes/shop")
    comps = r.architecture.components_by_id
    web = comps["shop.web"]
    assert web.replicas == 6 and {p.az: p.count for p in web.placement} == {"ap-guangzhou-3": 3, "ap-guangzhou-4": 3}
    assert web.autoscaling is not None and (web.autoscaling.min, web.autoscaling.max) == (6, 24)
    assert web.tags["kubernetes.pdb"] == "minAvailable=4"
    assert web.tags["kubernetes.probes"] == "liveness,readiness"
    assert web.tags["kubernetes.requests"] == "web: cpu=500m, memory=512Mi"
    mysql = comps["shop.mysql"]  # StatefulSet with a mysql image, no spread: one zone
    assert (mysql.type, mysql.stateful, mysql.azs) == ("relational_db", True, ["ap-guangzhou-3"])
    assert comps["shop.redis"].replicas == 1  # replicas omitted: Kubernetes default 1
    links = {(lk.source, lk.target) for lk in r.architecture.links}
    assert links == {("shop-ingress", "shop.web"), ("shop.web", "shop.orders"), ("shop.web", "shop.redis"),
                     ("shop.orders", "shop.mysql")}
    assert r.architecture.entry_points == ["shop-ingress"]
    assert comps["shop-ingress"].encryption_in_transit  # tls block
    assert load_architecture(dump_architecture(r.architecture)) == r.architecture


def test_shop_report_locations_and_reasons(run) -> None:
    r = run("kubernetes/shop")
    by_key = {(e.address, e.key.rsplit(".", 1)[-1]): e for e in r.report.entries}
    assert by_key[("Deployment/shop/web", "zone_spread")].line == 3
    assert by_key[("Deployment/shop/web", "zone_spread")].file == "shop/web.yaml"
    assert ("Deployment/shop/orders", "zone_spread_preferred") in by_key
    assert ("Deployment/shop/redis", "no_probes") in by_key
    assert ("Deployment/shop/redis", "replicas_default") in by_key
    assert by_key[("ConfigMap/shop/shop-settings", "ignored_kind")].kind == EntryKind.IGNORED
    assert by_key[("HorizontalPodAutoscaler/shop/web", "hpa")].line == 68


@pytest.mark.parametrize(("when", "kind", "azs"), [
    ("DoNotSchedule", "zone_spread", 3), ("ScheduleAnyway", "zone_spread_preferred", 3), (None, "no_zone_spread", 1)])
def test_zone_spread_rules(when: str | None, kind: str, azs: int) -> None:
    extra = SPREAD.format(when=when) if when else ""
    r = _import(DEPLOY.format(name="api", replicas=3, extra=extra))
    api = r.architecture.components_by_id["api"]
    assert len(api.azs) == azs and api.replicas == 3
    assert any(e.key.endswith(f".{kind}") for e in r.report.entries)
    assert any(e.key.endswith(".zones_assumed") for e in r.report.entries)  # no zone names anywhere


def test_anti_affinity_required_spreads() -> None:
    extra = """      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            - topologyKey: topology.kubernetes.io/zone
              labelSelector: {matchLabels: {app: api}}
"""
    api = _import(DEPLOY.format(name="api", replicas=2, extra=extra)).architecture.components_by_id["api"]
    assert len(api.azs) == 2


def test_kubectl_list_json_and_load_balancer_service() -> None:
    items = [
        json.loads(json.dumps({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "api"},
                               "spec": {"replicas": 2, "template": {"metadata": {"labels": {"app": "api"}},
                                                                    "spec": {"containers": [{"image": "x"}]}}}})),
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "api", "annotations": {
            "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing"}},
         "spec": {"type": "LoadBalancer", "selector": {"app": "api"}}},
    ]
    doc = {"apiVersion": "v1", "kind": "List", "items": items}
    r = import_sources([SourceFile("all.json", json.dumps(doc).encode())])
    lb = r.architecture.components_by_id["api-lb"]
    assert lb.type == "load_balancer" and lb.public
    assert [(lk.source, lk.target) for lk in r.architecture.links] == [("api-lb", "api")]


def test_helm_template_is_refused_with_its_line(run) -> None:
    with pytest.raises(ImportRefused) as err:
        run("helm/shop/templates/deployment.yaml")
    assert err.value.key == "errors.architecture_import.helm_unrendered"
    assert err.value.params["line"] == 4 and "{{" in err.value.params["found"]
    with pytest.raises(ImportRefused) as chart:
        run("helm/shop")
    assert chart.value.key == "errors.architecture_import.helm_chart"


@pytest.mark.parametrize(("text", "key"), [
    ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n", "k8s_no_workloads"),
    ("apiVersion: v1\nkind: [\n", "yaml_syntax"),
    ("apiVersion: v1\nkind: Pod\nmetadata: !!python/object:os.system {}\n", "yaml_syntax"),
    ("apiVersion: v1\n" + "a: &a [" + ",".join(["*a"] * 2) + "]\n", "k8s_not_manifest"),
    ("apiVersion: v1\nkind: Pod\nx: " + "[" * 200 + "]" * 200 + "\n", "too_deep"),
    ("apiVersion: v1\n---\n- 1\n- 2\n", "k8s_not_manifest"),
])
def test_bad_manifests_get_a_message(text: str, key: str) -> None:
    with pytest.raises(ImportRefused) as err:
        _import(text)
    assert err.value.key == f"errors.architecture_import.{key}"


def test_alias_bomb_costs_its_size_not_its_expansion() -> None:
    """Nine levels of nine aliases (9**9 leaves if expanded): refused as no workload, without expanding."""
    lines = ["apiVersion: v1", "kind: ConfigMap", "metadata: {name: bomb}", 'l0: &l0 ["lol"]']
    lines += [f"l{i}: &l{i} [" + ",".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, 10)]
    with pytest.raises(ImportRefused) as err:
        _import("\n".join(lines) + "\n")
    assert err.value.key == "errors.architecture_import.k8s_no_workloads"


def test_braces_inside_strings_of_rendered_manifests_are_fine() -> None:
    alert = ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: rules}\n"
             "data:\n  summary: 'High load on {{ $labels.instance }}'\n")
    r = _import(DEPLOY.format(name="api", replicas=2, extra=""), alert)
    assert "api" in r.architecture.components_by_id
    quoted = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: "{{ .Release.Name }}-web"\n'
    with pytest.raises(ImportRefused) as err:
        _import(quoted)
    assert err.value.key == "errors.architecture_import.helm_unrendered" and err.value.params["line"] == 4
