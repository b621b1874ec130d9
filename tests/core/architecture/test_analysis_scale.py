"""Scale: the model analyses complete on large architectures and keep their shape (issue 4).

How fast they run is measured by ``benchmarks/bench_architecture.py`` (``make bench``: 1,000 components within
1 s, 10,000 within 10 s, the 300-component file load); a wall-clock assertion here would fail on a busy machine.
"""

from __future__ import annotations

import pytest

from workbench.architecture.analysis import analyse
from workbench.architecture.loader import dump_architecture, load_architecture

synthetic = pytest.importorskip("workbench.architecture.synthetic")


def _analysed(n: int) -> None:
    arch = synthetic.generate_architecture(n, seed=1)
    result = analyse(arch)
    assert result.availability and result.whatif
    assert all(0.0 <= j.value <= 1.0 for j in result.availability)


def test_1000_components_analysed() -> None:
    _analysed(1_000)


@pytest.mark.slow
def test_10000_components_analysed() -> None:
    _analysed(10_000)


def test_large_file_loads() -> None:
    original = synthetic.generate_architecture(300, seed=2)
    arch = load_architecture(dump_architecture(original))
    assert len(arch.components) == 300
    assert {c.id for c in arch.components} == {c.id for c in original.components}
