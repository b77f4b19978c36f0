"""Error codes outcomes and indicators raise (`DomainError.code`).

Codes that other domains raise too are in `econ.errors.CommonCode`; together they make
the GraphQL enum `ErrorCode` (`econ/schema/error_codes.py`).
"""

from __future__ import annotations

from enum import StrEnum


class OutcomeCode(StrEnum):
    INVALID_GROUPING = "INVALID_GROUPING"
    INVALID_RANGE = "INVALID_RANGE"
    INVALID_RECORD_TYPE = "INVALID_RECORD_TYPE"
    INVALID_SORT = "INVALID_SORT"
    OTHER_PARTICIPANT = "OTHER_PARTICIPANT"
