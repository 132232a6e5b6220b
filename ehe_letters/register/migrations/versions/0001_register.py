"""The register: entries (letters produced, services recorded), chained by hash; its head.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "entries",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("recorded_at", sa.String(32), nullable=False),
        sa.Column("case_reference", sa.String(40), nullable=False),
        sa.Column("letter_id", sa.String(40), nullable=False),
        sa.Column("parents", sa.String(40), nullable=False),
        sa.Column("child", sa.Integer),
        sa.Column("letter_date", sa.Date, nullable=False),
        sa.Column("language", sa.String(8)),
        sa.Column("template_sha256", sa.String(64)),
        sa.Column("file_sha256", sa.String(64)),
        sa.Column("file_name", sa.String(255)),
        sa.Column("overrides", sa.Text),
        sa.Column("status", sa.String(8)),
        sa.Column("source", sa.String(16)),
        sa.Column("nation", sa.String(8)),
        sa.Column("period_days", sa.Integer),
        sa.Column("named_kind", sa.String(16)),
        sa.Column("named_date", sa.Date),
        sa.Column("letter_seq", sa.Integer),
        sa.Column("method", sa.String(24)),
        sa.Column("sent_on", sa.Date),
        sa.Column("sent_time", sa.String(5)),
        sa.Column("deemed_served", sa.Date),
        sa.Column("period_end", sa.Date),
        sa.Column("prev_sha256", sa.String(64), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
    )
    op.create_index("ix_entries_case_reference", "entries", ["case_reference"])
    op.create_index("ix_entries_file_sha256", "entries", ["file_sha256"])
    op.create_table(
        "chain_head",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
    )
    op.execute("INSERT INTO chain_head (id, seq, sha256) VALUES (1, 0, '" + "0" * 64 + "')")


def downgrade() -> None:
    op.drop_table("chain_head")
    op.drop_index("ix_entries_file_sha256", "entries")
    op.drop_index("ix_entries_case_reference", "entries")
    op.drop_table("entries")
