"""The CLI's top-level guard (issue 9, "Tracebacks in the CLI"): one line, an incident id, no server paths;
exit 2 for user errors, 1 for internal ones; ``--debug`` / ``WORKBENCH_DEBUG=1`` show the traceback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from workbench.cli import workshop_cmd
from workbench.cli.main import app
from workbench.i18n import catalogue

runner = CliRunner()
SECRET = "/srv/workbench/secret/module.py"


def _explode(*_args: object, **_kwargs: object) -> None:
    raise RuntimeError(f"database driver crashed in {SECRET}")


@pytest.fixture
def broken_store(monkeypatch: pytest.MonkeyPatch) -> None:
    """A store that fails in a way no command anticipates (an internal error)."""
    monkeypatch.setattr(workshop_cmd, "open_store", _explode)


def _one_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    return lines[0]


def test_internal_error_is_one_line_with_an_incident_and_exit_1(broken_store: None) -> None:
    result = runner.invoke(app, ["workshop", "list"])
    assert result.exit_code == 1
    line = _one_line(result.output)
    assert re.search(r"incident [0-9a-f]{8}", line), line
    assert "Traceback" not in result.output and SECRET not in result.output and "--debug" in line


def test_internal_error_in_chinese(broken_store: None) -> None:
    result = runner.invoke(app, ["workshop", "list", "--lang", "zh"])
    assert result.exit_code == 1 and "事件编号" in _one_line(result.output)


@pytest.mark.parametrize("how", [["--debug"], []])
def test_debug_shows_the_traceback(broken_store: None, how: list[str]) -> None:
    env = {} if how else {"WORKBENCH_DEBUG": "1"}
    result = runner.invoke(app, [*how, "workshop", "list"], env=env)
    assert result.exit_code == 1
    assert "Traceback" in result.output and SECRET in result.output and "incident" in result.output


def test_user_error_prints_message_and_key_with_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["workshop", "export", "nope", "-o", str(tmp_path / "x.json")])
    assert result.exit_code == 2
    line = _one_line(result.output)
    assert "[errors.store.not_found]" in line and "Open a workshop from the list" in line


def test_unwritable_output_path_is_a_user_error_not_a_traceback(tmp_path: Path) -> None:
    from workbench.store import open_store
    from workbench.workshop.models import WorkshopMeta

    ws = open_store().create(WorkshopMeta(title="t"))
    target = tmp_path / "missing-dir" / "x.json"
    result = runner.invoke(app, ["workshop", "export", ws.id, "-o", str(target)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert str(target) in _one_line(result.output)


def test_deeply_nested_workshop_import_is_a_message_not_a_recursion_traceback(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 50_000 + "]" * 50_000, encoding="utf-8")
    result = runner.invoke(app, ["workshop", "import", str(deep)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "[errors.import.too_deep]" in _one_line(result.output)


def test_architecture_with_a_huge_integer_is_a_located_message(tmp_path: Path) -> None:
    arch = tmp_path / "a.json"
    arch.write_text('{"components": [{"id": "a", "type": "cvm", "replicas": ' + "9" * 5000 + "}]}", encoding="utf-8")
    result = runner.invoke(app, ["review", str(arch)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "a.json:1:" in result.output and "5000" in result.output


def test_report_of_a_deep_file_is_a_message(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("{" * 3000, encoding="utf-8")
    result = runner.invoke(app, ["report", str(deep)])
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_guard_keys_exist_in_both_languages() -> None:
    for key in ("errors.cli.internal", "errors.cli.user", "errors.cli.os_error"):
        assert all(key in catalogue(lang) for lang in ("en", "zh-CN")), key
