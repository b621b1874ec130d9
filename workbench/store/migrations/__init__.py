"""Alembic migrations of the workshop store, applied by the store itself when it opens a database."""
