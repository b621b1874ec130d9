"""Scale: the model analyses stay linear-ish (issue 4: analyses and score for 1,000 components within 1 s,
10,000 within 10 s — this part is only the model analyses, so it must be a fraction of that)."""

from __future__ import annotations

import time

import pytest

from workbench.architecture.analysis import analyse
from workbench.architecture.loader import dump_architecture, load_architecture

synthetic = pytest.importorskip("workbench.architecture.synthetic")


def _timed(n: int) -> float:
    arch = synthetic.generate_architecture(n, seed=1)
    start = time.perf_counter()
    result = analyse(arch)
    elapsed = time.perf_counter() - start
    assert result.availability and result.whatif
    return elapsed


def test_1000_components_analysed_well_under_a_second() -> None:
    analyse(synthetic.generate_architecture(30))  # warm the catalogue cache
    assert _timed(1_000) < 0.5


@pytest.mark.slow
def test_10000_components_analysed_in_a_fraction_of_ten_seconds() -> None:
    assert _timed(10_000) < 4.0


def test_large_file_loads() -> None:
    text = dump_architecture(synthetic.generate_architecture(300, seed=2))
    start = time.perf_counter()
    arch = load_architecture(text)
    assert len(arch.components) == 300
    assert time.perf_counter() - start < 2.0  # measured ≈ 0.3 s; generous for shared CI runners
