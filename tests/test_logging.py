"""No personal data in logs: the structlog safety net redacts what slips through."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from floorwalker.logging import configure_logging, get_logger


@pytest.fixture
def json_logs() -> Iterator[io.StringIO]:
    """Logs configured as in production (JSON lines), written to a buffer."""
    root = logging.getLogger()
    handlers, level = root.handlers, root.level
    configure_logging("INFO", json=True)
    buffer = io.StringIO()
    handler = root.handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(buffer)
    yield buffer
    root.handlers, root.level = handlers, level


def lines(buffer: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in buffer.getvalue().splitlines() if line]


class TestRedaction:
    def test_fields_and_messages_lose_emails_phones_and_cards(self, json_logs: io.StringIO) -> None:
        get_logger("test").info(
            "mail to ada@example.com",
            phone="+44 20 7946 0958",
            card="4242 4242 4242 4242",
            customer_id=4242424242424242,
            external_id="4242424242424242",
        )

        (line,) = lines(json_logs)
        assert line["event"] == "mail to [email]"
        assert (line["phone"], line["card"]) == ("[phone]", "[card]")
        # identifiers are identifiers, even when they pass the Luhn check
        assert (line["customer_id"], line["external_id"]) == (4242424242424242, "4242424242424242")

    def test_tracebacks_are_redacted_too(self, json_logs: io.StringIO) -> None:
        try:
            raise ValueError("duplicate key (email)=(ada@example.com)")
        except ValueError:
            get_logger("test").exception("insert failed")
            logging.getLogger("stdlib").exception("stdlib saw bob@example.com")

        structured, foreign = lines(json_logs)
        assert "ada@example.com" not in str(structured["exception"])
        assert str(structured["exception"]).endswith("ValueError: duplicate key (email)=([email])")
        assert foreign["event"] == "stdlib saw [email]"

    def test_uvicorn_access_lines_keep_their_shape_without_the_query_values(
        self, json_logs: io.StringIO
    ) -> None:
        access = logging.getLogger("uvicorn.access")
        access.info(
            '%s - "%s %s HTTP/%s" %d',
            "127.0.0.1:5000",
            "GET",
            "/v1/customers?email=ada%40example.com",
            "1.1",
            200,
        )

        (line,) = lines(json_logs)
        assert line["event"] == '127.0.0.1:5000 - "GET /v1/customers?email=[email] HTTP/1.1" 200'
