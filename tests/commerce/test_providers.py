"""The Alipay provider: money and time as Alipay writes them, and the switch to the real
gateway, which is settings only."""

import base64
from datetime import datetime
from urllib.parse import parse_qsl, urlsplit

import pytest
from Cryptodome.Hash import SHA256
from Cryptodome.PublicKey import RSA
from Cryptodome.Signature import pkcs1_15

from academy.commerce import payments
from academy.commerce.keys import app_key_paths, ensure_key_pair
from academy.commerce.providers import beijing_text, parse_beijing, parse_yuan, yuan
from tests.commerce.support import cart_order, notification, notify

REAL_GATEWAY = "https://openapi.alipay.com/gateway.do"


@pytest.mark.parametrize(
    ("text", "fen"), [("99.00", 9900), ("0.01", 1), ("99", 9900), ("99.5", 9950)]
)
def test_yuan_amounts_parse_to_fen(text, fen):
    assert parse_yuan(text) == fen


@pytest.mark.parametrize("text", ["", "-1.00", "1.001", "1e3", "NaN", " 1.00", "1,00", None])
def test_anything_else_is_not_an_amount(text):
    with pytest.raises(ValueError):
        parse_yuan(text)


def test_fen_are_written_as_yuan_with_two_decimals():
    assert [yuan(9900), yuan(1), yuan(123456)] == ["99.00", "0.01", "1234.56"]


def test_times_are_beijing_time_both_ways():
    utc = datetime(2026, 11, 23, 16, 30, 5)
    assert beijing_text(utc) == "2026-11-24 00:30:05"
    assert parse_beijing("2026-11-24 00:30:05") == utc
    assert parse_beijing("yesterday") is None


@pytest.fixture
def real_alipay(app, tmp_path):
    """The settings of a real Alipay app: its gateway, and "Alipay's" public key (here a key
    pair of our own stands in for Alipay's)."""
    alipay_private = tmp_path / "alipay_private.pem"
    ensure_key_pair(alipay_private, tmp_path / "alipay_public.pem")
    app.config.update(
        ALIPAY_GATEWAY=REAL_GATEWAY,
        ALIPAY_APP_ID="2021000123456789",
        ALIPAY_PUBLIC_KEY_PATH=tmp_path / "alipay_public.pem",
    )
    return RSA.import_key(alipay_private.read_bytes())


def test_with_the_real_gateway_the_payer_goes_to_alipay(app, real_alipay, learner, paid_course):
    order = cart_order(learner, paid_course)
    url = payments.provider().payment_url(payments.payment_request(order))
    assert url.startswith(REAL_GATEWAY + "?")
    params = dict(parse_qsl(urlsplit(url).query))
    assert params["app_id"] == "2021000123456789" and params["sign_type"] == "RSA2"
    # signed with the app's private key over the sorted parameters, as Alipay checks
    content = "&".join(f"{k}={v}" for k, v in sorted(params.items()) if k != "sign")
    app_public = RSA.import_key(app_key_paths()[1].read_bytes())
    pkcs1_15.new(app_public).verify(SHA256.new(content.encode()), base64.b64decode(params["sign"]))


def _signed_by(key, fields: dict) -> dict:
    fields = {**fields, "sign_type": "RSA2"}
    fields.pop("sign", None)
    content = "&".join(f"{k}={v}" for k, v in sorted(fields.items()) if k != "sign_type")
    signature = pkcs1_15.new(key).sign(SHA256.new(content.encode()))
    return {**fields, "sign": base64.b64encode(signature).decode()}


def test_with_the_real_gateway_only_alipay_s_key_is_believed(
    app, anon, real_alipay, learner, paid_course
):
    order = cart_order(learner, paid_course)
    sandbox_signed = notification(app, order, app_id="2021000123456789")
    assert notify(anon, sandbox_signed)[0] == 400  # the sandbox's key means nothing now
    assert notify(anon, _signed_by(real_alipay, sandbox_signed)) == (200, "success")


def test_the_real_gateway_without_alipay_s_public_key_says_what_is_missing(app, tmp_path):
    app.config.update(ALIPAY_GATEWAY=REAL_GATEWAY, ALIPAY_PUBLIC_KEY_PATH=tmp_path / "none.pem")
    with pytest.raises(RuntimeError, match="ALIPAY_PUBLIC_KEY_PATH"):
        payments.provider()
