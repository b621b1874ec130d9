"""Persistence of workshops: SQLAlchemy 2 Core over SQLite (WAL) by default, PostgreSQL by URL.

The envelope models (:mod:`workbench.store.models`) import without SQLAlchemy; the store itself loads on
first use (PEP 562 module ``__getattr__``), so reading or validating documents stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workbench.store.engine import database_url, make_engine
    from workbench.store.repository import WorkshopStore, open_store

_LAZY = {"database_url": "engine", "make_engine": "engine", "WorkshopStore": "repository", "open_store": "repository"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(f"workbench.store.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'workbench.store' has no attribute {name!r}")


__all__ = ["WorkshopStore", "database_url", "make_engine", "open_store"]
