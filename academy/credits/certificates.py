"""Certificates of completion: issued once per learner and course, revoked on a refund,
checked publicly by code."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from academy import clock
from academy.auth.models import User
from academy.catalog.models import Course
from academy.credits import rules
from academy.credits.models import CompletionCertificate, CreditEntry, CreditType, EntryKind
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


def certificate_to_download(user_id: int, course_id: int) -> CompletionCertificate | None:
    """The certificate for a course the learner completed (issued now if it predates
    certificates); None when the course is not complete. Commits a new one."""
    from academy.learning.services import course_completion  # learning imports credits

    found = find_certificate(user_id, course_id)
    if found is not None:
        return found
    if course_completion(user_id, course_id) is None:
        return None
    certificate = issue_certificate(user_id, course_id)
    db.session.commit()
    return certificate


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
        # an erased holder's certificate still verifies, without their name (display_name)
        name=user.real_name or user.display_name,
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
