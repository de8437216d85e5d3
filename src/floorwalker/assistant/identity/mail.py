"""Sending e-mail (one-time codes): a pluggable sender.

`outbox` keeps every message in the database (development, tests, demos: `floorwalker chat
outbox` shows them); `smtp` sends through a mail server. Both are called after the transaction
that decided to send has committed, so no writing session waits on a mail server.
"""

from __future__ import annotations

import asyncio
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Protocol

from floorwalker.assistant.models import OutboxMail
from floorwalker.assistant.repository import AssistantRepository
from floorwalker.config import Settings
from floorwalker.kit.db import Database
from floorwalker.logging import get_logger

log = get_logger(__name__)


@dataclass(frozen=True, slots=True)
class Mail:
    """One message to one recipient."""

    store_id: int
    to: str
    subject: str
    body: str
    purpose: str = ""


class MailSender(Protocol):
    """Delivers mail."""

    async def send(self, mail: Mail) -> None:
        """Deliver (or keep) one message."""
        ...


class OutboxSender:
    """Keeps mail in the `mail_outbox` table instead of sending it."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def send(self, mail: Mail) -> None:
        async with self._db.transaction() as session:
            await AssistantRepository(session, mail.store_id).add(
                OutboxMail(
                    to_address=mail.to, subject=mail.subject, body=mail.body, purpose=mail.purpose
                )
            )


class SmtpSender:
    """Sends mail through an SMTP server (STARTTLS and login when configured)."""

    def __init__(self, settings: Settings) -> None:
        if not settings.smtp_host:
            raise ValueError("FLOORWALKER_SMTP_HOST is required with FLOORWALKER_MAIL_SENDER=smtp")
        self._settings = settings

    def _send_blocking(self, message: EmailMessage) -> None:
        s = self._settings
        assert s.smtp_host is not None
        with smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=20) as client:
            if s.smtp_starttls:
                client.starttls()
            if s.smtp_username and s.smtp_password is not None:
                client.login(s.smtp_username, s.smtp_password.get_secret_value())
            client.send_message(message)

    async def send(self, mail: Mail) -> None:
        message = EmailMessage()
        message["From"] = self._settings.smtp_from
        message["To"] = mail.to
        message["Subject"] = mail.subject
        message.set_content(mail.body)
        try:
            await asyncio.to_thread(self._send_blocking, message)
        except (OSError, smtplib.SMTPException):
            # The shopper is told a code is on its way either way; staff see the failure in logs.
            log.exception("mail could not be sent", purpose=mail.purpose)


def build_mail_sender(settings: Settings, db: Database) -> MailSender:
    """The sender the settings choose."""
    if settings.mail_sender == "smtp":
        return SmtpSender(settings)
    return OutboxSender(db)
