"""Plans: revisions (each change a new, readable revision), milestones, her agreement."""

from __future__ import annotations

from decimal import Decimal

import peewee as pw

from econ.db import PreparedQuery, db, utcnow
from econ.errors import CommonCode, DomainError, NotFound, PermissionDenied
from econ.money import parse_amount
from econ.participants import validation as v
from econ.participants.access import get_participant, require_case_access
from econ.participants.errors import ParticipantCode
from econ.participants.models import (
    MILESTONE_STATUSES,
    Milestone,
    MilestoneStatusChange,
    Participant,
    Plan,
    PlanRevision,
)
from econ.security import audit
from econ.security.permissions import require_actor, require_role
from econ.security.roles import Actor, Role

MAX_MILESTONES = 100


def get_plan(actor: Actor | None, participant: Participant) -> Plan | None:
    require_case_access(actor, participant, "plan")
    return _PLAN_OF.first(participant.id)


_PLAN_OF = PreparedQuery(  # her record's pages and her statements read it on every view
    lambda participant_id: Plan.select().where(Plan.participant == participant_id)  # unique
)


def _milestone_inputs(items: list[dict]) -> list[dict]:
    if len(items) > MAX_MILESTONES:
        raise DomainError(CommonCode.TOO_MANY, f"at most {MAX_MILESTONES} milestones", "milestones")
    cleaned = []
    for index, item in enumerate(items):
        field = f"milestones.{index}"
        cleaned.append(
            {
                "id": int(item["id"]) if item.get("id") else None,
                "title": v.text(item.get("title"), f"{field}.title", required=True, max_length=200),
                "category": v.category(item.get("category", ""), f"{field}.category"),
                "due_date": v.iso_date(item.get("due_date"), f"{field}.dueDate"),
            }
        )
    return cleaned


def _snapshot(plan: Plan) -> list[dict]:
    return [
        {
            "id": m.id,
            "title": m.title,
            "category": m.category,
            "dueDate": m.due_date.isoformat() if m.due_date else None,
            "status": m.status,
        }
        for m in plan.milestones.order_by(Milestone.position, Milestone.id)
    ]


def revise_plan(
    actor: Actor | None,
    participant_id: int,
    *,
    pathways: list[str],
    target_monthly_income: str | Decimal | None,
    milestones: list[dict],
) -> Plan:
    """Her counselor writes a new revision; milestones given with an `id` are kept (with their
    status), new ones are added, and ones left out are marked DROPPED, never deleted.
    The new revision awaits her agreement."""
    actor = require_role(actor, Role.COUNSELOR)
    participant = get_participant(actor, participant_id)
    paths = v.pathways(pathways)
    target = (
        parse_amount(target_monthly_income, "targetMonthlyIncome")
        if target_monthly_income not in (None, "")
        else None
    )
    if target is not None and target <= 0:
        raise DomainError(
            CommonCode.INVALID_AMOUNT, "the target income must be above zero", "targetMonthlyIncome"
        )
    items = _milestone_inputs(milestones or [])
    with db.atomic():
        plan, _ = Plan.get_or_create(participant=participant)
        existing = {m.id: m for m in plan.milestones}
        kept: set[int] = set()
        for position, item in enumerate(items):
            if item["id"] is not None:
                milestone = existing.get(item["id"])
                if milestone is None:
                    raise DomainError(
                        CommonCode.NOT_FOUND,
                        "milestone not in this plan",
                        f"milestones.{position}.id",
                    )
                milestone.title, milestone.category = item["title"], item["category"]
                milestone.due_date, milestone.position = item["due_date"], position
                if milestone.status == "DROPPED":
                    change_milestone(milestone, "OPEN", actor, "restored in a revision")
                milestone.save()
                kept.add(milestone.id)
            else:
                Milestone.create(
                    plan=plan,
                    title=item["title"],
                    category=item["category"],
                    due_date=item["due_date"],
                    position=position,
                )
        for milestone in existing.values():
            if milestone.id not in kept and milestone.status != "DROPPED":
                change_milestone(milestone, "DROPPED", actor, "left out of a revision")
                milestone.save()
        plan.pathways, plan.target_monthly_income = paths, target
        write_revision(actor, plan, "revise_plan")
    return plan


def write_revision(actor: Actor, plan: Plan, action: str) -> None:
    """The plan as it now stands becomes its next revision, waiting for her agreement."""
    plan.revision += 1
    plan.agreed_at, plan.updated_at = None, utcnow()
    plan.save()
    PlanRevision.create(
        plan=plan,
        revision=plan.revision,
        pathways=plan.pathways,
        target_monthly_income=plan.target_monthly_income,
        milestones=_snapshot(plan),
        created_by=actor.user_id,
    )
    audit.record(actor, action, "Plan", plan.id, participant_id=plan.participant_id)


def agreed_revision(plan: Plan) -> int | None:
    """The latest revision she agreed to (the current one, or an earlier one), if any."""
    return (
        PlanRevision.select(pw.fn.MAX(PlanRevision.revision))
        .where((PlanRevision.plan == plan.id) & PlanRevision.agreed_at.is_null(False))
        .scalar()
    )


def agree_to_plan(actor: Actor | None, participant_id: int, revision: int | None = None) -> Plan:
    """Only the participant herself co-signs the current revision.

    `revision` is the one she was shown: if her counselor wrote a newer one meanwhile,
    REVISION_CHANGED, and she is shown the new one (she never agrees to text she did not
    read). Without it (older API clients) the current revision is meant.
    """
    actor = require_role(actor, Role.PARTICIPANT)
    participant = get_participant(actor, participant_id)
    plan = Plan.get_or_none(Plan.participant == participant.id)
    if plan is None or plan.revision == 0:
        raise DomainError(
            ParticipantCode.NO_PLAN, "there is no plan to agree to yet", "participantId"
        )
    if revision is not None and revision != plan.revision:
        raise DomainError(
            ParticipantCode.REVISION_CHANGED,
            f"the plan changed: revision {plan.revision} is the current one; read it again",
            "revision",
        )
    if plan.agreed_at is not None:
        raise DomainError(
            ParticipantCode.ALREADY_AGREED, "you already agreed to this revision", "participantId"
        )
    now = utcnow()
    with db.atomic():
        plan.agreed_at = now
        plan.save()
        PlanRevision.update(agreed_at=now).where(
            (PlanRevision.plan == plan.id) & (PlanRevision.revision == plan.revision)
        ).execute()
        audit.record(actor, "agree_to_plan", "Plan", plan.id, participant_id=participant.id)
    return plan


def plan_revisions(plan: Plan) -> list[PlanRevision]:
    return list(plan.revisions.order_by(PlanRevision.revision.desc()))


def change_milestone(milestone: Milestone, status: str, actor: Actor | None, note: str) -> None:
    MilestoneStatusChange.create(
        milestone=milestone,
        from_status=milestone.status,
        to_status=status,
        by_user=actor.user_id if actor else None,
        note=note[:200],
    )
    milestone.status = status


def _milestone_in_reach(actor: Actor, milestone_id: int) -> tuple[Milestone, Participant]:
    milestone = Milestone.get_or_none(Milestone.id == milestone_id)
    if milestone is None:
        raise NotFound("milestone", "milestoneId")
    try:
        participant = get_participant(actor, milestone.plan.participant_id)
    except NotFound:
        raise NotFound("milestone", "milestoneId") from None
    return milestone, participant


def set_milestone_status(
    actor: Actor | None, milestone_id: int, status: str, note: str = ""
) -> Milestone:
    """Her counselor or she herself completes, starts, reopens or drops a milestone."""
    actor = require_actor(actor)
    if actor.role not in (Role.COUNSELOR, Role.PARTICIPANT):
        raise NotFound("milestone", "milestoneId")
    milestone, participant = _milestone_in_reach(actor, milestone_id)
    new = v.one_of(status, MILESTONE_STATUSES, "status", CommonCode.INVALID_STATUS)
    if new == milestone.status:
        raise DomainError(CommonCode.NO_CHANGE, f"the milestone is already {new}", "status")
    with db.atomic():
        change_milestone(milestone, new, actor, note or "set by hand")
        milestone.save()
        audit.record(
            actor,
            "set_milestone_status",
            "Milestone",
            milestone.id,
            participant_id=participant.id,
            fields=("status",),
        )
    return milestone


def link_milestone(
    actor: Actor | None, milestone_id: int, record_type: str, record_id: int
) -> Milestone:
    """Attach a milestone to a record of another domain (enrolment, referral, placement, loan)."""
    actor = require_role(actor, Role.COUNSELOR)
    milestone, participant = _milestone_in_reach(actor, milestone_id)
    if milestone.status == "DROPPED":
        raise PermissionDenied("a dropped milestone cannot be linked", "milestoneId")
    milestone.linked_type, milestone.linked_id = record_type, int(record_id)
    milestone.save()
    audit.record(actor, "link_milestone", "Milestone", milestone.id, participant_id=participant.id)
    return milestone


def complete_linked_milestones(record_type: str, record_id: int, actor: Actor | None = None) -> int:
    """Called by other domains when a record reaches its goal state; returns how many closed."""
    changed = 0
    query = Milestone.select().where(
        (Milestone.linked_type == record_type)
        & (Milestone.linked_id == int(record_id))
        & (Milestone.status.in_(["OPEN", "IN_PROGRESS"]))
    )
    for milestone in query:
        change_milestone(milestone, "DONE", actor, f"{record_type} reached its goal")
        milestone.save()
        changed += 1
    return changed
