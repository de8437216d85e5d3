"""Settings are safe by default and refuse placeholder secrets outside development."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from floorwalker.config import Environment, Settings


def test_defaults_use_a_sqlite_file_under_the_data_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FLOORWALKER_DATABASE_URL", raising=False)
    settings = Settings(data_dir=Path("/tmp/fw-data"), _env_file=None)  # type: ignore[call-arg]

    assert settings.resolved_database_url == "sqlite:////tmp/fw-data/floorwalker.db"
    assert settings.redis_url is None
    assert settings.environment is Environment.DEVELOPMENT


def test_reads_the_floorwalker_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLOORWALKER_DATABASE_URL", "postgresql://u@db:5432/shop")
    monkeypatch.setenv("FLOORWALKER_PORT", "9001")

    settings = Settings(_env_file=None)  # type: ignore[call-arg]

    assert settings.resolved_database_url == "postgresql://u@db:5432/shop"
    assert settings.port == 9001


@pytest.mark.parametrize("secret", ["change-me", "changethis", "", "short-but-not-placeholder"])
def test_production_refuses_weak_secrets(secret: str) -> None:
    with pytest.raises(ValidationError) as info:
        Settings(environment=Environment.PRODUCTION, secret_key=secret, _env_file=None)  # type: ignore[arg-type,call-arg]

    assert "FLOORWALKER_SECRET_KEY" in str(info.value)


def test_production_accepts_a_long_random_secret() -> None:
    secret = "k" * 48
    settings = Settings(environment=Environment.PRODUCTION, secret_key=secret, _env_file=None)  # type: ignore[arg-type,call-arg]

    assert settings.secret_key.get_secret_value() == secret


def test_development_tolerates_the_placeholder() -> None:
    settings = Settings(environment=Environment.DEVELOPMENT, _env_file=None)  # type: ignore[call-arg]

    assert settings.secret_key.get_secret_value() == "change-me"
