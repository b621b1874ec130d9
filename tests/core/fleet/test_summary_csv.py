"""The radar summary a person downloads: a failed service's problem in words, numbers without float noise."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from workbench.exports import to_safe_csv
from workbench.fleet.output import problem_text, summary
from workbench.fleet.runner import failure_row
from workbench.i18n import t


def _table() -> pd.DataFrame:
    ok = {**failure_row("svc-a", ""), "status": "breach", "model": "multi_seasonal", "error": "",
          "capacity_rps": 24095.961000000003, "peak_point": 20000.123456, "peak_p95": 26000.000000000004,
          "headroom_pct": 85.73966805255098, "growth_pct_per_month": 0.012345678, "first_exceed_point": None}
    broken = failure_row("svc-broken", "errors.io.no_time_column", {"columns": "a, b"})
    return pd.DataFrame([ok, broken]).assign(rank=[1, 2])


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_the_problem_is_said_in_the_page_language(lang: str) -> None:
    out = summary(_table(), lang)
    problem = out.loc[out["service"] == "svc-broken", "error"].iloc[0]
    assert problem == t("errors.io.no_time_column", lang, columns="a, b")
    assert "errors." not in problem and problem
    assert out.loc[out["service"] == "svc-a", "error"].iloc[0] == ""


def test_numbers_are_rounded_and_the_csv_reads_back() -> None:
    out = summary(_table(), "en")
    row = out.iloc[0]
    assert row["capacity_rps"] == 24095.96 and row["headroom_pct"] == 85.74 and row["peak_p95"] == 26000.0
    assert row["growth_pct_per_month"] == 0.01235
    text = to_safe_csv(out).decode("utf-8-sig")
    assert "000000000" not in text and "24095.96" in text and "85.74" in text
    back = pd.read_csv(io.StringIO(text))
    assert list(back["service"]) == ["svc-a", "svc-broken"]


def test_without_a_language_the_key_stays_for_machines() -> None:
    assert summary(_table())["error"].iloc[1] == "errors.io.no_time_column"


def test_parquet_params_as_json_text() -> None:
    assert problem_text("errors.io.no_time_column", '{"columns": "x"}', "en") == t(
        "errors.io.no_time_column", "en", columns="x")
    assert problem_text("", {}, "en") == "" and problem_text(None, None, "en") == ""
