"""Numbers in export files: float noise gone, magnitude kept, money to the cent, non-floats untouched."""

from __future__ import annotations

import math

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from workbench.exports import export_frame, export_number, export_numbers


def test_examples_from_the_exports() -> None:
    assert export_number(8686.999999999998, 2) == 8687.0
    assert export_number(15816.6595904946) == 15816.66
    assert export_number(11.899999999999999) == 11.9
    assert export_number(24095.961000000003) == 24095.96
    assert export_number(0.012345678) == 0.01235  # a small fraction keeps four significant digits
    assert export_number(0.99995) == 0.99995 and export_number(0.9999999) == 0.9999999  # nines are never 1.0
    assert export_number(0.8686999999999998) == 0.8687
    for value in (3, True, None, "x", float("inf")):
        assert export_number(value) is value
    assert math.isnan(export_number(float("nan")))


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False))
def test_rounding_is_close_and_short(value: float) -> None:
    out = export_number(value)
    assert abs(out - value) <= max(0.005, abs(value) * 5e-4) + 1e-9
    if 0.5 < abs(value) < 1 - 1e-12:  # a share below 1 stays below 1, however many nines
        assert abs(out) < 1
    assert len(repr(abs(out)).split(".")[-1].split("e")[0]) <= 20


def test_documents_and_frames() -> None:
    doc = {"cost": 1.005000000001, "rows": [{"cost": 2.999999999, "p": 0.123456}], "n": 3}
    assert export_numbers(doc, {"cost": 2}) == {"cost": 1.01, "rows": [{"cost": 3.0, "p": 0.1235}], "n": 3}
    frame = pd.DataFrame({"a": [1.23456, float("nan")], "b": ["x", "y"], "c": [1, 2]})
    out = export_frame(frame)
    assert out["a"].iloc[0] == 1.23 and math.isnan(out["a"].iloc[1])
    assert list(out["b"]) == ["x", "y"] and list(out["c"]) == [1, 2]
    assert frame["a"].iloc[0] == 1.23456  # a copy: the data keeps its value
