"""Access tests run on SQLite and, when ``WORKBENCH_TEST_POSTGRES_URL`` is set (``.ci/run`` sets it), PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.core.store.conftest import db_url  # noqa: F401  (the fixture: one parameter per backend)
from workbench.store import WorkshopStore, open_store


@pytest.fixture
def raw(db_url: str) -> Iterator[WorkshopStore]:  # noqa: F811
    """The raw store on each backend."""
    store = open_store(db_url)
    yield store
    store.engine.dispose()
