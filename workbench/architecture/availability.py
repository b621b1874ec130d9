"""Availability per journey from component SLAs, with correlated failure domains and k-of-n.

Formulas (research note §4.2–4.3; reliability-block algebra, e.g. tl-garden reliability guide [M3];
Azure RE:04 composite SLO [Z4]):
    - series: ``A = Π A_i``; parallel: ``A = 1 − Π (1 − A_i)``;
    - k-of-n: ``A = Σ_{i=k..n} C(n,i) a^i (1 − a)^(n−i)``;
    - nested failure domains: replicas in one AZ form a group ``A_group = A_AZ × (1 − (1 − a)^n)``, groups
      in a region combine in parallel and the region multiplies in: ``A_R × (1 − Π_z (1 − A_group,z))``;
      regions combine in parallel again.

Exact evaluation: a journey is up when every component on its path is up.  Components that share an AZ or
a region are *not* independent (they share its fate), so multiplying their standalone values would count
the AZ term once per component.  We enumerate the up/down states of the failure domains the journey
touches (2^d states, d ≤ ``MAX_EXACT_DOMAINS``), and, given a state, the components are independent:
``A_journey = Σ_state P(state) × Π_c P(c up | state)``.  Above the limit the standalone values are multiplied
(``method = "independent"``; slightly pessimistic).

Assumptions and units: availabilities are fractions of time (monthly SLA figures used as steady-state
probabilities); AZ and region availabilities come from ``catalogue.yaml`` ``assumptions`` (not published
SLAs); per-instance (``sla_scope: instance``) figures combine across replicas, per-service figures
(``sla_scope: service``, e.g. TencentDB two-node 99.95 %) count once per region the service runs in.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
from pydantic import BaseModel, ConfigDict, Field
from scipy.stats import binom

from workbench.architecture.catalogue import Catalogue, SlaScope, effective_sla, load_catalogue
from workbench.architecture.failure import GLOBAL, Group, groups_of, needed_instances, primary_only
from workbench.architecture.graph import journey_needs, links_into
from workbench.architecture.model import Architecture, Component, Link
from workbench.errors import InputError

MAX_EXACT_DOMAINS = 14
MINUTES_PER_YEAR = 525_600.0


class Factor(BaseModel):
    """One component's availability on its own (including its AZ/region terms), and how it was computed."""

    model_config = ConfigDict(frozen=True)

    component_id: str
    value: float = Field(description="availability, fraction")
    formula: str = Field(description="the formula with the numbers filled in")
    sla: float = Field(description="per-instance (or per-service) availability used, fraction")
    sla_source: str | None = None
    sla_assumed: bool = Field(description="no published SLA: the catalogue's default assumption is used")
    scope: SlaScope
    k: int = Field(description="instances needed")
    n: int = Field(description="instances deployed")


class JourneyAvailability(BaseModel):
    model_config = ConfigDict(frozen=True)

    journey_id: str
    value: float = Field(description="availability of the journey, fraction")
    target: float
    meets: bool
    factors: list[Factor]
    formula: str
    naive_product: float = Field(description="Π of the factors (counts shared AZ/region terms once per component)")
    method: str = Field(description="'exact' (failure-domain states enumerated) or 'independent'")
    downtime_minutes_per_year: float
    missing_components: list[str] = Field(default_factory=list, description="path ids not declared (ignored)")
    soft_dependencies: list[str] = Field(
        default_factory=list, description="path components every caller can do without (fallback): not multiplied in"
    )


class _Unit:
    """A component reduced to what the maths needs: per-group counts, a, k, scope."""

    def __init__(self, arch: Architecture, c: Component, cat: Catalogue, peak_rps: dict[str, float] | None) -> None:
        sla = effective_sla(c, cat)
        self.component = c
        self.sla = sla
        self.a = sla.value
        self.scope = sla.scope
        groups = groups_of(arch, c)
        if primary_only(c, cat):
            # Only the primary serves: one instance in the first group's domain.
            groups = [Group(groups[0].region, groups[0].az, 1)]
            self.k = 1
        else:
            self.k = needed_instances(c, peak_rps)
        self.groups = groups
        self.n = sum(g.count for g in groups)

    def domain_keys(self) -> set[str]:
        keys: set[str] = set()
        for g in self.groups:
            if g.region != GLOBAL:
                keys.add("R:" + g.region)
            if g.az is not None:
                keys.add("Z:" + g.az)
        return keys

    def p_up(self, state: dict[str, np.ndarray]) -> np.ndarray:
        """P(component up | domain states), vectorised over states (arrays of 0/1 per domain key)."""
        shape = next(iter(state.values())).shape if state else (1,)

        def alive(g: Group) -> np.ndarray:
            v = np.ones(shape)
            if g.region != GLOBAL:
                v = v * state["R:" + g.region]
            if g.az is not None:
                v = v * state["Z:" + g.az]
            return v

        if self.scope == SlaScope.INSTANCE:
            n_up = np.zeros(shape)
            for g in self.groups:
                n_up = n_up + alive(g) * g.count
            # P(Binomial(n_up, a) >= k) = sf(k - 1)
            return np.asarray(binom.sf(self.k - 1, n_up.astype(int), self.a), dtype=float)
        # Service scope: one service unit per region (or global); up if the unit's service is up and
        # at least one of its domains in that region is alive.
        p_all_down = np.ones(shape)
        for region in dict.fromkeys(g.region for g in self.groups):
            region_alive = np.zeros(shape)
            for g in self.groups:
                if g.region == region:
                    region_alive = np.maximum(region_alive, alive(g))
            p_all_down = p_all_down * (1.0 - self.a * region_alive)
        return 1.0 - p_all_down


def _states(keys: Sequence[str], cat: Catalogue) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """All 2^d up/down states of the domains and their probabilities (AZ alive only if its region is alive
    is handled in p_up by multiplying the region and AZ indicators)."""
    d = len(keys)
    bits = np.array(list(itertools.product((1, 0), repeat=d)), dtype=float).reshape(-1, d) if d else np.ones((1, 0))
    prob = np.ones(bits.shape[0])
    for j, key in enumerate(keys):
        a = cat.assumptions.region_availability if key.startswith("R:") else cat.assumptions.az_availability
        prob = prob * np.where(bits[:, j] == 1, a, 1 - a)
    return {key: bits[:, j] for j, key in enumerate(keys)}, prob


def _exact(units: list[_Unit], cat: Catalogue) -> float:
    keys = sorted(set().union(*(u.domain_keys() for u in units))) if units else []
    state, prob = _states(keys, cat)
    p = prob.copy()
    for u in units:
        p = p * u.p_up(state)
    return float(np.clip(p.sum(), 0.0, 1.0))


def _fmt(x: float) -> str:
    return f"{x:.9g}"


def _formula(u: _Unit, cat: Catalogue) -> str:
    a_az, a_r = _fmt(cat.assumptions.az_availability), _fmt(cat.assumptions.region_availability)
    a = _fmt(u.a)
    parts: list[str] = []
    for region in dict.fromkeys(g.region for g in u.groups):
        gs = [g for g in u.groups if g.region == region]
        if u.scope == SlaScope.SERVICE:
            azs = [g for g in gs if g.az is not None]
            inner = (
                a
                if len(azs) < len(gs) or not azs
                else (f"{a} × {a_az}" if len(azs) == 1 else f"{a} × (1 − (1 − {a_az})^{len(azs)})")
            )
        elif u.k == 1:
            terms = [
                (f"{a_az} × (1 − (1 − {a})^{g.count})" if g.az is not None else f"(1 − (1 − {a})^{g.count})")
                for g in gs
            ]
            inner = terms[0] if len(terms) == 1 else "1 − " + " × ".join(f"(1 − {t})" for t in terms)
        else:
            spread = ", ".join(f"{g.az or region}×{g.count}" for g in gs)
            inner = f"P(≥{u.k} of {u.n} up; a = {a}; {spread}; A_AZ = {a_az})"
        parts.append(inner if region == GLOBAL else f"{a_r} × [{inner}]")
    if len(parts) == 1:
        return parts[0]
    if u.scope == SlaScope.INSTANCE and u.k > 1:
        return f"P(≥{u.k} of {u.n} up across regions " + " | ".join(parts) + ")"
    return "1 − " + " × ".join(f"(1 − {p})" for p in parts)


def component_factor(
    arch: Architecture, c: Component, *, peak_rps: dict[str, float] | None = None, cat: Catalogue | None = None
) -> Factor:
    """A component's availability on its own: its SLA, k-of-n over its replicas and its AZ/region terms."""
    cat = cat or load_catalogue()
    u = _Unit(arch, c, cat, peak_rps)
    return _factor(u, cat)


def _factor(u: _Unit, cat: Catalogue) -> Factor:
    return Factor(
        component_id=u.component.id,
        value=_exact([u], cat),
        formula=_formula(u, cat),
        sla=u.a,
        sla_source=u.sla.source,
        sla_assumed=u.sla.assumed,
        scope=u.scope,
        k=u.k,
        n=u.n,
    )


def journey_availability(
    arch: Architecture,
    journey_id: str,
    *,
    peak_rps: dict[str, float] | None = None,
    cat: Catalogue | None = None,
    _units: dict[str, _Unit] | None = None,
    _into: dict[str, list[Link]] | None = None,
) -> JourneyAvailability:
    """Availability of one journey: its components in series, shared failure domains counted once."""
    cat = cat or load_catalogue()
    journey = next((j for j in arch.journeys if j.id == journey_id), None)
    if journey is None:
        raise InputError("errors.architecture.unknown_target", target=journey_id, disruption="journey")
    ids = arch.components_by_id
    path = list(dict.fromkeys(journey.path))
    hard, soft = journey_needs(arch, journey.path, _into)
    units_cache = _units if _units is not None else {}
    units: list[_Unit] = []
    for cid in hard:
        if cid in ids:
            if cid not in units_cache:
                units_cache[cid] = _Unit(arch, ids[cid], cat, peak_rps)
            units.append(units_cache[cid])
    factors = [_factor(u, cat) for u in units]
    naive = float(np.prod([f.value for f in factors])) if factors else 1.0
    keys = set().union(*(u.domain_keys() for u in units)) if units else set()
    if len(keys) <= MAX_EXACT_DOMAINS:
        value, method = _exact(units, cat), "exact"
    else:
        value, method = naive, "independent"
    target = arch.policy.availability_target
    formula = " × ".join(_fmt(f.value) for f in factors) + f" = {_fmt(naive)}"
    if method == "exact" and abs(value - naive) > 1e-12:
        formula += f"; shared AZ/region terms counted once: {_fmt(value)}"
    return JourneyAvailability(
        journey_id=journey.id,
        value=value,
        target=target,
        meets=value >= target,
        factors=factors,
        formula=formula,
        naive_product=naive,
        method=method,
        downtime_minutes_per_year=(1.0 - value) * MINUTES_PER_YEAR,
        missing_components=[cid for cid in path if cid not in ids],
        soft_dependencies=soft,
    )


def availability(
    arch: Architecture,
    *,
    peak_rps: dict[str, float] | None = None,
    cat: Catalogue | None = None,
    into: dict[str, list[Link]] | None = None,
) -> list[JourneyAvailability]:
    """Availability of every journey, compared with ``policy.availability_target``."""
    cat = cat or load_catalogue()
    cache: dict[str, _Unit] = {}
    into = into if into is not None else links_into(arch)
    return [
        journey_availability(arch, j.id, peak_rps=peak_rps, cat=cat, _units=cache, _into=into) for j in arch.journeys
    ]
