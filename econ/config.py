"""Settings from the environment: one frozen dataclass, read when asked, never at import.

Every variable is `ECON_*` with a safe default and is listed in the README's table.
Production (`ECON_ENV=production`) refuses to start without `ECON_SECRET_KEY`;
development generates one under the data directory and says so.
"""

from __future__ import annotations

import os
import secrets
import sys
from dataclasses import dataclass, field
from pathlib import Path

ENVIRONMENTS = ("development", "production", "test")


class ConfigError(RuntimeError):
    """The environment is not fit to start in (e.g. production without a secret key)."""


def _int(env: dict[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from exc


def _bool(env: dict[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    return raw in ("1", "true", "yes", "on")


@dataclass(frozen=True)
class Settings:
    env: str = "development"
    data_dir: Path = Path("var")
    database_url: str = ""
    broker_url: str = ""
    secret_key: str = field(default="", repr=False)
    host: str = "127.0.0.1"
    port: int = 8000
    token_ttl_minutes: int = 12 * 60
    max_query_depth: int = 10
    max_aliases: int = 30
    max_query_fields: int = 400
    max_page_size: int = 100
    max_body_bytes: int = 2 * 1024 * 1024
    introspection: bool = True
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 64 * 1024
    worker_concurrency: int = 2
    log_level: str = "INFO"

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "econ.db"

    @property
    def in_process_worker(self) -> bool:
        return not self.broker_url


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Read ECON_* variables; production checks happen here so a bad config fails fast."""
    env = dict(os.environ if environ is None else environ)
    mode = env.get("ECON_ENV", "development").strip() or "development"
    if mode not in ENVIRONMENTS:
        raise ConfigError(f"ECON_ENV must be one of {', '.join(ENVIRONMENTS)}, got {mode!r}")
    production = mode == "production"
    data_dir = Path(env.get("ECON_DATA_DIR", "").strip() or "var")
    secret = env.get("ECON_SECRET_KEY", "").strip()
    if production and len(secret) < 32:
        raise ConfigError(
            "ECON_SECRET_KEY must be set (at least 32 characters) in production: it protects "
            "participants' restricted data and the login tokens"
        )
    if not secret:
        secret = _development_key(data_dir)
    return Settings(
        env=mode,
        data_dir=data_dir,
        database_url=env.get("ECON_DATABASE_URL", "").strip(),
        broker_url=env.get("ECON_BROKER_URL", "").strip(),
        secret_key=secret,
        host=env.get("ECON_HOST", "127.0.0.1").strip() or "127.0.0.1",
        port=_int(env, "ECON_PORT", 8000),
        token_ttl_minutes=_int(env, "ECON_TOKEN_TTL_MINUTES", 12 * 60),
        max_query_depth=_int(env, "ECON_MAX_QUERY_DEPTH", 10),
        max_aliases=_int(env, "ECON_MAX_ALIASES", 30),
        max_query_fields=_int(env, "ECON_MAX_QUERY_FIELDS", 400),
        max_page_size=min(_int(env, "ECON_MAX_PAGE_SIZE", 100), 100),
        max_body_bytes=_int(env, "ECON_MAX_BODY_BYTES", 2 * 1024 * 1024),
        introspection=_bool(env, "ECON_INTROSPECTION", not production),
        argon2_time_cost=_int(env, "ECON_ARGON2_TIME_COST", 3),
        argon2_memory_kib=_int(env, "ECON_ARGON2_MEMORY_KIB", 64 * 1024),
        worker_concurrency=_int(env, "ECON_WORKER_CONCURRENCY", 2),
        log_level=env.get("ECON_LOG_LEVEL", "INFO").strip().upper() or "INFO",
    )


def _development_key(data_dir: Path) -> str:
    """A per-installation key under the data directory, created once, readable by us only."""
    path = data_dir / "secret.key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key + "\n")
    print(
        f"econ: generated a development secret key in {path} (set ECON_SECRET_KEY in production)",
        file=sys.stderr,
    )
    return key


_current: Settings | None = None


def get_settings() -> Settings:
    """The process-wide settings, loaded on first use (tests replace them with `use_settings`)."""
    global _current
    if _current is None:
        _current = load_settings()
    return _current


def use_settings(settings: Settings) -> Settings:
    global _current
    _current = settings
    return settings
