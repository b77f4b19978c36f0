"""Every ECON_* variable, declared once: name, parser, default, meaning."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from econ.config.parsers import (
    ENVIRONMENTS,
    LOG_LEVELS,
    boolean,
    choice,
    integer,
    keyring,
    keyring_file,
    rate,
    secret,
    text,
    url,
)


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
        "ECON_REQUEST_THREADS",
        "request_threads",
        integer(0, 64),
        0,
        "`0` *(1 on SQLite, 4 on PostgreSQL)*",
        "GraphQL operations and page session checks a server process runs at once; the "
        "others wait their turn (econ/lanes.py says why few are faster).",
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
