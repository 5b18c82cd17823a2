"""Security headers on every response (OWASP ASVS 5.0 V3.4, V14.3.2)."""

from __future__ import annotations

import pytest

from tests.web import login


def _csp(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {
        part.split()[0]: " ".join(part.split()[1:])
        for part in (p.strip() for p in policy.split(";"))
        if part
    }


@pytest.mark.parametrize(
    "url", ["/", "/login", "/courses/999", "/api/v1/courses", "/static/css/site.css"]
)
def test_asvs_3_4_every_response_carries_the_security_headers(anon, make, url):
    """ASVS 5.0 V3.4.3, V3.4.4, V3.4.5, V3.4.6: CSP, nosniff, Referrer-Policy, frame-ancestors."""
    make.course()
    response = anon.get(url)
    response.close()  # static files are streamed from an open file
    csp = _csp(response)
    assert csp["script-src"] == "'self'"
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert csp["object-src"] == "'none'"
    assert csp["base-uri"] == "'none'"
    assert csp["frame-ancestors"] == "'none'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_no_hsts_over_plain_http_in_the_embedded_default(anon):
    assert "Strict-Transport-Security" not in anon.get("/").headers


def test_no_page_carries_an_inline_script_or_style_attribute(app, make, learner, instructor):
    """The CSP would block them: every script is a file, every style comes from site.css."""
    course = make.course()
    make.enrol(learner, course)
    client = app.test_client()
    login(client, "learner1")
    pages = ["/", "/me/learning", "/me/credits", f"/courses/{course.id}"]
    pages.append(f"/learn/lessons/{course.lessons[0].id}")
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        assert ' style="' not in html, url
        for tag in html.split("<script")[1:]:
            opening = tag.split(">", 1)[0]
            assert "src=" in opening or 'type="application/json"' in opening, (url, opening)
        assert " onclick=" not in html and " onload=" not in html, url


def test_asvs_14_3_2_signed_in_pages_are_not_stored(app, learner):
    """ASVS 5.0 V14.3.2: no-store on everything a signed-in person is shown."""
    client = app.test_client()
    login(client, "learner1")
    for url in ("/", "/me/credits", "/api/v1/auth/me"):
        assert client.get(url).headers["Cache-Control"] == "no-store", url
    # static files stay cacheable
    with client.get("/static/css/site.css") as static:
        assert static.headers.get("Cache-Control") != "no-store"


def test_anonymous_pages_may_be_cached(anon):
    assert anon.get("/").headers.get("Cache-Control") != "no-store"
