"""sandbox trade closed by the shop: a cancelled order's trade takes no payment

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 19:30:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sandbox_trades', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('closed_by_shop', sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade():
    with op.batch_alter_table('sandbox_trades', schema=None) as batch_op:
        batch_op.drop_column('closed_by_shop')
