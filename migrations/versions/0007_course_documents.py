"""course documents: PDF handouts of a course and the render job that makes their page images

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 13:57:24.255748
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('course_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('folder', sa.String(length=120), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('page_count', sa.Integer(), nullable=False),
    sa.Column('free_pages', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('status_at', sa.DateTime(), nullable=False),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_course_documents_course_id_courses')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_course_documents_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_documents')),
    sa.UniqueConstraint('folder', name=op.f('uq_course_documents_folder'))
    )
    with op.batch_alter_table('course_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_documents_course_id'), ['course_id'], unique=False)



def downgrade():
    with op.batch_alter_table('course_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_documents_course_id'))

    op.drop_table('course_documents')
