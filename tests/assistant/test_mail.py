"""Mail senders: the development outbox, and SMTP against a small local SMTP server."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from floorwalker.assistant.identity.mail import Mail, OutboxSender, SmtpSender
from floorwalker.assistant.repository import AssistantRepository
from floorwalker.config import Settings
from floorwalker.kit.db import Database
from floorwalker.stores.models import Store


class SmtpSink:
    """Just enough SMTP (RFC 5321) to receive one message per connection."""

    def __init__(self) -> None:
        self.messages: list[dict[str, str]] = []
        self.port = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        envelope: dict[str, str] = {}

        async def reply(line: str) -> None:
            writer.write(f"{line}\r\n".encode())
            await writer.drain()

        await reply("220 sink ready")
        while line := (await reader.readline()).decode().rstrip("\r\n"):
            verb = line.split(" ", 1)[0].upper()
            if verb in {"EHLO", "HELO"}:
                await reply("250 sink")
            elif verb == "MAIL":
                envelope["from"] = line.split(":", 1)[1].strip()
                await reply("250 ok")
            elif verb == "RCPT":
                envelope["to"] = line.split(":", 1)[1].strip()
                await reply("250 ok")
            elif verb == "DATA":
                await reply("354 go ahead")
                body = []
                while (data := (await reader.readline()).decode()) != ".\r\n":
                    body.append(data)
                envelope["data"] = "".join(body)
                self.messages.append(envelope)
                await reply("250 queued")
            elif verb == "QUIT":
                await reply("221 bye")
                break
            else:
                await reply("250 ok")
        writer.close()


@pytest.fixture
async def sink() -> AsyncIterator[SmtpSink]:
    receiver = SmtpSink()
    server = await asyncio.start_server(receiver.handle, "127.0.0.1", 0)
    receiver.port = server.sockets[0].getsockname()[1]
    yield receiver
    server.close()
    await server.wait_closed()


class TestSenders:
    async def test_smtp_delivers_the_message(self, sink: SmtpSink, settings: Settings) -> None:
        sender = SmtpSender(
            settings.model_copy(
                update={
                    "smtp_host": "127.0.0.1",
                    "smtp_port": sink.port,
                    "smtp_starttls": False,
                    "smtp_from": "shop@example.com",
                }
            )
        )

        await sender.send(
            Mail(store_id=1, to="ada@example.com", subject="Your code", body="It is 123456.")
        )

        [message] = sink.messages
        assert message["from"] == "<shop@example.com>"
        assert message["to"] == "<ada@example.com>"
        assert "Subject: Your code" in message["data"]
        assert "It is 123456." in message["data"]

    async def test_an_unreachable_server_is_logged_not_raised(self, settings: Settings) -> None:
        sender = SmtpSender(
            settings.model_copy(
                update={"smtp_host": "127.0.0.1", "smtp_port": 1, "smtp_starttls": False}
            )
        )

        await sender.send(Mail(store_id=1, to="a@example.com", subject="s", body="b"))

    def test_smtp_needs_a_host(self, settings: Settings) -> None:
        with pytest.raises(ValueError, match="FLOORWALKER_SMTP_HOST"):
            SmtpSender(settings.model_copy(update={"smtp_host": None}))

    async def test_the_outbox_keeps_the_message(self, db: Database, store: Store) -> None:
        await OutboxSender(db).send(
            Mail(
                store_id=store.id, to="Ada@Example.com", subject="Code", body="123456", purpose="x"
            )
        )

        async with db.reading() as session:
            [kept] = await AssistantRepository(session, store.id).outbox(
                to_address="ada@example.com"
            )
        assert (kept.subject, kept.body, kept.purpose) == ("Code", "123456", "x")
