"""Graph issues, availability, SPOF, what-if and latency on small architectures checked by hand.

Catalogue assumptions used below (catalogue.yaml): A_AZ = 0.9999 (research note §4.3), A_R = 0.99999,
CVM a = 0.9995 per instance (CVM SLA [TC10]), TencentDB MySQL two-node 0.9995 per service [TC2].
"""

from __future__ import annotations

import math

import pytest

from workbench.architecture.analysis import analyse
from workbench.architecture.availability import availability, component_factor
from workbench.architecture.catalogue import load_catalogue
from workbench.architecture.graph import graph_issues
from workbench.architecture.latency import latency
from workbench.architecture.model import Architecture, Disruption
from workbench.architecture.spof import SpofKind, find_spofs
from workbench.architecture.whatif import simulate
from workbench.errors import InputError

A_AZ, A_R, CVM = 0.9999, 0.99999, 0.9995
REGIONS = [{"id": "r1", "azs": [{"id": "z1"}, {"id": "z2"}]}, {"id": "r2", "azs": [{"id": "y1"}]}]


def arch(
    components: list[dict],
    links: list[dict] | None = None,
    journeys: list[dict] | None = None,
    entry: list[str] | None = None,
    **extra: object,
) -> Architecture:
    return Architecture.model_validate(
        {
            "regions": REGIONS,
            "components": components,
            "links": links or [],
            "journeys": journeys or [],
            "entry_points": entry or [],
            **extra,
        }
    )


# --------------------------------------------------------------------------- availability


def test_two_replicas_in_two_azs() -> None:
    a = arch([{"id": "web", "type": "cvm", "placement": [{"az": "z1"}, {"az": "z2"}]}])
    # Each AZ group: A_AZ × (1 − (1 − a)^1) = 0.9999 × 0.9995 = 0.99940005
    # Two groups in parallel: 1 − (1 − 0.99940005)^2 = 1 − 0.00059995^2 = 0.99999964006
    # Region in series: 0.99999 × 0.99999964006 = 0.99998964
    expected = A_R * (1 - (1 - A_AZ * CVM) ** 2)
    assert component_factor(a, a.components[0]).value == pytest.approx(expected, abs=1e-12)
    assert expected == pytest.approx(0.99998964, abs=1e-8)


def test_four_replicas_in_one_az_are_capped_by_the_az() -> None:
    """Research note §4.3: 4 CVMs in one AZ → tier capped at 0.9999 by the AZ term, whatever n is."""
    a = arch([{"id": "web", "type": "cvm", "placement": [{"az": "z1", "count": 4}]}])
    value = component_factor(a, a.components[0]).value
    # 0.99999 × 0.9999 × (1 − 0.0005^4) = 0.99989000 (the 0.0005^4 = 6.25e-14 term is invisible)
    assert value == pytest.approx(A_R * A_AZ * (1 - (1 - CVM) ** 4), abs=1e-12)
    assert value < A_AZ


def test_two_plus_two_across_azs() -> None:
    """Research note §4.3: 2+2 across two AZs → 0.99999999 before the region term."""
    a = arch([{"id": "web", "type": "cvm", "placement": [{"az": "z1", "count": 2}, {"az": "z2", "count": 2}]}])
    group = A_AZ * (1 - (1 - CVM) ** 2)  # 0.9999 × (1 − 2.5e-7) = 0.999899975
    assert component_factor(a, a.components[0]).value == pytest.approx(A_R * (1 - (1 - group) ** 2), abs=1e-12)
    assert 1 - (1 - group) ** 2 == pytest.approx(0.99999999, abs=1e-8)


def test_k_of_n_matches_the_research_note() -> None:
    """Research note §4.2: 3-of-4 at a = 0.9995 gives 0.9999985 (no failure domains: global placement)."""
    a = arch([{"id": "svc", "type": "compute", "replicas": 4, "min_replicas_for_capacity": 3, "sla": 0.9995}])
    # a^4 + 4 a^3 (1 − a) = 0.998001 + 4 × 0.998500750 × 0.0005 = 0.9999985
    f = component_factor(a, a.components[0])
    assert (f.k, f.n) == (3, 4)
    assert f.value == pytest.approx(CVM**4 + 4 * CVM**3 * (1 - CVM), abs=1e-12)
    assert f.value == pytest.approx(0.9999985, abs=1e-7)


def test_peak_sets_k() -> None:
    a = arch([{"id": "web", "type": "compute", "replicas": 4, "capacity_per_instance_rps": 800, "sla": 0.9995}])
    # ceil(2000 / 800) = 3 instances needed → 3-of-4
    f = component_factor(a, a.components[0], peak_rps={"web": 2000})
    assert f.k == 3
    assert f.value == pytest.approx(0.9999985, abs=1e-7)


def test_full_stack_example_from_the_research_note() -> None:
    """Research note §4.3: CLB × CVM tier across 2 AZs × MySQL two-node × Redis, all 99.95 % → ≈ 99.850 %.
    Here without AZ/region terms (global placement) so only the SLAs count:
    0.9995 × (1 − 0.0005²) × 0.9995 × 0.9995 = 0.998500... ≈ 99.850 %."""
    a = arch(
        [
            {"id": "clb", "type": "clb"},
            {"id": "web", "type": "cvm", "replicas": 2},
            {"id": "db", "type": "tencentdb_mysql", "ha_mode": "multi_az"},
            {"id": "redis", "type": "redis", "sla": 0.9995},
        ],
        journeys=[{"id": "j", "path": ["clb", "web", "db", "redis"]}],
    )
    (j,) = availability(a)
    assert j.value == pytest.approx(0.9995**3 * (1 - 0.0005**2), abs=1e-12)
    assert j.value * 100 == pytest.approx(99.850, abs=5e-4)
    assert j.downtime_minutes_per_year == pytest.approx((1 - j.value) * 525_600)
    assert not j.meets  # default target 99.95 %


def test_azure_two_region_example() -> None:
    """Azure reliable web app [Z5], research note §4.2: regional stack 99.546 % in two regions, in series
    with global services 99.98 % → 99.9779 %.  Domain terms switched off (A_AZ = A_R = 1) to match."""
    cat = load_catalogue()
    cat = cat.model_copy(
        update={"assumptions": cat.assumptions.model_copy(update={"az_availability": 1.0, "region_availability": 1.0})}
    )
    a = arch(
        [
            {"id": "front", "type": "cdn", "sla": 0.9998},
            {"id": "stack", "type": "api_gateway", "sla": 0.99546, "placement": [{"region": "r1"}, {"region": "r2"}]},
        ],
        journeys=[{"id": "j", "path": ["front", "stack"]}],
    )
    (j,) = availability(a, cat=cat)
    # (1 − (1 − 0.99546)^2) × 0.9998 = 0.9999793884 × 0.9998 = 0.99977935
    assert j.value == pytest.approx((1 - (1 - 0.99546) ** 2) * 0.9998, abs=1e-12)
    assert j.value * 100 == pytest.approx(99.9779, abs=5e-5)


def test_shared_az_counted_once() -> None:
    a = arch(
        [
            {"id": "web", "type": "cvm", "placement": [{"az": "z1"}]},
            {"id": "app", "type": "cvm", "placement": [{"az": "z1"}]},
        ],
        journeys=[{"id": "j", "path": ["web", "app"]}],
    )
    (j,) = availability(a)
    # Exact: the region and the AZ must be up once, then both instances: 0.99999 × 0.9999 × 0.9995²
    assert j.value == pytest.approx(A_R * A_AZ * CVM**2, abs=1e-12)
    # Naive product counts the AZ and region twice: (0.99999 × 0.9999 × 0.9995)²
    assert j.naive_product == pytest.approx((A_R * A_AZ * CVM) ** 2, abs=1e-12)
    assert j.method == "exact" and j.value > j.naive_product


def test_managed_service_sla_counts_once_per_region() -> None:
    a = arch(
        [{"id": "db", "type": "tencentdb_mysql", "ha_mode": "multi_az", "placement": [{"az": "z1"}, {"az": "z2"}]}]
    )
    f = component_factor(a, a.components[0])
    # Service SLA 0.9995 × (at least one of its AZs up: 1 − 0.0001²) × region 0.99999
    assert f.value == pytest.approx(0.9995 * (1 - (1 - A_AZ) ** 2) * A_R, abs=1e-12)
    assert f.sla_source and "236/17136" in f.sla_source


def test_stateful_without_ha_only_the_primary_counts() -> None:
    one = arch([{"id": "db", "type": "relational_db", "placement": [{"az": "z1"}]}])
    two = arch([{"id": "db", "type": "relational_db", "placement": [{"az": "z1"}, {"az": "z2"}]}])
    assert component_factor(two, two.components[0]).value == pytest.approx(
        component_factor(one, one.components[0]).value
    )


def test_fallback_makes_a_soft_dependency() -> None:
    comps = [{"id": "web", "type": "compute", "sla": 0.999}, {"id": "cache", "type": "cache", "sla": 0.99}]
    hard = arch(comps, [{"from": "web", "to": "cache"}], [{"id": "j", "path": ["web", "cache"]}])
    soft = arch(comps, [{"from": "web", "to": "cache", "fallback": True}], [{"id": "j", "path": ["web", "cache"]}])
    assert availability(hard)[0].value == pytest.approx(0.999 * 0.99)
    (j,) = availability(soft)
    assert j.value == pytest.approx(0.999) and j.soft_dependencies == ["cache"]


# --------------------------------------------------------------------------- graph


def test_graph_issues() -> None:
    a = arch(
        [{"id": i, "type": "compute"} for i in ("e", "a", "b", "c", "q", "orphan")],
        [
            {"from": "e", "to": "a"},
            {"from": "a", "to": "b"},
            {"from": "b", "to": "c"},
            {"from": "c", "to": "a"},
            {"from": "c", "to": "q", "mode": "async"},
            {"from": "q", "to": "c", "mode": "async"},
            {"from": "a", "to": "ghost"},
            {"from": "b", "to": "b"},
        ],
        entry=["e"],
    )
    gi = graph_issues(a)
    assert gi.sync_cycles == [["a", "b", "c"]]  # the async c ↔ q loop is not a sync cycle
    assert gi.dangling_links == [("a", "ghost")]
    assert gi.self_loops == ["b"]
    assert gi.unreachable == ["orphan"]


# --------------------------------------------------------------------------- SPOF

CHAIN: dict = {
    "components": [
        {"id": "lb", "type": "clb", "placement": [{"region": "r1"}]},
        {"id": "gw", "type": "api_gateway", "placement": [{"az": "z1"}]},
        {"id": "app", "type": "cvm", "placement": [{"az": "z1"}, {"az": "z2"}]},
        {
            "id": "db",
            "type": "tencentdb_mysql",
            "ha_mode": "multi_az",
            "placement": [{"az": "z1"}, {"az": "z2"}],
            "replication": "sync",
            "backup": {"interval_h": 24},
        },
    ],
    "links": [{"from": "lb", "to": "gw"}, {"from": "gw", "to": "app"}, {"from": "app", "to": "db"}],
    "journeys": [{"id": "j", "path": ["lb", "app", "db"]}],
    "entry": ["lb"],
}


def test_dominator_is_a_spof_even_off_the_path() -> None:
    a = arch(**CHAIN)
    spofs = find_spofs(a)
    # gw: one instance, not on the journey path, but every route lb → app passes through it.
    assert [(s.kind, s.id) for s in spofs] == [
        (SpofKind.COMPONENT, "gw"),
        (SpofKind.AZ, "z1"),
        (SpofKind.REGION, "r1"),
    ]
    # A second route around gw removes the component SPOF and the AZ z1 SPOF.
    detour = {**CHAIN, "links": CHAIN["links"] + [{"from": "lb", "to": "app"}]}
    assert [(s.kind, s.id) for s in find_spofs(arch(**detour))] == [(SpofKind.REGION, "r1")]


def test_dominator_and_bfs_agree_for_every_instance_loss() -> None:
    a = arch(**CHAIN)
    result = analyse(a)
    for w in (w for w in result.whatif if w.disruption == Disruption.INSTANCE):
        assert w.journeys_broken == simulate(a, Disruption.INSTANCE, w.target_id).journeys_broken


# --------------------------------------------------------------------------- what-if


def test_lose_az_with_multi_az_database() -> None:
    a = arch(**{**CHAIN, "links": CHAIN["links"] + [{"from": "lb", "to": "app"}]})
    w = simulate(a, "az", "z1")
    assert w.journeys_surviving == ["j"] and w.components_lost == ["gw"]
    assert w.capacity_left["app"] == pytest.approx(0.5)
    # db primary (first placement) in z1 → automatic switch: TencentDB ≤ 30 s, detection included → 0.5 min.
    # app: CLB health check 15 s → 0.25 min.  RTO = max = 0.5 min; RPO 0 (strong sync).
    # gw is lost but not needed by the journey (the detour), so it does not set the RTO.
    assert w.rto_minutes_est == pytest.approx(0.5) and w.rto_component == "db"
    assert w.rpo_minutes_est == pytest.approx(0.0) and w.meets_rto and w.meets_rpo
    assert w.rto_target == pytest.approx(15.0)  # policy default AZ RTO


def test_lose_region_without_dr_waits_for_the_region_and_loses_data() -> None:
    a = arch(**CHAIN)
    w = simulate(a, "region", "r1")
    assert w.journeys_broken == ["j"]
    # No copy in another region: nothing to fail over to, recovery waits for the region (unbounded RTO).
    assert w.rto_unbounded and math.isinf(w.rto_minutes_est)
    # The backup lives in the lost region and has no cross-region copy: data lost, RPO unbounded.
    assert w.data_loss and w.rpo_minutes_est is None and not w.meets_rpo and not w.meets_rto


def test_backup_survives_an_az_loss() -> None:
    a = arch(
        [{"id": "db", "type": "tencentdb_mysql", "placement": [{"az": "z1"}], "backup": {"interval_h": 6}}],
        journeys=[{"id": "j", "path": ["db"]}],
    )
    w = simulate(a, "az", "z1")
    assert w.rpo_minutes_est == pytest.approx(360.0)  # 6 h of data since the last backup


def test_async_replication_rpo_is_the_lag() -> None:
    a = arch(
        [
            {
                "id": "db",
                "type": "tencentdb_mysql",
                "ha_mode": "multi_az",
                "replication": "async",
                "replication_lag_s": 12,
                "placement": [{"az": "z1"}, {"az": "z2"}],
            }
        ],
        journeys=[{"id": "j", "path": ["db"]}],
    )
    w = simulate(a, "az", "z1")
    assert w.rpo_minutes_est == pytest.approx(12 / 60)
    assert not w.meets_rpo  # policy default AZ RPO 0
    assert w.rto_minutes_est == pytest.approx(0.5)


def test_capacity_against_the_peak() -> None:
    a = arch(
        [
            {
                "id": "web",
                "type": "cvm",
                "capacity_per_instance_rps": 800,
                "placement": [{"az": "z1", "count": 2}, {"az": "z2", "count": 2}],
                "autoscaling": {"min": 4, "max": 10},
            }
        ],
        journeys=[{"id": "j", "path": ["web"]}],
    )
    w = simulate(a, "az", "z1", peak_rps={"web": 2000})
    # 2 left × 800 rps = 1600 rps against a peak of 2000: 80 %, below k = ceil(2000/800) = 3.
    assert w.peak_coverage["web"] == pytest.approx(0.8)
    assert w.components_overloaded == ["web"] and w.journeys_broken == ["j"]
    # Autoscaling adds capacity: detection 15 s + provision 10 min = 10.25 min.
    assert w.rto_minutes_est == pytest.approx(10.25)
    assert simulate(a, "az", "z1").journeys_surviving == ["j"]  # without a peak one instance suffices


def test_simulate_rejects_unknown_targets() -> None:
    a = arch(**CHAIN)
    with pytest.raises(InputError):
        simulate(a, "az", "nowhere")
    with pytest.raises(InputError):
        simulate(a, "meteor", "z1")


# --------------------------------------------------------------------------- latency


def test_latency_timeouts_and_retry_amplification() -> None:
    a = arch(
        [{"id": i, "type": "compute", "latency_ms": 10} for i in ("a", "b", "c", "d")],
        [
            {"from": "a", "to": "b", "timeout_ms": 1000, "retries": 1, "latency_ms": 5},
            {"from": "b", "to": "c", "timeout_ms": 400, "retries": 2, "latency_ms": 10},
            {"from": "b", "to": "d", "latency_ms": 20},
        ],
        [{"id": "j", "path": ["a", "b", "c", "d"]}],
    )
    (lat,) = latency(a)
    # Hops a→b, b→c, b→d: 5 + 10 + 20 = 35 ms, plus 4 components × 10 ms = 75 ms.
    assert lat.total_ms == pytest.approx(75) and lat.meets
    # a→b waits 1000 ms but b may spend (1 + 2) × 400 = 1200 ms (+ 5 ms) on c: inversion.
    assert lat.timeout_inversions == [("a->b", "b->c")]
    # A failure at c is tried (1 + 1) × (1 + 2) = 6 times.
    assert lat.retry_amplification == 6
    assert lat.missing_timeouts == ["b->d"]


def test_latency_budget_exceeded_and_missing_hop() -> None:
    a = arch(
        [{"id": "a", "type": "compute"}, {"id": "b", "type": "compute"}, {"id": "c", "type": "compute"}],
        [{"from": "a", "to": "b", "timeout_ms": 500, "latency_ms": 150}],
        [{"id": "j", "path": ["a", "b", "c"]}],
    )
    (lat,) = latency(a)
    assert lat.total_ms == pytest.approx(150) and not lat.meets and lat.budget_ms == pytest.approx(100)
    assert lat.missing_hops == ["c"]


# --------------------------------------------------------------------------- whole analysis


def test_analyse_is_consistent_and_serialisable() -> None:
    a = arch(**CHAIN)
    result = analyse(a)
    assert {w.target_id for w in result.whatif if w.disruption != Disruption.INSTANCE} == {"z1", "z2", "y1", "r1", "r2"}
    assert result.whatif_for("az", "z1") == simulate(a, "az", "z1")
    assert result.spof_ids("az") == ["z1"]
    dumped = result.model_dump(mode="json")
    assert all(not (isinstance(v, float) and math.isnan(v)) for v in dumped["availability"][0].values())
    for w in result.whatif:
        for m in w.explanation:
            for lang in ("zh-CN", "en"):
                text = m.text(lang)
                assert "{" not in text and text != m.key  # rendered, and the key exists
