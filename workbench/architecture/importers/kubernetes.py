"""Kubernetes manifests (a folder, a zip of one, or a multi-document YAML/JSON) → architecture.

What and why
    Workloads become components: Deployments (stateless, ``container_service`` unless the image is a known
    data store) and StatefulSets (stateful).  Replicas come from ``spec.replicas`` (Kubernetes default 1),
    or the HorizontalPodAutoscaler's ``minReplicas`` when the HPA owns the count; the HPA's min/max become
    the component's autoscaling.  AZ spread comes from the pod template (Kubernetes docs "Pod Topology
    Spread Constraints" and "Assigning Pods to Nodes"): a ``topologySpreadConstraints`` entry or a
    ``podAntiAffinity`` term on ``topology.kubernetes.io/zone`` spreads the replicas over the zones (a hard
    rule for ``DoNotSchedule``/``required…``, best effort for ``ScheduleAnyway``/``preferred…``); a
    ``nodeSelector``/``nodeAffinity`` on the zone label names the zones.  Without a zone rule the scheduler
    may put every replica in one zone, so the import assumes it does (the conservative reading) and says so.

    Services and Ingresses give links: an Ingress or a ``LoadBalancer`` Service becomes a public load balancer
    linked to the workloads its backends select; a workload whose environment or arguments name another
    Service (``orders``, ``orders.shop``, ``orders.shop.svc.cluster.local``) is assumed to call it.
    PodDisruptionBudgets, probes and resource requests are noted on the component (tags) and in the report.
    A Helm chart template (unrendered ``{{ }}``) is refused: render it first with ``helm template``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from workbench.architecture.importers.base import (
    Draft,
    EntryKind,
    ImportRefused,
    SourceFile,
    check_depth,
    placement_docs,
    spread,
)
from workbench.architecture.importers.safe_yaml import load_documents
from workbench.architecture.importers.terraform import region_of_az

NAME = "kubernetes"
ZONE_KEYS = ("topology.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/zone")
HOST_KEY = "kubernetes.io/hostname"
ASSUMED_ZONES = ("zone-1", "zone-2", "zone-3")
ASSUMED_REGION = "cluster"
WORKLOADS = ("Deployment", "StatefulSet")
_IMAGE_TYPES = (
    (("mysql", "mariadb", "postgres", "tidb"), "relational_db"),
    (("redis", "memcached", "valkey"), "cache"),
    (("kafka", "rabbitmq", "pulsar", "nats", "rocketmq"), "message_queue"),
    (("elasticsearch", "opensearch"), "search"),
    (("mongo", "cassandra", "etcd", "zookeeper", "minio"), "nosql"),
)
_TOKEN = re.compile(r"[a-z0-9][a-z0-9.-]*")
_IGNORED_KINDS = {"ConfigMap", "Secret", "ServiceAccount", "Role", "RoleBinding", "ClusterRole",
                  "ClusterRoleBinding", "Namespace", "NetworkPolicy", "PersistentVolumeClaim", "LimitRange",
                  "ResourceQuota", "CustomResourceDefinition"}


def sniff(head: str) -> bool:
    """A manifest names its ``apiVersion`` (a Helm ``Chart.yaml`` too, refused later with a clear message)."""
    return "apiVersion" in head


@dataclass
class _Obj:
    kind: str
    name: str
    namespace: str
    body: dict[str, Any]
    file: str
    line: int | None

    @property
    def address(self) -> str:
        return f"{self.kind}/{self.namespace}/{self.name}"


@dataclass
class _Workload:
    obj: _Obj
    cid: str
    labels: dict[str, str]
    strings: list[str] = field(default_factory=list)


def _objects(file: SourceFile) -> Iterator[_Obj]:
    text = file.text()
    if file.name.rsplit("/", 1)[-1] in ("Chart.yaml", "values.yaml"):
        raise ImportRefused("errors.architecture_import.helm_chart", file=file.name)
    pos = text.find("{{")

    def helm() -> ImportRefused:
        return ImportRefused("errors.architecture_import.helm_unrendered", file=file.name,
                             line=text.count("\n", 0, pos) + 1, found=text[pos:pos + 40].splitlines()[0])

    # Rendered manifests may hold "{{ }}" inside strings (alert templates); a chart template does not parse,
    # or leaves the braces in a name.
    try:
        docs = _documents(file, text)
    except ImportRefused:
        if pos >= 0:
            raise helm() from None
        raise
    if pos >= 0 and "{{" in json.dumps([_get(d, "metadata", "name") for d, _ in docs], default=str):
        raise helm()
    for data, line in docs:
        check_depth(data, file.name)
        items = data.get("items") if isinstance(data, dict) and str(data.get("kind", "")).endswith("List") else [data]
        for item in items if isinstance(items, list) else []:
            if not isinstance(item, dict) or "kind" not in item or "apiVersion" not in item:
                raise ImportRefused("errors.architecture_import.k8s_not_manifest", file=file.name, line=line,
                                    found=", ".join(list(item)[:5]) if isinstance(item, dict) else type(item).__name__)
            meta_raw = item.get("metadata")
            meta: dict[str, Any] = meta_raw if isinstance(meta_raw, dict) else {}
            yield _Obj(kind=str(item["kind"]), name=str(meta.get("name", "")),
                       namespace=str(meta.get("namespace") or "default"), body=item, file=file.name, line=line)


def _documents(file: SourceFile, text: str) -> list[tuple[Any, int]]:
    if text.lstrip().startswith("{"):
        try:
            return [(json.loads(text), 1)]
        except (ValueError, RecursionError) as exc:
            raise ImportRefused("errors.architecture_import.yaml_syntax", file=file.name, line=0,
                                problem=str(exc)[:200]) from None
    return load_documents(text, file.name)


def _get(d: Any, *path: str) -> Any:
    for p in path:
        if not isinstance(d, dict):
            return None
        d = d.get(p)
    return d


def _list(x: Any) -> list[Any]:
    return x if isinstance(x, list) else []


def _zone_terms(pod: dict[str, Any]) -> tuple[str | None, str | None, list[str]]:
    """(zone spread: 'required'|'preferred'|None, host spread: same, zones the pod is pinned to)."""
    zone: str | None = None
    host: str | None = None

    def rank(current: str | None, new: str) -> str:
        return "required" if "required" in (current, new) else new

    for c in _list(pod.get("topologySpreadConstraints")):
        strength = "required" if _get(c, "whenUnsatisfiable") in (None, "DoNotSchedule") else "preferred"
        if _get(c, "topologyKey") in ZONE_KEYS:
            zone = rank(zone, strength)
        elif _get(c, "topologyKey") == HOST_KEY:
            host = rank(host, strength)
    anti = _get(pod, "affinity", "podAntiAffinity") or {}
    for term in _list(anti.get("requiredDuringSchedulingIgnoredDuringExecution")):
        if _get(term, "topologyKey") in ZONE_KEYS:
            zone = rank(zone, "required")
        elif _get(term, "topologyKey") == HOST_KEY:
            host = rank(host, "required")
    for term in _list(anti.get("preferredDuringSchedulingIgnoredDuringExecution")):
        if _get(term, "podAffinityTerm", "topologyKey") in ZONE_KEYS:
            zone = rank(zone, "preferred")
        elif _get(term, "podAffinityTerm", "topologyKey") == HOST_KEY:
            host = rank(host, "preferred")
    pinned: list[str] = []
    raw_selector = pod.get("nodeSelector")
    selector: dict[str, Any] = raw_selector if isinstance(raw_selector, dict) else {}
    for key in ZONE_KEYS:
        if isinstance(selector.get(key), str):
            pinned.append(selector[key])
    node_aff = _get(pod, "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution",
                    "nodeSelectorTerms")
    for term in _list(node_aff):
        for expr in _list(_get(term, "matchExpressions")):
            if _get(expr, "key") in ZONE_KEYS and _get(expr, "operator") == "In":
                pinned.extend(str(v) for v in _list(_get(expr, "values")))
    return zone, host, list(dict.fromkeys(pinned))


def _type_of(images: list[str], kind: str) -> str:
    for image in images:
        base = image.rsplit("/", 1)[-1].split(":")[0].lower()
        for words, type_ in _IMAGE_TYPES:
            if any(w in base for w in words):
                return type_
    return "container_service"


def _requests(containers: list[Any]) -> str:
    parts = []
    for c in containers:
        req = _get(c, "resources", "requests")
        if isinstance(req, dict) and req:
            parts.append(f"{_get(c, 'name')}: " + ", ".join(f"{k}={v}" for k, v in sorted(req.items())))
    return "; ".join(parts)


def _strings(containers: list[Any]) -> list[str]:
    out: list[str] = []
    for c in containers:
        for e in _list(_get(c, "env")):
            if isinstance(_get(e, "value"), str):
                out.append(e["value"])
        for key in ("args", "command"):
            out.extend(s for s in _list(_get(c, key)) if isinstance(s, str))
    return out


class _Builder:
    def __init__(self, objs: list[_Obj]) -> None:
        self.objs = objs
        self.draft = Draft()
        self.workloads: dict[tuple[str, str, str], _Workload] = {}  # (namespace, kind, name)
        pinned = [z for o in objs if o.kind in WORKLOADS
                  for z in _zone_terms(_get(o.body, "spec", "template", "spec") or {})[2]]
        self.zones = list(dict.fromkeys(pinned))
        self.assumed_zones = not self.zones
        if self.assumed_zones:
            self.zones = list(ASSUMED_ZONES)
        self.hpa_min: dict[tuple[str, str, str], tuple[int, int, _Obj]] = {}
        for o in objs:
            if o.kind == "HorizontalPodAutoscaler":
                ref = _get(o.body, "spec", "scaleTargetRef") or {}
                mn = _get(o.body, "spec", "minReplicas")
                mx = _get(o.body, "spec", "maxReplicas")
                lo = mn if isinstance(mn, int) and mn >= 1 else 1
                hi = mx if isinstance(mx, int) and mx >= lo else lo
                self.hpa_min[(o.namespace, str(ref.get("kind", "")), str(ref.get("name", "")))] = (lo, hi, o)

    def note(self, kind: EntryKind, key: str, o: _Obj, about: str | None = None, /,
             **params: str | float) -> None:
        self.draft.note(kind, key, file=o.file, address=o.address, line=o.line, about=about, **params)

    def _az_region(self, az: str) -> str:
        return ASSUMED_REGION if self.assumed_zones else region_of_az(az)

    def workload(self, o: _Obj) -> None:
        spec = _get(o.body, "spec") or {}
        pod = _get(spec, "template", "spec") or {}
        containers = [c for c in _list(pod.get("containers")) if isinstance(c, dict)]
        images = [str(c.get("image", "")) for c in containers]
        hpa = self.hpa_min.get((o.namespace, o.kind, o.name))
        replicas = spec.get("replicas")
        if not isinstance(replicas, int) or replicas < 0:
            replicas = hpa[0] if hpa else 1
            self.note(EntryKind.ASSUMED, "architecture_import.k8s.replicas_default", o, count=replicas)
        type_ = _type_of(images, o.kind)
        zone, host, pinned = _zone_terms(pod)
        if pinned and not zone:
            azs = pinned
        elif zone:
            azs = pinned or self.zones
        else:
            azs = [pinned[0] if pinned else self.zones[0]]
        count = max(replicas, 1)
        placement = spread(azs, count)
        for p in placement:
            assert p.az is not None
            self.draft.add_az(self._az_region(p.az), p.az)
        body: dict[str, Any] = {"name": o.name, "type": type_, "placement": placement_docs(placement),
                                "replicas": count}
        if o.kind == "StatefulSet":
            body["stateful"] = True
            if count > 1:
                body["ha_mode"] = "cluster"
        elif count > 1:
            body["ha_mode"] = "active_active"
        tags = {"kubernetes.kind": o.kind, "kubernetes.namespace": o.namespace}
        probes = sorted({p for c in containers for p in ("readiness", "liveness", "startup") if f"{p}Probe" in c})
        if probes:
            tags["kubernetes.probes"] = ",".join(probes)
        requests = _requests(containers)
        if requests:
            tags["kubernetes.requests"] = requests[:500]
        body["tags"] = tags
        if hpa:
            body["autoscaling"] = {"min": hpa[0], "max": hpa[1]}
        cid = self.draft.add_component(o.name if o.namespace == "default" else f"{o.namespace}.{o.name}", **body)
        labels = _get(spec, "template", "metadata", "labels") or {}
        self.workloads[(o.namespace, o.kind, o.name)] = _Workload(
            o, cid, {str(k): str(v) for k, v in labels.items()}, _strings(containers))
        self.note(EntryKind.RECOGNISED, "architecture_import.k8s.workload", o, cid, kind=o.kind, component=cid,
                  type=type_, replicas=count)
        if type_ != "container_service":
            self.note(EntryKind.ASSUMED, "architecture_import.k8s.type_from_image", o, cid, type=type_,
                      image=next((i for i in images if i), "-"))
        if zone == "required":
            self.note(EntryKind.RECOGNISED, "architecture_import.k8s.zone_spread", o, cid, zones=len(azs))
        elif zone == "preferred":
            self.note(EntryKind.ASSUMED, "architecture_import.k8s.zone_spread_preferred", o, cid, zones=len(azs))
        elif not pinned:
            self.note(EntryKind.ASSUMED, "architecture_import.k8s.no_zone_spread", o, cid, zone=azs[0])
        if host:
            self.note(EntryKind.RECOGNISED, "architecture_import.k8s.host_spread", o, cid, strength=host)
        if probes:
            self.note(EntryKind.RECOGNISED, "architecture_import.k8s.probes", o, cid, probes=", ".join(probes))
        else:
            self.note(EntryKind.ASSUMED, "architecture_import.k8s.no_probes", o, cid)
        if requests:
            self.note(EntryKind.RECOGNISED, "architecture_import.k8s.requests", o, cid, requests=requests[:200])
        if hpa:
            self.note(EntryKind.RECOGNISED, "architecture_import.k8s.hpa", hpa[2], cid, component=cid,
                      min=hpa[0], max=hpa[1])

    def selected(self, namespace: str, selector: Any) -> list[_Workload]:
        if not isinstance(selector, dict) or not selector:
            return []
        sel = {str(k): str(v) for k, v in selector.items()}
        return [w for (ns, _, _), w in self.workloads.items()
                if ns == namespace and all(w.labels.get(k) == v for k, v in sel.items())]

    def pdb(self, o: _Obj) -> None:
        spec = _get(o.body, "spec") or {}
        rule = (f"minAvailable={spec['minAvailable']}" if "minAvailable" in spec
                else f"maxUnavailable={spec.get('maxUnavailable', '-')}")
        targets = self.selected(o.namespace, _get(spec, "selector", "matchLabels"))
        for w in targets:
            self.draft.components[w.cid]["tags"]["kubernetes.pdb"] = rule
            self.note(EntryKind.RECOGNISED, "architecture_import.k8s.pdb", o, w.cid, component=w.cid, rule=rule)
        if not targets:
            self.note(EntryKind.IGNORED, "architecture_import.k8s.selects_nothing", o)

    def services(self) -> dict[tuple[str, str], list[_Workload]]:
        """Service (namespace, name) → selected workloads; LoadBalancer Services become load balancers."""
        out: dict[tuple[str, str], list[_Workload]] = {}
        for o in self.objs:
            if o.kind != "Service":
                continue
            targets = self.selected(o.namespace, _get(o.body, "spec", "selector"))
            out[(o.namespace, o.name)] = targets
            stype = str(_get(o.body, "spec", "type") or "ClusterIP")
            if stype == "LoadBalancer":
                # TKE: ...qcloud-loadbalancer-internal-subnetid; AWS: aws-load-balancer-internal / -scheme: internal
                internal = any("internal" in str(k).lower() or str(v).lower() == "internal"
                               for k, v in (_get(o.body, "metadata", "annotations") or {}).items())
                cid = self.draft.add_component(f"{o.name}-lb", name=o.name, type="load_balancer",
                                               ha_mode="multi_az", placement=[{"region": self._lb_region(),
                                                                               "count": 1}],
                                               public=not internal, tags={"kubernetes.kind": "Service"})
                if not internal:
                    self.draft.entry_points.append(cid)
                self.note(EntryKind.RECOGNISED, "architecture_import.k8s.service_lb", o, cid, component=cid)
                self.note(EntryKind.ASSUMED, "architecture_import.k8s.lb_regional", o, cid, component=cid)
                for w in targets:
                    self.draft.add_link(cid, w.cid)
            elif targets:
                self.note(EntryKind.RECOGNISED, "architecture_import.k8s.service", o, type=stype,
                          workloads=", ".join(w.cid for w in targets))
            else:
                self.note(EntryKind.IGNORED, "architecture_import.k8s.selects_nothing", o)
        return out

    def _lb_region(self) -> str:
        region = self._az_region(self.zones[0])
        self.draft.add_region(region)
        return region

    def ingresses(self, services: dict[tuple[str, str], list[_Workload]]) -> None:
        for o in self.objs:
            if o.kind != "Ingress":
                continue
            spec = _get(o.body, "spec") or {}
            backends = [_get(spec, "defaultBackend"), _get(spec, "backend")]
            for rule in _list(spec.get("rules")):
                backends.extend(_get(p, "backend") for p in _list(_get(rule, "http", "paths")))
            names = {str(_get(b, "service", "name") or _get(b, "serviceName") or "") for b in backends if b}
            cid = self.draft.add_component(f"{o.name}-ingress", name=o.name, type="load_balancer",
                                           ha_mode="multi_az", placement=[{"region": self._lb_region(), "count": 1}],
                                           public=True, encryption_in_transit=bool(_list(spec.get("tls"))),
                                           tags={"kubernetes.kind": "Ingress"})
            self.draft.entry_points.append(cid)
            self.note(EntryKind.RECOGNISED, "architecture_import.k8s.ingress", o, cid, component=cid,
                      services=", ".join(sorted(n for n in names if n)) or "-")
            self.note(EntryKind.ASSUMED, "architecture_import.k8s.lb_regional", o, cid, component=cid)
            for n in sorted(names):
                for w in services.get((o.namespace, n), []):
                    self.draft.add_link(cid, w.cid)

    def calls(self, services: dict[tuple[str, str], list[_Workload]]) -> None:
        """A workload naming a Service in its env/args calls the Service's workloads (assumed)."""
        names = {ns_name[1]: ns_name for ns_name in services}
        for w in self.workloads.values():
            seen: set[str] = set()
            for s in w.strings:
                for token in _TOKEN.findall(s.lower()):
                    parts = token.split(".")
                    ns = parts[1] if len(parts) > 1 and parts[1] != "svc" else w.obj.namespace
                    key = (ns, parts[0]) if (ns, parts[0]) in services else names.get(parts[0]) \
                        if len(parts) == 1 else None
                    if key is None or key not in services:
                        continue
                    for target in services[key]:
                        if target.cid != w.cid and target.cid not in seen and self.draft.add_link(w.cid, target.cid):
                            seen.add(target.cid)
                            self.note(EntryKind.ASSUMED, "architecture_import.k8s.call_from_env", w.obj, w.cid,
                                      source=w.cid, target=target.cid, service=key[1])

    def build(self) -> Draft:
        for o in self.objs:
            if o.kind in WORKLOADS:
                self.workload(o)
        if self.assumed_zones and self.workloads:
            first = next(iter(self.workloads.values())).obj
            self.note(EntryKind.ASSUMED, "architecture_import.k8s.zones_assumed", first,
                      zones=", ".join(ASSUMED_ZONES), region=ASSUMED_REGION)
        for o in self.objs:
            if o.kind == "PodDisruptionBudget":
                self.pdb(o)
            elif o.kind in ("DaemonSet", "Job", "CronJob"):
                self.note(EntryKind.IGNORED, f"architecture_import.k8s.ignored_{o.kind.lower()}", o)
            elif o.kind in _IGNORED_KINDS:
                self.note(EntryKind.IGNORED, "architecture_import.k8s.ignored_kind", o, kind=o.kind)
            elif o.kind not in (*WORKLOADS, "Service", "Ingress", "HorizontalPodAutoscaler"):
                self.note(EntryKind.IGNORED, "architecture_import.k8s.unknown_kind", o, kind=o.kind)
        services = self.services()
        self.ingresses(services)
        self.calls(services)
        return self.draft


def import_files(files: list[SourceFile]) -> Draft:
    objs = [o for f in files for o in _objects(f)]
    if not any(o.kind in WORKLOADS for o in objs):
        raise ImportRefused("errors.architecture_import.k8s_no_workloads", file=", ".join(f.name for f in files)[:200],
                            found=", ".join(sorted({o.kind for o in objs})) or "-")
    return _Builder(objs).build()
