"""Drill-down into one node of the aggregated diagram."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.architecture.diagram import parts_of
from workbench.architecture.drilldown import cluster, clusters
from workbench.architecture.synthetic import generate_architecture


@settings(max_examples=10, deadline=None)
@given(st.integers(min_value=8, max_value=300), st.integers(min_value=0, max_value=5))
def test_every_component_is_in_a_group_and_a_group_opens_to_its_members(n: int, seed: int) -> None:
    arch = generate_architecture(n, seed=seed)
    refs = clusters(arch)
    members = {c.id for c in arch.components}
    covered = set()
    for ref in refs:
        sub = cluster(arch, ref)
        ids = {c.id for c in sub.components}
        inside = {c.id for c in arch.components if c.type == ref.type and any(
            p.location == (ref.kind, ref.location) for p in parts_of(arch, c))}
        assert len(inside) == ref.components and inside <= ids  # the group, then neighbours
        assert all(lk.source in ids and lk.target in ids for lk in sub.links)
        covered |= inside
    assert covered == members
    assert [r.components for r in refs] == sorted((r.components for r in refs), reverse=True)


def test_cluster_is_bounded() -> None:
    arch = generate_architecture(600, seed=2)
    ref = clusters(arch)[0]
    assert len(cluster(arch, ref, limit=10).components) == 10
