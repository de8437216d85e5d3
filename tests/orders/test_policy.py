"""The policy text the assistant quotes says what the order services enforce."""

from __future__ import annotations

from floorwalker.stores.policy import StorePolicy


class TestDescribePolicy:
    def test_the_default_policy(self) -> None:
        assert StorePolicy().describe().split("\n") == [
            'Orders can be cancelled while they are pending; the reason must be one of: "no '
            'longer needed", "ordered by mistake". Every payment is refunded to the method it was '
            "made with; gift-card refunds arrive immediately, card and PayPal refunds take 5-7 "
            "business days.",
            "While an order is pending, its shipping address can be changed; so can its payment "
            "method if it was paid with a single one (the old payment is refunded, the new one "
            "charged, and a gift card must cover the whole amount); and items can be swapped for "
            "other available options of the same product (at most 1 time; after that the order "
            "can no longer be changed or cancelled).",
            "Items of delivered orders can be returned or exchanged for another option of the "
            "same product within 30 days of delivery. Refunds go to the original payment method "
            "or one of your gift cards and are paid once the items are received. For an "
            "exchange, a higher price is charged when it is requested and a lower one refunded "
            "once the items are received, on one of your payment methods; a gift card must cover "
            "the whole difference.",
        ]

    def test_a_stricter_store(self) -> None:
        policy = StorePolicy(
            cancellable_statuses=["pending", "processing"],
            cancel_reasons=["changed my mind"],
            max_item_modifications=0,
            returnable_statuses=["delivered"],
            exchangeable_statuses=["delivered", "exchanged"],
            return_window_days=None,
            return_refund_destinations=["gift_card"],
        )

        text = policy.describe()

        assert "cancelled while they are pending or processing" in text
        assert '"changed my mind"' in text
        assert "(not allowed in this store)" in text
        assert (
            "Items of delivered orders can be returned, and items of delivered or exchanged "
            "orders exchanged for another option of the same product. Refunds go to one of your "
            "gift cards"
        ) in text
