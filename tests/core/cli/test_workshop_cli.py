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
    exported = runner.invoke(app, ["workshop", "export", ws.id, "-o", str(out)])
    assert exported.exit_code == 0, exported.output
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


def test_as_a_user_the_cli_sees_and_does_only_what_that_user_may(tmp_path):
    from workbench.access import AccessStore, Principal

    alice = AccessStore(open_store(), Principal.user("alice@example.com"))
    ws = alice.create(WorkshopMeta(title="Alice's"))
    as_bob = ["--as", "bob@example.com"]
    listed = runner.invoke(app, ["workshop", "list", "--json", *as_bob])
    assert listed.exit_code == 0 and json.loads(listed.stdout) == []
    refused = runner.invoke(app, ["workshop", "export", ws.id, "-o", str(tmp_path / "x.json"), *as_bob])
    assert refused.exit_code == 2 and "not found" in refused.output and not (tmp_path / "x.json").exists()
    # the local owner (the server's console) grants bob viewer; bob may then read but not manage
    assert runner.invoke(app, ["workshop", "grant", ws.id, "Bob@Example.com", "--role", "viewer"]).exit_code == 0
    assert runner.invoke(app, ["workshop", "export", ws.id, "-o", str(tmp_path / "x.json"), *as_bob]).exit_code == 0
    manage = runner.invoke(app, ["workshop", "grant", ws.id, "eve@example.com", "--role", "owner", *as_bob])
    assert manage.exit_code == 2 and "Only owners" in manage.output
    members = runner.invoke(app, ["workshop", "members", ws.id])
    assert members.stdout.split() == ["alice@example.com", "owner", "bob@example.com", "viewer"]


def test_export_carries_the_history_and_the_cli_shows_it(tmp_path):
    ws = open_store().create(WorkshopMeta(title="Trail"))
    out = tmp_path / "ws.json"
    exported = runner.invoke(app, ["workshop", "export", ws.id, "-o", str(out)])
    assert exported.exit_code == 0, exported.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["schema_version"] == 2 and [e["action"] for e in doc["audit"]] == ["create"]
    new_id = runner.invoke(app, ["workshop", "import", str(out), "--as", "carol@example.com"]).stdout.strip()
    history = runner.invoke(app, ["workshop", "history", new_id, "--json", "--as", "carol@example.com"])
    assert [(e["actor"], e["action"]) for e in json.loads(history.stdout)] == [
        ("local", "create"), ("carol@example.com", "import"), ("carol@example.com", "member")]


def test_bad_as_and_role_are_messages():
    ws = open_store().create(WorkshopMeta(title="x"))
    bad_as = runner.invoke(app, ["workshop", "list", "--as", "not-an-email"])
    assert bad_as.exit_code == 2 and "not an e-mail address" in bad_as.output
    bad_role = runner.invoke(app, ["workshop", "grant", ws.id, "a@example.com", "--role", "admin", "--lang", "zh"])
    assert bad_role.exit_code == 2 and "不是角色" in bad_role.output
