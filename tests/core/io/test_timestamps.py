"""Time columns: ISO with offsets, epoch s/ms by magnitude, naive local times across DST, mixed offsets."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.core.io._data import csv_bytes, regular_frame
from workbench.errors import InputError
from workbench.io import IngestOptions, TimeUnit, read_load_file, read_load_frame


def _keys(res: object) -> list[str]:
    return [n.key for n in res.report.notes]  # type: ignore[attr-defined]


@pytest.mark.parametrize(("scale", "unit"), [(1, TimeUnit.epoch_s), (1000, TimeUnit.epoch_ms)])
def test_epoch_seconds_and_millis_give_the_same_series(scale: int, unit: TimeUnit) -> None:
    df = regular_frame()
    iso = read_load_file(csv_bytes(df), "a.csv").series
    epoch = pd.to_datetime(df["timestamp"]).astype("int64") // 10**9 * scale
    res = read_load_file(csv_bytes(df.assign(timestamp=epoch)), "b.csv")
    assert res.report.time_unit is unit
    pd.testing.assert_series_equal(res.series, iso, check_freq=False)


def test_epoch_numbers_outside_1990_2100_are_not_time() -> None:
    df = pd.DataFrame({"ts": [5.0, 6.0, 7.0], "qps": [1.0, 2.0, 3.0]})
    with pytest.raises(InputError) as err:
        read_load_frame(df, IngestOptions(time_column="ts"))
    assert err.value.key == "errors.io.bad_epoch"


def test_iso_z_is_converted_to_target_timezone() -> None:
    df = pd.DataFrame({"time": ["2026-01-01T00:00:00Z", "2026-01-01T00:05:00Z"], "qps": [1, 2]})
    res = read_load_frame(df)
    assert res.series.index[0] == pd.Timestamp("2026-01-01 08:00", tz="Asia/Shanghai")
    assert "io.note.offsets_converted" in _keys(res)


def test_mixed_offsets_are_converted_through_utc_and_said() -> None:
    # The same instants written by two agents, one in Beijing and one in UTC.
    instants = pd.date_range("2026-01-01", periods=6, freq="5min", tz="UTC")
    text = [t.tz_convert("Asia/Shanghai").isoformat() if i % 2 else t.isoformat() for i, t in enumerate(instants)]
    res = read_load_frame(pd.DataFrame({"timestamp": text, "qps": range(6)}))
    assert res.report.source_offsets == ["+00:00", "+08:00"]
    assert "io.note.mixed_offsets" in _keys(res)
    assert res.series.tolist() == list(range(6))
    assert res.series.index[0] == instants[0]


def test_naive_and_offset_strings_mixed_is_an_error() -> None:
    df = pd.DataFrame({"timestamp": ["2026-01-01T00:00:00+08:00", "2026-01-01 00:05:00"] * 3, "qps": range(6)})
    with pytest.raises(InputError) as err:
        read_load_frame(df)
    assert err.value.key == "errors.io.mixed_naive_aware"


def test_local_time_spring_forward_gap_is_not_a_data_gap() -> None:
    # Berlin, 2026-03-29: 02:00 local jumps to 03:00. A local logger writes 01:55 then 03:00.
    naive = pd.date_range("2026-03-29 00:00", "2026-03-29 05:00", freq="5min")
    naive = naive[(naive.hour != 2)]
    df = pd.DataFrame({"time": naive.strftime("%Y-%m-%d %H:%M"), "qps": np.arange(len(naive), dtype=float)})
    res = read_load_frame(df, IngestOptions(timezone="Europe/Berlin"))
    assert res.report.time_unit is TimeUnit.local
    assert res.report.gap_count == 0
    assert res.report.freq == "5min"
    assert len(res.series) == len(naive)
    assert res.series.tolist() == pytest.approx(df["qps"].tolist())


def test_local_time_nonexistent_times_are_shifted_and_counted() -> None:
    df = pd.DataFrame({"time": ["2026-03-29 01:30", "2026-03-29 02:30", "2026-03-29 03:30"], "qps": [1.0, 2.0, 3.0]})
    res = read_load_frame(df, IngestOptions(timezone="Europe/Berlin", freq="30min"))
    note = next(n for n in res.report.notes if n.key == "io.note.dst_shifted")
    assert note.params["count"] == 1


def test_local_time_autumn_repeated_hour_keeps_both_copies() -> None:
    # Berlin, 2026-10-25: 02:00-02:59 occurs twice (CEST then CET). 5-min data over the change.
    instants = pd.date_range("2026-10-25 00:00", "2026-10-25 05:00", freq="5min", tz="Europe/Berlin", inclusive="left")
    wall = instants.tz_localize(None).strftime("%Y-%m-%d %H:%M")
    df = pd.DataFrame({"time": wall, "qps": np.arange(len(instants), dtype=float)})
    res = read_load_frame(df, IngestOptions(timezone="Europe/Berlin"))
    assert len(res.series) == len(instants) == 72  # 5 wall-clock hours + the repeated one
    assert res.report.duplicates == 0
    assert res.series.tolist() == pytest.approx(df["qps"].tolist())
    amb = next(n for n in res.report.notes if n.key == "io.note.dst_ambiguous")
    assert amb.params["count"] == 24


def test_other_date_formats_are_read() -> None:
    df = pd.DataFrame({"日期": ["2026/05/01 00:00", "2026/05/01 01:00", "2026/05/01 02:00"], "qps": [1, 2, 3]})
    res = read_load_frame(df)
    assert res.report.time_column == "日期"
    assert res.series.index[2] == pd.Timestamp("2026-05-01 02:00", tz="Asia/Shanghai")


def test_unknown_timezone() -> None:
    with pytest.raises(InputError) as err:
        read_load_frame(regular_frame(), IngestOptions(timezone="Mars/Olympus"))
    assert err.value.key == "errors.io.bad_timezone"


def test_daily_dates_without_time() -> None:
    data = b"date,orders\n2026-05-01,100\n2026-05-02,120\n2026-05-03,90\n2026-05-05,80\n"
    res = read_load_file(data, "daily.csv")
    assert res.report.freq == "D" and res.report.time_unit is TimeUnit.local
    assert res.report.gap_count == 1
    assert res.series.tolist() == pytest.approx([100.0, 120.0, 90.0, 85.0, 80.0])


def test_numbers_beyond_any_timestamp_are_not_a_time_column() -> None:
    """Found by the JSON property test: a median of 3e16 read as microseconds is the year 2920, which
    pandas cannot hold (OutOfBoundsDatetime escaped as a traceback); it is simply not a time column."""
    from workbench.io.timestamps import time_share

    assert time_share(pd.Series([3e16, -2.5e16, 4.4e16, 1e16])) == 0.0
