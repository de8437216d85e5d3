"""Finding personal data: patterns for the log safety net, known values for erasure."""

from __future__ import annotations

import pytest

from floorwalker.kit.pii import needles_of, redact_text, redact_value, scrub, scrub_text


class TestRedactText:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("mail ada.lovelace@example.com now", "mail [email] now"),
            ("GET /v1/customers?email=ada%40example.com", "GET /v1/customers?email=[email]"),
            ("call +44 20 7946 0958", "call [phone]"),
            ("call (555) 123-4567 today", "call [phone] today"),
            ("call 555-123-4567", "call [phone]"),
            ("card 4242 4242 4242 4242", "card [card]"),
            ("card 4242424242424242", "card [card]"),
        ],
    )
    def test_hides_what_looks_personal(self, text: str, expected: str) -> None:
        assert redact_text(text) == expected

    @pytest.mark.parametrize(
        "text",
        [
            "shopify customer 7001234567890",
            "placed 2026-11-27T10:00:00",
            "order #W1001 total 12.50",
            "listening on 127.0.0.1:8000",
            "version 1.10.0, 100% done",
            "4242424242424241 fails the Luhn check",
        ],
    )
    def test_leaves_ids_dates_and_numbers_alone(self, text: str) -> None:
        assert redact_text(text) == text

    def test_redacts_inside_documents(self) -> None:
        assert redact_value({"to": ["a@b.example"], "n": 3, "note": "x"}) == {
            "to": ["[email]"],
            "n": 3,
            "note": "x",
        }


class TestScrub:
    def test_removes_known_values_case_insensitively_everywhere(self) -> None:
        needles = needles_of(["ada@example.com", "Ada Lovelace", "Al", None, "+44 20 7946 0958"])
        document = {
            "plan": {"address_after": {"name": "ADA LOVELACE", "line1": "12 Square"}},
            "to": "ada@example.com",
            "ada@example.com": 1,
            "lines": [{"title": "Shirt", "qty": 2}],
            "phone": "call +44 20 7946 0958 please",
        }

        scrubbed, count = scrub(document, needles)

        assert needles == ["+44 20 7946 0958", "ada@example.com", "Ada Lovelace"]
        assert count == 4
        assert scrubbed == {
            "plan": {"address_after": {"name": "[erased]", "line1": "12 Square"}},
            "to": "[erased]",
            "[erased]": 1,
            "lines": [{"title": "Shirt", "qty": 2}],
            "phone": "call [erased] please",
        }

    def test_nothing_to_remove_changes_nothing(self) -> None:
        document = {"a": ["b", 1]}

        assert scrub(document, needles_of(["zzzz@example.com"])) == (document, 0)
        assert scrub(document, []) == (document, 0)
        assert scrub_text("Dear Ada", needles_of(["Ada"])) == ("Dear Ada", 0)
