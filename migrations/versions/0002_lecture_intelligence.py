"""lecture intelligence: insights, jobs, uploads, knowledge checks

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 15:22:10.052128
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('lesson_insights',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lesson_id', sa.Integer(), nullable=False),
    sa.Column('segments', sa.JSON(), nullable=False),
    sa.Column('keywords', sa.JSON(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('chapters', sa.JSON(), nullable=False),
    sa.Column('questions', sa.JSON(), nullable=False),
    sa.Column('mind_map', sa.JSON(), nullable=False),
    sa.Column('transcript_edited_at', sa.DateTime(), nullable=True),
    sa.Column('derived_at', sa.DateTime(), nullable=True),
    sa.Column('derivations_stale', sa.Boolean(), nullable=False),
    sa.Column('published', sa.JSON(), nullable=True),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['lesson_id'], ['lessons.id'], name=op.f('fk_lesson_insights_lesson_id_lessons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lesson_insights')),
    sa.UniqueConstraint('lesson_id', name=op.f('uq_lesson_insights_lesson_id'))
    )
    op.create_table('processing_jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lesson_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=40), nullable=False),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('publish_on_success', sa.Boolean(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('heartbeat_at', sa.DateTime(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['lesson_id'], ['lessons.id'], name=op.f('fk_processing_jobs_lesson_id_lessons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_processing_jobs'))
    )
    with op.batch_alter_table('processing_jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_processing_jobs_lesson_id'), ['lesson_id'], unique=False)
        batch_op.create_index('uq_processing_jobs_active_lesson', ['lesson_id'], unique=True, sqlite_where=sa.text("status IN ('queued', 'running')"), postgresql_where=sa.text("status IN ('queued', 'running')"))

    op.create_table('uploads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=40), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('lesson_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('received', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('error', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['lesson_id'], ['lessons.id'], name=op.f('fk_uploads_lesson_id_lessons')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_uploads_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_uploads')),
    sa.UniqueConstraint('token', name=op.f('uq_uploads_token'))
    )
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('glossary', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('transcript_script', sa.String(length=20), nullable=False, server_default='simplified'))

    with op.batch_alter_table('lessons', schema=None) as batch_op:
        batch_op.add_column(sa.Column('has_video', sa.Boolean(), nullable=False, server_default=sa.true()))

    with op.batch_alter_table('player_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('knowledge_checks', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('wrong_answer_rewind_seconds', sa.Integer(), nullable=False, server_default='30'))

    with op.batch_alter_table('popups', schema=None) as batch_op:
        batch_op.add_column(sa.Column('explanation', sa.Text(), nullable=False, server_default=''))



def downgrade():
    with op.batch_alter_table('popups', schema=None) as batch_op:
        batch_op.drop_column('explanation')

    with op.batch_alter_table('player_settings', schema=None) as batch_op:
        batch_op.drop_column('wrong_answer_rewind_seconds')
        batch_op.drop_column('knowledge_checks')

    with op.batch_alter_table('lessons', schema=None) as batch_op:
        batch_op.drop_column('has_video')

    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.drop_column('transcript_script')
        batch_op.drop_column('glossary')

    op.drop_table('uploads')
    with op.batch_alter_table('processing_jobs', schema=None) as batch_op:
        batch_op.drop_index('uq_processing_jobs_active_lesson')
        batch_op.drop_index(batch_op.f('ix_processing_jobs_lesson_id'))

    op.drop_table('processing_jobs')
    op.drop_table('lesson_insights')
