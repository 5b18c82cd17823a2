"""Payment providers: a small interface, and Alipay on python-alipay-sdk (RSA2, page pay).

The built-in sandbox gateway (commerce/sandbox.py) speaks Alipay's protocol, so the Alipay
provider here verifies a sandbox payment exactly as it verifies a real one; which gateway it
talks to is settings only (docs/commerce-api.md).
"""

from __future__ import annotations

import binascii
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from urllib.error import URLError
from urllib.request import urlopen
from zoneinfo import ZoneInfo

from alipay import AliPay
from alipay.exceptions import AliPayException, AliPayValidationError

from academy.catalog.services import format_price

SHANGHAI = ZoneInfo("Asia/Shanghai")
#: trade states that mean the money was taken (TRADE_FINISHED: no refund possible any more)
PAID_STATES = frozenset({"TRADE_SUCCESS", "TRADE_FINISHED"})
#: an amount in yuan as Alipay writes it: digits, at most two decimals
_YUAN = re.compile(r"^\d{1,10}(\.\d{1,2})?$")


@dataclass(frozen=True)
class PaymentRequest:
    """What the shop asks the provider to collect."""

    number: str
    subject: str
    total_fen: int
    expires_at: datetime
    notify_url: str
    return_url: str


@dataclass(frozen=True)
class ProviderTrade:
    """A trade as the provider reports it, after its signature was verified."""

    trade_no: str
    out_trade_no: str
    total_fen: int
    trade_status: str
    paid_at: datetime | None
    details: dict = field(default_factory=dict)

    @property
    def is_paid(self) -> bool:
        return self.trade_status in PAID_STATES


class InvalidNotification(Exception):
    """A notification the shop does not accept; `reason` says why (logged, never shown)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ProviderError(Exception):
    """The provider could not be reached, or refused a call."""


class PaymentProvider(ABC):
    """Create a payment, verify its notification, query it, refund it."""

    name: str

    @abstractmethod
    def payment_url(self, request: PaymentRequest) -> str:
        """Where to send the payer."""

    @abstractmethod
    def verify_notification(self, form: Mapping[str, str]) -> ProviderTrade:
        """The trade an asynchronous notification reports; InvalidNotification if not genuine."""

    @abstractmethod
    def query(self, number: str) -> ProviderTrade | None:
        """The provider's trade for an order number, None if it has none."""

    @abstractmethod
    def refund(self, number: str, trade_no: str, amount_fen: int, request_no: str) -> None:
        """Send the money back; asking twice with the same request_no refunds once."""

    @abstractmethod
    def close(self, number: str) -> None:
        """Close the unpaid trade of an order number, so that a cashier still open cannot take
        money for it; a trade the provider never opened needs no closing."""


# -- money and time as Alipay writes them ------------------------------------------------------


def yuan(fen: int) -> str:
    """9900 -> '99.00'."""
    return format_price(fen)


def parse_yuan(text: str | None) -> int:
    """'99.00' -> 9900; ValueError for anything that is not a plain amount."""
    if not text or not _YUAN.match(text):
        raise ValueError(f"not an amount: {text!r}")
    try:
        return int(Decimal(text) * 100)
    except InvalidOperation as error:
        raise ValueError(f"not an amount: {text!r}") from error


def beijing_text(moment: datetime) -> str:
    """A naive-UTC time as Alipay writes times: Beijing time, 'yyyy-MM-dd HH:mm:ss'."""
    return moment.replace(tzinfo=UTC).astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")


def parse_beijing(text: str | None) -> datetime | None:
    """Alipay's Beijing-time text as naive UTC; None when absent or malformed."""
    try:
        local = datetime.strptime(text or "", "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None
    return local - timedelta(hours=8)  # China has kept UTC+8 all year since 1991


# -- Alipay ------------------------------------------------------------------------------------


def fetch_url(url: str) -> str:
    """The body of a GET, for the SDK's synchronous calls to a real gateway."""
    with urlopen(url, timeout=15) as response:  # noqa: S310  (the configured https gateway)
        return response.read().decode("utf-8")


class _AlipayClient(AliPay):
    """The SDK's client with its gateway and its HTTP transport supplied by us."""

    def __init__(self, *, gateway: str, transport: Callable[[str], str], **options) -> None:
        super().__init__(**options)
        self._gateway = gateway
        self._transport = transport

    def verified_sync_response(self, data, response_type):
        # As the SDK does, but through our transport: the built-in sandbox answers in-process
        url = self._gateway + "?" + self.sign_data(data)
        raw_string = self._transport(url)
        return self._verify_and_return_sync_response(raw_string, response_type)


class AlipayProvider(PaymentProvider):
    """Alipay page pay (alipay.trade.page.pay), RSA2, via python-alipay-sdk."""

    name = "alipay"

    def __init__(
        self,
        *,
        app_id: str,
        app_private_key: str,
        alipay_public_key: str,
        gateway: str,
        transport: Callable[[str], str] = fetch_url,
    ) -> None:
        self.app_id = app_id
        self.gateway = gateway
        self.client = _AlipayClient(
            appid=app_id,
            app_private_key_string=app_private_key,
            alipay_public_key_string=alipay_public_key,
            sign_type="RSA2",
            gateway=gateway,
            transport=transport,
        )

    def payment_url(self, request: PaymentRequest) -> str:
        signed = self.client.api_alipay_trade_page_pay(
            subject=request.subject,
            out_trade_no=request.number,
            total_amount=yuan(request.total_fen),
            return_url=request.return_url,
            notify_url=request.notify_url,
            # Alipay closes the trade itself at this time: no payment after the order expired
            time_expire=beijing_text(request.expires_at),
        )
        return f"{self.gateway}?{signed}"

    def verify_notification(self, form: Mapping[str, str]) -> ProviderTrade:
        # Alipay's rule: drop sign and sign_type, sort the rest, join key=value with '&',
        # verify SHA256withRSA against Alipay's public key.
        data = {key: str(value) for key, value in form.items()}
        signature = data.pop("sign", "")
        if data.pop("sign_type", "") != "RSA2" or not signature:
            raise InvalidNotification("bad_signature")
        try:
            genuine = self.client.verify(data, signature)
        except (ValueError, TypeError, IndexError, binascii.Error):
            genuine = False
        if not genuine:
            raise InvalidNotification("bad_signature")
        if data.get("app_id") != self.app_id:
            raise InvalidNotification("wrong_app_id")
        return self._trade(data)

    def _trade(self, data: Mapping[str, str]) -> ProviderTrade:
        try:
            total_fen = parse_yuan(data.get("total_amount"))
        except ValueError:
            raise InvalidNotification("bad_amount") from None
        if not data.get("trade_no") or not data.get("out_trade_no"):
            raise InvalidNotification("missing_trade")
        return ProviderTrade(
            trade_no=data["trade_no"],
            out_trade_no=data["out_trade_no"],
            total_fen=total_fen,
            trade_status=data.get("trade_status", ""),
            paid_at=parse_beijing(data.get("gmt_payment") or data.get("send_pay_date")),
            details=dict(data),
        )

    def query(self, number: str) -> ProviderTrade | None:
        response = self._call(self.client.api_alipay_trade_query, out_trade_no=number)
        if response.get("code") != "10000":  # e.g. ACQ.TRADE_NOT_EXIST: never paid
            return None
        try:
            return self._trade({key: str(value) for key, value in response.items()})
        except InvalidNotification as error:
            raise ProviderError(error.reason) from error

    def refund(self, number: str, trade_no: str, amount_fen: int, request_no: str) -> None:
        response = self._call(
            self.client.api_alipay_trade_refund,
            refund_amount=yuan(amount_fen),
            out_trade_no=number,
            trade_no=trade_no,
            out_request_no=request_no,
        )
        if response.get("code") != "10000":
            raise ProviderError(response.get("sub_msg") or response.get("msg") or "refund refused")

    def close(self, number: str) -> None:
        response = self._call(self.client.api_alipay_trade_close, out_trade_no=number)
        if response.get("code") != "10000" and response.get("sub_code") != "ACQ.TRADE_NOT_EXIST":
            raise ProviderError(response.get("sub_msg") or response.get("msg") or "close refused")

    @staticmethod
    def _call(method, **arguments) -> dict:
        """A synchronous SDK call whose failures become ProviderError."""
        try:
            return method(**arguments)
        except (AliPayException, AliPayValidationError, URLError, OSError, ValueError) as error:
            raise ProviderError(str(error) or type(error).__name__) from error
