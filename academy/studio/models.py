"""Resumable uploads of lecture media."""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from academy.db import CreatedAtMixin, Model


class Upload(CreatedAtMixin, Model):
    """A file arriving in chunks; it becomes a lesson's media only when whole and decodable."""

    __tablename__ = "uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the opaque id clients resume with
    token: Mapped[str] = mapped_column(String(40), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id"))
    filename: Mapped[str] = mapped_column(String(255))
    #: declared total size and bytes received so far
    size: Mapped[int] = mapped_column(BigInteger)
    received: Mapped[int] = mapped_column(BigInteger, default=0)
    #: receiving, complete, refused
    status: Mapped[str] = mapped_column(String(20), default="receiving")
    error: Mapped[str] = mapped_column(String(255), default="")
