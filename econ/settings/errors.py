"""Error codes programme settings raise (`DomainError.code`).

Codes that other domains raise too are in `econ.errors.CommonCode`; together they make
the GraphQL enum `ErrorCode` (`econ/schema/error_codes.py`).
"""

from __future__ import annotations

from enum import StrEnum


class SettingCode(StrEnum):
    UNKNOWN_SETTING = "UNKNOWN_SETTING"
