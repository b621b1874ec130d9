"""One queue-model entry point: the model named from the CVs, and the page's curves from the core."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.capacity.models import QueueKind
from workbench.capacity.queues import QueueSpec, queue_curves, solve_queue
from workbench.capacity.usl import usl_peak


def test_models_are_named_from_variability_and_servers() -> None:
    def spec(**kw: float) -> QueueSpec:
        return QueueSpec(**{"arrival_rate": 5.0, "service_time": 0.1, "servers": 1, **kw})

    assert solve_queue(spec()).kind in (QueueKind.MM1, QueueKind.MMC)
    assert solve_queue(spec(service_cv=0.5)).kind is QueueKind.MG1
    assert solve_queue(spec(arrival_rate=50.0, servers=8, arrival_cv=1.5, service_cv=0.5)).kind is QueueKind.GGC


def test_mm1_mean_response_is_the_textbook_value() -> None:
    """M/M/1 with λ = 5/s, S = 100 ms: R = S / (1 − ρ) = 200 ms (Kleinrock 1975, eq. 3.26)."""
    assert solve_queue(QueueSpec(arrival_rate=5.0, service_time=0.1, servers=1)).mean_response == pytest.approx(0.2)


@settings(max_examples=30, deadline=None)
@given(rho=st.floats(0.1, 0.9), servers=st.integers(1, 16), cs=st.floats(0.0, 2.0))
def test_curves_rise_with_load_and_fall_with_servers(rho: float, servers: int, cs: float) -> None:
    service = 0.05
    rate = rho * servers / service
    by_rate, by_servers = queue_curves(rate, service, servers, 1.0, cs, (0.95,), points=12)
    ms = [r["ms"] for r in by_rate]
    assert all(b >= a - 1e-9 for a, b in zip(ms, ms[1:], strict=False))
    ms = [r["ms"] for r in by_servers]
    assert all(b <= a + 1e-9 for a, b in zip(ms, ms[1:], strict=False))
    assert min(r["x"] for r in by_servers) > rate * service  # only stable server counts


def test_usl_peak_is_gunthers_formula() -> None:
    """N* = sqrt((1 − σ)/κ) (Gunther 2007, eq. 4.33): σ = 0.02, κ = 0.0001 → N* = 99."""
    n, x = usl_peak(0.02, 0.0001, 100.0)
    assert n == pytest.approx(math.sqrt(0.98 / 0.0001)) == pytest.approx(98.99, abs=0.01)
    assert x == pytest.approx(100.0 * n / (1 + 0.02 * (n - 1) + 0.0001 * n * (n - 1)))
    assert usl_peak(0.02, 0.0, 100.0) == (None, pytest.approx(5000.0))
