"""advisor profiles: customers' risk profiles with their answers, score, level and date

Revision ID: 0005
Revises: 0004 (0004_web_sessions)
Create Date: 2026-12-07 05:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('advisor_profiles',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('customer_id', sa.String(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=120), nullable=False),
    sa.Column('lang', sa.String(length=8), nullable=False),
    sa.Column('questionnaire_version', sa.String(length=32), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('level', sa.String(length=4), nullable=False),
    sa.Column('result', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('advisor_profiles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_advisor_profiles_customer_id'), ['customer_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('advisor_profiles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_advisor_profiles_customer_id'))
    op.drop_table('advisor_profiles')
