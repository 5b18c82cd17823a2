"""A learner's own personal information: a copy of it (个人信息保护法 Article 45) and deleting the
account (注销; Article 47), where the person's information goes and what the platform must keep
stays without it.

Erased: the user name (replaced by a random one), nickname, real name, e-mail, phone, birthday,
employer, the declared certificates and their numbers, the name printed on completion
certificates, the search history, the addresses and browsers of every login and watch session;
no password opens the account again, and every login ends. Kept, under the
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
from academy.commerce import memberships, orders, payments
from academy.community import services as community
from academy.consult import services as consult
from academy.credits import certificates, declarations
from academy.credits import services as credits
from academy.errors import Refusal
from academy.extensions import db
from academy.learning import services as learning
from academy.search import history as search_history


def personal_data(user: User) -> dict:
    """Everything the platform holds about the person, as they may take it away (JSON)."""
    progress = learning.progress_by_lesson(user.id, with_lessons=True).values()
    return {
        "exported_at": clock.iso(clock.now()),
        "account": {
            "username": user.username,
            "role": user.role,
            "created_at": clock.iso(user.created_at),
            "nickname": user.nickname,
            "real_name": user.real_name,
            "email": user.email,
            "phone": user.phone,
            "birthday": user.birthday.isoformat() if user.birthday else None,
            "employer": user.employer,
            "profile_updated_at": clock.iso(user.profile_updated_at),
        },
        "declared_certificates": [
            {
                "credit_type": held.credit_type.name,
                "number": held.number,
                "obtained_on": held.obtained_on.isoformat(),
            }
            for held in declarations.list_declarations(user.id)
        ],
        "enrolments": [
            {
                "course": enrolment.course.title,
                "source": enrolment.source,
                "enrolled_at": clock.iso(enrolment.created_at),
            }
            for enrolment in learning.list_enrolments(user.id, with_courses=True)
        ],
        "progress": [
            {
                "course": row.lesson.course.title,
                "lesson": row.lesson.title,
                "verified_seconds": row.verified_ms / 1000,
                "completed_at": clock.iso(row.completed_at),
            }
            for row in progress
        ],
        "credit_entries": [
            {
                "credit_type": entry.credit_type.name,
                "hours": credits.centihours_to_hours(entry.centihours),
                "kind": entry.kind,
                "course_id": entry.course_id,
                "earned_on": entry.earned_on.isoformat() if entry.earned_on else None,
                "note": entry.note,
            }
            for entry in credits.ledger_for(user.id)
        ],
        "memberships": [
            {
                "plan": period.plan.name,
                "starts_at": clock.iso(period.starts_at),
                "ends_at": clock.iso(period.ends_at),
                "revoked_at": clock.iso(period.revoked_at),
            }
            for period in memberships.list_memberships(user.id)
        ],
        "certificates": [
            {
                "course_id": issued.course_id,
                "code": certificates.format_code(issued.code),
                "name_printed": issued.holder_name,
                "issued_at": clock.iso(issued.issued_at),
                "revoked_at": clock.iso(issued.revoked_at),
            }
            for issued in certificates.certificates_of(user.id)
        ],
        "search_history": [
            {"query": entry.query, "searched_at": clock.iso(entry.searched_at)}
            for entry in search_history.list_history(user.id)
        ],
        "orders": [
            {
                "number": order.number,
                "status": order.status,
                "total_fen": order.total_fen,
                "created_at": clock.iso(order.created_at),
                "paid_at": clock.iso(order.paid_at),
            }
            for order in orders.list_orders_of(user.id)
        ],
        "reviews": [
            {
                "course_id": review.course_id,
                "text": review.text,
                "rating": review.rating,
                "created_at": clock.iso(review.created_at),
            }
            for review in community.reviews_by(user.id)
        ],
        "questions": [
            {
                "course": thread.course.title,
                "messages": [
                    {"side": m.side, "text": m.text, "at": clock.iso(m.created_at)}
                    for m in thread.messages
                ],
            }
            for thread in consult.learner_threads(user.id)
        ],
        "logins": [
            {
                "created_at": clock.iso(login.created_at),
                "last_seen_at": clock.iso(login.last_seen_at),
                "ended_at": clock.iso(login.revoked_at),
                "ip": login.ip,
                "user_agent": login.user_agent,
            }
            for login in sessions.sessions_of(user.id)
        ],
    }


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
        payments.cancel_order(user.id, pending.id)
    declarations.forget_declarations(user.id)
    certificates.forget_holder_names(user.id)
    search_history.forget_history(user.id)
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
