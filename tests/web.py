"""Helpers for page tests: a logged-in browser-like client that submits forms with CSRF."""

from __future__ import annotations

import re
from html.parser import HTMLParser

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


#: elements without an end tag
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
#: inputs a person never types into or picks from
NOT_FIELDS = {"hidden", "submit", "button", "reset", "image"}


class FormControls(HTMLParser):
    """A page's form fields, how each is labelled, and the text of every element with an id."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, dict]] = []
        self.fields: list[dict] = []
        self.labelled_ids: set[str] = set()
        self.texts: dict[str, str] = {}
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "label" and attrs.get("for"):
            self.labelled_ids.add(attrs["for"])
        if tag in ("input", "select", "textarea") and attrs.get("type") not in NOT_FIELDS:
            wrapped = any(name == "label" for name, _ in self.open)
            self.fields.append({**attrs, "tag": tag, "wrapped": wrapped})
        if attrs.get("id"):
            self.texts.setdefault(attrs["id"], "")
        if tag not in VOID:
            self.open.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.open.pop()

    def handle_endtag(self, tag):
        for depth in range(len(self.open) - 1, -1, -1):
            if self.open[depth][0] == tag:
                del self.open[depth:]
                break

    def handle_data(self, data):
        for _, attrs in self.open:
            if attrs.get("id"):
                self.texts[attrs["id"]] += data

    def unlabelled(self) -> list[str]:
        """Fields with no label: none for= their id, none around them, no aria-label(ledby)."""
        return [
            f"<{field['tag']} name={field.get('name')!r}>"
            for field in self.fields
            if not (
                field["wrapped"]
                or field.get("id") in self.labelled_ids
                or field.get("aria-label", "").strip()
                or field.get("aria-labelledby")
            )
        ]

    def error_of(self, key: str) -> str:
        """The error a field (by id, else by name) shows beside it: the text its
        aria-describedby names, when it is marked aria-invalid; '' when it is not."""
        by_id = [f for f in self.fields if f.get("id") == key]
        field = (by_id or [f for f in self.fields if f.get("name") == key])[0]
        if field.get("aria-invalid") != "true":
            return ""
        return " ".join(self.texts.get(i, "") for i in field["aria-describedby"].split()).strip()


def field_error(html: str, key: str) -> str:
    return FormControls(html).error_of(key)


class FormValues(HTMLParser):
    """What a page's form fields hold, by name: an input's value, a textarea's text, whether a
    checkbox is checked ("on" or absent)."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.values: dict[str, str] = {}
        self.textarea: str | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        name = attrs.get("name")
        if not name:
            return
        if tag == "textarea":
            self.textarea = name
            self.values[name] = ""
        elif tag == "input" and attrs.get("type") == "checkbox":
            if "checked" in attrs:
                self.values[name] = "on"
        elif tag == "input":
            self.values[name] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.values[self.textarea] += data


def form_values(html: str) -> dict[str, str]:
    return FormValues(html).values
