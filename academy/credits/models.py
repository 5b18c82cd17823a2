"""Credit types, the hours each course gives, and the append-only ledger of awarded hours."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy import clock
from academy.db import Model, unique_where


class CreditType(Model):
    """A kind of credit hours, e.g. 继续教育再认证 (AFP/CFP) or CTP."""

    __tablename__ = "credit_types"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    #: the certification cycle in years (FPSB China: 2 years for AFP/CFP re-certification)
    cycle_years: Mapped[int] = mapped_column(Integer, default=2)
    #: hours required per cycle, in hundredths of an hour
    required_centihours: Mapped[int] = mapped_column(Integer, default=0)


class CourseCredit(Model):
    """How many hours of one credit type finishing a course gives; no row: not eligible."""

    __tablename__ = "course_credits"
    __table_args__ = (UniqueConstraint("course_id", "credit_type_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"))
    credit_type_id: Mapped[int] = mapped_column(ForeignKey("credit_types.id"))
    #: hundredths of an hour (150 = 1.5 学时)
    centihours: Mapped[int] = mapped_column(Integer)

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
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"))
    credit_type_id: Mapped[int] = mapped_column(ForeignKey("credit_types.id"))
    #: 'award' for a course completion; 'correction' for an admin's signed adjustment
    kind: Mapped[str] = mapped_column(String(20), default="award")
    #: hundredths of an hour; a correction may be negative
    centihours: Mapped[int] = mapped_column(Integer)
    awarded_at: Mapped[datetime] = mapped_column(DateTime, default=clock.now)
    note: Mapped[str] = mapped_column(String(200), default="")

    credit_type: Mapped[CreditType] = relationship()
