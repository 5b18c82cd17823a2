"""certificate holder name: the real name printed on a certificate, fixed at its first download

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 19:10:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('completion_certificates', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('holder_name', sa.String(length=40), server_default='', nullable=False)
        )


def downgrade():
    with op.batch_alter_table('completion_certificates', schema=None) as batch_op:
        batch_op.drop_column('holder_name')
