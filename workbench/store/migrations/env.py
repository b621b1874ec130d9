"""Alembic environment: run on the connection the store hands over (see workbench.store.migrate).

The store opens the transaction (``BEGIN IMMEDIATE`` on SQLite, an advisory lock on PostgreSQL) so that
two processes opening the same database at once migrate it once, one after the other.
"""

from __future__ import annotations

from alembic import context

from workbench.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reachable from the alembic command line
    raise SystemExit("Run migrations through workbench.store.migrate.upgrade(engine), which opens the store.")

context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
