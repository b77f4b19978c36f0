"""Error codes statements raise (`DomainError.code`).

Codes that other domains raise too are in `econ.errors.CommonCode`; together they make
the GraphQL enum `ErrorCode` (`econ/schema/error_codes.py`).
"""

from __future__ import annotations

from enum import StrEnum


class StatementCode(StrEnum):
    FORBIDDEN_WORDING = "FORBIDDEN_WORDING"
    INVALID_INPUT = "INVALID_INPUT"
    INVALID_PAGE_SIZE = "INVALID_PAGE_SIZE"
    STATEMENT_CORRUPT = "STATEMENT_CORRUPT"
