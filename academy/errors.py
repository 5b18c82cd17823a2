"""The one error a service raises when it refuses a request."""

from __future__ import annotations


class Refusal(Exception):
    """A request the rules refuse: a stable code for clients, a message for people."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        message = str(message)  # a lazy translation becomes text once, in the request's locale
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        #: the form field the refusal is about, set by the view that parsed it (about())
        self.field: str | None = None

    def about(self, field: str | None) -> Refusal:
        """This refusal, pinned to the form field whose value it refuses (None: the form)."""
        self.field = field
        return self


def form_errors(refusal: Refusal) -> dict[str, str]:
    """A refusal on a form page: beside its field when it has one, else at the top (flash)."""
    if refusal.field:
        return {refusal.field: refusal.message}
    from flask import flash

    flash(refusal.message, "error")
    return {}


#: where a refused form's error and typed values wait for the page the action redirects to
_REFUSED_FORMS = "refused_forms"


def keep_refused_form(form: str, refusal: Refusal, values: dict[str, str], field: str) -> None:
    """A form whose action redirects back (a review or a question on the course page) was
    refused: keep why and what was typed for that page, so the error shows beside its field
    (`field` unless the refusal names one) and nothing typed is lost."""
    from flask import session

    kept = dict(session.get(_REFUSED_FORMS) or {})
    kept[form] = {"errors": {refusal.field or field: refusal.message}, "values": values}
    session[_REFUSED_FORMS] = kept


def take_refused_form(form: str) -> dict:
    """The kept errors and values of `form` (once), or empty ones."""
    from flask import session

    kept = dict(session.get(_REFUSED_FORMS) or {})
    found = kept.pop(form, None)
    if found is not None:
        session[_REFUSED_FORMS] = kept
    return found or {"errors": {}, "values": {}}
