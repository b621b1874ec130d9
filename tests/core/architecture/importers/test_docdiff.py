"""The changed-parts YAML diff that fixes show."""

from __future__ import annotations

from workbench.architecture.docdiff import yaml_diff
from workbench.architecture.model import Placement, Waiver
from workbench.architecture.synthetic import generate_architecture


def test_no_change_no_diff() -> None:
    arch = generate_architecture(40, seed=1)
    assert yaml_diff(arch, arch.model_copy()) == []


def test_changed_component_and_added_waiver_only() -> None:
    arch = generate_architecture(200, seed=1)
    target = arch.components[57]
    changed = target.model_copy(update={"placement": [*target.placement, Placement(az="zz-new-1", count=1)],
                                        "replicas": target.replicas + 1})
    comps = [*arch.components[:57], changed, *arch.components[58:]]
    new = arch.model_copy(update={"components": comps, "waivers": [Waiver(rule="REL-001", reason="accepted")]})
    diff = yaml_diff(arch, new)
    assert diff[:2] == ["--- before.yaml", "+++ after.yaml"]
    added = [line for line in diff if line.startswith("+") and not line.startswith("+++")]
    assert any("zz-new-1" in line for line in added) and any("REL-001" in line for line in added)
    assert any(f"id: {target.id}" in line for line in diff)  # the changed component is named in context
    others = {c.id for c in arch.components} - {target.id}
    assert not any(f"id: {cid}" in line for line in diff for cid in others)  # unchanged components not dumped
