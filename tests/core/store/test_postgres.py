"""The same store on PostgreSQL (a team server), when ``WORKBENCH_TEST_POSTGRES_URL`` points at one.

Skipped otherwise: CI has no PostgreSQL server.  Locally:
    WORKBENCH_TEST_POSTGRES_URL=postgresql+psycopg://postgres@/workbench_test?host=/tmp&port=55432 make test
"""

from __future__ import annotations

import os

import pytest

from tests.core.store.test_repository import race_eight_writers
from workbench.store import open_store
from workbench.store.schema import metadata
from workbench.workshop.exchange import export_workshop, import_workshop
from workbench.workshop.models import WorkshopMeta

URL = os.environ.get("WORKBENCH_TEST_POSTGRES_URL")
pytestmark = pytest.mark.skipif(not URL, reason="set WORKBENCH_TEST_POSTGRES_URL to test against PostgreSQL")


@pytest.fixture
def store():
    s = open_store(URL)
    metadata.drop_all(s.engine)
    metadata.create_all(s.engine)
    yield s
    metadata.drop_all(s.engine)
    s.engine.dispose()


def test_crud_search_and_round_trip(store):
    ws = store.create(WorkshopMeta(title="双十一 PG", customer="ACME"))
    v = store.put_artefact(ws.id, ws.version, "forecast", "base", {"peak": 1.5, "名": "值"})
    assert store.get(ws.id).artefact("forecast", "base").data == {"peak": 1.5, "名": "值"}
    assert [s.id for s in store.list("acme")] == [ws.id]
    copy = import_workshop(store, export_workshop(store.get(ws.id)))
    assert copy.artefact("forecast", "base").data["名"] == "值"
    assert v == 2


def test_concurrent_writers_never_overwrite_each_other(store):
    assert race_eight_writers(store) == ["ok"] + ["stale"] * 7
