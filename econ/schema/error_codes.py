"""`ErrorCode`: the GraphQL enum of every code a `UserError` can carry.

Built from `econ.errors.CommonCode` and each domain's `errors.py`, so a client learns the
codes from the schema, and a code that is not listed fails a test instead of reaching a
client as an untyped string.
"""

from __future__ import annotations

from enum import Enum, StrEnum

import graphene

from econ.employers.errors import EmployerCode
from econ.errors import CommonCode
from econ.ledger.errors import LedgerCode
from econ.microcredit.errors import MicrocreditCode
from econ.operations.errors import OperationsCode
from econ.outcomes.errors import OutcomeCode
from econ.participants.errors import ParticipantCode
from econ.security.errors import SecurityCode
from econ.settings.errors import SettingCode
from econ.statements.errors import StatementCode
from econ.stipends.errors import StipendCode
from econ.training.errors import TrainingCode

CODE_ENUMS: tuple[type[StrEnum], ...] = (
    CommonCode,
    SecurityCode,
    SettingCode,
    LedgerCode,
    ParticipantCode,
    StipendCode,
    TrainingCode,
    EmployerCode,
    MicrocreditCode,
    StatementCode,
    OutcomeCode,
    OperationsCode,
)


def all_codes() -> list[str]:
    """Every code, once (a code lives in exactly one enum), sorted."""
    return sorted(code.value for enum in CODE_ENUMS for code in enum)


ErrorCode = graphene.Enum.from_enum(
    Enum("ErrorCode", {code: code for code in all_codes()}),
    description="Stable machine-readable code of a UserError.",
)
