"""The staffing hot path: the C twin (``_native.c``) and the Python twin give the same answers.

The C twin is built by ``make run`` / ``make test`` (tools/build_native.py).  Without a C compiler the
Python twin is used; on CI (``CI=true``) or with ``WORKBENCH_REQUIRE_NATIVE=1`` a missing build fails here.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.capacity import native
from workbench.capacity.erlang import mmc_service_level, staffing_for_service_level
from workbench.capacity.staffing import agents_needed

TWINS: list[tuple[str, Callable[[float, float, float], int]]] = [("python", native.service_level_agents_py)]
if native._NATIVE is not None:
    TWINS.append(("c", native._NATIVE))
REQUIRED = os.environ.get("CI", "").lower() == "true" or os.environ.get("WORKBENCH_REQUIRE_NATIVE") == "1"


def test_the_c_twin_is_built_where_it_is_required() -> None:
    if not native.NATIVE:
        if REQUIRED:
            pytest.fail("the C twin of the staffing hot path is not built: run `.venv/bin/python tools/build_native.py`"
                        " (needs a C compiler and Python's headers)")
        pytest.skip("C twin not built (no C compiler?): the Python twin is used")
    assert native.service_level_agents is native._NATIVE


@pytest.mark.parametrize(("name", "twin"), TWINS)
def test_callcentrehelper_example_with_each_twin(name: str, twin: Callable[[float, float, float], int]) -> None:
    # callcentrehelper.com Erlang C worked example: A = 10 erlangs, AHT 180 s, 80 % within 20 s → 14 agents.
    assert twin(10.0, 20.0 / 180.0, 0.2) == 14
    n = agents_needed(100 / 1800, 180.0, 20.0, 0.8, _sl_agents=twin)
    assert n == (14, 14, None, None)


@pytest.mark.parametrize(("name", "twin"), TWINS)
@pytest.mark.parametrize("bad", [(0.0, 0.1, 0.2), (64.0, 0.1, 0.2), (math.nan, 0.1, 0.2), (5.0, -1.0, 0.2),
                                 (5.0, math.nan, 0.2), (5.0, 0.1, 0.0), (5.0, 0.1, 1.0), (5.0, 0.1, math.nan)])
def test_out_of_domain_arguments_are_refused_not_looped(name: str, twin: Callable[[float, float, float], int],
                                                        bad: tuple[float, float, float]) -> None:
    with pytest.raises(ValueError):
        twin(*bad)


def test_the_twins_agree_on_a_grid() -> None:
    if len(TWINS) < 2:
        pytest.skip("C twin not built")
    c_twin = native._NATIVE
    assert c_twin is not None
    for i in range(1, 6400, 3):
        a = i / 100.0 - 1e-9
        for ts in (0.0, 1e-3, 0.05, 20 / 180, 1.0, 7.5, 1e300, math.inf):
            for late in (1e-6, 0.01, 0.2, 0.5, 0.95):
                assert c_twin(a, ts, late) == native.service_level_agents_py(a, ts, late), (a, ts, late)


@settings(max_examples=300, deadline=None)
@given(a=st.floats(1e-300, 63.999999), ts=st.floats(0.0, 1e6), late=st.floats(1e-9, 0.999))
def test_the_twins_agree_and_meet_the_target(a: float, ts: float, late: float) -> None:
    n = native.service_level_agents(a, ts, late)
    assert n == native.service_level_agents_py(a, ts, late)
    assert n == max(n, math.floor(a) + 1)
    if a > 1e-6 and ts < 1e3:  # where the independent M/M/c formula is well conditioned
        aht = 100.0
        sl = mmc_service_level(ts * aht, n, a / aht, aht)
        assert sl >= 1.0 - late - 1e-9
        ref = staffing_for_service_level(a / aht, aht, ts * aht, 1.0 - late)
        assert abs(n - ref) <= 1  # two formulas; they differ only where the level equals the target to rounding
        if n != ref:
            assert mmc_service_level(ts * aht, min(n, ref), a / aht, aht) == pytest.approx(1.0 - late, rel=1e-9)
