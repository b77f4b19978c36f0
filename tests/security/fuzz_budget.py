"""How much fuzzing a run does: small in `make test`, more with ECON_FUZZ_EXAMPLES=N."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings


def examples(default: int) -> int:
    """Examples per property (or per GraphQL operation and role)."""
    raw = os.environ.get("ECON_FUZZ_EXAMPLES", "").strip()
    return int(raw) if raw.isdigit() and int(raw) > 0 else default


def fuzz_settings(default: int) -> settings:
    return settings(
        max_examples=examples(default),
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
