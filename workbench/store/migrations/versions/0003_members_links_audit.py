"""Who may see a workshop and who changed what (issue 16): members, read-only share links, the audit trail.

New tables only; nothing existing changes.  A database upgraded from before has workshops without members:
the local owner (no sign-in, or the CLI without ``--as``) still sees them all and can give them owners
(``python -m workbench workshop grant ID EMAIL --role owner``).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from workbench.store.types import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "workshop_members",
        sa.Column("workshop_id", sa.String(32), sa.ForeignKey("workshops.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("email", sa.String(320), primary_key=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("added_by", sa.String(320), nullable=False),
        sa.Column("added_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_workshop_members_email", "workshop_members", ["email"])
    op.create_table(
        "share_links",
        sa.Column("id", sa.String(16), primary_key=True),
        sa.Column("workshop_id", sa.String(32), sa.ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_by", sa.String(320), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("revoked_at", UTCDateTime, nullable=True),
    )
    op.create_index("ix_share_links_workshop_id", "share_links", ["workshop_id"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("workshop_id", sa.String(32), nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.Column("actor", sa.String(320), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("artefact_id", sa.String(64), nullable=False),
        sa.Column("detail", sa.String(320), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_audit_log_workshop_id", "audit_log", ["workshop_id"])


def downgrade() -> None:
    op.drop_index("ix_audit_log_workshop_id", "audit_log")
    op.drop_table("audit_log")
    op.drop_index("ix_share_links_workshop_id", "share_links")
    op.drop_table("share_links")
    op.drop_index("ix_workshop_members_email", "workshop_members")
    op.drop_table("workshop_members")
