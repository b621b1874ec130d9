"""Scale: large designs are analysed and loaded completely.  Timings are not asserted here (wall clock depends on
the machine): ``benchmarks/bench_architecture.py`` measures them against the targets (1,000 components ≤ 1 s,
10,000 ≤ 5 s for the whole review)."""

from __future__ import annotations

import pytest

from workbench.architecture.analysis import analyse
from workbench.architecture.loader import dump_architecture, load_architecture

synthetic = pytest.importorskip("workbench.architecture.synthetic")


def test_1000_components_analysed_completely() -> None:
    arch = synthetic.generate_architecture(1_000, seed=1)
    result = analyse(arch)
    assert len(result.availability) == len(arch.journeys)
    assert {w.disruption.value for w in result.whatif} >= {"az", "region"}


def test_large_file_loads() -> None:
    text = dump_architecture(synthetic.generate_architecture(300, seed=2))
    arch = load_architecture(text)
    assert len(arch.components) == 300
