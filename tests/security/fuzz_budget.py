"""How much fuzzing a run does: small in `make test`, ECON_FUZZ_SCALE times more on demand.

Defaults: 150 examples per parser property, 2 per GraphQL operation and role. A manual
long run: `ECON_FUZZ_SCALE=10 .venv/bin/python -m pytest tests/security -k fuzz`.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings


def scale() -> int:
    raw = os.environ.get("ECON_FUZZ_SCALE", "").strip()
    return int(raw) if raw.isdigit() and int(raw) > 0 else 1


def examples(default: int) -> int:
    return default * scale()


def fuzz_settings(default: int) -> settings:
    return settings(
        max_examples=examples(default),
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
