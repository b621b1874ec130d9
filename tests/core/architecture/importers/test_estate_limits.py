"""Limits that admit a 10,000-component estate, a clear refusal above them, JSON read as JSON."""

from __future__ import annotations

import pytest

from workbench.architecture.loader import (
    MAX_MB_DEFAULT,
    ArchitectureLoadError,
    dump_architecture,
    load_architecture,
    max_bytes,
)
from workbench.architecture.synthetic import generate_architecture

SMALL = "schema_version: 1\nname: tiny\ncomponents:\n  - {id: web, type: compute}\n"


def test_limit_follows_the_environment_and_the_refusal_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    assert max_bytes() == MAX_MB_DEFAULT * 1024 * 1024
    monkeypatch.setenv("WORKBENCH_MAX_ARCHITECTURE_MB", "0.00005")  # 52 bytes
    with pytest.raises(ArchitectureLoadError) as err:
        load_architecture(SMALL)
    (issue,) = err.value.issues
    assert issue.key == "errors.architecture.too_large" and issue.params["limit_mb"] == "5e-05"
    assert all("WORKBENCH_MAX_ARCHITECTURE_MB" in issue.text(lang) for lang in ("en", "zh-CN"))
    for junk in ("0", "-3", "abc", "nan"):
        monkeypatch.setenv("WORKBENCH_MAX_ARCHITECTURE_MB", junk)
        assert max_bytes() == MAX_MB_DEFAULT * 1024 * 1024


def test_json_text_is_read_as_json_and_flow_yaml_still_works() -> None:
    arch = generate_architecture(60, seed=4)
    assert load_architecture(dump_architecture(arch, "json")) == arch  # no .json name needed
    flow = "{schema_version: 1, name: flow, components: [{id: a, type: compute}]}"
    assert load_architecture(flow).name == "flow"


@pytest.mark.slow
def test_the_10000_component_estate_is_admitted() -> None:
    arch = generate_architecture(10_000, seed=42)
    text = dump_architecture(arch, "json")
    assert len(text.encode()) > 2 * 1024 * 1024  # above the former 2 MB limit
    assert load_architecture(text) == arch
