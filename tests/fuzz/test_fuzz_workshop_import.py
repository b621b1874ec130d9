"""Fuzzing the workshop import: a workshop or an InputError with a known key, and a refusal stores nothing."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz._support import (
    DEMO_WORKSHOP,
    FUZZ,
    assert_key_in_both_catalogues,
    dumps_loose,
    mutated,
    no_hang,
    structurally_mutated,
)
from workbench.errors import WorkbenchError
from workbench.store import open_store
from workbench.store.repository import WorkshopStore

DEMO = DEMO_WORKSHOP.read_bytes()
DEMO_DOC = json.loads(DEMO)
SMALL_DEMO = json.dumps({**DEMO_DOC, "artefacts": DEMO_DOC["artefacts"][:2]}).encode()


def _snapshot(store: WorkshopStore) -> list[tuple[str, int, int]]:
    return [(w.id, w.version, len(store.get(w.id).artefacts)) for w in store.list()]


def check_import(data: bytes) -> None:
    from workbench.workshop.exchange import import_workshop

    store = open_store()
    before = _snapshot(store)
    try:
        with no_hang():
            workshop = import_workshop(store, data)
    except WorkbenchError as exc:
        assert_key_in_both_catalogues(exc.key)
        for lang in ("en", "zh-CN"):
            assert exc.translate(lang)
        assert _snapshot(store) == before, "a refused import changed the store"
        return
    assert store.get(workshop.id).meta == workshop.meta
    assert len(_snapshot(store)) == len(before) + 1


@FUZZ
@given(data=mutated([SMALL_DEMO, DEMO]))
def test_mutated_workshop_files(data: bytes) -> None:
    check_import(data)


@FUZZ
@given(doc=structurally_mutated(DEMO_DOC))
def test_structurally_mutated_workshop_files(doc: object) -> None:
    check_import(dumps_loose(doc))


@FUZZ
@given(data=st.binary(max_size=1024))
def test_random_bytes(data: bytes) -> None:
    check_import(data)
