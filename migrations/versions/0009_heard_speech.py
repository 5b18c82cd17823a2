"""heard speech: where the voice detector heard speech, so that speech Whisper dropped is found

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 22:05:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('lesson_insights', schema=None) as batch_op:
        batch_op.add_column(sa.Column('speech', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('lesson_insights', schema=None) as batch_op:
        batch_op.drop_column('speech')
