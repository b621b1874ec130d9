"""Terraform plan or state JSON (``terraform show -json``) → architecture.

What and why
    Reads the machine-readable output described in Terraform's "JSON Output Format"
    (https://developer.hashicorp.com/terraform/internals/json-format): a *state* has ``values.root_module``,
    a *plan* has ``planned_values.root_module`` plus ``configuration`` (with each resource's expression
    ``references`` and ``depends_on``); both nest modules under ``child_modules`` and carry one entry per
    resource *instance*, with ``index`` set for ``count`` (an int) and ``for_each`` (a string key) and the
    address ending in ``[0]`` or ``["key"]``.

    - The instances of one resource (``aws_instance.web[0..2]``) become one component (a tier) whose replicas
      are the instances, placed in their AZs; every instance is listed in the report with its address.
    - AZs come from the resource's own zone attributes or from the subnets it names (``subnet_id``,
      ``vpc_zone_identifier``...); regions from the AZ names (``ap-guangzhou-3`` → ``ap-guangzhou``,
      ``us-east-1a`` → ``us-east-1``) or from the provider configuration.
    - Links: load balancer → targets through listeners, target groups and attachments; otherwise a component
      that references another one (configuration references, state ``depends_on``, or an attribute holding
      the other's id/ARN) calls it.
    - Anything else (security groups, IAM, routes, data sources) is listed as ignored with the reason.

Cost: one pass over the instances plus one over their attribute strings: O(size of the document).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from workbench.architecture.importers.base import Draft, EntryKind, ImportRefused, SourceFile, check_depth
from workbench.architecture.importers.terraform_types import (
    ATTACHMENT_TYPES,
    COMPONENT_TYPES,
    LISTENER_TYPES,
    NETWORK_TYPES,
    SUBNET_TYPES,
    SUPPORTED_PROVIDERS,
    Spec,
)

NAME = "terraform"
_INDEX = re.compile(r"\[[^\]]*\]$")
_ALL_INDEXES = re.compile(r"\[[^\]]*\]")
_ADDRESS = re.compile(r'"address":\s*"((?:[^"\\]|\\.)*)"')
_AWS_AZ = re.compile(r"^([a-z]{2}(?:-gov)?-[a-z]+-\d+)[a-z]$")
_TENCENT_AZ = re.compile(r"^([a-z]+-[a-z]+(?:-[a-z]+)?)-\d+$")


def sniff(head: str) -> bool:
    """``terraform show -json`` output: a JSON object starting with ``format_version``/``terraform_version``."""
    stripped = head.lstrip("\ufeff \t\r\n")
    return stripped.startswith("{") and '"format_version"' in head and (
        '"terraform_version"' in head or '"values"' in head or '"planned_values"' in head)


@dataclass
class _Instance:
    address: str
    type: str
    name: str
    provider: str
    values: dict[str, Any]
    depends_on: list[str]
    line: int | None

    @property
    def resource(self) -> str:
        """The resource address without the instance key (``aws_instance.web[0]`` → ``aws_instance.web``)."""
        return _INDEX.sub("", self.address)

    @property
    def config(self) -> str:
        """The configuration address (no module or resource keys), as configuration references use it."""
        return _ALL_INDEXES.sub("", self.address)


@dataclass
class _Doc:
    file: str
    kind: str  # "plan" or "state"
    instances: list[_Instance]
    references: dict[str, set[str]] = field(default_factory=dict)  # config address → referenced config addresses
    regions: list[str] = field(default_factory=list)  # provider configuration regions


def region_of_az(az: str) -> str:
    """The region of an AZ id: ``ap-guangzhou-3`` → ``ap-guangzhou``; ``us-east-1a`` → ``us-east-1``."""
    m = _AWS_AZ.match(az)
    if m:
        return m.group(1)
    m = _TENCENT_AZ.match(az)
    if m:
        return m.group(1)
    return az


def _provider_short(name: str) -> str:
    """``registry.terraform.io/tencentcloudstack/tencentcloud`` → ``tencentcloud``."""
    return name.rsplit("/", 1)[-1]


def _lines(text: str) -> dict[str, int]:
    """Address → 1-based line of its first ``"address"`` key (only for pretty-printed JSON)."""
    if text.count("\n") < 3:
        return {}
    out: dict[str, int] = {}
    line, pos = 1, 0
    for m in _ADDRESS.finditer(text):
        line += text.count("\n", pos, m.start())
        pos = m.start()
        try:
            address = json.loads(f'"{m.group(1)}"')
        except ValueError:
            continue
        out.setdefault(address, line)
    return out


def _walk_modules(module: dict[str, Any]) -> Iterator[dict[str, Any]]:
    stack = [module]
    while stack:
        m = stack.pop()
        for r in m.get("resources") or []:
            if isinstance(r, dict):
                yield r
        stack.extend(c for c in reversed(m.get("child_modules") or []) if isinstance(c, dict))


def _refs_of(node: Any) -> Iterator[str]:
    """Every string in ``references`` lists under an expressions tree (iterative)."""
    stack = [node]
    while stack:
        x = stack.pop()
        if isinstance(x, dict):
            refs = x.get("references")
            if isinstance(refs, list):
                yield from (r for r in refs if isinstance(r, str))
            stack.extend(v for k, v in x.items() if k != "references")
        elif isinstance(x, list):
            stack.extend(x)


_KEYED = re.compile(r"^((?:module\.[^.\[]+(?:\[[^\]]*\])?\.)*[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\[[^\]]*\])")


def _keyed_ref(prefix: str, ref: str) -> str | None:
    """``aws_subnet.a["x"].id`` → ``aws_subnet.a["x"]`` (one instance of a count/for_each resource), else None."""
    m = _KEYED.match(ref)
    return prefix + m.group(1) if m and not ref.startswith(("var.", "local.", "data.")) else None


def _resource_ref(prefix: str, ref: str) -> str | None:
    """``aws_subnet.a.id`` → ``aws_subnet.a``; ``module.db.aws_db_instance.x`` kept; vars/locals/data → None."""
    parts = _ALL_INDEXES.sub("", ref).split(".")
    mods: list[str] = []
    while len(parts) >= 2 and parts[0] == "module":
        mods += parts[:2]
        parts = parts[2:]
    if len(parts) < 2 or parts[0] in ("var", "local", "data", "each", "count", "path", "self", "terraform"):
        return None
    return prefix + ".".join(mods + parts[:2])


def _config_refs(module: dict[str, Any], prefix: str, out: dict[str, set[str]]) -> None:
    stack = [(module, prefix)]
    while stack:
        m, pre = stack.pop()
        for r in m.get("resources") or []:
            if not isinstance(r, dict) or r.get("mode") != "managed":
                continue
            addr = pre + str(r.get("address", ""))
            raw = list(_refs_of(r.get("expressions") or {}))
            refs = {x for x in (_resource_ref(pre, s) for s in raw) if x}
            refs |= {x for x in (_keyed_ref(pre, s) for s in raw) if x}
            refs |= {x for x in (_resource_ref(pre, s) for s in r.get("depends_on") or [] if isinstance(s, str)) if x}
            out.setdefault(addr, set()).update(refs)
        for name, call in (m.get("module_calls") or {}).items():
            if isinstance(call, dict) and isinstance(call.get("module"), dict):
                stack.append((call["module"], f"{pre}module.{name}."))


def _provider_regions(config: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for p in (config.get("provider_config") or {}).values():
        if isinstance(p, dict):
            region = ((p.get("expressions") or {}).get("region") or {}).get("constant_value")
            if isinstance(region, str) and region:
                out.append(region)
    return out


def _values(resource: dict[str, Any]) -> dict[str, Any]:
    v = resource.get("values")
    return v if isinstance(v, dict) else {}


def parse(file: SourceFile) -> _Doc:
    """The managed resource instances of a plan or state, refusing anything else with a clear message."""
    text = file.text()
    try:
        data = json.loads(text)
    except RecursionError:
        raise ImportRefused("errors.architecture_import.too_deep", file=file.name, limit=100) from None
    except ValueError as exc:
        raise ImportRefused("errors.architecture_import.terraform_not_json", file=file.name,
                            problem=str(exc)[:200]) from None
    if not isinstance(data, dict) or "format_version" not in data:
        found = ", ".join(list(data)[:6]) if isinstance(data, dict) else type(data).__name__
        raise ImportRefused("errors.architecture_import.terraform_not_show_json", file=file.name, found=found)
    check_depth(data, file.name)
    if isinstance(data.get("planned_values"), dict):
        kind, root = "plan", (data["planned_values"].get("root_module") or {})
    elif isinstance(data.get("values"), dict):
        kind, root = "state", (data["values"].get("root_module") or {})
    else:
        raise ImportRefused("errors.architecture_import.terraform_empty", file=file.name)
    lines = _lines(text)
    instances = [
        _Instance(address=str(r.get("address", "")), type=str(r.get("type", "")), name=str(r.get("name", "")),
                  provider=_provider_short(str(r.get("provider_name", ""))),
                  values=_values(r),
                  depends_on=[d for d in r.get("depends_on") or [] if isinstance(d, str)],
                  line=lines.get(str(r.get("address", ""))))
        for r in _walk_modules(root) if r.get("mode", "managed") == "managed"
    ]
    doc = _Doc(file=file.name, kind=kind, instances=instances)
    config = data.get("configuration")
    if isinstance(config, dict):
        _config_refs(config.get("root_module") or {}, "", doc.references)
        doc.regions = _provider_regions(config)
    return doc


class _Builder:
    """Turns the instances of one document into a draft (components, AZs, links, report)."""

    def __init__(self, doc: _Doc) -> None:
        self.doc = doc
        self.draft = Draft()
        self.subnet_az: dict[str, str] = {}
        self.by_id: dict[str, str] = {}  # resource id / ARN → component id
        self.component_of: dict[str, str] = {}  # resource address (no key) → component id
        self.by_config: dict[str, set[str]] = {}  # config address → component ids
        self.tg_lbs: dict[str, set[str]] = {}  # target group id/ARN → load balancer component ids
        self.fallback_region = (doc.regions or [""])[0]

    def note(self, kind: EntryKind, key: str, inst: _Instance | None = None, about: str | None = None, /,
             **params: str | float) -> None:
        self.draft.note(kind, key, file=self.doc.file, address=inst.address if inst else "",
                        line=inst.line if inst else None, about=about, **params)

    # --- pass 1: topology ---------------------------------------------------------------------------

    def topology(self) -> None:
        for inst in self.doc.instances:
            if inst.type in SUBNET_TYPES:
                az = str(inst.values.get("availability_zone") or "")
                if az:
                    for key in ("id", "arn"):
                        if inst.values.get(key):
                            self.subnet_az[str(inst.values[key])] = az
                    self.subnet_az[inst.address] = az
                    self.subnet_az.setdefault(inst.config, az)
                    self.draft.add_az(region_of_az(az), az)
                    self.note(EntryKind.RECOGNISED, "architecture_import.terraform.subnet", inst, az=az)
            elif inst.type in NETWORK_TYPES:
                self.note(EntryKind.RECOGNISED, "architecture_import.terraform.network", inst)

    # --- pass 2: components -------------------------------------------------------------------------

    def _region(self, inst: _Instance) -> str:
        region = self.fallback_region or next(iter(self.draft.regions), "")
        if not region:
            region = "default"
            self.note(EntryKind.ASSUMED, "architecture_import.assume.region_unknown", inst, region=region)
        self.draft.add_region(region)
        return region

    def _placements(self, inst: _Instance, spec: Spec) -> list[dict[str, Any]]:
        azs = [a for a in spec.azs if a]
        if not azs and not spec.regional:
            azs = [self.subnet_az[s] for s in spec.subnets if s in self.subnet_az]
            if not azs:  # plan: subnet ids are unknown until apply; follow configuration references instead
                refs = sorted(self.doc.references.get(inst.config, ()))
                keyed = [r for r in refs if r.endswith("]") and r in self.subnet_az]
                azs = [self.subnet_az[r] for r in keyed or [r for r in refs if r in self.subnet_az]]
        out: dict[tuple[str, str], int] = {}
        if azs:
            if spec.counts and len(spec.counts) == len(azs):
                pairs = list(zip(azs, spec.counts, strict=True))
            else:  # one total spread round-robin over the AZs
                total = sum(spec.counts) if spec.counts else len(azs)
                pairs = [(azs[i % len(azs)], 1) for i in range(max(total, 1))]
            for az, n in pairs:
                self.draft.add_az(region_of_az(az), az)
                out[("az", az)] = out.get(("az", az), 0) + n
        else:
            n = spec.regional or (sum(spec.counts) if spec.counts else 0)
            if n:
                region = self._region(inst)
                out[("region", region)] = n
                if not spec.regional:
                    self.note(EntryKind.ASSUMED, "architecture_import.assume.no_az", inst, region=region)
        return [{k: v, "count": n} for (k, v), n in out.items()]

    def _merge(self, body: dict[str, Any], placements: list[dict[str, Any]]) -> None:
        index = {(("az", p["az"]) if "az" in p else ("region", p["region"])): p for p in body["placement"]}
        for p in placements:
            key = ("az", p["az"]) if "az" in p else ("region", p["region"])
            if key in index:
                index[key]["count"] += p["count"]
            else:
                body["placement"].append(p)
                index[key] = p
        body["replicas"] = sum(p["count"] for p in body["placement"])

    def component(self, inst: _Instance, spec: Spec) -> None:
        placements = self._placements(inst, spec)
        cid = self.component_of.get(inst.resource)
        if cid is None:
            body: dict[str, Any] = {"name": spec.name or inst.name, "type": spec.type, "placement": []}
            if spec.product:
                body["product"] = spec.product
            for key, value in (("ha_mode", spec.ha_mode), ("replication", spec.replication)):
                if value:
                    body[key] = value
            if spec.autoscaling:
                body["autoscaling"] = {"min": spec.autoscaling[0], "max": max(spec.autoscaling)}
            if spec.failover_manual:
                body["failover"] = {"mode": "manual"}
            if spec.backup_h:
                body["backup"] = {"interval_h": spec.backup_h}
            for flag in ("public", "encryption_at_rest", "encryption_in_transit"):
                if getattr(spec, flag):
                    body[flag] = True
            body["tags"] = {"terraform.address": inst.resource}
            cid = self.draft.add_component(inst.resource, **body)
            self.component_of[inst.resource] = cid
            self.by_config.setdefault(inst.config, set()).add(cid)
            if spec.public and spec.type in ("load_balancer", "cdn", "dns", "api_gateway"):
                self.draft.entry_points.append(cid)
        body = self.draft.components[cid]
        self._merge(body, placements)
        if not body["placement"]:
            body.pop("placement")
            body["replicas"] = 1
        elif body["replicas"] > 1 and "ha_mode" not in body and spec.type in ("compute", "container_service"):
            body["ha_mode"] = "active_active"
        for key in ("id", "arn"):
            if inst.values.get(key):
                self.by_id[str(inst.values[key])] = cid
        self.note(EntryKind.RECOGNISED, "architecture_import.terraform.component", inst, cid,
                  resource=inst.type, component=cid, type=spec.type)
        for key, params in spec.assumed:
            self.note(EntryKind.ASSUMED, key, inst, cid, component=cid, **params)

    def components(self) -> None:
        for inst in self.doc.instances:
            build = COMPONENT_TYPES.get(inst.type)
            if build is not None:
                self.component(inst, build(inst.values))
            elif inst.type not in SUBNET_TYPES | NETWORK_TYPES | LISTENER_TYPES | ATTACHMENT_TYPES:
                reason = ("architecture_import.terraform.ignored_provider" if inst.provider not in SUPPORTED_PROVIDERS
                          else "architecture_import.terraform.ignored_type")
                self.note(EntryKind.IGNORED, reason, inst, resource=inst.type, provider=inst.provider)

    # --- pass 3: links ------------------------------------------------------------------------------

    def _targets(self, ref: Any) -> set[str]:
        if isinstance(ref, str):
            hit = self.by_id.get(ref) or self.component_of.get(ref)
            return {hit} if hit else set(self.by_config.get(ref, ()))
        return set()

    def _lb_glue(self) -> None:
        """Listeners and target groups: LB → target group; attachments and ASGs: target group → targets."""
        for inst in self.doc.instances:
            v = inst.values
            if inst.type in ("aws_lb_listener", "aws_alb_listener"):
                lbs = self._targets(v.get("load_balancer_arn"))
                for action in v.get("default_action") or []:
                    if isinstance(action, dict) and action.get("target_group_arn"):
                        self.tg_lbs.setdefault(str(action["target_group_arn"]), set()).update(lbs)
                for ref in self.doc.references.get(inst.config, ()):
                    lbs |= self.by_config.get(ref, set())
                for ref in self.doc.references.get(inst.config, ()):
                    if ref.split(".")[-2] in ("aws_lb_target_group", "aws_alb_target_group"):
                        self.tg_lbs.setdefault(ref, set()).update(lbs)
                self._tls(inst, lbs, str(v.get("protocol", "")))
            elif inst.type in ("tencentcloud_clb_listener", "tencentcloud_clb_listener_rule"):
                lbs = self._targets(v.get("clb_id"))
                for ref in self.doc.references.get(inst.config, ()):
                    lbs |= self.by_config.get(ref, set())
                self._tls(inst, lbs, str(v.get("protocol", "")))

    def _tls(self, inst: _Instance, lbs: set[str], protocol: str) -> None:
        for lb in lbs:
            if protocol.upper() in ("HTTPS", "TCP_SSL", "TLS", "QUIC"):
                self.draft.components[lb]["encryption_in_transit"] = True
        self.note(EntryKind.RECOGNISED, "architecture_import.terraform.listener", inst,
                  protocol=protocol or "-", lbs=", ".join(sorted(lbs)) or "-")

    def _link(self, inst: _Instance, source: str, target: str, key: str) -> None:
        if self.draft.add_link(source, target):
            self.note(EntryKind.RECOGNISED, key, inst, source, source=source, target=target)

    def links(self) -> None:
        self._lb_glue()
        for inst in self.doc.instances:
            v = inst.values
            refs = self.doc.references.get(inst.config, set())
            if inst.type == "tencentcloud_clb_attachment":
                lbs = self._targets(v.get("clb_id")) | {c for r in refs for c in self.by_config.get(r, ())
                                                       if self.draft.components[c]["type"] == "load_balancer"}
                targets = {c for t in v.get("targets") or [] if isinstance(t, dict)
                           for c in self._targets(t.get("instance_id"))}
                targets |= {c for r in refs for c in self.by_config.get(r, ())
                            if self.draft.components[c]["type"] != "load_balancer"}
                for lb in sorted(lbs):
                    for target in sorted(targets):
                        self._link(inst, lb, target, "architecture_import.terraform.link_lb")
            elif inst.type in ATTACHMENT_TYPES:
                tg = v.get("target_group_arn") or v.get("lb_target_group_arn")
                lbs = set(self.tg_lbs.get(str(tg), set()))
                for r in refs:
                    lbs |= self.tg_lbs.get(r, set())
                targets = self._targets(v.get("target_id")) | self._targets(v.get("autoscaling_group_name"))
                targets |= {c for r in refs for c in self.by_config.get(r, ())}
                for lb in sorted(lbs):
                    for target in sorted(targets - lbs):
                        self._link(inst, lb, target, "architecture_import.terraform.link_lb")
            elif inst.type == "aws_autoscaling_group":
                asg = self.component_of.get(inst.resource)
                fronts: set[str] = set()
                for tg in v.get("target_group_arns") or []:
                    fronts |= self.tg_lbs.get(str(tg), set())
                for r in refs:
                    fronts |= self.tg_lbs.get(r, set())
                for lb in sorted(fronts):
                    if asg:
                        self._link(inst, lb, asg, "architecture_import.terraform.link_lb")
            self._dependencies(inst, refs)

    def _dependencies(self, inst: _Instance, refs: set[str]) -> None:
        """A component referring to another component depends on (calls) it."""
        source = self.component_of.get(inst.resource)
        if source is None:
            return
        targets: set[str] = set()
        for r in refs | {_ALL_INDEXES.sub("", d) for d in inst.depends_on}:
            targets |= self.by_config.get(r, set())
        for s in _strings(inst.values):
            hit = self.by_id.get(s)
            if hit:
                targets.add(hit)
        for target in sorted(targets - {source}):
            if self.draft.components[target]["type"] == "load_balancer" and \
                    self.draft.components[source]["type"] != "load_balancer":
                continue  # a target naming its load balancer is attached to it, it does not call it
            self._link(inst, source, target, "architecture_import.terraform.link_reference")


def _strings(values: dict[str, Any]) -> Iterator[str]:
    stack: list[Any] = [v for k, v in values.items() if k not in ("id", "arn")]
    while stack:
        x = stack.pop()
        if isinstance(x, str):
            yield x
        elif isinstance(x, dict):
            stack.extend(x.values())
        elif isinstance(x, list):
            stack.extend(x)


def import_files(files: list[SourceFile]) -> Draft:
    """One draft from one or more plan/state documents; refuses a document of no supported provider."""
    draft = Draft()
    for file in files:
        doc = parse(file)
        providers = sorted({i.provider for i in doc.instances if i.provider})
        if not any(p in SUPPORTED_PROVIDERS for p in providers):
            raise ImportRefused("errors.architecture_import.terraform_provider", file=file.name,
                                expected=", ".join(SUPPORTED_PROVIDERS), found=", ".join(providers) or "-")
        b = _Builder(doc)
        b.note(EntryKind.RECOGNISED, "architecture_import.terraform.document", document=doc.kind,
               count=len(doc.instances))
        b.topology()
        b.components()
        b.links()
        draft.merge(b.draft)
    return draft
