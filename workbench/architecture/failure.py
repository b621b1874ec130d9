"""Failure domains of a component and what is left of it after a disruption.

What and why
    Availability, SPOF and what-if all ask the same questions: in which failure domains (AZ, region,
    or none for global services) does a component run, how many instances does it need (k), and how
    many survive the loss of an instance, an AZ or a region?  One module answers them so the three
    analyses cannot disagree.

Model (research note §4.3, "nest the failure domains"; Resilience Hub/TSA disruption scopes, §4.4):
    - A placement in an AZ is a group that shares that AZ's fate; AZs nest in their region.
    - A region-level placement is a managed service spread by the provider over the region's AZs
      (CLB, COS): it survives an instance or AZ loss and is lost with the region.
    - No placement at all is a global service (CDN, DNS): no AZ or region loss takes it down.
    - k (instances needed) is ``min_replicas_for_capacity``, or ceil(peak / per-instance capacity) when
      a peak is given, else 1.
    - A stateful component without HA (``ha_mode: none``): only its primary (first placement) serves;
      other replicas (read replicas, cold copies) do not take over, so losing the primary loses it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from workbench.architecture.catalogue import Catalogue, is_stateful, load_catalogue
from workbench.architecture.model import Architecture, Component, Disruption, HAMode

GLOBAL = "(global)"
"""Region key of global (placement-free) groups."""


@dataclass(frozen=True, slots=True)
class Group:
    """Instances of one component in one failure domain."""

    region: str  # region id, GLOBAL, or "?<az>" for an AZ that belongs to no declared region
    az: str | None  # None for region-level or global groups
    count: int

    @property
    def internally_redundant(self) -> bool:
        """Region-level and global groups are spread by the provider: no instance/AZ loss hits them."""
        return self.az is None


def groups_of(arch: Architecture, component: Component) -> list[Group]:
    """The component's placement as failure-domain groups (a placement-free component is one global group)."""
    if not component.placement:
        return [Group(GLOBAL, None, max(component.replicas, 1))]
    out: list[Group] = []
    for p in component.placement:
        if p.az is not None:
            out.append(Group(arch.az_region.get(p.az, f"?{p.az}"), p.az, p.count))
        else:
            out.append(Group(p.region or GLOBAL, None, p.count))
    return out


def needed_instances(component: Component, peak_rps: dict[str, float] | None = None) -> int:
    """k: instances the component needs to carry its load (≥ 1)."""
    peak = (peak_rps or {}).get(component.id)
    if peak is not None and peak > 0 and component.capacity_per_instance_rps:
        return max(1, math.ceil(peak / component.capacity_per_instance_rps - 1e-9))
    return component.min_replicas_for_capacity or 1


def primary_only(component: Component, cat: Catalogue | None = None) -> bool:
    """True when only the primary serves: stateful without HA."""
    return component.ha_mode == HAMode.NONE and is_stateful(component, cat or load_catalogue())


def hit(group: Group, disruption: Disruption, target: str | None) -> bool:
    """Does the disruption (AZ ``target`` or region ``target``) take this whole group down?"""
    # Identity checks: StrEnum equality goes through str.__eq__ and this runs per group per scenario.
    if disruption is Disruption.AZ:
        return group.az is not None and group.az == target
    if disruption is Disruption.REGION:
        return group.region == target
    return False


@dataclass(frozen=True, slots=True)
class Impact:
    """What a disruption leaves of one component."""

    total: int  # instances before
    remaining: int  # instances after
    needed: int  # k
    primary_lost: bool  # the primary (first placement) was hit
    region_exhausted: bool  # no instance left in the primary's region: failover crosses regions
    up: bool  # the component still serves (maybe after failover)
    overloaded: bool  # serves, but with fewer than k instances

    @property
    def affected(self) -> bool:
        return self.remaining < self.total or self.primary_lost


def impact(
    arch: Architecture,
    component: Component,
    disruption: Disruption,
    target: str | None,
    *,
    peak_rps: dict[str, float] | None = None,
    cat: Catalogue | None = None,
    groups: list[Group] | None = None,
) -> Impact:
    """Instances left after losing one instance (worst case: the primary), an AZ or a region."""
    cat = cat or load_catalogue()
    groups = groups if groups is not None else groups_of(arch, component)
    total = sum(g.count for g in groups)
    k = needed_instances(component, peak_rps)
    disruption = Disruption(disruption)
    if disruption is Disruption.INSTANCE:
        # The component targeted loses one instance; region-level/global groups absorb it internally.
        if target is not None and target != component.id:
            return Impact(total, total, k, False, False, True, total < k)
        if all(g.internally_redundant for g in groups):
            return Impact(total, total, k, False, False, True, total < k)
        remaining = total - 1
        lost_groups = [groups[0]]
        primary_lost = True
    else:
        lost_groups = [g for g in groups if hit(g, disruption, target)]
        remaining = total - sum(g.count for g in lost_groups)
        primary_lost = bool(lost_groups) and hit(groups[0], disruption, target)
    primary_region = groups[0].region
    in_region = sum(g.count for g in groups if g.region == primary_region)
    lost_in_region = (
        1 if disruption is Disruption.INSTANCE else sum(g.count for g in lost_groups if g.region == primary_region)
    )
    region_exhausted = primary_lost and in_region - lost_in_region <= 0
    if primary_only(component, cat):
        up = not primary_lost
        overloaded = False
    else:
        up = remaining >= 1
        overloaded = up and remaining < k
    return Impact(total, remaining, k, primary_lost, region_exhausted, up, overloaded)


def domains(arch: Architecture) -> tuple[list[str], list[str]]:
    """All AZ ids and region ids that components actually use or the architecture declares (sorted, unique)."""
    azs: dict[str, None] = {az.id: None for r in arch.regions for az in r.azs}
    regions: dict[str, None] = {r.id: None for r in arch.regions}
    for c in arch.components:
        for p in c.placement:
            if p.az is not None:
                azs[p.az] = None
                regions.setdefault(arch.az_region.get(p.az, f"?{p.az}"), None)
            elif p.region is not None:
                regions[p.region] = None
    return list(azs), list(regions)
