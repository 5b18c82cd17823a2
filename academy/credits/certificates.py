"""Certificates of completion: issued once per learner and course, revoked on a refund,
checked publicly by code."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from academy import clock
from academy.auth.models import User
from academy.catalog.models import Course
from academy.credits import rules
from academy.credits.models import CompletionCertificate, CreditEntry, CreditType, EntryKind
from academy.errors import Refusal
from academy.extensions import db

#: Crockford's base32: no I, L, O or U, so a code read aloud or typed from paper is unambiguous
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
#: 12 characters of 32 = 60 bits: far beyond guessing, short enough to type from the paper
CODE_LENGTH = 12


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """As printed: groups of four ('ABCD-EFGH-JKMN')."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalise_code(typed: str) -> str:
    """What a person typed or scanned, as stored: no dashes or spaces, upper case."""
    return typed.replace("-", "").replace(" ", "").upper()


def find_certificate(user_id: int, course_id: int) -> CompletionCertificate | None:
    return db.session.scalar(
        select(CompletionCertificate).where(
            CompletionCertificate.user_id == user_id, CompletionCertificate.course_id == course_id
        )
    )


def certificates_of(user_id: int) -> list[CompletionCertificate]:
    """Every certificate issued to the learner, oldest first (their personal data)."""
    return list(
        db.session.scalars(
            select(CompletionCertificate)
            .where(CompletionCertificate.user_id == user_id)
            .order_by(CompletionCertificate.issued_at, CompletionCertificate.id)
        )
    )


def certificates_by_course(user_id: int, course_ids: list[int]) -> dict[int, CompletionCertificate]:
    """The learner's certificates of these courses keyed by course id, in one query."""
    if not course_ids:
        return {}
    return {
        c.course_id: c
        for c in db.session.scalars(
            select(CompletionCertificate).where(
                CompletionCertificate.user_id == user_id,
                CompletionCertificate.course_id.in_(course_ids),
            )
        )
    }


def issue_certificate(user_id: int, course_id: int) -> CompletionCertificate:
    """The learner's certificate for the course, created on first call (a racer's row wins).

    Runs in the caller's transaction; the caller has checked the course is complete.
    """
    found = find_certificate(user_id, course_id)
    if found is not None:
        return found
    try:
        with db.session.begin_nested():
            certificate = CompletionCertificate(
                code=new_code(), user_id=user_id, course_id=course_id, issued_at=clock.now()
            )
            db.session.add(certificate)
    except IntegrityError:
        return find_certificate(user_id, course_id)
    return certificate


def revoke_certificates(user_id: int, course_ids: list[int], reason: str) -> None:
    """Mark the learner's certificates of these courses revoked (issuing them first if a
    completion had none yet, so that a later download cannot produce a valid one)."""
    from academy.learning.services import course_completion  # learning imports credits

    for course_id in course_ids:
        if course_completion(user_id, course_id) is not None:
            issue_certificate(user_id, course_id)
    db.session.execute(
        update(CompletionCertificate)
        .where(
            CompletionCertificate.user_id == user_id,
            CompletionCertificate.course_id.in_(course_ids),
            CompletionCertificate.revoked_at.is_(None),
        )
        .values(revoked_at=clock.now(), revoked_reason=reason)
    )


def certificate_to_download(user: User, course_id: int) -> CompletionCertificate | None:
    """The certificate for a course the learner completed (issued now if it predates
    certificates); None when the course is not complete. A formal certificate names a real
    person: refused until the profile has a real name, which the first download prints on it
    for good. Commits what it sets."""
    from academy.learning.services import course_completion  # learning imports credits

    certificate = find_certificate(user.id, course_id)
    if certificate is None:
        if course_completion(user.id, course_id) is None:
            return None
        certificate = issue_certificate(user.id, course_id)
    if not certificate.holder_name:
        real_name = (user.real_name or "").strip()
        if not real_name:
            db.session.commit()
            raise Refusal(
                "real_name_required",
                _("结业证书上印有真实姓名：请先在个人资料中填写真实姓名，再下载证书。"),
                409,
            )
        certificate.holder_name = real_name
    db.session.commit()
    return certificate


def forget_holder_names(user_id: int) -> None:
    """The holder erased their account: their name leaves their certificates, which still
    verify (in the caller's transaction)."""
    db.session.execute(
        update(CompletionCertificate)
        .where(CompletionCertificate.user_id == user_id)
        .values(holder_name="")
    )


@dataclass(frozen=True)
class CertificateView:
    """What a certificate says: on the PDF in full, on /verify with the name masked."""

    code: str
    name: str
    course_title: str
    #: (credit type name, centihours awarded) per type the course gave
    hours: list[tuple[str, int]]
    completed_at: datetime
    valid: bool
    revoked_at: datetime | None
    #: the holder deleted their account: `name` says so, with nothing of theirs to mask
    holder_erased: bool = False

    @property
    def masked_name(self) -> str:
        return self.name if self.holder_erased else rules.mask_name(self.name)


def view_of(certificate: CompletionCertificate) -> CertificateView:
    """Gather what the certificate shows: who, which course, the hours awarded, validity."""
    user = db.session.get(User, certificate.user_id)
    course = db.session.get(Course, certificate.course_id)
    hours = db.session.execute(
        select(CreditType.name, CreditEntry.centihours)
        .join(CreditType, CreditType.id == CreditEntry.credit_type_id)
        .where(
            CreditEntry.user_id == certificate.user_id,
            CreditEntry.course_id == certificate.course_id,
            CreditEntry.kind == EntryKind.AWARD,
        )
        .order_by(CreditType.id)
    ).all()
    return CertificateView(
        code=certificate.code,
        # as printed; an erased holder's still verifies, without their name (display_name)
        name=certificate.holder_name or user.real_name or user.display_name,
        course_title=course.title,
        hours=[(name, centihours) for name, centihours in hours],
        completed_at=certificate.issued_at,
        valid=certificate.revoked_at is None,
        revoked_at=certificate.revoked_at,
        holder_erased=user.erased_at is not None,
    )


def find_by_code(typed: str) -> CompletionCertificate | None:
    code = normalise_code(typed)
    if len(code) != CODE_LENGTH:
        return None
    return db.session.scalar(
        select(CompletionCertificate).where(CompletionCertificate.code == code)
    )
