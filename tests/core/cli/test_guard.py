"""The CLI's top-level guard (issue 9, "Tracebacks in the CLI"): one line, an incident id, no server paths;
exit 2 for user errors, 1 for internal ones; ``--debug`` / ``WORKBENCH_DEBUG=1`` show the traceback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import workbench.store.repository as repository  # noqa: E402 - patched where the commands look it up
from workbench.cli.main import app
from workbench.i18n import catalogue

runner = CliRunner()
SECRET = "/srv/workbench/secret/module.py"


def _explode(*_args: object, **_kwargs: object) -> None:
    raise RuntimeError(f"database driver crashed in {SECRET}")


@pytest.fixture
def broken_store(monkeypatch: pytest.MonkeyPatch) -> None:
    """A store that fails in a way no command anticipates (an internal error)."""
    monkeypatch.setattr(repository, "open_store", _explode)  # the command imports the store when it runs


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


def test_an_odd_debug_variable_does_not_block_commands() -> None:
    result = runner.invoke(app, ["schema"], env={"WORKBENCH_DEBUG": "banana"})
    assert result.exit_code == 0 and result.output.startswith("{")


def test_an_os_error_on_a_server_path_is_an_incident_not_a_path(monkeypatch: pytest.MonkeyPatch) -> None:
    def denied(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", "/var/lib/workbench/secret.sqlite3")

    monkeypatch.setattr(repository, "open_store", denied)
    result = runner.invoke(app, ["workshop", "list"])
    assert result.exit_code == 1 and "/var/lib" not in result.output
    assert re.search(r"incident [0-9a-f]{8}", _one_line(result.output))


def test_library_warnings_with_tracebacks_stay_out_of_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    import logging

    def warn_and_fail(*_args: object, **_kwargs: object) -> None:
        try:
            raise ValueError(SECRET)
        except ValueError:
            logging.getLogger("workbench.workshop.safe_load").warning("could not load", exc_info=True)
        raise RuntimeError("then failed")

    monkeypatch.setattr(repository, "open_store", warn_and_fail)
    # As in a terminal: no logging configured (pytest's own capture handler removed), library handlers reset
    monkeypatch.setattr(logging.getLogger(), "handlers", [])
    monkeypatch.setattr(logging.getLogger("workbench"), "handlers", [])
    result = runner.invoke(app, ["workshop", "list"])
    assert result.exit_code == 1 and SECRET not in result.output and "Traceback" not in result.output
    debug = runner.invoke(app, ["--debug", "workshop", "list"])  # --debug shows everything
    assert SECRET in debug.output
