"""Words for order statuses, shared by the local model's replies and the reply check."""

from __future__ import annotations

#: How a reply says where an order is: "Order W1001 has shipped".
STATUS_WORDS = {
    "pending": "is confirmed and being prepared (it has not shipped yet)",
    "processing": "is being processed",
    "shipped": "has shipped",
    "delivered": "was delivered",
    "cancelled": "was cancelled",
    "return_requested": "has a return in progress",
    "returned": "was returned",
    "exchange_requested": "has an exchange in progress",
    "exchanged": "was exchanged",
}
