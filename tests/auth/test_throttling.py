"""Login throttling, user enumeration, password strength and hashing (OWASP ASVS 5.0 V6, V11)."""

from __future__ import annotations

import time
from datetime import UTC

import pytest
from limits.storage import memory as limits_memory

from academy import clock
from academy.auth import passwords, throttle
from academy.auth.services import authenticate, create_user
from academy.errors import Refusal
from academy.extensions import db
from tests.factories import PASSWORD
from tests.web import csrf_of


@pytest.fixture
def redis_settings() -> dict:
    """These tests move the limiter's clock, which only its memory storage follows: they keep
    it even in the Redis run (the Redis storage has its own tests below)."""
    return {}


@pytest.fixture
def limiter_clock(monkeypatch, movable_clock):
    """The limiter reads the movable clock of the app: tests wait without sleeping."""

    class FollowTheAppClock:
        @staticmethod
        def time() -> float:
            return clock.now().replace(tzinfo=UTC).timestamp()

    monkeypatch.setattr(limits_memory, "time", FollowTheAppClock)
    monkeypatch.setattr(throttle, "time", FollowTheAppClock)
    return movable_clock


def _api_login(client, username: str, password: str, address: str = "10.0.0.1"):
    response = client.post(
        "/api/v1/auth/login",
        json={"username": username, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )
    return response.status_code, response.get_json(), response


def test_asvs_6_3_1_wrong_passwords_lock_the_account_with_a_retry_time(app, learner, limiter_clock):
    """ASVS 5.0 V6.3.1: 50 wrong passwords then the right one no longer gets in."""
    client = app.test_client()
    statuses = [_api_login(client, "learner1", f"wrong-{i}")[0] for i in range(50)]
    assert statuses[:5] == [401] * 5
    assert set(statuses[5:]) == {429}
    status, body, response = _api_login(client, "learner1", PASSWORD)
    assert status == 429
    assert body["error"]["code"] == "too_many_attempts"
    assert "后再试" in body["error"]["message"]
    assert 0 < body["error"]["retry_after"] <= 60
    assert response.headers["Retry-After"] == str(body["error"]["retry_after"])


def test_asvs_6_3_1_the_account_opens_again_once_the_wait_is_over(app, learner, limiter_clock):
    client = app.test_client()
    for i in range(5):
        _api_login(client, "learner1", f"wrong-{i}")
    status, body, _ = _api_login(client, "learner1", PASSWORD)
    assert status == 429
    limiter_clock.advance(body["error"]["retry_after"])
    assert _api_login(client, "learner1", PASSWORD)[0] == 200


def test_asvs_6_3_1_waits_grow_with_repeated_failures(app, learner, limiter_clock):
    """The first lockout lasts under a minute; after ten failures the wait is many minutes."""
    client = app.test_client()
    waits = []
    for _round in range(2):
        for i in range(5):
            _api_login(client, "learner1", f"wrong-{i}")
        status, body, _ = _api_login(client, "learner1", "wrong-again")
        assert status == 429
        waits.append(body["error"]["retry_after"])
        limiter_clock.advance(body["error"]["retry_after"])
    assert waits[0] <= 60
    assert waits[1] > 5 * 60


def test_asvs_6_3_1_the_account_limit_holds_across_addresses(app, learner, limiter_clock):
    """Spreading guesses over many addresses does not escape the per-account limit."""
    client = app.test_client()
    for i in range(5):
        _api_login(client, "learner1", f"wrong-{i}", address=f"10.1.0.{i}")
    assert _api_login(client, "learner1", PASSWORD, address="10.9.9.9")[0] == 429


def test_asvs_6_3_1_one_address_guessing_many_accounts_is_stopped(app, make, limiter_clock):
    for n in range(40):
        make.user(f"member{n}")
    client = app.test_client()
    statuses = [_api_login(client, f"member{n}", "wrong-password")[0] for n in range(40)]
    assert statuses[:30] == [401] * 30
    assert set(statuses[30:]) == {429}


def test_a_training_room_behind_one_address_is_never_blocked(app, make, limiter_clock):
    """Hundreds of good logins a minute from one address count nothing against it."""
    users = [make.user(f"room{n}") for n in range(300)]
    client = app.test_client()
    for user in users:
        status, body, _ = _api_login(client, user.username, PASSWORD, address="192.0.2.7")
        assert status == 200, body
        client.post("/api/v1/auth/logout", headers={"X-CSRFToken": body["csrf_token"]})


def test_the_login_page_says_when_to_retry(app, learner, limiter_clock):
    client = app.test_client()
    for i in range(5):
        page = client.get("/login").get_data(as_text=True)
        client.post(
            "/login",
            data={"username": "learner1", "password": f"wrong-{i}", "csrf_token": csrf_of(page)},
        )
    page = client.get("/login").get_data(as_text=True)
    response = client.post(
        "/login",
        data={"username": "learner1", "password": PASSWORD, "csrf_token": csrf_of(page)},
    )
    assert response.status_code == 429
    assert "登录失败次数过多" in response.get_data(as_text=True)


def test_asvs_6_3_8_unknown_names_cost_the_same_hash_as_real_ones(app, learner, monkeypatch):
    """ASVS 5.0 V6.3.8: an unknown name is not told apart by a faster answer."""
    verified = []
    real_verify = passwords.verify
    monkeypatch.setattr(
        passwords, "verify", lambda stored, pw: verified.append(stored) or real_verify(stored, pw)
    )
    for name in ("learner1", "nobody-here"):
        with pytest.raises(Refusal):
            authenticate(name, "wrong-password")
    assert len(verified) == 2
    assert all(stored.startswith("$argon2id$") for stored in verified)


def test_asvs_6_3_8_unknown_and_real_names_take_similar_time(app, learner):
    """Measured with production-strength argon2: both answers take one hash's time."""
    app.config["ARGON2_PARAMETERS"] = {"time_cost": 2, "memory_cost": 19456, "parallelism": 1}
    db.session.get(type(learner), learner.id).password_hash = passwords.hash_password(PASSWORD)
    db.session.commit()

    def timed(name):
        started = time.perf_counter()
        with pytest.raises(Refusal):
            authenticate(name, "wrong-password")
        return time.perf_counter() - started

    for name in ("learner1", "nobody-here"):  # warm both paths (the dummy hash is made once)
        timed(name)
    real = min(timed("learner1") for _ in range(3))
    unknown = min(timed("nobody-here") for _ in range(3))
    assert 0.5 < unknown / real < 2


@pytest.mark.parametrize(
    "password",
    ["12345678", "password", "aaaaaaaa", "qwertyuiop", "P@ssw0rd", "woaini1314", "1qaz2wsx"],
)
def test_asvs_6_2_4_common_passwords_are_refused_at_registration(app, password):
    """ASVS 5.0 V6.2.4: checked against common-password lists (zxcvbn's)."""
    with pytest.raises(Refusal) as refused:
        create_user("newcomer", password)
    assert refused.value.code == "weak_password"


def test_asvs_6_2_11_a_password_made_of_the_user_name_is_refused(app):
    with pytest.raises(Refusal) as refused:
        create_user("zhangwei88", "zhangwei88!")
    assert refused.value.code == "weak_password"


def test_asvs_6_2_9_long_passphrases_are_accepted(app):
    """ASVS 5.0 V6.2.9: passwords of at least 64 characters are permitted."""
    phrase = "我每天早上七点钟骑自行车去上班，路过三家咖啡店" + "x" * 50
    user = create_user("longphrase", phrase)
    assert authenticate("longphrase", phrase).id == user.id


def test_the_register_page_refuses_a_common_password_beside_the_field(anon):
    page = anon.get("/register").get_data(as_text=True)
    response = anon.post(
        "/register",
        data={
            "username": "newcomer",
            "password": "password",
            "confirm": "password",
            "csrf_token": csrf_of(page),
        },
    )
    assert response.status_code == 422
    assert "太常见" in response.get_data(as_text=True)


def test_asvs_11_4_2_new_passwords_are_hashed_with_argon2id(app, learner):
    """ASVS 5.0 V11.4.2: a computationally intensive password hashing function."""
    assert learner.password_hash.startswith("$argon2id$")


def test_asvs_11_4_2_an_old_scrypt_hash_is_upgraded_at_login(app, learner):
    from werkzeug.security import generate_password_hash

    learner.password_hash = generate_password_hash(PASSWORD, method="scrypt")
    db.session.commit()
    assert authenticate("learner1", PASSWORD).password_hash.startswith("$argon2id$")
    assert authenticate("learner1", PASSWORD).id == learner.id  # the new hash opens it too


def test_argon2_parameters_below_the_setting_are_rehashed(app, learner):
    app.config["ARGON2_PARAMETERS"] = {"time_cost": 2, "memory_cost": 16, "parallelism": 1}
    stored = authenticate("learner1", PASSWORD).password_hash
    assert "m=16,t=2" in stored


def _app_with_limiter_storage(tmp_path, storage_uri: str):
    from academy import create_app
    from tests.factories import FreshGlobalsClient

    app = create_app(
        {
            "INSTANCE_PATH": tmp_path / "instance",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'shared.db'}",
            "SECRET_KEY": "test-secret",
            "ARGON2_PARAMETERS": {"time_cost": 1, "memory_cost": 8, "parallelism": 1},
            "RATELIMIT_STORAGE_URI": storage_uri,
        }
    )
    app.test_client_class = FreshGlobalsClient
    return app


@pytest.mark.parametrize("storage", ["redis", "memory"])
def test_with_redis_the_count_is_shared_by_every_worker(tmp_path, redis_url, storage):
    """With REDIS_URL, failures counted by one worker process hold in the next one."""
    uri = redis_url if storage == "redis" else "memory://"
    first = _app_with_limiter_storage(tmp_path, uri)
    with first.app_context():
        db.create_all()
        create_user("shared1", PASSWORD)
        client = first.test_client()
        assert {_api_login(client, "shared1", f"wrong-{i}")[0] for i in range(5)} == {401}
        db.session.remove()
    second = _app_with_limiter_storage(tmp_path, uri)  # a new worker: fresh limiter storage
    with second.app_context():
        status = _api_login(second.test_client(), "shared1", PASSWORD)[0]
        db.session.remove()
        db.engine.dispose()
    assert status == (429 if storage == "redis" else 200)


def test_a_forged_forwarded_for_does_not_change_the_address(app, make, limiter_clock):
    """Without trusted proxies, X-Forwarded-For is the client's word: it cannot escape the
    per-address limit by naming a new address each time."""
    for n in range(31):
        make.user(f"spoofer{n}")
    client = app.test_client()
    statuses = [
        client.post(
            "/api/v1/auth/login",
            json={"username": f"spoofer{n}", "password": "wrong-password"},
            headers={"X-Forwarded-For": f"198.51.100.{n}"},
        ).status_code
        for n in range(31)
    ]
    assert statuses[-1] == 429


def test_behind_a_trusted_proxy_each_client_is_counted_apart(tmp_path, monkeypatch):
    monkeypatch.setenv("ACADEMY_TRUSTED_PROXIES", "1")
    app = _app_with_limiter_storage(tmp_path, "memory://")
    with app.app_context():
        db.create_all()
        for n in range(31):
            create_user(f"roomie{n}", PASSWORD)
        client = app.test_client()
        statuses = [
            client.post(
                "/api/v1/auth/login",
                json={"username": f"roomie{n}", "password": "wrong-password"},
                headers={"X-Forwarded-For": f"198.51.100.{n}"},
            ).status_code
            for n in range(31)
        ]
        db.session.remove()
        db.engine.dispose()
    assert set(statuses) == {401}  # 31 addresses, one failure each: nobody throttled
