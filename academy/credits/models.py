"""Credit types and their requirements, the hours each course gives, the append-only ledger,
the learners' declared certificates, the per-period quota counters and completion certificates."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy import clock
from academy.db import CreatedAtMixin, Model, unique_where


class EntryKind(StrEnum):
    """What wrote a ledger line."""

    #: a course completion
    AWARD = "award"
    #: an admin's signed adjustment
    CORRECTION = "correction"
    #: cancels one award because the order that paid for the course was refunded
    REVERSAL = "reversal"


class EntrySource(StrEnum):
    """How the learner came to the hours (the enrolment's source, or an admin)."""

    PURCHASE = "purchase"
    MEMBERSHIP = "membership"
    FREE = "free"
    CORRECTION = "correction"


class CreditType(Model):
    """A kind of credit hours, e.g. 继续教育再认证 (AFP/CFP) or CTP, with its cycle's rules."""

    __tablename__ = "credit_types"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    #: the certification cycle in years (FPSB China: 2 years for AFP/CFP re-certification)
    cycle_years: Mapped[int] = mapped_column(Integer, default=2)
    #: hours required per cycle, in hundredths of an hour (FPSB China AFP/CFP: 30 h = 3000)
    required_centihours: Mapped[int] = mapped_column(Integer, default=0)
    #: hours required in each year of the cycle, hundredths (FPSB China AFP/CFP: 5 h = 500)
    yearly_min_centihours: Mapped[int] = mapped_column(Integer, default=0)
    #: hours per cycle that must come from required courses, hundredths (AFP/CFP: 2 h = 200)
    required_course_centihours: Mapped[int] = mapped_column(Integer, default=0)


class CourseCredit(Model):
    """How many hours of one credit type finishing a course gives; no row: not eligible."""

    __tablename__ = "course_credits"
    __table_args__ = (UniqueConstraint("course_id", "credit_type_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"))
    credit_type_id: Mapped[int] = mapped_column(ForeignKey("credit_types.id"))
    #: hundredths of an hour (150 = 1.5 学时)
    centihours: Mapped[int] = mapped_column(Integer)
    #: the course is one of this type's required courses (必修课): its hours count towards
    #: the cycle's required-course minimum
    required_course: Mapped[bool] = mapped_column(Boolean, default=False)

    credit_type: Mapped[CreditType] = relationship()


class CreditEntry(Model):
    """One line of the ledger. Rows are only ever added: a correction is a new entry."""

    __tablename__ = "credit_entries"
    __table_args__ = (
        # An award happens once per learner, course and credit type, even when requests race.
        unique_where(
            "uq_credit_entries_award",
            "user_id",
            "course_id",
            "credit_type_id",
            where="kind = 'award'",
        ),
        # An award is reversed at most once, however often a refund is processed.
        unique_where("uq_credit_entries_reversal", "reverses_id", where="kind = 'reversal'"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    #: the course that earned it; None for an admin correction not tied to a course
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id"))
    credit_type_id: Mapped[int] = mapped_column(ForeignKey("credit_types.id"))
    #: an EntryKind: 'award', 'correction' or 'reversal'
    kind: Mapped[str] = mapped_column(String(20), default=EntryKind.AWARD)
    #: an EntrySource: 'purchase', 'membership', 'free' or 'correction'
    source: Mapped[str] = mapped_column(String(20), default=EntrySource.FREE)
    #: the rule that decided the amount (credits/rules.py names them, e.g. 'quota_capped')
    rule: Mapped[str] = mapped_column(String(40), default="")
    #: hundredths of an hour; a correction or a reversal may be negative
    centihours: Mapped[int] = mapped_column(Integer)
    #: what the course gives but the rule held back (the membership quota), hundredths
    capped_centihours: Mapped[int] = mapped_column(Integer, default=0)
    #: the membership period whose quota the rule looked at (source 'membership')
    membership_id: Mapped[int | None] = mapped_column(Integer)
    #: quota left in that period before and after this entry, hundredths (None: not used)
    quota_before_centihours: Mapped[int | None] = mapped_column(Integer)
    quota_after_centihours: Mapped[int | None] = mapped_column(Integer)
    #: from one of the type's required courses (copied from the course when awarded)
    required_course: Mapped[bool] = mapped_column(Boolean, default=False)
    #: the entry a reversal cancels
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("credit_entries.id"))
    awarded_at: Mapped[datetime] = mapped_column(DateTime, default=clock.now)
    #: the day (Beijing) the hours count on in cycles; a reversal keeps its award's day
    earned_on: Mapped[date | None] = mapped_column(Date)
    #: free text: a reversal's refund, a correction's reason
    note: Mapped[str] = mapped_column(String(200), default="")

    credit_type: Mapped[CreditType] = relationship()


class DeclaredCertificate(CreatedAtMixin, Model):
    """A certificate the learner says they hold; its date starts their cycles of that type."""

    __tablename__ = "declared_certificates"
    __table_args__ = (UniqueConstraint("user_id", "credit_type_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    credit_type_id: Mapped[int] = mapped_column(ForeignKey("credit_types.id"))
    #: the certificate's number as printed on it
    number: Mapped[str] = mapped_column(String(60))
    obtained_on: Mapped[date] = mapped_column(Date)

    credit_type: Mapped[CreditType] = relationship()


class QuotaUse(Model):
    """Hours of one credit type a membership period's claimed courses have used of its quota.

    The row is the lock: awards that take from the quota change it with a compare-and-set
    after reading it FOR UPDATE, so two completions at once cannot both take the last hours.
    """

    __tablename__ = "quota_uses"
    __table_args__ = (UniqueConstraint("membership_id", "credit_type_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id"))
    credit_type_id: Mapped[int] = mapped_column(ForeignKey("credit_types.id"))
    #: hundredths of an hour
    used_centihours: Mapped[int] = mapped_column(Integer, default=0)


class CompletionCertificate(Model):
    """The certificate of completion of one course; its code is checked on /verify/<code>."""

    __tablename__ = "completion_certificates"
    __table_args__ = (UniqueConstraint("user_id", "course_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: printed on the PDF and in its QR code; unguessable so certificates cannot be listed
    code: Mapped[str] = mapped_column(String(20), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"))
    issued_at: Mapped[datetime] = mapped_column(DateTime, default=clock.now)
    #: the real name printed on it, fixed at its first download (a later profile edit does not
    #: re-issue it under another name); "" until then, and again once the holder is erased
    holder_name: Mapped[str] = mapped_column(String(40), default="", server_default="")
    #: set when the hours were reversed (a refund): /verify then says the certificate is revoked
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_reason: Mapped[str] = mapped_column(String(200), default="")
