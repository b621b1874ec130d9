"""Properties of the analyses over generated architectures (hypothesis)."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.architecture.analysis import analyse
from workbench.architecture.availability import availability
from workbench.architecture.model import Architecture, Disruption
from workbench.architecture.whatif import simulate

AZS = ["z1", "z2", "z3", "y1", "y2"]
REGIONS = [
    {"id": "r1", "azs": [{"id": "z1"}, {"id": "z2"}, {"id": "z3"}]},
    {"id": "r2", "azs": [{"id": "y1"}, {"id": "y2"}]},
]
TYPES = ["cvm", "tke", "tencentdb_mysql", "redis", "ckafka", "clb", "relational_db", "cache"]
HA = ["none", "primary_standby", "multi_az", "cluster", "active_active"]

component = st.fixed_dictionaries(
    {
        "type": st.sampled_from(TYPES),
        "ha_mode": st.sampled_from(HA),
        "azs": st.lists(st.sampled_from(AZS[:-1]), min_size=1, max_size=3, unique=True),
        "counts": st.lists(st.integers(1, 3), min_size=3, max_size=3),
        "k": st.integers(1, 4),
        "sla": st.one_of(st.none(), st.floats(0.9, 0.99999)),
    }
)


def build(comps: list[dict], extra_az: str | None = None) -> Architecture:
    out = []
    for i, c in enumerate(comps):
        placement = [{"az": az, "count": n} for az, n in zip(c["azs"], c["counts"], strict=False)]
        if extra_az is not None and i == 0:
            placement.append({"az": extra_az, "count": 1})
        out.append(
            {
                "id": f"c{i}",
                "type": c["type"],
                "ha_mode": c["ha_mode"],
                "placement": placement,
                "min_replicas_for_capacity": c["k"],
                "sla": c["sla"],
            }
        )
    ids = [c["id"] for c in out]
    return Architecture.model_validate(
        {
            "regions": REGIONS,
            "components": out,
            "links": [{"from": a, "to": b} for a, b in itertools.pairwise(ids)],
            "entry_points": ids[:1],
            "journeys": [{"id": "j", "path": ids}],
        }
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(component, min_size=1, max_size=3), st.data())
def test_adding_a_replica_in_a_new_az_never_lowers_availability(comps: list[dict], data: st.DataObject) -> None:
    used = set(comps[0]["azs"])
    new_az = data.draw(st.sampled_from([az for az in AZS if az not in used]))
    before = availability(build(comps))[0].value
    after = availability(build(comps, new_az))[0].value
    assert after >= before - 1e-12
    assert 0.0 <= before <= 1.0 and 0.0 <= after <= 1.0


edges = st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7)), max_size=20)


@settings(max_examples=80, deadline=None)
@given(
    edges,
    st.lists(st.lists(st.integers(0, 7), min_size=1, max_size=4), min_size=1, max_size=3),
    st.lists(st.integers(1, 2), min_size=8, max_size=8),
)
def test_dominators_agree_with_removing_the_component(
    pairs: list[tuple[int, int]], paths: list[list[int]], counts: list[int]
) -> None:
    """Bulk instance what-ifs (dominators) equal the one-off simulation (BFS after removal)."""
    comps = [{"id": f"n{i}", "type": "cvm", "placement": [{"az": "z1", "count": counts[i]}]} for i in range(8)]
    arch = Architecture.model_validate(
        {
            "regions": REGIONS,
            "components": comps,
            "links": [{"from": f"n{a}", "to": f"n{b}"} for a, b in pairs if a != b],
            "entry_points": ["n0"],
            "journeys": [{"id": f"j{i}", "path": ["n0"] + [f"n{x}" for x in p]} for i, p in enumerate(paths)],
        }
    )
    result = analyse(arch)
    for w in result.whatif:
        if w.disruption == Disruption.INSTANCE:
            assert sorted(w.journeys_broken) == sorted(simulate(arch, "instance", w.target_id).journeys_broken)
    spof_ids = set(result.spof_ids("component"))
    for c in arch.components:
        single = c.replicas == 1
        breaks = bool(
            set(simulate(arch, "instance", c.id).journeys_broken) - set(simulate(arch, "az", "z3").journeys_broken)
        )  # z3 is empty: the baseline
        assert (c.id in spof_ids) == (single and breaks)
