"""With the site's address configured, a request naming another host is refused (400): no URL
the site builds from the request (the payment notify and return URLs) can point elsewhere."""

import pytest

from academy import create_app
from academy.config import _trusted_hosts


def test_the_site_address_gives_the_trusted_host(monkeypatch):
    monkeypatch.delenv("ACADEMY_TRUSTED_HOSTS", raising=False)
    monkeypatch.setenv("ACADEMY_SITE_URL", "https://academy.example.com")
    assert _trusted_hosts() == ["academy.example.com"]
    monkeypatch.setenv("ACADEMY_TRUSTED_HOSTS", "academy.example.com, .bank.example")
    assert _trusted_hosts() == ["academy.example.com", ".bank.example"]
    monkeypatch.delenv("ACADEMY_TRUSTED_HOSTS")
    monkeypatch.delenv("ACADEMY_SITE_URL")
    assert _trusted_hosts() is None  # a first run on one's own machine: any host


@pytest.fixture
def guarded(tmp_path, database_url):
    app = create_app(
        {
            "INSTANCE_PATH": tmp_path / "instance",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "hosts-test",
            "TRUSTED_HOSTS": ["academy.example.com"],
        }
    )
    return app.test_client()


def test_a_request_for_another_host_is_refused(guarded):
    assert guarded.get("/livez", headers={"Host": "academy.example.com"}).status_code == 200
    assert guarded.get("/livez", headers={"Host": "evil.example.net"}).status_code == 400
