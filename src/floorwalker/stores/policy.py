"""Store policy is data: the rules order services enforce and the assistant quotes.

The policy text the assistant sees is generated from this object (`describe`), so what it says
and what the services enforce cannot drift apart.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

RefundDestination = Literal["original", "gift_card"]

DEFAULT_CANCEL_REASONS = ["no longer needed", "ordered by mistake"]


class StorePolicy(BaseModel):
    """The rules for support work on orders. Every field has the default policy's value."""

    model_config = ConfigDict(extra="forbid")

    cancellable_statuses: list[str] = Field(
        default_factory=lambda: ["pending"],
        description="Order statuses in which an order may be cancelled.",
    )
    cancel_reasons: list[str] = Field(
        default_factory=lambda: list(DEFAULT_CANCEL_REASONS),
        min_length=1,
        description="Reasons a shopper may give for cancelling; anything else is refused.",
    )
    modifiable_statuses: list[str] = Field(
        default_factory=lambda: ["pending"],
        description="Order statuses in which address, payment method and items may be changed.",
    )
    max_item_modifications: int = Field(
        default=1,
        ge=0,
        description=(
            "How many times an order's items may be changed; once used up, the order can be "
            "neither modified nor cancelled."
        ),
    )
    returnable_statuses: list[str] = Field(
        default_factory=lambda: ["delivered"],
        description="Order statuses in which items may be returned.",
    )
    exchangeable_statuses: list[str] = Field(
        default_factory=lambda: ["delivered"],
        description="Order statuses in which items may be exchanged.",
    )
    return_window_days: int | None = Field(
        default=30,
        ge=0,
        description="Days after delivery within which a return or exchange may be requested "
        "(None: no limit).",
    )
    return_refund_destinations: list[RefundDestination] = Field(
        default_factory=lambda: list[RefundDestination](["original", "gift_card"]),
        min_length=1,
        description="Where a return's refund may go: the original payment method, a gift card.",
    )

    def describe(self, *, currency: str | None = None) -> str:
        """The policy in plain language, as the assistant and the console show it."""
        parts = [
            "Orders can be cancelled while they are "
            + " or ".join(s.replace("_", " ") for s in self.cancellable_statuses)
            + "; the reason must be one of: "
            + ", ".join(f'"{r}"' for r in self.cancel_reasons)
            + ". Every payment is refunded to the method it was made with; gift-card refunds "
            "arrive immediately, card and PayPal refunds take 5-7 business days.",
            "While an order is "
            + " or ".join(s.replace("_", " ") for s in self.modifiable_statuses)
            + ", its shipping address can be changed; so can its payment method if it was paid "
            "with a single one (the old payment is refunded, the new one charged, and a gift "
            "card must cover the whole amount); and items can be swapped for other available "
            "options of the same product"
            + (
                f" (at most {self.max_item_modifications} time"
                + ("s" if self.max_item_modifications != 1 else "")
                + "; after that the order can no longer be changed or cancelled)"
                if self.max_item_modifications
                else " (not allowed in this store)"
            )
            + ".",
            _returns_and_exchanges(self.returnable_statuses, self.exchangeable_statuses)
            + (
                f" within {self.return_window_days} days of delivery"
                if self.return_window_days is not None
                else ""
            )
            + ". Refunds go to "
            + " or ".join(
                "the original payment method" if d == "original" else "one of your gift cards"
                for d in self.return_refund_destinations
            )
            + " and are paid once the items are received. For an exchange, a higher price is "
            "charged when it is requested and a lower one refunded once the items are received, "
            "on one of your payment methods; a gift card must cover the whole difference.",
        ]
        return "\n".join(parts)


def _statuses(statuses: list[str]) -> str:
    return " or ".join(s.replace("_", " ") for s in statuses) or "no"


def _returns_and_exchanges(returnable: list[str], exchangeable: list[str]) -> str:
    """ "Items of delivered orders can be returned or exchanged for ..." for the statuses."""
    if returnable == exchangeable:
        return (
            f"Items of {_statuses(returnable)} orders can be returned or exchanged for another "
            "option of the same product"
        )
    return (
        f"Items of {_statuses(returnable)} orders can be returned, and items of "
        f"{_statuses(exchangeable)} orders exchanged for another option of the same product"
    )
