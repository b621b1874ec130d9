"""Test-wide settings: every test gets its own SQLite store, never the user's data folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def isolated_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Point WORKBENCH_DATABASE_URL at a fresh SQLite file for each test."""
    url = f"sqlite:///{tmp_path / 'workbench.sqlite3'}"
    monkeypatch.setenv("WORKBENCH_DATABASE_URL", url)
    yield url
