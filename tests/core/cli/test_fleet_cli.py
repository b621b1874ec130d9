"""`python -m workbench fleet run …`: ranked summary printed, files written, friendly errors."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from workbench.cli.main import app
from workbench.fleet.sample import write_fleet

runner = CliRunner()


def test_fleet_run_writes_ranked_results(tmp_path: Path) -> None:
    fleet = write_fleet(tmp_path / "fleet", services=4, days=14, seed=1, over_every=4)
    out = tmp_path / "out"
    res = runner.invoke(app, ["fleet", "run", str(fleet), "--capacity", str(fleet / "capacity.csv"),
                              "--horizon", "7d", "-o", str(out), "--threads", "--workers", "1",
                              "--models", "seasonal_naive_daily", "--batch-size", "2"])
    assert res.exit_code == 0, res.output
    assert "#1 svc-0003-promo" in res.stdout  # the one seeded over capacity
    summary = pd.read_csv(out / "summary.csv")
    assert summary["service"].iloc[0] == "svc-0003-promo"
    assert summary.set_index("service").loc["svc-broken", "status"] == "failed"
    assert len(pd.read_parquet(out / "radar.parquet")) == 5


def test_fleet_run_bad_capacity_is_one_line(tmp_path: Path) -> None:
    fleet = write_fleet(tmp_path / "fleet", services=1, days=7, bad=False)
    (tmp_path / "cap.csv").write_text("name,size\na,1\n", encoding="utf-8")
    res = runner.invoke(app, ["fleet", "run", str(fleet), "--capacity", str(tmp_path / "cap.csv"), "--lang", "zh"])
    assert res.exit_code == 2
    assert "errors.fleet.capacity_columns" in res.stderr and "Traceback" not in res.output


@pytest.mark.parametrize(("option", "value"), [("--workers", "-5"), ("--workers", "1000"),
                                               ("--batch-size", "0"), ("--batch-size", "6000"), ("--top", "-3")])
def test_out_of_range_counts_are_refused_not_clamped(tmp_path: Path, option: str, value: str) -> None:
    fleet = write_fleet(tmp_path / "fleet", services=1, days=7, bad=False)
    res = runner.invoke(app, ["fleet", "run", str(fleet), "--capacity", str(fleet / "capacity.csv"),
                              option, value, "-o", str(tmp_path / "out")])
    assert res.exit_code == 2, res.output
    assert f"{option} must be a whole number" in res.stderr and f"(got {value})" in res.stderr
    assert "Traceback" not in res.output and not (tmp_path / "out").exists()
