"""How a commerce record changes status: allowed by its table, won by a conditional UPDATE."""

from __future__ import annotations

from sqlalchemy import update

from academy.commerce.models import check_move
from academy.extensions import db


def move_if(model, table: dict, row_id: int, current: str, target: str, **values) -> bool:
    """Move row `row_id` of `model` from `current` to `target` if it is still there.

    Raises IllegalTransition for a move `table` does not allow, before touching the database.
    Otherwise UPDATE ... WHERE id = row_id AND status = current, in the caller's transaction:
    of two racing moves exactly one changes the row. True if this call did.
    """
    check_move(table, current, target)
    result = db.session.execute(
        update(model)
        .where(model.id == row_id, model.status == current)
        .values(status=target, **values)
        .execution_options(synchronize_session="fetch")
    )
    return result.rowcount == 1
