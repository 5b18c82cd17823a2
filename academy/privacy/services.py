"""Deleting one's account (注销; 个人信息保护法 Article 47): the person's information goes, what
the platform must keep stays without it.

Erased: the user name (replaced by a random one), nickname, real name, e-mail, phone, birthday,
employer, the declared certificates and their numbers, the addresses and browsers of every login
and watch session; no password opens the account again, and every login ends. Kept, under the
account's number only: enrolments, progress, completions and the credit ledger (the hours were
earned, and a certificate already handed out must still verify), orders and payments (accounting
records), the watch log (the evidence behind the hours), reviews and questions (shown as by
已注销用户).
"""

from __future__ import annotations

import secrets

from flask_babel import gettext as _

from academy import clock
from academy.auth import services as accounts
from academy.auth import sessions
from academy.auth.models import Role, User
from academy.commerce import orders
from academy.credits import declarations
from academy.errors import Refusal
from academy.extensions import db
from academy.learning import services as learning

#: no password matches this (auth/passwords.verify): the erased account cannot be opened
NO_PASSWORD = "!erased"


def erase_account(user: User, password: str, address: str) -> None:
    """The learner deletes their account, after proving it is them; an order awaiting payment
    is cancelled first (money arriving for it later is flagged for refund, as for any
    cancelled order)."""
    if user.role != Role.LEARNER:
        raise Refusal(
            "not_a_learner", _("讲师和管理员的账号关联课程与管理记录，请联系管理员注销。"), 403
        )
    accounts.confirm_password(user, password, address)
    pending = orders.pending_order_of(user.id)
    if pending is not None:
        orders.cancel_order(user.id, pending.id)
    declarations.declare_certificates(user.id, [])
    now = clock.now()
    user.username = f"erased-{secrets.token_hex(8)}"
    user.nickname = user.real_name = user.email = user.phone = user.employer = ""
    user.birthday = None
    user.profile_updated_at = None
    user.password_hash = NO_PASSWORD
    user.disabled_at = user.disabled_at or now
    user.erased_at = now
    sessions.forget_addresses(user.id)
    learning.forget_addresses(user.id)
    db.session.commit()
    sessions.end_all_sessions(user.id)
