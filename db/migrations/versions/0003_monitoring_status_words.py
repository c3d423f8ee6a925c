"""monitoring records speak the workflow's words: 填报 → 草稿, 退回 → 退回修改

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 10:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

# (before, after): the one vocabulary of the workflow kernel (app/services/workflow.py)
WORDS = (("填报", "草稿"), ("退回", "退回修改"))
_record = sa.table("monitoring_record", sa.column("status", sa.String))


def upgrade() -> None:
    for old, new in WORDS:
        op.execute(_record.update().where(_record.c.status == old).values(status=new))


def downgrade() -> None:
    for old, new in WORDS:
        op.execute(_record.update().where(_record.c.status == new).values(status=old))
