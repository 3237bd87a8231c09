"""version state: dataset versions and artifacts are reserved ('pending') before their files exist

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06 22:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

_TABLES = ("dataset_versions", "artifacts")


def upgrade() -> None:
    for table in _TABLES:  # rows written before this migration all have their files: 'ready'
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column('state', sa.String(length=16), nullable=False, server_default='ready')
            )


def downgrade() -> None:
    for table in _TABLES:
        op.execute(sa.text(f"DELETE FROM {table} WHERE state <> 'ready'"))
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('state')
