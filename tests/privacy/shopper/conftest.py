"""The assistant's fixtures (a scenario shop, a runtime, a chat driver, a widget client)."""

from tests.assistant.conftest import (  # noqa: F401 - fixtures used by these tests
    chat,
    runtime,
    shop,
    widget,
    widget_key,
)
