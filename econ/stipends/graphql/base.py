"""Stipends' GraphQL enums, the fields several types share, and their loaders."""

from __future__ import annotations

import graphene

from econ.participants.relations import USER
from econ.schema.enums import enum_of
from econ.schema.loaders import Relation
from econ.schema.scalars import Money, money
from econ.stipends import services
from econ.stipends.models import (
    END_REASONS,
    GRANT_CATEGORIES,
    LINE_KINDS,
    LINE_STATUSES,
    METHODS,
    RUN_STATES,
    SCHEDULE_STATES,
)
from econ.stipends.runs import FORMATS

ScheduleState = enum_of("StipendScheduleState", SCHEDULE_STATES)
EndReason = enum_of("StipendEndReason", END_REASONS)
PaymentMethodKind = enum_of("PaymentMethodKind", METHODS)
GrantCategory = enum_of("SupportGrantCategory", GRANT_CATEGORIES)
RunState = enum_of("PaymentRunState", RUN_STATES)
LineStatus = enum_of("PaymentLineStatus", LINE_STATUSES)
LineKind = enum_of("PaymentLineKind", LINE_KINDS)
FileFormat = enum_of("PaymentFileFormat", FORMATS)


def _money_field(name: str, description: str = "") -> graphene.Field:
    def resolve(record, info):
        return money(getattr(record, name), info.context.currency)

    return graphene.Field(Money, required=True, description=description, resolver=resolve)


def _by_field(name: str, description: str) -> graphene.Field:
    """A User field read from the record's `name` id (who created or asked for it)."""

    async def resolve(record, info):
        if not services.sees_who_decides(info.context.actor):
            return None
        return await _load_user(getattr(record, name), info)

    return graphene.Field(
        "econ.security.graphql.User", description=description + " (FINANCE)", resolver=resolve
    )


def _code_field() -> graphene.Field:
    async def resolve(record, info):
        return await PARTICIPANT_CODE.load(info, record.participant_id)

    return graphene.String(description="Her participant code (FINANCE).", resolver=resolve)


def _payable(run, info):
    """The run's payable totals, summed once per request (the panel shows them twice)."""
    key = ("payable", run.id, run.version)
    if key not in info.context.memo:
        info.context.memo[key] = services.payable_total(run)
    return info.context.memo[key]


# Participant codes of the lines and exceptions a FINANCE user reads (one query).
PARTICIPANT_CODE = Relation("participant code", services.participant_codes, actor=True)


ATTEMPTS = Relation("payment line attempts", services.line_attempts, missing=list)


async def _load_user(user_id, info):
    return None if user_id is None else await USER.load(info, user_id)
