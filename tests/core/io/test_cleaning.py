"""Sorting, duplicates, irregular intervals, resampling with each aggregation, gap policies, limits."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.core.io._data import csv_bytes, regular_frame
from workbench.errors import InputError
from workbench.io import Aggregation, GapPolicy, IngestOptions, read_load_file, read_load_frame


def _keys(res: object) -> list[str]:
    return [n.key for n in res.report.notes]  # type: ignore[attr-defined]


def test_unsorted_rows_are_sorted_and_said() -> None:
    df = regular_frame()
    shuffled = df.sample(frac=1.0, random_state=3)
    res = read_load_frame(shuffled)
    assert "io.note.sorted" in _keys(res)
    np.testing.assert_allclose(res.series.to_numpy(), df["qps"].to_numpy())


def test_exact_duplicates_dropped_conflicting_aggregated() -> None:
    df = pd.DataFrame(
        {
            "time": [
                "2026-05-01T00:00:00+08:00",
                "2026-05-01T00:00:00+08:00",
                "2026-05-01T00:01:00+08:00",
                "2026-05-01T00:01:00+08:00",
                "2026-05-01T00:02:00+08:00",
            ],
            "qps": [1.0, 1.0, 2.0, 4.0, 5.0],
        }
    )
    res = read_load_frame(df)
    assert res.report.duplicates == 2
    assert res.report.dropped_reasons == {"duplicate": 1}
    assert res.series.tolist() == pytest.approx([1.0, 3.0, 5.0])  # conflicting 2 and 4 averaged
    assert {"io.note.duplicates_dropped", "io.note.duplicates_aggregated"} <= set(_keys(res))
    assert read_load_frame(df, IngestOptions(aggregation=Aggregation.max)).series.tolist() == pytest.approx(
        [1.0, 4.0, 5.0]
    )


@pytest.mark.parametrize("how", list(Aggregation))
def test_resampling_matches_numpy(how: Aggregation) -> None:
    df = regular_frame(periods=12 * 24)  # one day at 5 min
    res = read_load_frame(df, IngestOptions(freq="1h", aggregation=how))
    blocks = df["qps"].to_numpy().reshape(24, 12)
    expected = {
        Aggregation.mean: blocks.mean(axis=1),
        Aggregation.max: blocks.max(axis=1),
        Aggregation.sum: blocks.sum(axis=1),
        Aggregation.p95: np.quantile(blocks, 0.95, axis=1),  # linear interpolation, like pandas
    }[how]
    assert res.report.freq == "h"
    np.testing.assert_allclose(res.series.to_numpy(), expected)


def test_gap_policies() -> None:
    df = regular_frame(periods=20)
    holed = df.drop(index=[5, 6, 7, 12])
    truth = df["qps"].to_numpy()
    leave = read_load_frame(holed, IngestOptions(gaps=GapPolicy.leave))
    assert leave.report.gap_count == 2 and leave.report.gap_points == 4 and leave.report.filled == 0
    assert leave.series.isna().sum() == 4
    first, last = leave.report.gaps[0]
    assert (first, last) == (pd.Timestamp(df["timestamp"][5]), pd.Timestamp(df["timestamp"][7]))
    zero = read_load_frame(holed, IngestOptions(gaps=GapPolicy.zero))
    assert zero.series.iloc[[5, 6, 7, 12]].tolist() == [0.0] * 4 and zero.report.filled == 4
    interp = read_load_frame(holed).series
    step = (truth[8] - truth[4]) / 4
    np.testing.assert_allclose(interp.iloc[5:8], truth[4] + step * np.arange(1, 4))
    assert len(interp) == 20


def test_irregular_intervals_are_noted_and_regularised() -> None:
    rng = np.random.default_rng(0)
    offsets = np.cumsum(rng.choice([30, 60, 90, 120], size=400))
    times = pd.Timestamp("2026-05-01", tz="Asia/Shanghai") + pd.to_timedelta(offsets, unit="s")
    df = pd.DataFrame({"time": times.map(lambda t: t.isoformat()), "qps": rng.uniform(10, 20, 400)})
    res = read_load_frame(df, IngestOptions(freq="5min"))
    assert "io.note.irregular" in _keys(res)
    assert res.series.index.to_series().diff().dropna().eq(pd.Timedelta("5min")).all()
    assert res.series.between(10, 20).all()


def test_upsampling_is_said() -> None:
    res = read_load_frame(regular_frame(periods=30), IngestOptions(freq="1min"))
    assert "io.note.upsampled" in _keys(res)


@pytest.mark.parametrize("freq", ["banana", "-5min", "0min"])
def test_bad_freq(freq: str) -> None:
    with pytest.raises(InputError) as err:
        read_load_frame(regular_frame(periods=10), IngestOptions(freq=freq))
    assert err.value.key == "errors.io.bad_freq"


def test_grid_too_large_for_a_tiny_freq() -> None:
    times = ["2020-01-01T00:00:00Z", "2026-01-01T00:00:00Z", "2026-01-01T00:00:01Z", "2026-01-01T00:00:02Z"]
    df = pd.DataFrame({"time": times, "qps": [1, 2, 3, 4]})  # median interval 1 s over six years
    with pytest.raises(InputError) as err:
        read_load_frame(df, IngestOptions(max_rows=1000))
    assert err.value.key == "errors.io.grid_too_large"


@settings(max_examples=25, deadline=None)
@given(
    periods=st.integers(min_value=2, max_value=300),
    drop=st.sets(st.integers(min_value=1, max_value=298), max_size=40),
    policy=st.sampled_from(list(GapPolicy)),
)
def test_result_is_regular_and_consistent(periods: int, drop: set[int], policy: GapPolicy) -> None:
    df = regular_frame(periods=periods).drop(index=[i for i in drop if i < periods - 1])
    res = read_load_file(csv_bytes(df), "x.csv", IngestOptions(gaps=policy, freq="5min"))
    s, rep = res.series, res.report
    assert s.index.is_monotonic_increasing and s.index.is_unique
    assert s.index.to_series().diff().dropna().eq(pd.Timedelta("5min")).all()
    assert str(s.index.tz) == "Asia/Shanghai"
    assert res.outlier_mask.index.equals(s.index) and res.outlier_mask.dtype == bool
    assert rep.points == len(s) == len(df) + rep.gap_points
    assert s.isna().sum() == (rep.gap_points if policy is GapPolicy.leave else 0)
    assert rep.filled == (0 if policy is GapPolicy.leave else rep.gap_points)
    assert rep.rows_read == len(df) and rep.rows_dropped == 0


def test_series_with_datetime_index_is_accepted() -> None:
    idx = pd.date_range("2026-05-01", periods=6, freq="1h", tz="UTC")
    res = read_load_frame(pd.Series([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], index=idx, name="qps"))
    assert res.report.time_column == "time" and res.series.name == "qps"
    assert res.series.index[0] == pd.Timestamp("2026-05-01 08:00", tz="Asia/Shanghai")
