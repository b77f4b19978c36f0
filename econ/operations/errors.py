"""Error codes operations (backup, restore, keys) raise (`DomainError.code`).

Codes that other domains raise too are in `econ.errors.CommonCode`; together they make
the GraphQL enum `ErrorCode` (`econ/schema/error_codes.py`).
"""

from __future__ import annotations

from enum import StrEnum


class OperationsCode(StrEnum):
    BACKUP_DAMAGED = "BACKUP_DAMAGED"
    BACKUP_INSIDE_DATA = "BACKUP_INSIDE_DATA"
    KEYS_MISSING = "KEYS_MISSING"
    NOT_A_BACKUP = "NOT_A_BACKUP"
    NO_DATABASE = "NO_DATABASE"
    NO_PG_TOOLS = "NO_PG_TOOLS"
    PG_TOOL_FAILED = "PG_TOOL_FAILED"
    TARGET_NOT_EMPTY = "TARGET_NOT_EMPTY"
    WRONG_DATABASE = "WRONG_DATABASE"
