"""A counselor's "today": what in her caseload waits for her action, one item per thing to do.

Read with `sources.load_facts` over her whole caseload plus three batch reads (plans,
enrolment requests, current consents, employers' names): a fixed number of statements
whatever the caseload's size. Items are sorted by how long they have waited (oldest first),
then by kind, so that nothing old hides under something new.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from econ.employers import services as employers
from econ.outcomes import sources
from econ.participants import services as participants
from econ.security.permissions import require_role
from econ.security.roles import Actor, Role
from econ.training import services as training

KINDS = (
    "ENROLMENT_REQUEST",  # she asked for a seat: enrol her or answer
    "CONSENT_NEEDED",  # a proposed referral waits for her PROFILE consent for that employer
    "REFERRAL_TO_SHARE",  # proposed, consent given: share it with the employer
    "REFERRAL_NO_REPLY",  # shared, no answer from the employer for NO_REPLY_DAYS
    "CHECKPOINT_DUE",  # a placement's retention checkpoint is due
    "PAYMENT_HELD",  # a stipend line held (the exception code says why)
    "PAYMENT_FAILED",  # a stipend line the bank returned (with its reason)
    "LOAN_IN_ARREARS",  # a disbursed loan with days past due
    "MILESTONE_OVERDUE",  # an open plan milestone past its date
    "PLAN_NOT_AGREED",  # the current plan revision waits for her agreement
)
# A shared referral without a move for this long gets a follow-up (a week: employers in the
# pilot answered within days, DOMAIN.md "referral lifecycle").
NO_REPLY_DAYS = 7


@dataclass(frozen=True)
class TodayItem:
    kind: str
    participant: object
    since: date | None  # when it started to wait (due date, asked on, shared on...)
    record_id: int | None  # the referral, checkpoint, line, loan, milestone or request
    detail: str = ""  # an employer's name, a milestone's title, a hold code, a bank reason
    days: int | None = None  # days overdue or past due, where that is the measure
    amount: Decimal | None = None  # a payment line's net amount

    @property
    def rank(self) -> tuple:
        return (self.since or date.min, KINDS.index(self.kind), self.record_id or 0)


def count_by_kind(items: list[TodayItem]) -> list[tuple[str, int]]:
    """(kind, how many) in the kinds' order; kinds with nothing waiting left out."""
    counts = Counter(item.kind for item in items)
    return [(kind, counts[kind]) for kind in KINDS if counts[kind]]


def today(
    actor: Actor | None, as_of: date, kinds: tuple[str, ...] | None = None
) -> list[TodayItem]:
    """Every item waiting for the counselor in her caseload as of `as_of`."""
    actor = require_role(actor, Role.COUNSELOR)
    people = participants.caseload_participants(actor.user_id)
    ids = list(people)
    facts = sources.load_facts(
        ids,
        as_of,
        parts={
            "overdue_milestones",
            "open_referrals",
            "placements",
            "stipend_exceptions",
            "late_loans",
        },
        people=people,
    )
    items = [
        *_requests(facts, ids),
        *_referrals(facts, as_of),
        *_checkpoints(facts, as_of),
        *_payments(facts),
        *_loans(facts, as_of),
        *_milestones(facts, as_of),
        *_plans(facts, ids),
    ]
    if kinds:
        items = [item for item in items if item.kind in kinds]
    return sorted(items, key=lambda item: item.rank)


def _requests(facts: sources.Facts, ids: list[int]) -> list[TodayItem]:
    return [
        TodayItem("ENROLMENT_REQUEST", facts.participants[pid], r.created_at.date(), r.id)
        for pid, rows in training.requests_by_participant(ids).items()
        for r in rows
        if r.status == "PENDING"
    ]


def _referrals(facts: sources.Facts, as_of: date) -> list[TodayItem]:
    referrals = [r for rows in facts.referrals.values() for r in rows]
    proposed = [r for r in referrals if r.status == "PROPOSED"]
    consents = employers.current_consents({(r.participant_id, r.employer_id) for r in proposed})
    names = {
        e.id: e.name for e in employers.employers_by_id({r.employer_id for r in referrals}).values()
    }
    items = []
    for r in proposed:
        given = (r.participant_id, r.employer_id, "PROFILE") in consents
        kind = "REFERRAL_TO_SHARE" if given else "CONSENT_NEEDED"
        items.append(_referral_item(kind, r, facts, names, r.created_at.date()))
    quiet_since = as_of - timedelta(days=NO_REPLY_DAYS)
    for r in referrals:
        if r.status == "SHARED" and r.shared_at and r.updated_at.date() <= quiet_since:
            item = _referral_item("REFERRAL_NO_REPLY", r, facts, names, r.shared_at.date())
            items.append(item)
    return items


def _referral_item(kind, referral, facts, names, since) -> TodayItem:
    participant = facts.participants[referral.participant_id]
    return TodayItem(kind, participant, since, referral.id, names.get(referral.employer_id, ""))


def _checkpoints(facts: sources.Facts, as_of: date) -> list[TodayItem]:
    items = []
    for pid, placements in facts.placements.items():
        for placement in placements:
            if placement.ended_on is not None:
                continue
            for c in facts.checkpoints.get(placement.id, []):
                if c.status == "DUE" and c.due_on <= as_of:
                    days = (as_of - c.due_on).days
                    item = TodayItem(
                        "CHECKPOINT_DUE", facts.participants[pid], c.due_on, c.id, str(c.days), days
                    )
                    items.append(item)
    return items


def _payments(facts: sources.Facts) -> list[TodayItem]:
    items = []
    for pid, schedules in facts.schedules.items():
        for schedule in schedules:
            for line in facts.lines.get(schedule.id, []):
                if line.status not in ("HELD", "FAILED"):
                    continue
                kind = "PAYMENT_HELD" if line.status == "HELD" else "PAYMENT_FAILED"
                reason = (line.exception if kind == "PAYMENT_HELD" else line.failure_reason) or ""
                since = date.fromisoformat(line.period + "-01")
                item = TodayItem(
                    kind, facts.participants[pid], since, line.id, reason, amount=line.net
                )
                items.append(item)
    return items


def _loans(facts: sources.Facts, as_of: date) -> list[TodayItem]:
    return [
        TodayItem(
            "LOAN_IN_ARREARS",
            facts.participants[pid],
            as_of - timedelta(days=loan.days_past_due),
            loan.loan_id,
            days=loan.days_past_due,
        )
        for pid, loans in facts.late_loans.items()
        for loan in loans
        if loan.days_past_due > 0
    ]


def _milestones(facts: sources.Facts, as_of: date) -> list[TodayItem]:
    return [
        TodayItem(
            "MILESTONE_OVERDUE",
            facts.participants[pid],
            m.due_date,
            m.id,
            m.title,
            (as_of - m.due_date).days,
        )
        for pid, rows in facts.overdue_steps.items()
        for m in rows  # open and past their date (the "overdue_milestones" part)
    ]


def _plans(facts: sources.Facts, ids: list[int]) -> list[TodayItem]:
    return [
        TodayItem(
            "PLAN_NOT_AGREED",
            facts.participants[pid],
            plan.updated_at.date(),
            plan.revision,
            str(plan.revision),
        )
        for pid, plan in participants.plans_awaiting_agreement(ids).items()
    ]
