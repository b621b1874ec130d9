"""The layers' arrows point down (docs/design.md): importing a lower layer never loads a higher one.

Each check runs in a fresh interpreter, so what another test imported cannot hide an upward import.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT

# (module imported, packages it must not load)
LAYERS = [
    ("workbench.store", ("workbench.workshop", "workbench.report", "workbench.forecast", "workbench.capacity",
                         "workbench.architecture", "streamlit")),
    ("workbench.forecast.models", ("workbench.forecast.seasonal", "workbench.forecast.stats_models",
                                   "workbench.forecast.baselines", "workbench.forecast.registry", "statsmodels")),
    ("workbench.forecast.registry", ("statsmodels",)),
    ("workbench.capacity", ("workbench.forecast", "workbench.architecture", "workbench.workshop")),
    ("workbench.architecture", ("workbench.capacity", "workbench.forecast", "workbench.workshop")),
    ("workbench.workshop.documents", ("streamlit",)),
]


@pytest.mark.parametrize(("module", "forbidden"), LAYERS, ids=[m for m, _ in LAYERS])
def test_importing_a_layer_loads_nothing_above_it(module: str, forbidden: tuple[str, ...]) -> None:
    code = (f"import sys, {module}\n"
            f"bad = sorted(m for m in sys.modules if m.startswith({forbidden!r}))\n"
            "print('\\n'.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                         check=True).stdout.split()
    assert out == [], f"importing {module} loads {out}"
