"""Containers and encodings: CSV dialects, encodings, gzip, Parquet, Excel, Prometheus JSON, garbage."""

from __future__ import annotations

import gzip
import io
import json
import zipfile

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.core.io._data import csv_bytes, regular_frame
from workbench.errors import InputError
from workbench.io import FileFormat, IngestOptions, read_load_file


def _expected() -> pd.Series:
    return regular_frame()["qps"].astype(float)


def _assert_same_values(result_values: pd.Series) -> None:
    np.testing.assert_allclose(result_values.to_numpy(), _expected().to_numpy(), rtol=1e-9)


@pytest.mark.parametrize("sep", [",", ";", "\t", "|"])
def test_delimiters_are_detected(sep: str) -> None:
    res = read_load_file(csv_bytes(regular_frame(), sep=sep), "load.csv")
    assert res.report.delimiter == sep
    _assert_same_values(res.series)


def test_decimal_comma_with_semicolon() -> None:
    data = csv_bytes(regular_frame(), sep=";", decimal=",")
    res = read_load_file(data, "load.csv")
    assert (res.report.delimiter, res.report.decimal) == (";", ",")
    assert "io.note.decimal_comma" in [n.key for n in res.report.notes]
    _assert_same_values(res.series)


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gbk"), ("utf-16", "utf-16"), ("utf-16-le", "utf-16-le")],
)
def test_encodings_are_detected(encoding: str, expected: str) -> None:
    df = regular_frame().rename(columns={"timestamp": "时间", "qps": "每秒请求数"})
    data = df.to_csv(index=False).encode(encoding)
    res = read_load_file(data, "load.csv")
    assert res.report.encoding == expected
    assert res.report.time_column == "时间"
    assert res.series.name == "每秒请求数"
    _assert_same_values(res.series)


def test_gzip_named_csv_is_decompressed() -> None:
    res = read_load_file(gzip.compress(csv_bytes(regular_frame())), "load.csv")
    assert res.report.compressed
    assert res.report.format is FileFormat.csv
    _assert_same_values(res.series)


def test_gzip_bomb_is_refused_without_inflating_everything() -> None:
    bomb = gzip.compress(b"timestamp,qps\n" + b"0" * (50 * 1024 * 1024))  # ~50 KB that inflates to 50 MB
    assert len(bomb) < 200_000
    with pytest.raises(InputError) as err:
        read_load_file(bomb, "load.csv", IngestOptions(max_bytes=5 * 1024 * 1024))
    assert err.value.key == "errors.io.decompressed_too_large"


def test_corrupt_gzip() -> None:
    data = gzip.compress(csv_bytes(regular_frame()))
    with pytest.raises(InputError) as err:
        read_load_file(data[: len(data) // 2], "load.csv.gz")
    assert err.value.key == "errors.io.corrupt_gzip"


def test_file_over_size_limit_is_refused_before_reading() -> None:
    with pytest.raises(InputError) as err:
        read_load_file(b"x" * 2048, "load.csv", IngestOptions(max_bytes=1024))
    assert err.value.key == "errors.io.too_large"
    assert err.value.params["limit_mb"] == pytest.approx(0.0)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_binary_garbage_is_refused(seed: int) -> None:
    garbage = np.random.default_rng(seed).integers(0, 256, 20_000, dtype=np.uint8).tobytes()
    with pytest.raises(InputError) as err:
        read_load_file(garbage, "load.csv")
    assert err.value.key in {"errors.io.binary", "errors.io.corrupt_gzip"}


def test_old_xls_is_refused_clearly() -> None:
    with pytest.raises(InputError) as err:
        read_load_file(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "load.xls")
    assert err.value.key == "errors.io.xls_unsupported"


def test_zip_that_is_not_excel() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("load.csv", csv_bytes(regular_frame()))
    with pytest.raises(InputError) as err:
        read_load_file(buf.getvalue(), "load.zip")
    assert err.value.key == "errors.io.zip_not_excel"


def test_parquet_with_native_timestamps() -> None:
    df = regular_frame()
    df["timestamp"] = pd.to_datetime(df["timestamp"])
    buf = io.BytesIO()
    df.to_parquet(buf)
    res = read_load_file(buf.getvalue(), "whatever.bin")
    assert res.report.format is FileFormat.parquet
    assert res.report.time_unit == "iso"
    _assert_same_values(res.series)


def test_parquet_row_limit_from_metadata() -> None:
    buf = io.BytesIO()
    regular_frame().to_parquet(buf)
    with pytest.raises(InputError) as err:
        read_load_file(buf.getvalue(), "x.parquet", IngestOptions(max_rows=100))
    assert err.value.key == "errors.io.too_many_rows"


def test_excel_with_naive_local_times() -> None:
    df = regular_frame(periods=288)
    df["timestamp"] = pd.to_datetime(df["timestamp"]).dt.tz_localize(None)
    buf = io.BytesIO()
    df.to_excel(buf, index=False, engine="openpyxl")
    res = read_load_file(buf.getvalue(), "load.xlsx")
    assert res.report.format is FileFormat.excel
    assert res.report.time_unit == "local"
    assert str(res.series.index.tz) == "Asia/Shanghai"
    assert res.series.index[0] == pd.Timestamp("2026-03-02 00:00", tz="Asia/Shanghai")
    np.testing.assert_allclose(res.series.to_numpy(), df["qps"].to_numpy())


def _prometheus(series: dict[str, list[float]], start: float = 1_793_000_000.0, step: float = 60.0) -> bytes:
    result = [
        {
            "metric": {"__name__": "req_rate", "instance": inst},
            "values": [[start + i * step, str(v)] for i, v in enumerate(vals)],
        }
        for inst, vals in series.items()
    ]
    return json.dumps({"status": "success", "data": {"resultType": "matrix", "result": result}}).encode()


def test_prometheus_series_are_summed_by_default() -> None:
    res = read_load_file(_prometheus({"a": [1, 2, 3, 4], "b": [10, 20, 30, 40]}), "q.json")
    assert res.report.format is FileFormat.prometheus
    assert res.report.time_unit == "epoch_s"
    assert res.series.tolist() == pytest.approx([11, 22, 33, 44])
    assert len(res.columns) == 2
    assert "io.note.prometheus_summed" in [n.key for n in res.report.notes]


def test_prometheus_pick_one_series_by_label() -> None:
    data = _prometheus({"a": [1, 2, 3, 4], "b": [10, 20, 30, 40]})
    res = read_load_file(data, "q.json", IngestOptions(prometheus_series='instance="b"'))
    assert res.series.tolist() == pytest.approx([10, 20, 30, 40])
    assert res.report.value_columns == ['req_rate{instance="b"}']
    exact = read_load_file(data, "q.json", IngestOptions(prometheus_series='req_rate{instance="a"}'))
    assert exact.series.tolist() == pytest.approx([1, 2, 3, 4])


def test_prometheus_ambiguous_or_missing_series() -> None:
    data = _prometheus({"a": [1, 2, 3], "b": [10, 20, 30]})
    for pick in ("instance", "nope"):
        with pytest.raises(InputError) as err:
            read_load_file(data, "q.json", IngestOptions(prometheus_series=pick))
        assert err.value.key == "errors.io.prometheus_series_not_found"


def test_prometheus_nan_and_inf_values_are_dropped_with_reasons() -> None:
    res = read_load_file(_prometheus({"a": [1, float("nan"), 3, float("inf"), 5]}), "q.json")
    assert res.report.dropped_reasons == {"missing_value": 1, "non_finite": 1}
    assert res.series.tolist() == pytest.approx([1, 2, 3, 4, 5])  # interpolated by default
    assert res.report.filled == 2


@pytest.mark.parametrize(
    ("doc", "key"),
    [
        ({"status": "error", "errorType": "bad_data", "error": "parse error"}, "errors.io.prometheus_error"),
        ({"status": "success", "data": {"resultType": "vector", "result": []}}, "errors.io.prometheus_not_matrix"),
        ({"status": "success", "data": {"resultType": "matrix", "result": []}}, "errors.io.no_rows"),
    ],
)
def test_prometheus_bad_answers(doc: dict[str, object], key: str) -> None:
    with pytest.raises(InputError) as err:
        read_load_file(json.dumps(doc).encode(), "q.json")
    assert err.value.key == key


def test_broken_json() -> None:
    with pytest.raises(InputError) as err:
        read_load_file(b'{"status": "success", "data": ', "q.json")
    assert err.value.key == "errors.io.bad_json"


@pytest.mark.parametrize("sep", [",", ";"])
def test_file_without_header(sep: str) -> None:
    df = regular_frame(periods=50)
    res = read_load_file(df.to_csv(index=False, header=False, sep=sep).encode(), "raw.csv")
    assert res.report.time_column == "column_1" and res.report.value_columns == ["column_2"]
    assert "io.note.no_header" in [n.key for n in res.report.notes]
    np.testing.assert_allclose(res.series.to_numpy(), df["qps"].to_numpy())


def test_numeric_header_like_names_still_a_header() -> None:
    data = b"time,2026\n2026-05-01T00:00:00+08:00,1\n2026-05-01T00:05:00+08:00,2\n"
    res = read_load_file(data, "x.csv")
    assert res.report.value_columns == ["2026"] and res.series.tolist() == pytest.approx([1.0, 2.0])


def test_file_without_header_on_the_careful_path() -> None:
    df = regular_frame(periods=30)
    text = "# no header below\n" + df.to_csv(index=False, header=False)
    res = read_load_file(text.encode("gbk"), "raw.csv")
    assert res.report.time_column == "column_1"
    np.testing.assert_allclose(res.series.to_numpy(), df["qps"].to_numpy())


@settings(max_examples=30, deadline=None)
@given(
    values=st.lists(
        st.floats(min_value=0, max_value=1e7, allow_nan=False).map(lambda v: round(v, 2)), min_size=2, max_size=60
    ),
    sep=st.sampled_from([",", ";", "\t", "|"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gbk", "utf-16"]),
    decimal=st.sampled_from([".", ","]),
    gz=st.booleans(),
)
def test_round_trip_any_dialect(values: list[float], sep: str, encoding: str, decimal: str, gz: bool) -> None:
    if decimal == "," and sep == ",":
        decimal = "."
    idx = pd.date_range("2026-05-01", periods=len(values), freq="1min", tz="Asia/Shanghai")
    df = pd.DataFrame({"时间": idx.map(lambda t: t.isoformat()), "qps": values})
    data = df.to_csv(index=False, sep=sep, decimal=decimal).encode(encoding)
    res = read_load_file(gzip.compress(data) if gz else data, "x.csv")
    assert res.series.tolist() == pytest.approx(values)
    assert res.report.delimiter == sep and res.report.compressed == gz


def test_parquet_that_inflates_beyond_the_limit() -> None:
    pad = [f"{i:05d}" + "x" * 2000 for i in range(2000)]  # distinct: no dictionary, but zstd loves it
    df = pd.DataFrame({"timestamp": regular_frame(periods=2000)["timestamp"], "qps": 1.0, "pad": pad})
    buf = io.BytesIO()
    df.to_parquet(buf, compression="zstd")
    assert len(buf.getvalue()) < 200_000
    with pytest.raises(InputError) as err:
        read_load_file(buf.getvalue(), "x.parquet", IngestOptions(max_bytes=1_000_000))
    assert err.value.key == "errors.io.decompressed_too_large"


def test_prometheus_row_limit_before_parsing() -> None:
    with pytest.raises(InputError) as err:
        read_load_file(
            _prometheus({"a": list(range(300)), "b": list(range(300))}), "q.json", IngestOptions(max_rows=100)
        )
    assert err.value.key == "errors.io.too_many_rows"
