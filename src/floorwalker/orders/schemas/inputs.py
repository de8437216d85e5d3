"""What the support operations take: addresses, line swaps, returned and exchanged items."""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator

from floorwalker.kit.ids import MAX_ID as MAX_ID
from floorwalker.kit.ids import MAX_INT as MAX_INT
from floorwalker.kit.ids import Amount as Amount
from floorwalker.kit.ids import Count as Count
from floorwalker.kit.ids import RecordId
from floorwalker.kit.schemas import InputSchema

#: A row id as input (out-of-range numbers are a validation error).
Id = RecordId

#: The keys of a shipping address snapshot, in display order.
ADDRESS_KEYS = ("name", "line1", "line2", "city", "region", "postal_code", "country", "phone")


class AddressInput(InputSchema):
    """A postal address: line 1, city and a two-letter country are required."""

    name: str = Field(default="", max_length=200)
    line1: str = Field(min_length=1, max_length=300)
    line2: str = Field(default="", max_length=300)
    city: str = Field(min_length=1, max_length=200)
    region: str = Field(default="", max_length=200)
    postal_code: str = Field(default="", max_length=32)
    country: str = Field(min_length=2, max_length=2, description="ISO 3166-1 alpha-2 code.")
    phone: str | None = Field(default=None, max_length=64)

    @field_validator("country")
    @classmethod
    def _country_code(cls, value: str) -> str:
        if not value.isascii() or not value.isalpha():
            raise ValueError("must be a two-letter ISO 3166-1 country code")
        return value.upper()

    def snapshot(self) -> dict[str, Any]:
        """The address as an order stores it."""
        return normalise_address(self.model_dump())


def normalise_address(value: dict[str, Any]) -> dict[str, Any]:
    """An address snapshot with every key present, so two snapshots compare by content."""
    out: dict[str, Any] = {}
    for key in ADDRESS_KEYS:
        raw = value.get(key)
        if key == "phone":
            out[key] = (str(raw).strip() or None) if raw is not None else None
        else:
            out[key] = str(raw or "").strip()
    out["country"] = out["country"].upper()
    return out


def format_address(value: dict[str, Any]) -> str:
    """One line for people: "12 St James's Square, London SW1Y 4JH, GB"."""
    address = normalise_address(value)
    town = " ".join(p for p in (address["city"], address["postal_code"]) if p)
    parts = [address["line1"], address["line2"], town, address["region"], address["country"]]
    return ", ".join(p for p in parts if p)


class LineSwap(InputSchema):
    """Swap units of an order line for another variant of the same product."""

    line_id: Id
    variant_id: Id = Field(description="The variant the units become.")
    quantity: Count | None = Field(
        default=None, description="How many units (default: every unit left on the line)."
    )


class ReturnItem(InputSchema):
    """Units of an order line to send back."""

    line_id: Id
    quantity: Count | None = Field(
        default=None, description="How many units (default: every unit left on the line)."
    )
