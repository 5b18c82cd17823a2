"""The one error a service raises when it refuses a request."""

from __future__ import annotations


class Refusal(Exception):
    """A request the rules refuse: a stable code for clients, a message for people."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
