"""commerce and credit rules

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 05:29:28.929065
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('price_fen', sa.Integer(), nullable=False),
    sa.Column('days', sa.Integer(), nullable=False),
    sa.Column('discount_percent', sa.Integer(), nullable=False),
    sa.Column('quota_centihours', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plans'))
    )
    op.create_table('sandbox_trades',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('trade_no', sa.String(length=64), nullable=False),
    sa.Column('app_id', sa.String(length=32), nullable=False),
    sa.Column('out_trade_no', sa.String(length=64), nullable=False),
    sa.Column('total_fen', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=256), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('paid_at', sa.DateTime(), nullable=True),
    sa.Column('refunded_fen', sa.Integer(), nullable=False),
    sa.Column('refund_request_no', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sandbox_trades')),
    sa.UniqueConstraint('app_id', 'out_trade_no', name=op.f('uq_sandbox_trades_app_id_out_trade_no')),
    sa.UniqueConstraint('trade_no', name=op.f('uq_sandbox_trades_trade_no'))
    )
    op.create_table('declared_certificates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('credit_type_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=60), nullable=False),
    sa.Column('obtained_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['credit_type_id'], ['credit_types.id'], name=op.f('fk_declared_certificates_credit_type_id_credit_types')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_declared_certificates_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_declared_certificates')),
    sa.UniqueConstraint('user_id', 'credit_type_id', name=op.f('uq_declared_certificates_user_id_credit_type_id'))
    )
    with op.batch_alter_table('declared_certificates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_declared_certificates_user_id'), ['user_id'], unique=False)

    op.create_table('memberships',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('quota_centihours', sa.Integer(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_memberships_plan_id_plans')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_memberships_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_memberships')),
    sa.UniqueConstraint('order_id', name=op.f('uq_memberships_order_id'))
    )
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_memberships_user_id'), ['user_id'], unique=False)

    op.create_table('orders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('total_fen', sa.Integer(), nullable=False),
    sa.Column('discount_percent', sa.Integer(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('paid_at', sa.DateTime(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('refunded_at', sa.DateTime(), nullable=True),
    sa.Column('refunded_by', sa.Integer(), nullable=True),
    sa.Column('refund_note', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('total_fen >= 0', name=op.f('ck_orders_total_not_negative')),
    sa.ForeignKeyConstraint(['refunded_by'], ['users.id'], name=op.f('fk_orders_refunded_by_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_orders_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_orders')),
    sa.UniqueConstraint('number', name=op.f('uq_orders_number'))
    )
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_orders_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_orders_user_id'), ['user_id'], unique=False)
        batch_op.create_index('uq_orders_pending_user', ['user_id'], unique=True, sqlite_where=sa.text("status = 'pending'"), postgresql_where=sa.text("status = 'pending'"))

    op.create_table('payments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('provider', sa.String(length=20), nullable=False),
    sa.Column('trade_no', sa.String(length=64), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('amount_fen', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('paid_at', sa.DateTime(), nullable=True),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('refunded_at', sa.DateTime(), nullable=True),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_payments_order_id_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payments')),
    sa.UniqueConstraint('provider', 'trade_no', name=op.f('uq_payments_provider_trade_no'))
    )
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payments_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payments_status'), ['status'], unique=False)

    op.create_table('quota_uses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('membership_id', sa.Integer(), nullable=False),
    sa.Column('credit_type_id', sa.Integer(), nullable=False),
    sa.Column('used_centihours', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['credit_type_id'], ['credit_types.id'], name=op.f('fk_quota_uses_credit_type_id_credit_types')),
    sa.ForeignKeyConstraint(['membership_id'], ['memberships.id'], name=op.f('fk_quota_uses_membership_id_memberships')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quota_uses')),
    sa.UniqueConstraint('membership_id', 'credit_type_id', name=op.f('uq_quota_uses_membership_id_credit_type_id'))
    )
    op.create_table('cart_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_cart_items_course_id_courses')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_cart_items_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cart_items')),
    sa.UniqueConstraint('user_id', 'course_id', name=op.f('uq_cart_items_user_id_course_id'))
    )
    with op.batch_alter_table('cart_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cart_items_user_id'), ['user_id'], unique=False)

    op.create_table('completion_certificates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_reason', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_completion_certificates_course_id_courses')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_completion_certificates_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_completion_certificates')),
    sa.UniqueConstraint('code', name=op.f('uq_completion_certificates_code')),
    sa.UniqueConstraint('user_id', 'course_id', name=op.f('uq_completion_certificates_user_id_course_id'))
    )
    with op.batch_alter_table('completion_certificates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_completion_certificates_user_id'), ['user_id'], unique=False)

    op.create_table('order_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=True),
    sa.Column('plan_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('list_price_fen', sa.Integer(), nullable=False),
    sa.Column('price_fen', sa.Integer(), nullable=False),
    sa.CheckConstraint('(course_id IS NULL) <> (plan_id IS NULL)', name=op.f('ck_order_items_course_or_plan')),
    sa.CheckConstraint('price_fen >= 0 AND list_price_fen >= 0', name=op.f('ck_order_items_prices_not_negative')),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_order_items_course_id_courses')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_order_items_order_id_orders')),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_order_items_plan_id_plans')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_items'))
    )
    with op.batch_alter_table('order_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_order_items_order_id'), ['order_id'], unique=False)

    with op.batch_alter_table('course_credits', schema=None) as batch_op:
        batch_op.add_column(sa.Column('required_course', sa.Boolean(), nullable=False, server_default=sa.false()))

    with op.batch_alter_table('credit_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', sa.String(length=20), nullable=False, server_default='free'))
        batch_op.add_column(sa.Column('rule', sa.String(length=40), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('capped_centihours', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('membership_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('quota_before_centihours', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('quota_after_centihours', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('required_course', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('reverses_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('earned_on', sa.Date(), nullable=True))
        batch_op.alter_column('course_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.create_index('uq_credit_entries_reversal', ['reverses_id'], unique=True, sqlite_where=sa.text("kind = 'reversal'"), postgresql_where=sa.text("kind = 'reversal'"))
        batch_op.create_foreign_key(batch_op.f('fk_credit_entries_reverses_id_credit_entries'), 'credit_entries', ['reverses_id'], ['id'])

    with op.batch_alter_table('credit_types', schema=None) as batch_op:
        batch_op.add_column(sa.Column('yearly_min_centihours', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('required_course_centihours', sa.Integer(), nullable=False, server_default='0'))

    with op.batch_alter_table('enrolments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('order_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('membership_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('revoked_at', sa.DateTime(), nullable=True))

    # Awards made before this revision: the day they count on is their Beijing date, and the
    # rule that decided them gave the course's full hours (no quota existed).
    op.execute("UPDATE credit_entries SET rule = 'free_full' WHERE rule = ''")
    if op.get_bind().dialect.name == 'sqlite':
        op.execute("UPDATE credit_entries SET earned_on = date(awarded_at, '+8 hours') WHERE earned_on IS NULL")
    else:
        op.execute("UPDATE credit_entries SET earned_on = CAST(awarded_at + INTERVAL '8 hours' AS DATE) WHERE earned_on IS NULL")
    # ### end Alembic commands ###


def downgrade():
    with op.batch_alter_table('enrolments', schema=None) as batch_op:
        batch_op.drop_column('revoked_at')
        batch_op.drop_column('membership_id')
        batch_op.drop_column('order_id')

    with op.batch_alter_table('credit_types', schema=None) as batch_op:
        batch_op.drop_column('required_course_centihours')
        batch_op.drop_column('yearly_min_centihours')

    with op.batch_alter_table('credit_entries', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_credit_entries_reverses_id_credit_entries'), type_='foreignkey')
        batch_op.drop_index('uq_credit_entries_reversal', sqlite_where=sa.text("kind = 'reversal'"), postgresql_where=sa.text("kind = 'reversal'"))
        batch_op.alter_column('course_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('earned_on')
        batch_op.drop_column('reverses_id')
        batch_op.drop_column('required_course')
        batch_op.drop_column('quota_after_centihours')
        batch_op.drop_column('quota_before_centihours')
        batch_op.drop_column('membership_id')
        batch_op.drop_column('capped_centihours')
        batch_op.drop_column('rule')
        batch_op.drop_column('source')

    with op.batch_alter_table('course_credits', schema=None) as batch_op:
        batch_op.drop_column('required_course')

    with op.batch_alter_table('order_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_order_items_order_id'))

    op.drop_table('order_items')
    with op.batch_alter_table('completion_certificates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_completion_certificates_user_id'))

    op.drop_table('completion_certificates')
    with op.batch_alter_table('cart_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cart_items_user_id'))

    op.drop_table('cart_items')
    op.drop_table('quota_uses')
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payments_status'))
        batch_op.drop_index(batch_op.f('ix_payments_order_id'))

    op.drop_table('payments')
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_index('uq_orders_pending_user', sqlite_where=sa.text("status = 'pending'"), postgresql_where=sa.text("status = 'pending'"))
        batch_op.drop_index(batch_op.f('ix_orders_user_id'))
        batch_op.drop_index(batch_op.f('ix_orders_status'))

    op.drop_table('orders')
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_memberships_user_id'))

    op.drop_table('memberships')
    with op.batch_alter_table('declared_certificates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_declared_certificates_user_id'))

    op.drop_table('declared_certificates')
    op.drop_table('sandbox_trades')
    op.drop_table('plans')
    # ### end Alembic commands ###
