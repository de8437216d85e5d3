"""Money is an integer amount of minor units plus an ISO 4217 currency code. Never floats."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

#: Minor-unit exponents that differ from 2 (ISO 4217).
_EXPONENTS: dict[str, int] = {
    "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0, "PYG": 0,
    "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
    "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
}  # fmt: skip

_SYMBOLS: dict[str, str] = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹"}

_CURRENCY_RE = re.compile(r"^[A-Z]{3}$")


class MoneyError(ValueError):
    """A money string or currency that cannot be understood."""


def is_currency(code: str) -> bool:
    """Whether `code` looks like an ISO 4217 alphabetic code."""
    return bool(_CURRENCY_RE.match(code))


def exponent(currency: str) -> int:
    """Number of minor-unit digits of a currency (2 unless ISO 4217 says otherwise)."""
    return _EXPONENTS.get(currency.upper(), 2)


def to_minor(amount: str | Decimal | int | float, currency: str) -> int:
    """Convert a major-unit amount ("19.99", Decimal) to integer minor units, rounding half-even."""
    try:
        value = Decimal(str(amount).strip())
    except InvalidOperation as exc:
        raise MoneyError(f"not an amount: {amount!r}") from exc
    if not value.is_finite():
        raise MoneyError(f"not an amount: {amount!r}")
    scaled = (value * (Decimal(10) ** exponent(currency))).quantize(
        Decimal(1), rounding=ROUND_HALF_EVEN
    )
    return int(scaled)


def to_major(minor: int, currency: str) -> Decimal:
    """Convert integer minor units to a Decimal amount in major units."""
    exp = exponent(currency)
    return (Decimal(minor) / (Decimal(10) ** exp)).quantize(Decimal(1).scaleb(-exp))


_MONEY_RE = re.compile(r"^\s*(?P<amount>-?[0-9]+(?:[.,][0-9]+)?)\s*(?P<currency>[A-Za-z]{3})?\s*$")


def parse_money(text: str, default_currency: str) -> tuple[int, str]:
    """Parse "19.99 USD", "19.99" or "19,99 EUR" into (minor units, currency)."""
    match = _MONEY_RE.match(text)
    if not match:
        raise MoneyError(f"not a price: {text!r}")
    currency = (match.group("currency") or default_currency).upper()
    return to_minor(match.group("amount").replace(",", "."), currency), currency


def format_money(minor: int, currency: str) -> str:
    """Format for people: `£12.50`, `$1,234.00`, `12.50 CHF`."""
    major = to_major(minor, currency)
    sign = "-" if major < 0 else ""
    text = f"{abs(major):,.{exponent(currency)}f}"
    symbol = _SYMBOLS.get(currency.upper())
    if symbol:
        return f"{sign}{symbol}{text}"
    return f"{sign}{text} {currency.upper()}"
