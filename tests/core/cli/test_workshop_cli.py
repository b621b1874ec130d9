"""`python -m workbench workshop …`: list, export, import, and friendly errors."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from workbench.cli.main import app
from workbench.store import open_store
from workbench.workshop.models import WorkshopMeta

runner = CliRunner()


def test_help_lists_commands():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0 and "workshop" in result.output


def test_list_export_import_round_trip(tmp_path):
    ws = open_store().create(WorkshopMeta(title="CLI 工作坊", customer="ACME"))
    listed = runner.invoke(app, ["workshop", "list", "--json"])
    assert listed.exit_code == 0, listed.output
    assert [row["id"] for row in json.loads(listed.stdout)] == [ws.id], listed.output
    out = tmp_path / "ws.json"
    assert runner.invoke(app, ["workshop", "export", ws.id, "-o", str(out)]).exit_code == 0
    imported = runner.invoke(app, ["workshop", "import", str(out)])
    assert imported.exit_code == 0, imported.output
    assert open_store().get(imported.stdout.strip()).meta.title == "CLI 工作坊"


def test_errors_are_messages_with_exit_code_2(tmp_path):
    missing = runner.invoke(app, ["workshop", "export", "nope", "-o", str(tmp_path / "x.json")])
    assert missing.exit_code == 2 and "not found" in missing.output
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    result = runner.invoke(app, ["workshop", "import", str(bad), "--lang", "zh"])
    assert result.exit_code == 2 and "JSON" in result.output and "Traceback" not in result.output
    absent = runner.invoke(app, ["workshop", "import", str(tmp_path / "absent.json")])
    assert absent.exit_code == 2 and "absent.json" in absent.output
