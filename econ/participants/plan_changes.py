"""A plan revision as a change to the current one (patch semantics).

`revise_plan` takes the whole plan and drops every milestone left out; a counselor who
changes one step should not have to re-send the others (and lose one by forgetting it).
`change_plan` takes only what changes: milestones to update (only the fields given),
to add, to drop; pathways and the target income only when given. It names the revision
it changes, so a revision written meanwhile (another tab, another device) is refused
instead of silently overwritten. Every bad field is reported at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from econ.db import db
from econ.errors import CommonCode, DomainError, ErrorCollector
from econ.money import parse_amount
from econ.participants import validation as v
from econ.participants.access import get_participant
from econ.participants.errors import ParticipantCode
from econ.participants.models import Milestone, Plan
from econ.participants.plans import MAX_MILESTONES, change_milestone, write_revision
from econ.security.permissions import require_role
from econ.security.roles import Actor, Role


@dataclass
class MilestonePatch:
    """One milestone's change: None leaves a field as it is."""

    id: int
    title: str | None = None
    category: str | None = None
    due_date: str | None = None
    clear_due_date: bool = False


@dataclass
class PlanChange:
    """What a revision changes; what is not named stays as it is."""

    base_revision: int
    pathways: list[str] | None = None
    target_monthly_income: str | Decimal | None = None
    clear_target: bool = False
    update: list[MilestonePatch] = field(default_factory=list)
    add: list[dict] = field(default_factory=list)
    drop: list[int] = field(default_factory=list)


def change_plan(actor: Actor | None, participant_id: int, change: PlanChange) -> Plan:
    """Her counselor writes the next revision as a change to `change.base_revision`.

    A changed milestone keeps its status (a dropped one that is changed comes back, OPEN);
    added ones go after the others; dropped ones are marked DROPPED, never deleted. The new
    revision waits for her agreement. REVISION_CHANGED if the plan is no longer at the
    base revision; NO_CHANGE if the change changes nothing.
    """
    actor = require_role(actor, Role.COUNSELOR)
    participant = get_participant(actor, participant_id)
    with db.atomic():
        plan, _ = Plan.get_or_create(participant=participant)
        if change.base_revision != plan.revision:
            raise DomainError(
                ParticipantCode.REVISION_CHANGED,
                f"the plan is at revision {plan.revision} now; read it again",
                "baseRevision",
            )
        milestones = {m.id: m for m in plan.milestones}
        errors = ErrorCollector()
        changed = _plan_fields(plan, change, errors)
        updates = [errors.check(_patched, milestones, p, i) for i, p in enumerate(change.update)]
        drops = [errors.check(_dropped, milestones, m, i) for i, m in enumerate(change.drop)]
        additions = [errors.check(_new_milestone, item, i) for i, item in enumerate(change.add)]
        _check_counts(change, milestones, errors)
        errors.raise_any()
        changed |= any(updates) or bool(drops) or bool(additions)
        if not changed:
            raise DomainError(CommonCode.NO_CHANGE, "this change changes nothing", "")
        _apply(actor, plan, milestones, updates, drops, additions)
        write_revision(actor, plan, "change_plan")
    return plan


def _plan_fields(plan: Plan, change: PlanChange, errors: ErrorCollector) -> bool:
    """Pathways and target income, when given, set on `plan`; whether they changed."""
    before = (list(plan.pathways or []), plan.target_monthly_income)
    if change.pathways is not None:
        paths = errors.check(v.pathways, change.pathways)
        if paths is not None:
            plan.pathways = paths
    if change.clear_target:
        plan.target_monthly_income = None
    elif change.target_monthly_income not in (None, ""):
        target = errors.check(parse_amount, change.target_monthly_income, "targetMonthlyIncome")
        if target is not None and target <= 0:
            errors.errors.append(
                DomainError(
                    CommonCode.INVALID_AMOUNT,
                    "the target income must be above zero",
                    "targetMonthlyIncome",
                )
            )
        elif target is not None:
            plan.target_monthly_income = target
    return before != (list(plan.pathways or []), plan.target_monthly_income)


def _in_plan(milestones: dict[int, Milestone], milestone_id: int, field_name: str) -> Milestone:
    milestone = milestones.get(int(milestone_id))
    if milestone is None:
        raise DomainError(CommonCode.NOT_FOUND, "milestone not in this plan", field_name)
    return milestone


def _patched(milestones: dict[int, Milestone], patch: MilestonePatch, index: int):
    """(milestone, its new values) if the patch changes it, else None."""
    name = f"update.{index}"
    milestone = _in_plan(milestones, patch.id, f"{name}.id")
    errors = ErrorCollector()
    values = {
        "title": milestone.title,
        "category": milestone.category,
        "due_date": milestone.due_date,
    }
    if patch.title is not None:
        values["title"] = errors.check(
            v.text, patch.title, f"{name}.title", required=True, max_length=200
        )
    if patch.category is not None:
        values["category"] = errors.check(v.category, patch.category, f"{name}.category")
    if patch.clear_due_date:
        values["due_date"] = None
    elif patch.due_date not in (None, ""):
        values["due_date"] = errors.check(v.iso_date, patch.due_date, f"{name}.dueDate")
    errors.raise_any()
    current = (milestone.title, milestone.category, milestone.due_date)
    restored = milestone.status == "DROPPED"
    if tuple(values.values()) == current and not restored:
        return None
    return milestone, values


def _dropped(milestones: dict[int, Milestone], milestone_id: int, index: int) -> Milestone:
    milestone = _in_plan(milestones, milestone_id, f"drop.{index}")
    if milestone.status == "DROPPED":
        raise DomainError(
            CommonCode.NO_CHANGE, "this milestone is already dropped", f"drop.{index}"
        )
    return milestone


def _new_milestone(item: dict, index: int) -> dict:
    name = f"add.{index}"
    errors = ErrorCollector()
    values = {
        "title": errors.check(
            v.text, item.get("title"), f"{name}.title", required=True, max_length=200
        ),
        "category": errors.check(v.category, item.get("category", ""), f"{name}.category"),
        "due_date": errors.check(v.iso_date, item.get("due_date"), f"{name}.dueDate"),
    }
    errors.raise_any()
    return values


def _check_counts(change: PlanChange, milestones: dict, errors: ErrorCollector) -> None:
    updated = [int(p.id) for p in change.update]
    dropped = [int(i) for i in change.drop]
    if set(updated) & set(dropped):
        errors.errors.append(
            DomainError(CommonCode.INVALID, "a milestone is both changed and dropped", "drop")
        )
    if len(set(updated)) < len(updated) or len(set(dropped)) < len(dropped):
        errors.errors.append(
            DomainError(CommonCode.INVALID, "a milestone is named twice", "update")
        )
    if len(milestones) + len(change.add) > MAX_MILESTONES:
        errors.errors.append(
            DomainError(CommonCode.TOO_MANY, f"at most {MAX_MILESTONES} milestones", "add")
        )


def _apply(actor: Actor, plan: Plan, milestones: dict, updates, drops, additions) -> None:
    for found in updates:
        if found is None:
            continue
        milestone, values = found
        milestone.title, milestone.category = values["title"], values["category"]
        milestone.due_date = values["due_date"]
        if milestone.status == "DROPPED":
            change_milestone(milestone, "OPEN", actor, "restored in a revision")
        milestone.save()
    for milestone in drops:
        change_milestone(milestone, "DROPPED", actor, "dropped in a revision")
        milestone.save()
    position = max((m.position for m in milestones.values()), default=-1)
    for values in additions:
        position += 1
        Milestone.create(plan=plan, position=position, **values)
