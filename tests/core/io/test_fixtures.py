"""Every ingest case of issue 14 has a fixture file and its expected note or refusal (fixtures/cases.yaml)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from workbench.errors import InputError
from workbench.i18n import LANGUAGES
from workbench.io import IngestOptions, read_load_file
from workbench.io.texts import note_text

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CASES: dict[str, dict[str, Any]] = yaml.safe_load((FIXTURES / "cases.yaml").read_text(encoding="utf-8"))


def _read(name: str, case: dict[str, Any]) -> Any:
    opts = IngestOptions(timezone=case.get("timezone", "Asia/Shanghai"))
    return read_load_file((FIXTURES / name).read_bytes(), name, opts)


def test_every_fixture_file_has_a_case() -> None:
    files = {p.name for p in FIXTURES.iterdir() if p.suffix in (".csv", ".json")}
    assert files == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_fixture_gives_its_expected_note_or_message(name: str) -> None:
    case = CASES[name]
    if "error" in case:
        with pytest.raises(InputError) as err:
            _read(name, case)
        assert err.value.key == case["error"]["key"]
        assert case["error"]["params"].items() <= err.value.params.items()
        for lang in LANGUAGES:
            assert "{" not in err.value.translate(lang)
        return
    res = _read(name, case)
    notes = res.report.notes
    for want in case.get("notes", []):
        hits = [n for n in notes if n.key == want["key"] and want.get("params", {}).items() <= n.params.items()]
        assert hits, (want, [(n.key, n.params) for n in notes])
    assert not {n.key for n in notes} & set(case.get("absent", []))
    if "values" in case:
        assert res.report.value_columns == case["values"]
    if "format" in case:
        assert res.report.format.value == case["format"]
    for note in notes:  # every note reads in both languages with its parameters filled in
        for lang in LANGUAGES:
            assert "{" not in note_text(note, lang).replace("{job", "").replace("{instance", "")
