"""数据交换: our copy's version right after each import (a record the counterpart changed after sending it is an update, not a conflict)

Revision ID: 0011
Revises: 0010
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('exchange_seen', schema=None) as batch_op:
        batch_op.add_column(sa.Column('local_version', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('exchange_seen', schema=None) as batch_op:
        batch_op.drop_column('local_version')
