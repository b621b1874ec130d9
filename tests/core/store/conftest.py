"""Store tests run on SQLite and, when ``WORKBENCH_TEST_POSTGRES_URL`` names a server, on PostgreSQL too.

``.ci/run`` starts a throw-away PostgreSQL cluster and sets the variable, so in CI both backends are
tested; locally without it the PostgreSQL cases are skipped with the reason.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

POSTGRES_URL = os.environ.get("WORKBENCH_TEST_POSTGRES_URL", "").strip()


def reset_postgres(url: str) -> None:
    """Drop every table (migrations' bookkeeping included), so a test starts from an empty database."""
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, isolated_database: str) -> Iterator[str]:
    """A URL to an empty database on each backend."""
    if request.param == "sqlite":
        yield isolated_database
        return
    if not POSTGRES_URL:
        pytest.skip("set WORKBENCH_TEST_POSTGRES_URL to test against PostgreSQL (.ci/run does)")
    reset_postgres(POSTGRES_URL)
    yield POSTGRES_URL
    reset_postgres(POSTGRES_URL)
