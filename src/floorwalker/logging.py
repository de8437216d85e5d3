"""Structured logging (structlog) for the service, the CLI and jobs."""

from __future__ import annotations

import logging
import sys
from collections.abc import MutableMapping
from typing import Any

import structlog

from floorwalker.kit.pii import redact_text, redact_value

#: Fields that hold identifiers, never free text: a 13-digit platform id is not a card number.
_ID_FIELDS = frozenset({"id", "store_id", "customer_id", "order_id", "request_id", "event_id"})


def redact_pii(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """A structlog processor that hides e-mails, phone and card numbers in every log line.

    A safety net, not the rule: code must not log personal data in the first place. It runs
    after tracebacks are formatted, because a database error's message repeats the values of
    the statement that failed.
    """
    for key, value in event_dict.items():
        if key in _ID_FIELDS or key.endswith("_id"):
            continue
        if isinstance(value, str):
            event_dict[key] = redact_text(value)
        elif isinstance(value, dict | list | tuple):
            event_dict[key] = redact_value(value)
    return event_dict


class RedactingFilter(logging.Filter):
    """Redacts uvicorn's own log lines (access lines carry query strings), which uvicorn
    formats itself instead of passing them through structlog."""

    def filter(self, record: logging.LogRecord) -> bool:
        # Redact the arguments, not the message: uvicorn's access formatter unpacks them.
        if isinstance(record.msg, str):
            record.msg = redact_text(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact_text(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {
                k: redact_text(v) if isinstance(v, str) else v for k, v in record.args.items()
            }
        return True


_UVICORN_LOGGERS = ("uvicorn", "uvicorn.access", "uvicorn.error")


def configure_logging(level: str = "INFO", *, json: bool = False) -> None:
    """Route stdlib and structlog logs through one renderer (text or JSON lines)."""
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer()
        if json
        # Plain tracebacks: the rich renderer can hold the event loop for seconds under load.
        else structlog.dev.ConsoleRenderer(
            colors=False, exception_formatter=structlog.dev.plain_traceback
        )
    )
    shared: list[structlog.types.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.format_exc_info,
        redact_pii,
    ]
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(foreign_pre_chain=shared, processor=renderer)
    )
    root = logging.getLogger()
    root.handlers = [handler]
    for name in _UVICORN_LOGGERS:
        own = logging.getLogger(name)
        # uvicorn's config gives its loggers handlers and levels of their own and stops them
        # propagating: their lines would skip the JSON shape of ours and our log level.
        own.handlers = []
        own.propagate = True
        own.setLevel(logging.NOTSET)
        if not any(isinstance(f, RedactingFilter) for f in own.filters):
            own.addFilter(RedactingFilter())
    root.setLevel(level.upper())


def get_logger(name: str) -> structlog.stdlib.BoundLogger:
    """A structured logger for a module."""
    logger: structlog.stdlib.BoundLogger = structlog.stdlib.get_logger(name)
    return logger
