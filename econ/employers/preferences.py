"""Her work preferences: what matching filters on and what the anonymous profile shows."""

from __future__ import annotations

from econ.db import Ids, PreparedShape, db, utcnow
from econ.employers import validation as v
from econ.employers.models import OPPORTUNITY_TYPES, PAY_PERIODS, WorkPreferences
from econ.errors import CommonCode, DomainError, NotFound
from econ.money import parse_amount
from econ.participants import services as participants
from econ.security import audit
from econ.security.permissions import require_actor
from econ.security.roles import Actor, Role


def _clean(data: dict) -> dict:
    types = []
    for value in data.get("opportunity_types") or []:
        v.one_of(value, OPPORTUNITY_TYPES, "opportunityTypes")
        if value not in types:
            types.append(value)
    minimum = data.get("minimum_pay")
    period = data.get("minimum_pay_period")
    if minimum not in (None, ""):
        minimum = parse_amount(minimum, "minimumPay")
        period = v.one_of(period, PAY_PERIODS, "minimumPayPeriod")
    else:
        minimum, period = None, None
    return {
        "available_hours_per_week": v.hours(
            data.get("available_hours_per_week"), "availableHoursPerWeek", required=False
        ),
        "available_from": v.iso_date(data.get("available_from"), "availableFrom"),
        "opportunity_types": types,
        "needs_flexible_schedule": bool(data.get("needs_flexible_schedule")),
        "needs_childcare_friendly": bool(data.get("needs_childcare_friendly")),
        "minimum_pay": minimum,
        "minimum_pay_period": period,
    }


def set_work_preferences(actor: Actor | None, participant_id: int, **data) -> WorkPreferences:
    """Her counselor or she herself replaces her work preferences (omitted = not stated)."""
    actor = require_actor(actor)
    if actor.role not in (Role.COUNSELOR, Role.PARTICIPANT):
        raise NotFound("participant", "participantId")
    participant = participants.get_participant(actor, participant_id)
    values = _clean(data)
    if values["minimum_pay"] is not None and values["minimum_pay"] <= 0:
        raise DomainError(CommonCode.INVALID_AMOUNT, "minimumPay must be positive", "minimumPay")
    with db.atomic():
        prefs, _ = WorkPreferences.get_or_create(participant=participant)
        for key, value in values.items():
            setattr(prefs, key, value)
        prefs.updated_at, prefs.updated_by = utcnow(), actor.user_id
        prefs.save()
        audit.record(
            actor,
            "set_work_preferences",
            "WorkPreferences",
            prefs.id,
            participant_id=participant.id,
            fields=sorted(values),
        )
    return prefs


def work_preferences(actor: Actor | None, participant) -> WorkPreferences | None:
    participants.require_case_access(actor, participant, "skills")
    return WorkPreferences.get_or_none(WorkPreferences.participant == participant.id)


def preferences_by_participant(ids) -> dict[int, WorkPreferences]:
    ids = list(set(ids))
    if not ids:
        return {}
    return {row.participant_id: row for row in _PREFERENCES.rows(Ids(ids))}


_PREFERENCES = PreparedShape(  # an opportunity's candidates: SQL built once per shape
    lambda ids: WorkPreferences.select().where(WorkPreferences.participant.in_(ids))
)
