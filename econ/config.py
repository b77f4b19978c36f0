"""Settings from the environment: one frozen dataclass, read when asked, never at import.

Every variable is declared once in VARIABLES (name, parser, default, meaning); start-up
validates all of them and reports every bad one in one message naming the variable. The
README's configuration table is generated from VARIABLES (`econ settings --markdown`) and a
test keeps it equal. Production (`ECON_ENV=production`) refuses to start without keys;
development generates one under the data directory and says so.
"""

from __future__ import annotations

import math
import os
import re
import secrets
import stat
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from limits import parse
from zxcvbn import zxcvbn

ENVIRONMENTS = ("development", "production", "test")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
MIN_SECRET = 32
KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,16}$")
LEGACY_KEY_ID = "0"  # the id of ECON_SECRET_KEY in the key ring


class ConfigError(RuntimeError):
    """The environment is not fit to start in (e.g. production without a secret key)."""


# Parsers: take the stripped text, return the value or raise ValueError saying what is wanted.


def integer(low: int, high: int | None = None) -> Callable[[str], int]:
    def parse(raw: str) -> int:
        try:
            value = int(raw)
        except ValueError:
            raise ValueError("must be a whole number") from None
        if value < low or (high is not None and value > high):
            raise ValueError(f"must be between {low} and {high}" if high else f"must be ≥ {low}")
        return value

    return parse


def boolean(raw: str) -> bool:
    lowered = raw.lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ValueError("must be one of true, false, 1, 0, yes, no, on, off")


def choice(*values: str, upper: bool = False) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        value = raw.upper() if upper else raw
        if value not in values:
            raise ValueError(f"must be one of {', '.join(values)}")
        return value

    return parse


def url(*schemes: str) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        if not raw.startswith(tuple(f"{s}://" for s in schemes)):
            raise ValueError(
                f"must be a URL starting with {' or '.join(s + '://' for s in schemes)}"
            )
        return raw

    return parse


def text(raw: str) -> str:
    return raw


def secret(raw: str) -> str:
    if len(raw) < MIN_SECRET:
        raise ValueError(f"must be at least {MIN_SECRET} characters")
    return raw


def keyring(raw: str) -> tuple[tuple[str, str], ...]:
    """`id:secret,id:secret`, current key first."""
    return _keyring_entries(raw.replace(",", "\n"))


def _keyring_entries(body: str) -> tuple[tuple[str, str], ...]:
    entries = []
    for line in body.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key_id, _, value = line.partition(":")
        key_id, value = key_id.strip(), value.strip()
        if not KEY_ID.match(key_id):
            raise ValueError(f"key id {key_id!r} must be 1-16 letters, digits, - or _")
        if len(value) < MIN_SECRET:
            raise ValueError(f"key {key_id!r} must be at least {MIN_SECRET} characters")
        entries.append((key_id, value))
    if not entries:
        raise ValueError("holds no key")
    ids = [key_id for key_id, _ in entries]
    if len(set(ids)) != len(ids):
        raise ValueError("names a key id twice")
    return tuple(entries)


def keyring_file(raw: str) -> tuple[tuple[str, str], ...]:
    """A file with one `id:secret` per line, current key first; readable by its owner only."""
    path = Path(raw)
    try:
        mode = path.stat().st_mode
        body = path.read_text()
    except OSError as exc:
        raise ValueError(f"cannot be read ({exc.strerror})") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ValueError(f"is readable by others: chmod 600 {path}")
    return _keyring_entries(body)


def rate(raw: str) -> str:
    """A request rate in the `limits` library's notation: "20/minute", "100 per hour"."""
    try:
        parse(raw)
    except ValueError:
        raise ValueError("must be a rate like 20/minute") from None
    return raw


MIN_KEY_BITS = 100


def key_entropy_bits(key: str) -> float:
    """An estimate of a key's entropy: the lower of its length times the Shannon entropy of
    its characters (a repeated letter: 0) and zxcvbn's guess count (repeats, sequences and
    words: "0123456789" four times has many distinct characters but few guesses). Random
    keys (token_urlsafe, token_hex) score far above MIN_KEY_BITS."""
    if not key:
        return 0.0
    counts = Counter(key)
    per_char = -sum(n / len(key) * math.log2(n / len(key)) for n in counts.values())
    guesses_log10 = zxcvbn(key[:100], max_length=100)["guesses_log10"]
    return min(per_char * len(key), guesses_log10 * math.log2(10))


@dataclass(frozen=True)
class Variable:
    name: str
    attr: str
    parse: Callable[[str], Any]
    default: Any  # equal to Settings' default (a test checks); None: depends on ECON_ENV
    default_doc: str
    meaning: str


VARIABLES: tuple[Variable, ...] = (
    Variable(
        "ECON_ENV",
        "env",
        choice(*ENVIRONMENTS),
        "development",
        "`development`",
        "`development`, `production` or `test`. Production requires keys (below), refuses "
        "`econ demo` and "
        "turns introspection and GraphiQL off.",
    ),
    Variable(
        "ECON_DATA_DIR",
        "data_dir",
        Path,
        Path("var"),
        "`var`",
        "Everything the service writes: SQLite file, development key, documents. "
        "Shared volume in production.",
    ),
    Variable(
        "ECON_DATABASE_URL",
        "database_url",
        url("postgresql", "postgres", "sqlite"),
        "",
        "*(empty: SQLite `$ECON_DATA_DIR/econ.db`)*",
        "e.g. `postgresql://econ@db:5432/econ` (connections are pooled).",
    ),
    Variable(
        "ECON_BROKER_URL",
        "broker_url",
        url("redis", "rediss"),
        "",
        "*(empty: in-process worker)*",
        "e.g. `redis://redis:6379/0`; then run `celery -A econ.worker worker`.",
    ),
    Variable(
        "ECON_SECRET_KEY",
        "secret_key",
        secret,
        "",
        "*(generated in `var/secret.key` in development)*",
        "One field-encryption key (key id `0`), at least 32 characters; also the hashing "
        "key unless `ECON_HASH_KEY` is set. Or a key ring, one of the next two. Keep keys "
        "secret and backed up apart from the data: without them it cannot be read.",
    ),
    Variable(
        "ECON_SECRET_KEYS",
        "secret_keys",
        keyring,
        (),
        "*(none)*",
        "Field-encryption key ring `id:secret,id:secret`, current key first "
        "(AES-256-GCM, HKDF-derived; old keys stay to read values until "
        "`econ keys rotate` has re-encrypted them).",
    ),
    Variable(
        "ECON_KEYRING_FILE",
        "keyring_file",
        keyring_file,
        (),
        "*(none)*",
        "The same key ring in a file (`id:secret` per line, current first, `#` comments, "
        "mode 600).",
    ),
    Variable(
        "ECON_HASH_KEY",
        "hash_key",
        secret,
        "",
        "*(`ECON_SECRET_KEY`)*",
        "Key of the keyed hashes: login tokens, lookup hashes, the audit chain. Never "
        "rotated with the field keys; required with a key ring. Moving from "
        "`ECON_SECRET_KEY` to a key ring, set it to the old `ECON_SECRET_KEY`.",
    ),
    Variable("ECON_HOST", "host", text, "127.0.0.1", "`127.0.0.1`", "Where `econ serve` listens."),
    Variable("ECON_PORT", "port", integer(1, 65535), 8000, "`8000`", "Port of `econ serve`."),
    Variable(
        "ECON_TOKEN_TTL_MINUTES",
        "token_ttl_minutes",
        integer(1),
        12 * 60,
        "`720`",
        "Lifetime of a login token.",
    ),
    Variable(
        "ECON_MAX_QUERY_DEPTH", "max_query_depth", integer(1), 10, "`10`", "GraphQL depth limit."
    ),
    Variable("ECON_MAX_ALIASES", "max_aliases", integer(1), 30, "`30`", "Aliases per query."),
    Variable(
        "ECON_MAX_QUERY_FIELDS",
        "max_query_fields",
        integer(1),
        400,
        "`400`",
        "Field selections per query (cost bound).",
    ),
    Variable(
        "ECON_MAX_PAGE_SIZE",
        "max_page_size",
        integer(1, 100),
        100,
        "`100`",
        "Largest `first` of a connection (1 to 100).",
    ),
    Variable(
        "ECON_MAX_QUERY_COST",
        "max_query_cost",
        integer(1),
        10_000,
        "`10000`",
        "Most objects a GraphQL document may return in the worst case (pages and list bounds "
        "multiplied); costlier documents are refused before they run.",
    ),
    Variable(
        "ECON_MAX_BODY_BYTES",
        "max_body_bytes",
        integer(1024),
        2 * 1024 * 1024,
        "`2097152`",
        "Largest request body.",
    ),
    Variable(
        "ECON_INTROSPECTION",
        "introspection",
        boolean,
        None,
        "on, off in production",
        "Schema introspection and GraphiQL (`true` or `false`).",
    ),
    Variable(
        "ECON_RATE_LIMIT_URL",
        "rate_limit_url",
        url("redis", "rediss", "memory"),
        "",
        "*(empty: counted in the database)*",
        "Where request counters live: e.g. `redis://redis:6379/1`; `memory://` only for a "
        "single process. Every worker must use the same place.",
    ),
    Variable(
        "ECON_ANONYMOUS_RATE",
        "anonymous_rate",
        rate,
        "120/minute",
        "`120/minute`",
        "Requests without a session per client address.",
    ),
    Variable(
        "ECON_LOGIN_RATE",
        "login_rate",
        rate,
        "20/minute",
        "`20/minute`",
        "Sign-ins per client address (failed ones are also slowed per account).",
    ),
    Variable(
        "ECON_ENROLMENT_CODE_HOURS",
        "enrolment_code_hours",
        integer(1, 24 * 30),
        72,
        "`72`",
        "How long a one-time enrolment code works after its login request is approved.",
    ),
    Variable(
        "ECON_HIRE_BACKDATE_DAYS",
        "hire_backdate_days",
        integer(0, 366),
        31,
        "`31`",
        "How many days before the day it is recorded a hire's start date may lie.",
    ),
    Variable(
        "ECON_ARGON2_TIME_COST",
        "argon2_time_cost",
        integer(1),
        3,
        "`3`",
        "argon2id passes (tests lower it).",
    ),
    Variable(
        "ECON_ARGON2_MEMORY_KIB",
        "argon2_memory_kib",
        integer(8),
        64 * 1024,
        "`65536`",
        "argon2id memory (tests lower it).",
    ),
    Variable(
        "ECON_WORKER_CONCURRENCY",
        "worker_concurrency",
        integer(1, 64),
        2,
        "`2`",
        "Threads of the in-process worker.",
    ),
    Variable(
        "ECON_EMBEDDED_BEAT",
        "embedded_beat",
        boolean,
        True,
        "`true`",
        "Without a broker, the in-process worker also runs every domain's periodic work on "
        "its schedule (production runs `celery beat`).",
    ),
    Variable(
        "ECON_PAYMENT_CHUNK_SIZE",
        "payment_chunk_size",
        integer(1, 100_000),
        500,
        "`500`",
        "Schedules calculated per transaction in a payment run (progress is reported per chunk).",
    ),
    Variable(
        "ECON_FONT_DIR",
        "font_dir",
        text,
        "",
        "*(the system's DejaVu fonts)*",
        "Folder with `DejaVuSans.ttf` and `DejaVuSans-Bold.ttf` for the PDFs (default: "
        "Debian's `fonts-dejavu-core` at `/usr/share/fonts/truetype/dejavu` and the other "
        "usual places).",
    ),
    Variable(
        "ECON_LOG_LEVEL",
        "log_level",
        choice(*LOG_LEVELS, upper=True),
        "INFO",
        "`INFO`",
        "`DEBUG`, `INFO`, `WARNING`, `ERROR` or `CRITICAL`.",
    ),
    Variable(
        "ECON_LOG_FORMAT",
        "log_format",
        choice("json", "text"),
        "json",
        "`json`",
        "`json` (one object a line: request id, user id, route, status, duration, outcome) "
        "or `text`.",
    ),
    Variable(
        "ECON_METRICS_TOKEN",
        "metrics_token",
        secret,
        "",
        "*(none: no `/metrics`)*",
        "Bearer token that `/metrics` (Prometheus) requires, at least 32 characters.",
    ),
    Variable(
        "ECON_METRICS_PORT",
        "metrics_port",
        integer(0, 65535),
        0,
        "`0` (off)",
        "Port where a Celery worker serves its task metrics to Prometheus (private network).",
    ),
)

# Read elsewhere, not settings of the service: known so that a typo is still reported.
OTHER_VARIABLES = frozenset(
    {"ECON_USER", "ECON_PASSWORD", "ECON_NEW_PASSWORD", "ECON_FUZZ_SCALE", "ECON_AUDIT_RECORD"}
)
OTHER_PREFIXES = ("ECON_TEST_", "ECON_BENCH_")


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
    problems += _key_problems(values, production=mode == "production")
    if problems:
        raise ConfigError("; ".join(problems))
    if not any(k in values for k in ("secret_key", "secret_keys", "keyring_file")):
        values["secret_key"] = _development_key(data_dir)
    values.setdefault("introspection", mode != "production")
    return Settings(**values)


def _warn_unknown(env: dict[str, str]) -> None:
    """A warning, not a refusal: a typo must be visible, a stray variable must not stop us."""
    known = {v.name for v in VARIABLES} | OTHER_VARIABLES
    for name in sorted(env):
        if name.startswith("ECON_") and name not in known and not name.startswith(OTHER_PREFIXES):
            print(f"econ: {name} is not a setting of econ (a typo?), ignored", file=sys.stderr)


def _key_problems(values: dict[str, Any], *, production: bool) -> list[str]:
    given = [
        n
        for n, a in (
            ("ECON_SECRET_KEY", "secret_key"),
            ("ECON_SECRET_KEYS", "secret_keys"),
            ("ECON_KEYRING_FILE", "keyring_file"),
        )
        if a in values
    ]
    if len(given) > 1:
        return [f"set only one of {', '.join(given)}"]
    if production and not given:
        return [
            "ECON_SECRET_KEY must be set (at least 32 characters), or a key ring in "
            "ECON_SECRET_KEYS or ECON_KEYRING_FILE, in production: it protects participants' "
            "restricted data"
        ]
    if given and given[0] != "ECON_SECRET_KEY" and "hash_key" not in values:
        return [f"ECON_HASH_KEY must be set with {given[0]} (the login tokens and audit chain)"]
    if production:
        ring = values.get("secret_keys") or values.get("keyring_file") or ()
        named = [(given[0], values["secret_key"])] if "secret_key" in values else []
        named += [(f"{given[0]} key {key_id!r}", value) for key_id, value in ring]
        if "hash_key" in values:
            named.append(("ECON_HASH_KEY", values["hash_key"]))
        weak = [name for name, value in named if key_entropy_bits(value) < MIN_KEY_BITS]
        if weak:
            return [
                f"{name} has too little entropy for production (a repeated or patterned "
                "value): generate one with `python -c 'import secrets; "
                "print(secrets.token_urlsafe(48))'`"
                for name in weak
            ]
    return []


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
