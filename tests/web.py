"""Helpers for page tests: a logged-in browser-like client that submits forms with CSRF."""

from __future__ import annotations

import re

from tests.factories import PASSWORD

CSRF_PATTERN = re.compile(r'name="csrf-token" content="([^"]+)"')


def csrf_of(html: str) -> str:
    return CSRF_PATTERN.search(html).group(1)


def login(client, username: str, password: str = PASSWORD):
    page = client.get("/login").get_data(as_text=True)
    return client.post(
        "/login", data={"username": username, "password": password, "csrf_token": csrf_of(page)}
    )


def post_form(client, url: str, data: dict | None = None, *, page: str = "/"):
    token = csrf_of(client.get(page).get_data(as_text=True))
    return client.post(url, data={**(data or {}), "csrf_token": token})
