"""Fuzzing /api/v1 against its OpenAPI document with schemathesis, in process (no server).

One driver for tests/api/test_openapi.py and bench/fuzz_api.py: every operation, with data that
fits the document and data that does not, a bounded number of examples each, anonymous or with
a learner's cookie and CSRF token. schemathesis' own pytest plugin does not run on pytest 9, so
this drives Hypothesis itself, one `@given` per operation and generation mode. Below: the
same idea for the pages' form posts, which have no document, so a strategy of nasty bodies.
"""

from __future__ import annotations

import contextlib
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import content_type_conformance, not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

#: no 5xx; the status is one the document lists; so are the content type and the body's shape
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)


@dataclass
class Tally:
    """What a fuzzing run sent and got back."""

    requests: int = 0
    statuses: Counter = field(default_factory=Counter)
    #: (operation, status) -> how many
    answers: Counter = field(default_factory=Counter)
    #: one line per failed case: operation, mode, status, the checks' report
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)


@dataclass
class Identity:
    """Who sends the requests: cookies and headers on each (none: anonymous)."""

    cookies: dict | None = None
    headers: dict | None = None
    #: run before every request, e.g. to move the app's clock as a real client's time passes
    before_each: Callable[[], None] | None = None


def fuzz(
    app,
    schema,
    *,
    examples: int,
    identity: Identity | None = None,
    path_parameters: Callable[[str], dict] | None = None,
    exclude: tuple[str, ...] = (),
    stop_on_failure: bool = True,
    tally: Tally | None = None,
) -> Tally:
    """Send `examples` generated requests per operation and mode to `app`; check each answer.

    `path_parameters(label)` may fix some path parameters of an operation (real ids, a live
    watch session) so the requests get past the lookups. With `stop_on_failure` the first
    failing case is raised (after Hypothesis shrinks it); without, failures are counted.
    """
    identity = identity or Identity()
    tally = tally or Tally()
    started = time.perf_counter()
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.label in exclude:
            continue
        fixed = path_parameters(operation.label) if path_parameters else {}
        for mode in MODES:
            strategy = operation.as_strategy(generation_mode=mode, path_parameters=fixed or None)
            send = _sender(app, f"{operation.label} [{mode}]", identity, tally, stop_on_failure)
            test = settings(
                max_examples=examples,
                deadline=None,
                database=None,
                derandomize=True,  # the same requests on every run: a failure reproduces
                phases=[Phase.generate, Phase.shrink] if stop_on_failure else [Phase.generate],
                # building whole HTTP requests is slow and filtered by Hypothesis's standards
                suppress_health_check=list(HealthCheck),
            )(given(case=strategy)(send))
            with contextlib.suppress(Unsatisfiable):  # nothing to negate in this operation
                test()
    tally.seconds += time.perf_counter() - started
    return tally


def _sender(app, label: str, identity: Identity, tally: Tally, stop_on_failure: bool):
    """The body of one operation's Hypothesis test: send the case, count, check."""
    operation = label.rsplit(" [", 1)[0]

    def send(case):
        if identity.before_each:
            identity.before_each()
        tally.requests += 1
        try:
            # A fresh client per request: nothing (cookies, the user cached in `g`) carries
            # over from one case to the next but what is passed in explicitly.
            response = case.call(
                app=app,
                session=app.test_client(),
                cookies=identity.cookies,
                headers=identity.headers,
            )
        except Exception as error:  # under TESTING Flask raises what would be a 500
            if stop_on_failure:
                raise
            status = 500
            tally.failures.append(f"{label} -> {error!r}")
        else:
            status = response.status_code
        tally.statuses[status] += 1
        tally.answers[operation, status] += 1
        if status == 500 and not stop_on_failure:
            return
        try:
            case.validate_response(response, checks=CHECKS)
        except (Exception, BaseExceptionGroup) as failure:  # schemathesis groups its failures
            if stop_on_failure:
                raise
            tally.failures.append(f"{label} -> {status}: {failure}")

    return send


# -- form posts ------------------------------------------------------------------------------

#: values no form field may turn into a 500: numbers beyond every range, NaN in its spellings,
#: text that is no number, digits int() refuses, control characters, brackets
NASTY_VALUES = [
    "sNaN",
    "NaN",
    "-Infinity",
    "inf",
    "1e999999",
    "9" * 5000,
    "-1",
    "99999999999999999999",
    "0x10",
    "１.５",
    "²",
    "",
    " ",
    "\x00",
    "[[[[",
    "]}",
    "%ff%fe",
]
#: the attacker's bodies: 14 MiB in one field, 600,000 fields; and fields past MAX_FORM_PARTS
OVERSIZE_BODY = b"a=" + b"x" * (14 * 1024 * 1024)
MANY_FIELDS_BODY = b"&".join([b"a=b"] * 600_000)
FIELDS_PAST_THE_LIMIT = b"&".join(b"f%d=x" % i for i in range(2000))


def form_bodies(fields: list[str]):
    """Urlencoded form bodies for a page's fields: nasty or random values, stray and
    bracketed names, and sometimes bytes that are not UTF-8."""
    names = st.sampled_from(fields) | st.text(max_size=12) | st.just("a[b][c]")
    values = st.sampled_from(NASTY_VALUES) | st.text(max_size=40)
    pairs = st.lists(st.tuples(names, values), max_size=len(fields) + 3)
    invalid_utf8 = st.sampled_from([b"", b"&username=\xff\xfe", b"&\xc3=\x80"])
    return st.builds(lambda p, tail: urlencode(p).encode() + tail, pairs, invalid_utf8)


def post_body(client, url: str, body: bytes, csrf_token: str):
    """Post raw urlencoded bytes, with a valid CSRF token so the view itself is reached."""
    return client.post(
        url,
        data=body + b"&csrf_token=" + csrf_token.encode(),
        content_type="application/x-www-form-urlencoded",
    )


def beyond_the_bounds(app, body: bytes) -> bool:
    """Whether a form body is over MAX_CONTENT_LENGTH or MAX_FORM_PARTS (then: 413)."""
    fields = body.count(b"&") + 2  # and the CSRF token
    return len(body) > app.config["MAX_CONTENT_LENGTH"] or fields > app.config["MAX_FORM_PARTS"]


def assert_answered_with_a_page(app, body: bytes, response) -> None:
    """Beyond the bounds: 413; else any answer but a 5xx; and an error is a page, not JSON."""
    if beyond_the_bounds(app, body):
        assert response.status_code == 413
    assert response.status_code < 500
    if response.status_code >= 400:
        assert response.mimetype == "text/html"
