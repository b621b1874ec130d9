"""Value columns: Grafana unit suffixes, percent, thousands separators, bad cells."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.errors import InputError
from workbench.io import IngestOptions, read_load_file, read_load_frame
from workbench.io.values import MULTIPLIERS, parse_values


def _frame(values: list[object]) -> pd.DataFrame:
    times = pd.date_range("2026-05-01", periods=len(values), freq="1min", tz="Asia/Shanghai")
    return pd.DataFrame({"time": times.map(lambda t: t.isoformat()), "value": values})


def test_grafana_units_are_multiplied_and_reported() -> None:
    res = read_load_frame(_frame(["1.2 K", "1.5 Mil", "2 M", "900", "3 Bil"]))
    assert res.series.tolist() == pytest.approx([1200.0, 1.5e6, 2e6, 900.0, 3e9])
    assert res.report.unit_hints == ["Bil", "K", "M", "Mil"]
    assert "io.note.units_applied" in [n.key for n in res.report.notes]


def test_percent_is_kept_as_percent() -> None:
    res = read_load_frame(_frame(["35 %", "40%", "45.5 %"]))
    assert res.series.tolist() == pytest.approx([35.0, 40.0, 45.5])
    assert res.report.unit_hints == ["%"]


def test_thousands_separators_in_quoted_csv_cells() -> None:
    data = b'time,qps\n2026-05-01T00:00:00+08:00,"1,234.5"\n2026-05-01T00:01:00+08:00,"2,000"\n'
    assert read_load_file(data, "x.csv").series.tolist() == pytest.approx([1234.5, 2000.0])


def test_non_numeric_cells_are_dropped_with_a_reason() -> None:
    res = read_load_frame(_frame([1.0, "oops", 3.0, "N/A", 5.0, 6.0]))
    assert res.report.dropped_reasons == {"non_numeric": 1, "missing_value": 1}
    assert res.report.rows_dropped == 2
    assert res.series.tolist() == pytest.approx([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])  # refilled by interpolation


def test_negative_load_is_dropped_and_counted() -> None:
    res = read_load_frame(_frame([1.0, -5.0, 3.0]))
    assert res.report.dropped_reasons == {"negative": 1}
    assert res.series.tolist() == pytest.approx([1.0, 2.0, 3.0])


def test_all_nan_or_inf_is_an_error() -> None:
    with pytest.raises(InputError) as err:
        read_load_frame(_frame([np.nan, np.inf, -np.inf, np.nan]))
    assert err.value.key == "errors.io.no_valid_values"


def test_text_only_column_is_not_a_value_column() -> None:
    with pytest.raises(InputError) as err:
        read_load_frame(_frame(["high", "low", "medium"]))
    assert err.value.key == "errors.io.no_value_column"


def test_several_value_columns_are_summed_when_listed() -> None:
    df = _frame([1.0, 2.0, 3.0]).assign(other=[10.0, 20.0, 30.0])
    res = read_load_frame(df, IngestOptions(value_columns=["value", "other"]))
    assert res.series.tolist() == pytest.approx([11.0, 22.0, 33.0])
    assert res.columns == ["value", "other"]
    default = read_load_frame(df)
    assert default.series.tolist() == pytest.approx([1.0, 2.0, 3.0])  # first candidate unless the user lists more


def test_unknown_value_column() -> None:
    with pytest.raises(InputError) as err:
        read_load_frame(_frame([1.0, 2.0]), IngestOptions(value_columns=["nope"]))
    assert err.value.key == "errors.io.unknown_column"


@given(
    value=st.floats(min_value=0, max_value=1e6, allow_nan=False).map(lambda v: round(v, 3)),
    suffix=st.sampled_from(["", "K", "k", "M", "Mil", "G", "Bil", "T", "%"]),
    space=st.sampled_from(["", " "]),
)
def test_suffix_round_trip(value: float, suffix: str, space: str) -> None:
    parsed = parse_values(pd.Series([f"{value}{space}{suffix}"]))
    assert parsed.values.iloc[0] == pytest.approx(value * MULTIPLIERS[suffix], rel=1e-12)
    assert not parsed.non_numeric.iloc[0]
