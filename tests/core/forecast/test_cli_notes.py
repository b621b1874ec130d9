"""The CLI prints the same ingest notes as the page, the forecast notes and why a model was skipped (issue 14)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from workbench.cli.main import app
from workbench.i18n import t
from workbench.io import read_load_file
from workbench.io.texts import note_text

FIXTURES = Path(__file__).resolve().parents[1] / "io" / "fixtures"
runner = CliRunner()


def test_cli_prints_the_ingest_notes_the_page_shows() -> None:
    path = FIXTURES / "rps_and_cpu.csv"
    res = runner.invoke(app, ["forecast", str(path), "--horizon", "1d"])
    assert res.exit_code == 0, res.output
    for note in read_load_file(path.read_bytes(), path.name).report.notes:
        assert note_text(note, "en") in res.output
    assert "Using column 'rps'" in res.output


def test_cli_value_column_choice_and_holiday_country() -> None:
    path = FIXTURES / "rps_and_cpu.csv"
    res = runner.invoke(app, ["forecast", str(path), "--horizon", "1d", "--value", "cpu_pct", "--holidays", "US",
                              "--json"])
    assert res.exit_code == 0, res.output
    assert '"series_name": "cpu_pct"' in res.output or "cpu_pct" in res.output


def test_cli_says_a_flat_history_gives_a_flat_forecast() -> None:
    path = FIXTURES / "flat_one_day.csv"
    res = runner.invoke(app, ["forecast", str(path), "--horizon", "1d", "--lang", "en"])
    assert res.exit_code == 0, res.output
    assert t("forecast.note.flat", "en", value=250.0, points=288) in res.output


def test_cli_refuses_an_unknown_holiday_country_with_a_message() -> None:
    path = FIXTURES / "rps_and_cpu.csv"
    res = runner.invoke(app, ["forecast", str(path), "--holidays", "XX"])
    assert res.exit_code != 0 and "XX" in res.output and "Traceback" not in res.output
