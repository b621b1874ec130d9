"""Persistence of workshops: SQLAlchemy 2 Core over SQLite (WAL) by default, PostgreSQL by URL."""

from workbench.store.engine import database_url, make_engine
from workbench.store.repository import WorkshopStore, open_store

__all__ = ["WorkshopStore", "database_url", "make_engine", "open_store"]
