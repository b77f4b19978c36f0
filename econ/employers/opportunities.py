"""Opportunities: employer staff (or a counselor on their behalf) post them; DRAFT → OPEN →
FILLED / CLOSED. Pay is never below the configured minimum wage at the stated hours."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import peewee as pw

from econ.db import db, utcnow
from econ.employers import companies
from econ.employers import validation as v
from econ.employers.errors import EmployerCode
from econ.employers.models import OPPORTUNITY_TYPES, Employer, Opportunity, Placement, Referral
from econ.employers.stages import end_open_referrals
from econ.errors import CommonCode, DomainError, NotFound
from econ.security import audit
from econ.security.permissions import require_actor, require_role
from econ.security.roles import SYSTEM, Actor, Role
from econ.settings.services import setting
from econ.training import services as training

EDITABLE_STATUSES = ("DRAFT", "OPEN")
POSTING_ROLES = (Role.ADMIN, Role.COUNSELOR, Role.EMPLOYER)
FIELDS = (
    "title",
    "description",
    "type",
    "pay_amount",
    "pay_period",
    "hours_per_week",
    "flexible_schedule",
    "childcare_friendly",
    "location",
    "required_skills",
    "optional_skills",
    "languages",
    "openings",
    "closes_on",
)


def _clean(data: dict, actor: Actor) -> dict:
    """All fields of an opportunity, validated together (pay depends on hours)."""
    hours = v.hours(data.get("hours_per_week"))
    required = v.skills(data.get("required_skills"))
    optional = [s for s in v.skills(data.get("optional_skills")) if s not in required]
    if actor.role == Role.EMPLOYER:
        # She chooses from the vocabulary, so her keys are the ones counselors record (issue
        # 19); staff posting on her behalf may still name a key the vocabulary lacks yet.
        required = training.chosen_skills(required, "requiredSkills")
        optional = training.chosen_skills(optional, "optionalSkills")
    return {
        "title": v.text(data.get("title"), "title", required=True, max_length=200),
        "description": v.text(data.get("description"), "description", max_length=4000) or "",
        "type": v.one_of(data.get("type"), OPPORTUNITY_TYPES, "type"),
        "hours_per_week": hours,
        "pay_amount": v.pay(data.get("pay_amount"), data.get("pay_period"), hours),
        "pay_period": data.get("pay_period"),
        "flexible_schedule": bool(data.get("flexible_schedule")),
        "childcare_friendly": bool(data.get("childcare_friendly")),
        "location": v.text(data.get("location"), "location", max_length=120) or "",
        "required_skills": required,
        "optional_skills": optional,
        "languages": v.languages(data.get("languages")),
        "openings": v.positive_int(data.get("openings", 1), "openings", 100),
        "closes_on": v.future_or_today(data.get("closes_on"), "closesOn"),
    }


def minimum_hourly_wage(actor: Actor | None) -> Decimal:
    """The lowest hourly pay an opportunity may offer (a monthly pay: this at its hours, 52
    weeks / 12 months), for the form that explains the check before she posts."""
    require_role(actor, *POSTING_ROLES)
    return setting("minimum_wage_hourly")


def _posting_employer(actor: Actor, employer_id: int | None) -> Employer:
    if actor.role == Role.EMPLOYER:
        employer = companies.own_employer(actor)
        if employer is None or employer.status == "SUSPENDED":
            raise NotFound("employer", "employerId")
        if employer_id not in (None, employer.id):
            raise NotFound("employer", "employerId")
        return employer
    if employer_id is None:
        raise DomainError(CommonCode.REQUIRED, "employerId is required", "employerId")
    return companies.get_employer(actor, employer_id)


def create_opportunity(actor: Actor | None, employer_id: int | None = None, **data) -> Opportunity:
    """A DRAFT opportunity; an employer login posts for its own company only."""
    actor = require_role(actor, *POSTING_ROLES)
    employer = _posting_employer(actor, employer_id)
    values = _clean(data, actor)
    with db.atomic():
        opportunity = Opportunity.create(employer=employer, created_by=actor.user_id, **values)
        audit.record(actor, "create_opportunity", "Opportunity", opportunity.id)
    return opportunity


def editable_opportunity(actor: Actor | None, opportunity_id: int) -> Opportunity:
    """An opportunity the caller may change; another employer's reads as unknown."""
    actor = require_role(actor, *POSTING_ROLES)
    query = Opportunity.select().where(Opportunity.id == opportunity_id)
    if actor.role == Role.EMPLOYER:
        employer = companies.own_employer(actor)
        if employer is None or employer.status == "SUSPENDED":
            raise NotFound("opportunity", "opportunityId")
        query = query.where(Opportunity.employer == employer.id)
    opportunity = query.first()
    if opportunity is None:
        raise NotFound("opportunity", "opportunityId")
    return opportunity


def update_opportunity(actor: Actor | None, opportunity_id: int, **changes) -> Opportunity:
    """Change the fields given; only while DRAFT or OPEN."""
    opportunity = editable_opportunity(actor, opportunity_id)
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown opportunity fields: {sorted(unknown)}")
    if opportunity.status not in EDITABLE_STATUSES:
        raise DomainError(
            EmployerCode.INVALID_STATE,
            f"a {opportunity.status} opportunity cannot be edited",
            "status",
        )
    current = {f: getattr(opportunity, f) for f in FIELDS}
    current["pay_amount"] = str(current["pay_amount"])
    merged = {**current, **changes}
    if "closes_on" not in changes and opportunity.closes_on and opportunity.closes_on < _today():
        merged["closes_on"] = None  # an old date that is not being changed is not re-checked
    values = _clean(merged, actor)
    if "closes_on" not in changes:
        values["closes_on"] = opportunity.closes_on
    with db.atomic():
        for key, value in values.items():
            setattr(opportunity, key, value)
        opportunity.updated_at = utcnow()
        opportunity.save()
        audit.record(
            actor, "update_opportunity", "Opportunity", opportunity.id, fields=sorted(changes)
        )
    return opportunity


def _today() -> dt.date:
    return dt.date.today()


def publish_opportunity(actor: Actor | None, opportunity_id: int) -> Opportunity:
    """DRAFT → OPEN; only for an ACTIVE employer and a closing date not yet passed."""
    opportunity = editable_opportunity(actor, opportunity_id)
    if opportunity.status != "DRAFT":
        raise DomainError(
            CommonCode.INVALID_TRANSITION, f"{opportunity.status} cannot become OPEN", "status"
        )
    if opportunity.employer.status != "ACTIVE":
        raise DomainError(
            EmployerCode.EMPLOYER_NOT_ACTIVE,
            "only an active partner employer can publish",
            "opportunityId",
        )
    if opportunity.closes_on is not None and opportunity.closes_on < _today():
        raise DomainError(EmployerCode.DATE_IN_PAST, "the closing date has passed", "closesOn")
    return _move(actor, opportunity, "DRAFT", "OPEN", "publish_opportunity")


def close_opportunity(actor: Actor | None, opportunity_id: int) -> Opportunity:
    """DRAFT or OPEN → CLOSED; referrals still open end with OPPORTUNITY_CLOSED."""
    opportunity = editable_opportunity(actor, opportunity_id)
    if opportunity.status not in EDITABLE_STATUSES:
        raise DomainError(
            CommonCode.INVALID_TRANSITION, f"{opportunity.status} cannot become CLOSED", "status"
        )
    return _move(actor, opportunity, opportunity.status, "CLOSED", "close_opportunity")


def _move(actor: Actor, opportunity: Opportunity, old: str, new: str, action: str) -> Opportunity:
    now = utcnow()
    stamps = {"published_at": now} if new == "OPEN" else {"closed_at": now}
    with db.atomic():
        updated = (
            Opportunity.update(status=new, updated_at=now, **stamps)
            .where((Opportunity.id == opportunity.id) & (Opportunity.status == old))
            .execute()
        )
        if updated != 1:
            raise DomainError(
                CommonCode.CONFLICT, "the opportunity changed meanwhile; reload", "status"
            )
        if new in ("CLOSED", "FILLED"):
            end_open_referrals(Referral.opportunity == opportunity.id, "OPPORTUNITY_CLOSED", actor)
        audit.record(actor, action, "Opportunity", opportunity.id, fields=("status",))
    return Opportunity.get_by_id(opportunity.id)


def fill_if_complete(actor: Actor | None, opportunity_id: int) -> bool:
    """After a hire: an opportunity whose openings are all taken becomes FILLED."""
    opportunity = Opportunity.get_by_id(opportunity_id)
    hires = Placement.select().where(Placement.opportunity == opportunity_id).count()
    if opportunity.status != "OPEN" or hires < opportunity.openings:
        return False
    _move(actor, opportunity, "OPEN", "FILLED", "fill_opportunity")
    return True


def close_expired(today: dt.date | None = None) -> int:
    """OPEN opportunities past their closing date close (a daily task)."""
    today = today or _today()
    expired = Opportunity.select(Opportunity.id).where(
        (Opportunity.status == "OPEN") & (Opportunity.closes_on < today)
    )
    closed = 0
    for row in expired:
        try:
            _move(SYSTEM, Opportunity.get_by_id(row.id), "OPEN", "CLOSED", "close_opportunity")
            closed += 1
        except DomainError:
            continue  # closed by someone meanwhile
    return closed


def _skill_filter(skill: str) -> pw.Expression:
    # Skills are stored as canonical JSON ({"key":"…","label":"…"}); match the exact key.
    # The pattern bypasses JSONField's converter (it would JSON-encode the pattern itself).
    key = v.skills([{"key": skill}])[0]["key"]
    pattern = pw.Value(f'%"key":"{key}"%', converter=False)
    return pw.Expression(Opportunity.required_skills, pw.OP.ILIKE, pattern) | pw.Expression(
        Opportunity.optional_skills, pw.OP.ILIKE, pattern
    )


def visible_opportunities(
    actor: Actor | None,
    status: str | None = None,
    employer_id: int | None = None,
    skill: str | None = None,
) -> pw.ModelSelect:
    """Staff who post see all; participants and finance OPEN ones of active partners (and,
    for her, those she is referred to); an employer login only its own, nothing if suspended."""
    actor = require_actor(actor)
    query = Opportunity.select().join(Employer).order_by(Opportunity.id.desc())
    if actor.role == Role.EMPLOYER:
        employer = companies.own_employer(actor)
        if employer is None or employer.status == "SUSPENDED":
            return query.where(pw.SQL("1 = 0"))
        query = query.where(Opportunity.employer == employer.id)
    elif actor.role in (Role.PARTICIPANT, Role.FINANCE):
        public = (Opportunity.status == "OPEN") & (Employer.status == "ACTIVE")
        if actor.role == Role.PARTICIPANT:
            mine = Referral.select(Referral.opportunity).where(
                Referral.participant == (actor.participant_id or 0)
            )
            public = public | Opportunity.id.in_(mine)
        query = query.where(public)
    if status:
        query = query.where(Opportunity.status == status)
    if employer_id is not None:
        query = query.where(Opportunity.employer == employer_id)
    if skill:
        query = query.where(_skill_filter(skill))
    return query


def get_opportunity(actor: Actor | None, opportunity_id: int | str) -> Opportunity:
    try:
        oid = int(opportunity_id)
    except (TypeError, ValueError):
        raise NotFound("opportunity", "opportunityId") from None
    found = visible_opportunities(actor).where(Opportunity.id == oid).first()
    if found is None:
        raise NotFound("opportunity", "opportunityId")
    return found
