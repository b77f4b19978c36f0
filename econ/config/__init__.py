"""Settings from the environment: one frozen dataclass, read when asked, never at import.

Every variable is declared once in VARIABLES (name, parser, default, meaning); start-up
validates all of them and reports every bad one in one message naming the variable. The
README's configuration table is generated from VARIABLES (`econ settings --markdown`) and a
test keeps it equal. Production (`ECON_ENV=production`) refuses to start without keys;
development generates one under the data directory and says so.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from econ.config.keys import MIN_KEY_BITS, development_key, key_entropy_bits, key_problems
from econ.config.parsers import LEGACY_KEY_ID, keyring, secret
from econ.config.variables import OTHER_PREFIXES, OTHER_VARIABLES, VARIABLES, Variable

__all__ = [
    "MIN_KEY_BITS",
    "VARIABLES",
    "ConfigError",
    "Settings",
    "Variable",
    "get_settings",
    "key_entropy_bits",
    "load_settings",
    "markdown_table",
    "use_settings",
]


class ConfigError(RuntimeError):
    """The environment is not fit to start in (e.g. production without a secret key)."""


@dataclass(frozen=True)
class Settings:
    env: str = "development"
    data_dir: Path = Path("var")
    database_url: str = ""
    broker_url: str = ""
    secret_key: str = field(default="", repr=False)
    secret_keys: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    keyring_file: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    hash_key: str = field(default="", repr=False)
    host: str = "127.0.0.1"
    port: int = 8000
    token_ttl_minutes: int = 12 * 60
    max_query_depth: int = 10
    max_aliases: int = 30
    max_query_fields: int = 400
    max_page_size: int = 100
    max_body_bytes: int = 2 * 1024 * 1024
    max_query_cost: int = 10_000
    introspection: bool = True
    rate_limit_url: str = ""
    anonymous_rate: str = "120/minute"
    login_rate: str = "20/minute"
    enrolment_code_hours: int = 72
    hire_backdate_days: int = 31
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 64 * 1024
    worker_concurrency: int = 2
    request_threads: int = 0  # 0: 1 on SQLite, 4 on PostgreSQL (econ/lanes.py)
    embedded_beat: bool = True
    payment_chunk_size: int = 500
    font_dir: str = ""
    log_level: str = "INFO"
    log_format: str = "json"
    metrics_token: str = field(default="", repr=False)
    metrics_port: int = 0

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "econ.db"

    @property
    def in_process_worker(self) -> bool:
        return not self.broker_url

    @property
    def field_keys(self) -> tuple[tuple[str, str], ...]:
        """(key id, secret) pairs, the current key first."""
        return self.secret_keys or self.keyring_file or ((LEGACY_KEY_ID, self.secret_key),)

    @property
    def hashing_secret(self) -> str:
        return self.hash_key or self.secret_key


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Read and check every ECON_* variable; all problems are reported together."""
    env = dict(os.environ if environ is None else environ)
    values: dict[str, Any] = {}
    problems: list[str] = []
    for var in VARIABLES:
        raw = env.get(var.name, "").strip()
        if not raw:
            continue
        try:
            values[var.attr] = var.parse(raw)
        except ValueError as exc:
            shown = "(hidden)" if var.parse in (secret, keyring) else repr(raw)
            problems.append(f"{var.name} {exc}, got {shown}")
    _warn_unknown(env)
    mode = values.get("env", "development")
    data_dir = values.get("data_dir", Path("var"))
    problems += key_problems(values, production=mode == "production")
    if problems:
        raise ConfigError("; ".join(problems))
    if not any(k in values for k in ("secret_key", "secret_keys", "keyring_file")):
        values["secret_key"] = development_key(data_dir)
    values.setdefault("introspection", mode != "production")
    return Settings(**values)


def _warn_unknown(env: dict[str, str]) -> None:
    """A warning, not a refusal: a typo must be visible, a stray variable must not stop us."""
    known = {v.name for v in VARIABLES} | OTHER_VARIABLES
    for name in sorted(env):
        if name.startswith("ECON_") and name not in known and not name.startswith(OTHER_PREFIXES):
            print(f"econ: {name} is not a setting of econ (a typo?), ignored", file=sys.stderr)


def markdown_table() -> str:
    """The README's configuration table, generated from VARIABLES."""
    rows = ["| variable | default | meaning |", "| --- | --- | --- |"]
    rows += [f"| `{v.name}` | {v.default_doc} | {v.meaning} |" for v in VARIABLES]
    return "\n".join(rows)


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
