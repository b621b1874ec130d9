"""`python -m workbench forecast …`: peaks printed, JSON summary, CSV output, friendly errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.core.forecast.conftest import make_load
from workbench.cli.main import app

runner = CliRunner()


@pytest.fixture(scope="module")
def load_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fc") / "load.csv"
    s = make_load(days=30)
    s.index.name = "time"
    s.to_csv(path)
    return path


def test_json_summary_has_model_scores_and_scenario_peak(load_csv: Path) -> None:
    res = runner.invoke(app, ["forecast", str(load_csv), "--horizon", "7d", "--growth", "3", "--json",
                              "--event", "d11:2026-07-03T04:00/2026-07-03T10:00:x3"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert set(data["scenarios"]) == {"base", "scenario"}
    base, scen = data["scenarios"]["base"]["peak"], data["scenarios"]["scenario"]["peak"]
    assert scen["peak"]["p95"] > 2 * base["peak"]["p95"]
    assert any(s["model"] == data["model"] for s in data["scores"])


def test_out_writes_a_formula_safe_csv(load_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "fc.csv"
    res = runner.invoke(app, ["forecast", str(load_csv), "--horizon", "2d", "--out", str(out)])
    assert res.exit_code == 0 and "Peak (base)" in res.output
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("scenario,time,forecast") and len(lines) == 1 + 48


@pytest.mark.parametrize("args", [["--event", "bad"], ["--horizon", "soon"], ["--horizon", "800d"],
                                  ["--model", "prophet"]])
def test_bad_input_is_a_message_with_exit_code_2(load_csv: Path, args: list[str]) -> None:
    res = runner.invoke(app, ["forecast", str(load_csv), *args])
    assert res.exit_code == 2 and "Traceback" not in res.output


def test_missing_file(tmp_path: Path) -> None:
    res = runner.invoke(app, ["forecast", str(tmp_path / "none.csv")])
    assert res.exit_code == 2 and "does not exist" in res.output


def test_formula_cells_are_quoted() -> None:
    from workbench.forecast.export import safe_cell

    assert safe_cell("=cmd()") == "'=cmd()" and safe_cell("-12.5") == "-12.5" and safe_cell(3.0) == pytest.approx(3.0)
