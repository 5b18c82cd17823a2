"""Huey tasks of commerce: the periodic expiry of unpaid orders."""

from huey import crontab

from academy.commerce import orders
from academy.jobs import periodic_task


@periodic_task(crontab(minute="*"))
def expire_orders() -> None:
    """Every minute: orders unpaid past ORDER_EXPIRY_MINUTES become expired (safe to run twice)."""
    orders.expire_overdue_orders()
