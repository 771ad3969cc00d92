"""Settings: one frozen object read once from the environment and `.env`, checked at start."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class SettingsError(Exception):
    """A setting is missing or wrong; the message is one line naming it."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=True)

    store_url: str = "sqlite:///./var/buyer.db"
    search_url: str = "tantivy://./var/search"
    broker_url: str = "memory://"
    push_url: str = "log://"
    fcm_endpoint: str | None = None
    auth_secret: str | None = None
    auth_mode: Literal["local", "firebase"] = "local"
    firebase_project_id: str | None = None
    firebase_auth_emulator_host: str | None = None
    webhook_secret: str | None = None
    app_env: Literal["development", "production"] = "development"
    trusted_documents: str | None = None
    rate_limit: str = "1000:50"
    cors_origins: str | None = None
    trusted_proxies: str | None = None
    metrics_token: str | None = None
    media_hosts: str = "cdn.buyer-demo.example"
    query_stats: bool = False
    var_dir: str = "./var"
    worker_in_process: bool = True
    request_timeout_seconds: float = Field(default=10.0, gt=0)
    # Anonymous public reads answered from a cache the outbox invalidates: `on` keeps it in Redis when
    # BROKER_URL is Redis, else in process; `memory` in process even then (instances evict on broker
    # messages); `off` runs every request.
    response_cache: Literal["on", "memory", "off"] = "on"
    # False runs prepared documents through graphql-core's executor instead of the compiled plans.
    compiled_plans: bool = True

    @field_validator("rate_limit")
    @classmethod
    def _rate_limit_shape(cls, value: str) -> str:
        capacity, _, rate = value.partition(":")
        if not (capacity.isdigit() and rate.replace(".", "", 1).isdigit() and int(capacity) > 0):
            raise ValueError("must be POINTS:RESTORED_PER_SECOND, e.g. 1000:50")
        return value

    @property
    def production(self) -> bool:
        return self.app_env == "production"

    @property
    def rate_capacity(self) -> int:
        return int(self.rate_limit.split(":")[0])

    @property
    def rate_restore(self) -> float:
        return float(self.rate_limit.split(":")[1])

    @property
    def webhook_secrets(self) -> list[str]:
        return [s.strip() for s in (self.webhook_secret or "").split(",") if s.strip()]

    @property
    def media_host_list(self) -> list[str]:
        return [h.strip().lower() for h in self.media_hosts.split(",") if h.strip()]

    @property
    def trusted_proxy_list(self) -> list[str]:
        return [p.strip() for p in (self.trusted_proxies or "").split(",") if p.strip()]

    @property
    def cors_origin_list(self) -> list[str]:
        return [o.strip() for o in (self.cors_origins or "").split(",") if o.strip()]

    @property
    def trusted_document_paths(self) -> list[str]:
        return [p.strip() for p in (self.trusted_documents or "").split(",") if p.strip()]


def load_settings(**overrides: object) -> Settings:
    """Reads the environment once; a bad value becomes one line naming the variable."""
    try:
        settings = Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        first = error.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "settings"
        raise SettingsError(f"{name}: {first['msg']}") from None
    check_production(settings)
    return settings


def check_production(settings: Settings) -> None:
    if not settings.production:
        return
    if settings.firebase_auth_emulator_host:
        raise SettingsError("FIREBASE_AUTH_EMULATOR_HOST is set: the emulator accepts unsigned tokens")
    if settings.auth_mode == "local" and len((settings.auth_secret or "").encode()) < 32:
        raise SettingsError("AUTH_SECRET must be at least 32 bytes with AUTH_MODE=local in production")
    if not settings.webhook_secrets:
        raise SettingsError("WEBHOOK_SECRET must be set in production")
    if not settings.trusted_document_paths:
        raise SettingsError("TRUSTED_DOCUMENTS must be set in production")


def development_secret(settings: Settings, name: str) -> tuple[str, bool]:
    """A secret kept in the var folder across restarts in development; True when just made."""
    path = Path(settings.var_dir) / f"{name}.secret"
    if path.exists():
        return path.read_text().strip(), False
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    path.write_text(value)
    path.chmod(0o600)
    return value, True
