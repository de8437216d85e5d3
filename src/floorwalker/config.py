"""One typed Settings object, read from `FLOORWALKER_*` environment variables (and `.env`).

Every field is documented in docs/configuration.md; tests/test_docs.py keeps the two in step.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Self

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

#: Secret values that are only acceptable on a developer's machine.
PLACEHOLDER_SECRETS = frozenset({"", "change-me", "changeme", "changethis", "secret", "dev"})


class Environment(StrEnum):
    """Where the service runs; `production` refuses unsafe defaults."""

    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


class JobsMode(StrEnum):
    """Where the background jobs run."""

    IN_PROCESS = "in-process"
    OFF = "off"


class SettingsError(ValueError):
    """The configuration cannot be used as given."""


class Settings(BaseSettings):
    """Floorwalker's configuration. Field docs are the configuration reference's source."""

    model_config = SettingsConfigDict(
        env_prefix="FLOORWALKER_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
    )

    environment: Environment = Field(
        default=Environment.DEVELOPMENT,
        description="development, test or production; production refuses placeholder secrets.",
    )
    data_dir: Path = Field(
        default=Path(".floorwalker"),
        description=(
            "Directory for the default SQLite database, trained models and the mail outbox."
        ),
    )
    database_url: str | None = Field(
        default=None,
        description=(
            "SQLAlchemy URL. Default: a SQLite file `floorwalker.db` under data_dir. "
            "PostgreSQL: `postgresql://user@host:5432/dbname`."
        ),
    )
    redis_url: str | None = Field(
        default=None,
        description="Optional Redis URL for rate limits, caches and cross-worker fan-out.",
    )
    secret_key: SecretStr = Field(
        default=SecretStr("change-me"),
        description=(
            "Key that encrypts stored secrets and customers' personal data; several, "
            "comma-separated and newest first, while rotating (`floorwalker privacy "
            "rotate-keys`). Must be set to a long random value outside development."
        ),
    )
    host: str = Field(default="127.0.0.1", description="Address `floorwalker serve` binds.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port `floorwalker serve` binds.")
    public_url: str | None = Field(
        default=None,
        description="URL shoppers and webhooks reach this service at (default: http://host:port).",
    )
    # -- the assistant's model: remote when a base URL or a key is set, the local one otherwise
    model_base_url: str | None = Field(
        default=None,
        description="Base URL of an OpenAI-compatible chat-completions API (remote model).",
    )
    model_api_key: SecretStr | None = Field(
        default=None, description="API key of the remote model service (sent as a Bearer token)."
    )
    model_name: str = Field(default="gpt-4o-mini", description="Remote model name.")
    model_timeout_seconds: float = Field(
        default=30.0, gt=0, description="Seconds to wait for the remote model before falling back."
    )
    model_max_retries: int = Field(
        default=2, ge=0, le=10, description="Retries (with backoff) on 429, 5xx and timeouts."
    )
    allow_model_requests: bool = Field(
        default=True,
        description="When false, the remote model may be reached on loopback only (tests).",
    )
    assistant_messages_per_minute: int = Field(
        default=20, ge=1, description="Messages one conversation may send per minute."
    )
    assistant_proposal_ttl_minutes: int = Field(
        default=30, ge=1, description="Minutes a proposed change stays confirmable."
    )
    identity_token_leeway_seconds: int = Field(
        default=60, ge=0, le=600, description="Clock skew allowed on shopper identity tokens."
    )
    identity_jwks_cache_seconds: float = Field(
        default=300.0,
        gt=0,
        le=86_400,
        description="Seconds a store's identity-token key set (JWKS) is cached; an unknown key "
        "id refetches it sooner.",
    )
    mail_sender: str = Field(
        default="outbox",
        pattern="^(outbox|smtp)$",
        description="How e-mail (verification codes) is sent: outbox (kept, development) or smtp.",
    )
    smtp_host: str | None = Field(default=None, description="SMTP server host.")
    smtp_port: int = Field(default=587, ge=1, le=65535, description="SMTP server port.")
    smtp_username: str | None = Field(default=None, description="SMTP user name.")
    smtp_password: SecretStr | None = Field(default=None, description="SMTP password.")
    smtp_from: str = Field(
        default="floorwalker@localhost", description="From address of e-mail Floorwalker sends."
    )
    smtp_starttls: bool = Field(default=True, description="Use STARTTLS with the SMTP server.")
    # -- search: in-memory indexes per store, optional semantic retrieval by embeddings
    search_refresh_seconds: float = Field(
        default=2.0,
        gt=0,
        le=3600,
        description="How often each worker's search index polls the catalog for changes.",
    )
    search_embeddings_url: str | None = Field(
        default=None,
        description=(
            "Base URL of an OpenAI-compatible embeddings API (`…/v1`); when set, search fuses "
            "semantic matches with keyword matches. Off by default."
        ),
    )
    search_embeddings_api_key: SecretStr | None = Field(
        default=None, description="API key of the embeddings service (sent as a Bearer token)."
    )
    search_embeddings_model: str = Field(
        default="text-embedding-3-small", description="Embeddings model name."
    )
    search_embeddings_dimensions: int | None = Field(
        default=None,
        ge=1,
        le=8192,
        description="Ask the embeddings model for this many dimensions.",
    )
    search_embeddings_timeout_seconds: float = Field(
        default=10.0, gt=0, description="Seconds to wait for one embeddings request."
    )
    # -- background jobs: in the server (the embedded default) or in `floorwalker worker`
    jobs: JobsMode = Field(
        default=JobsMode.IN_PROCESS,
        description=(
            "in-process: the server runs the background jobs; off: it runs none (run "
            "`floorwalker worker` in one separate process instead)."
        ),
    )
    connectors_interval_seconds: float = Field(
        default=5.0,
        ge=0,
        le=3600,
        description=(
            "How often the `connectors.run` job queues write-backs, delivers webhooks and syncs "
            "connections that are due (seconds). 0 turns it off."
        ),
    )
    # -- recommendations: versioned models trained by a job, served from memory
    recommend_train_interval_minutes: int = Field(
        default=60,
        ge=0,
        le=10_080,
        description=(
            "How often the `recommend.train` job retrains every store's recommender "
            "(minutes; it skips stores whose data did not change). 0 turns the schedule off."
        ),
    )
    recommend_keep_versions: int = Field(
        default=3,
        ge=1,
        le=100,
        description="Trained recommender versions kept per store on disk (the current is kept).",
    )
    # -- insights: forecasts and lost-demand signals computed by jobs
    insights_interval_minutes: int = Field(
        default=15,
        ge=0,
        le=10_080,
        description=(
            "How often the `insights.lost_demand` and `insights.forecast` jobs run "
            "for every store (minutes; the forecast refits only when a week's sales changed). "
            "0 turns the schedule off."
        ),
    )
    # -- privacy: retention purges and platforms' privacy requests, by jobs
    privacy_interval_minutes: int = Field(
        default=60,
        ge=0,
        le=10_080,
        description=(
            "How often the `privacy.purge` job applies every store's retention "
            "settings and answers platforms' privacy requests (minutes). 0 turns it off."
        ),
    )
    log_level: str = Field(default="INFO", description="Log level: DEBUG, INFO, WARNING, ERROR.")
    log_json: bool = Field(default=False, description="Write logs as JSON lines instead of text.")
    db_echo: bool = Field(default=False, description="Log every SQL statement (debugging only).")
    max_request_bytes: int = Field(
        default=5_000_000, ge=1024, description="Largest request body the API accepts, in bytes."
    )
    rate_limit_per_key: int = Field(
        default=1200, ge=1, description="Requests per minute one secret API key may make."
    )
    rate_limit_per_ip: int = Field(
        default=600,
        ge=1,
        description="Requests per minute from one client address (widget and unauthenticated).",
    )
    trust_proxy_headers: bool = Field(
        default=False,
        description="Take the client address from X-Forwarded-For (only behind a trusted proxy).",
    )

    @model_validator(mode="after")
    def _refuse_placeholder_secrets(self) -> Self:
        if (
            self.environment is Environment.PRODUCTION
            and self.secret_key.get_secret_value().strip().lower() in PLACEHOLDER_SECRETS
        ):
            raise SettingsError(
                "FLOORWALKER_SECRET_KEY is a placeholder; set a long random value in production "
                "(for example: python -c 'import secrets; print(secrets.token_urlsafe(48))')."
            )
        if (
            self.environment is Environment.PRODUCTION
            and len(self.secret_key.get_secret_value()) < 32
        ):
            raise SettingsError(
                "FLOORWALKER_SECRET_KEY must be at least 32 characters in production."
            )
        return self

    @property
    def resolved_database_url(self) -> str:
        """The database URL, defaulting to a SQLite file under data_dir."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'floorwalker.db').resolve()}"

    @property
    def resolved_public_url(self) -> str:
        """The public base URL without a trailing slash."""
        if self.public_url:
            return self.public_url.rstrip("/")
        return f"http://{self.host}:{self.port}"

    def ensure_data_dir(self) -> Path:
        """Create data_dir if missing and return it."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return self.data_dir
