"""Datasets kept in a workshop: the cleaned series round-trips exactly; bad documents read clearly."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

from workbench.errors import InputError
from workbench.workshop.datasets import MAX_POINTS, dataset_id, document_to_series, series_to_document


def _series(n: int = 500, tz: str = "Asia/Shanghai") -> pd.Series:
    index = pd.date_range("2026-10-01", periods=n, freq="5min", tz=tz)
    values = 1000 + 200 * np.sin(np.arange(n) / 20.0)
    values[7] = np.nan
    return pd.Series(values, index=index, name="qps")


def test_round_trip_through_json_keeps_grid_timezone_values_and_gaps():
    original = _series()
    doc = json.loads(json.dumps(series_to_document(original, "监控导出.csv")))
    back = document_to_series(doc)
    assert back.index.equals(original.index) and str(back.index.tz) == "Asia/Shanghai"
    assert np.allclose(back.to_numpy(), original.to_numpy(), equal_nan=True)
    assert back.name == "qps" and np.isnan(back.iloc[7])


def test_identical_series_have_the_same_digest_and_different_ones_do_not():
    a, b = series_to_document(_series(), "a"), series_to_document(_series(), "b")
    c = series_to_document(_series() * 2, "c")
    assert a["digest"] == b["digest"] != c["digest"]


def test_irregular_and_huge_series_are_refused_with_a_message():
    irregular = _series().drop(_series().index[[3, 10, 11]])
    with pytest.raises(InputError) as info:
        series_to_document(irregular, "x")
    assert info.value.key == "errors.dataset.not_regular"
    big = pd.Series(
        np.ones(MAX_POINTS + 1), index=pd.date_range("2020-01-01", periods=MAX_POINTS + 1, freq="1min", tz="UTC")
    )
    with pytest.raises(InputError) as info:
        series_to_document(big, "big")
    assert info.value.key == "errors.dataset.too_many_points"


@pytest.mark.parametrize("damage", [{"values": "oops"}, {"step_seconds": 0}, {"start": "not a date"}, {"values": [1]}])
def test_damaged_documents_read_as_a_message(damage):
    doc = {**series_to_document(_series(), "x"), **damage}
    with pytest.raises(InputError) as info:
        document_to_series(doc)
    assert info.value.key == "errors.dataset.damaged"


def test_dataset_ids_are_safe():
    assert dataset_id("load.csv") == "load-csv" and dataset_id("../load (1).csv") == "load-1-csv"  # ASCII: as before
    first, second = dataset_id("../监控 export (1).csv"), dataset_id("../订单 export (1).csv")
    assert first.startswith("export-1-csv-") and second.startswith("export-1-csv-") and first != second
    assert dataset_id("监控.csv") != dataset_id("订单.csv")  # two Chinese file names are two datasets
    assert dataset_id("监控.csv") == dataset_id("监控.csv")  # the same file again replaces its copy
    assert all(re.fullmatch(r"[A-Za-z0-9_.-]+", dataset_id(n)) for n in ("监控", "../监控 export (1).csv"))
