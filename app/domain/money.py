"""Money: integer minor units, ISO 4217 minor-unit digits, conversion rounded half-even."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

ZERO_DECIMAL_CURRENCIES = frozenset({"JPY", "KRW", "VND", "CLP", "ISK", "UGX", "XAF", "XOF", "PYG", "IDR"})
THREE_DECIMAL_CURRENCIES = frozenset({"BHD", "KWD", "OMR", "JOD", "TND", "IQD", "LYD"})
BASE_CURRENCY = "USD"


@dataclass(frozen=True)
class Money:
    minor: int
    currency: str

    @property
    def amount(self) -> Decimal:
        return Decimal(self.minor).scaleb(-minor_digits(self.currency))

    def text(self) -> str:
        return f"{self.amount:.{minor_digits(self.currency)}f}"


def minor_digits(currency: str) -> int:
    if currency in ZERO_DECIMAL_CURRENCIES:
        return 0
    if currency in THREE_DECIMAL_CURRENCIES:
        return 3
    return 2


def parse_amount(value: str | int | float, currency: str) -> int | None:
    """Minor units of a decimal amount, or None when it has more digits than the currency allows."""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return None
    if not amount.is_finite():
        return None
    scaled = amount.scaleb(minor_digits(currency))
    if scaled != scaled.to_integral_value():
        return None
    return int(scaled)


def convert(minor: int, from_currency: str, to_currency: str, rates: dict[str, Decimal]) -> int:
    """`rates` are units of each currency per one USD; rounded half-even to the target's minor unit."""
    if from_currency == to_currency:
        return minor
    usd = Decimal(minor).scaleb(-minor_digits(from_currency)) / rates[from_currency]
    target = (usd * rates[to_currency]).scaleb(minor_digits(to_currency))
    return int(target.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))
