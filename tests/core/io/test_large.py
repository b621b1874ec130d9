"""Large inputs: read within the limits, or refused quickly (issue 6: never freeze the app)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.errors import InputError
from workbench.io import IngestOptions, csv_reader, read_load_file


def _big_csv(rows: int) -> bytes:
    idx = pd.date_range("2024-01-01", periods=rows, freq="1min", tz="Asia/Shanghai")
    qps = np.random.default_rng(5).lognormal(7, 0.1, rows).round(1)
    return pd.DataFrame({"timestamp": idx.strftime("%Y-%m-%dT%H:%M:%S+08:00"), "qps": qps}).to_csv(index=False).encode()


def test_row_limit_refuses_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Refused from a line count, before pandas parses anything (the time it takes is in bench_io.py)."""
    data = _big_csv(200_000)

    def parse_not_expected(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was parsed although its line count is over the limit")

    monkeypatch.setattr(pd, "read_csv", parse_not_expected)
    monkeypatch.setattr(csv_reader, "_read_arrow", parse_not_expected)
    with pytest.raises(InputError) as err:
        read_load_file(data, "big.csv", IngestOptions(max_rows=50_000))
    assert err.value.key == "errors.io.too_many_rows"


@pytest.mark.slow
def test_one_million_rows_within_budget() -> None:
    data = _big_csv(1_000_000)
    res = read_load_file(data, "big.csv")  # time against the issue 6 target: benchmarks/bench_io.py
    assert len(res.series) == 1_000_000 and res.report.freq == "min"
