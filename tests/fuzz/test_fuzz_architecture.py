"""Fuzzing the architecture loader: random and mutated files give a model or located, translated issues."""

from __future__ import annotations

import json

import yaml
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz._support import (
    ARCHITECTURES,
    FUZZ,
    assert_key_in_both_catalogues,
    dumps_loose,
    mutated,
    no_hang,
    structurally_mutated,
)
from workbench.architecture.loader import (
    ArchitectureLoadError,
    LoadResult,
    dump_architecture,
    load_architecture_with_warnings,
)

SEEDS = [p.read_bytes() for p in ARCHITECTURES]
SEED_DOCS = [yaml.safe_load(s) for s in SEEDS]
SEED_DOCS = [json.loads(json.dumps(d, default=str)) for d in SEED_DOCS]  # dates as text, as in JSON
SEEDS_JSON = [json.dumps(d).encode() for d in SEED_DOCS]


def check_load(data: bytes | str, filename: str) -> LoadResult | ArchitectureLoadError:
    """Load under the hang guard; the answer is a result or an ArchitectureLoadError whose texts render."""
    try:
        with no_hang():
            result = load_architecture_with_warnings(data, filename)
    except ArchitectureLoadError as exc:
        assert exc.issues
        assert_key_in_both_catalogues(exc.key)
        for issue in exc.issues:
            assert_key_in_both_catalogues(issue.key)
            for lang in ("en", "zh-CN"):
                assert issue.text(lang)
        return exc
    for warning in result.warnings:
        assert_key_in_both_catalogues(warning.key)
        assert warning.severity == "warning"
    return result


@FUZZ
@given(data=mutated(SEEDS), filename=st.sampled_from(["a.yaml", "a.yml", "architecture"]))
def test_mutated_yaml_templates(data: bytes, filename: str) -> None:
    result = check_load(data, filename)
    if isinstance(result, LoadResult):  # what loads can be written back and read again unchanged
        assert load_architecture_with_warnings(dump_architecture(result.architecture)).architecture == \
            result.architecture


@FUZZ
@given(data=mutated(SEEDS_JSON))
def test_mutated_json_templates(data: bytes) -> None:
    check_load(data, "a.json")


@FUZZ
@given(doc=st.sampled_from(SEED_DOCS).flatmap(structurally_mutated), fmt=st.sampled_from(["yaml", "json"]))
def test_structurally_mutated_documents(doc: object, fmt: str) -> None:
    text = dumps_loose(doc)  # JSON is also YAML: the same text goes through both parsers
    check_load(text, f"a.{fmt}")


@FUZZ
@given(data=st.binary(max_size=2048) | st.text(max_size=512), filename=st.sampled_from(["a.yaml", "a.json"]))
def test_random_input(data: bytes | str, filename: str) -> None:
    check_load(data, filename)


def test_the_hang_guard_fires_on_a_hang() -> None:
    """The guard this suite relies on does stop a call that never returns (a CPU loop)."""
    import pytest

    from tests.fuzz._support import Hang

    with pytest.raises(Hang), no_hang(cpu_seconds=0.2, wall_seconds=30):
        while True:
            pass


@FUZZ
@given(text=st.one_of(mutated(SEEDS).map(lambda b: b.decode("utf-8", errors="replace")), st.text(max_size=300)))
def test_stored_drafts_never_raise(text: str) -> None:
    """What a page reads back from the store: an architecture or located issues, never an exception."""
    from workbench.store import open_store
    from workbench.workshop.models import WorkshopMeta
    from workbench.workshop.safe_load import load_architecture_safely, stored_problems

    with no_hang():
        arch, problems = load_architecture_safely(text)
    assert (arch is None) == bool(problems)
    for issue in problems:
        assert_key_in_both_catalogues(issue.key)
    store = open_store()
    ws = store.create(WorkshopMeta(title="fuzz"))
    store.put_artefact(ws.id, ws.version, "architecture", "v1", {"yaml": text})
    with no_hang():
        found = stored_problems(store.get(ws.id))
    assert [p.artefact_id for p in found] == ([] if arch is not None else ["v1"])
    for problem in found:
        assert_key_in_both_catalogues(problem.key)
