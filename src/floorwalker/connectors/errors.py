"""Errors of the connectors context."""

from __future__ import annotations

from typing import Any

from floorwalker.errors import AppError, Conflict, Invalid, NotFound, Unauthenticated


class ConnectorError(AppError):
    """The family of connector failures."""

    code = "connector_error"


class ConnectionNotFound(NotFound, ConnectorError):
    """No connection with that id or name in the store."""

    code = "connection_not_found"

    def __init__(self, ref: int | str) -> None:
        super().__init__(f"Connection {ref} not found.", connection=str(ref))


class ConnectionNameTaken(Conflict, ConnectorError):
    """The store already has a connection with that name or source."""

    code = "connection_exists"

    def __init__(self, field: str, value: str) -> None:
        super().__init__(
            f"A connection with {field} {value!r} already exists.", field=field, value=value
        )


class UnknownPlatform(Invalid, ConnectorError):
    """A platform Floorwalker has no connector for."""

    code = "unknown_platform"

    def __init__(self, platform: str, known: list[str]) -> None:
        super().__init__(
            f"No connector for {platform!r}; known: {', '.join(known)}.", platform=platform
        )


class InvalidCredentials(Invalid, ConnectorError):
    """The credentials given for a platform are incomplete or malformed."""

    code = "invalid_platform_credentials"


class ConnectionPaused(Conflict, ConnectorError):
    """The connection is paused: it neither syncs nor accepts webhooks."""

    code = "connection_paused"

    def __init__(self, name: str) -> None:
        super().__init__(f"Connection {name!r} is paused.", connection=name)


class PlatformError(ConnectorError):
    """The platform answered with an error we cannot retry away."""

    code = "platform_error"
    status = 502

    def __init__(self, detail: str, *, status_code: int | None = None, **data: Any) -> None:
        super().__init__(detail, status_code=status_code, **data)
        self.status_code = status_code


class PlatformUnavailable(PlatformError):
    """The platform kept failing (5xx, 429, timeouts) after every retry."""

    code = "platform_unavailable"
    status = 503


class WebhookSignatureInvalid(Unauthenticated, ConnectorError):
    """An inbound webhook whose signature does not match its body and our secret."""

    code = "invalid_webhook_signature"

    def __init__(self, detail: str = "The webhook signature does not match.") -> None:
        super().__init__(detail)


class WebhookNotAccepted(Invalid, ConnectorError):
    """An inbound webhook we cannot read (missing headers, not JSON)."""

    code = "invalid_webhook"


class DeadLetterNotFound(NotFound, ConnectorError):
    """No dead letter with that id in the store."""

    code = "dead_letter_not_found"

    def __init__(self, letter_id: int) -> None:
        super().__init__(f"Dead letter {letter_id} not found.", dead_letter_id=letter_id)


class EndpointNotFound(NotFound, ConnectorError):
    """No webhook endpoint with that id in the store."""

    code = "webhook_endpoint_not_found"

    def __init__(self, endpoint_id: int) -> None:
        super().__init__(f"Webhook endpoint {endpoint_id} not found.", endpoint_id=endpoint_id)


class DeliveryNotFound(NotFound, ConnectorError):
    """No delivery with that id in the store."""

    code = "delivery_not_found"

    def __init__(self, delivery_id: int) -> None:
        super().__init__(f"Delivery {delivery_id} not found.", delivery_id=delivery_id)


class DeliveryNotRetryable(Conflict, ConnectorError):
    """Only failed or unsupported deliveries can be retried by hand."""

    code = "delivery_not_retryable"

    def __init__(self, delivery_id: int, status: str) -> None:
        super().__init__(
            f"Delivery {delivery_id} is {status}; only failed deliveries are retried by hand.",
            delivery_id=delivery_id,
            delivery_status=status,
        )
