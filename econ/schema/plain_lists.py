"""The plain lists of objects the schema keeps, each with what bounds it (issue 14, item 6).

Every list that grows with time or activity is a capped connection (`first`/`after`, at
most the largest page). What is left here is bounded otherwise, and says by what:

- DOMAIN: the domain itself bounds it (an enum, a definition list, a loan's term, a group's
  size, a form's input cap);
- SUMMARY: a summary that shows at most so many by design (an overview's window, a ranked
  shortlist), the whole list being a connection elsewhere.

There is no third kind: a list that grows is a connection, never a plain list cut at a
bound (tests/security/test_plain_lists.py fails on any other kind).

The cost rule counts each by its bound, `cap_plain_lists` cuts each to it, and
tests/security/test_plain_lists.py fails on a plain list of objects that is not here, on
an entry the schema no longer has, and on one docs/security.md does not name.
"""

from __future__ import annotations

DOMAIN = "bounded by the domain"
SUMMARY = "a summary, at most so many by design"

# An item type: every plain list of it.
BY_ITEM: dict[str, tuple[int, str, str]] = {
    "UserError": (50, DOMAIN, "a form's bad fields at once (DomainErrors), cut at 50"),
    "Skill": (50, DOMAIN, "skills are capped at 50 on input"),
    "IndicatorCell": (30, DOMAIN, "one per indicator definition"),
    "ProgramSetting": (50, DOMAIN, "one per setting definition"),
    "StageCount": (20, DOMAIN, "one per referral stage"),
    "TodayKindCount": (10, DOMAIN, "one per kind of thing waiting for the counselor"),
    "DelinquencyBucket": (20, DOMAIN, "the days-past-due bands"),
    "IncomeMonth": (24, SUMMARY, "the income overview's window of 12 months"),
    "LoanInstallment": (520, DOMAIN, "microcredit MAX_INSTALLMENTS, the longest term"),
    "LoanSchedulePreviewInstallment": (520, DOMAIN, "the longest term"),
    "AllocationLine": (520, DOMAIN, "one per installment a repayment reaches"),
    "GroupMember": (100, DOMAIN, "loan_group_max_size is at most 100"),
    "CollectionSheetRow": (100, DOMAIN, "one per member of the group"),
    "MeetingAttendance": (100, DOMAIN, "one per member of the group"),
    "PaymentMethodTotal": (10, DOMAIN, "one per payment method"),
    "LedgerAccountPeriod": (20, DOMAIN, "one per account of the chart"),
    "OverviewEnrollment": (20, SUMMARY, "the training overview's current and completed"),
}

# One field ("Type.field"), before its item type.
BY_FIELD: dict[str, tuple[int, str, str]] = {
    "Placement.retentionCheckpoints": (3, DOMAIN, "the 30-, 90- and 180-day checkpoints"),
    "Plan.milestones": (100, DOMAIN, "participants.plans MAX_MILESTONES"),
    "PlanRevision.milestones": (100, DOMAIN, "a revision's copy of at most MAX_MILESTONES"),
    "GrantRepaymentHoliday.loans": (100, DOMAIN, "the loans of one group"),
    "EmploymentOverview.checkpointsDue": (10, SUMMARY, "the overview's due checkpoints"),
    "EmploymentOverview.openReferrals": (20, SUMMARY, "the overview's open referrals"),
    "TrainingOverview.current": (10, SUMMARY, "the overview's current enrolments"),
    "TrainingOverview.completed": (20, SUMMARY, "the overview's latest completions"),
    "TrainingOverview.credentials": (20, SUMMARY, "her latest credentials, one per completion"),
    "MilestonesOverview.overdue": (20, SUMMARY, "the overview's overdue milestones"),
    "MilestonesOverview.dueSoon": (20, SUMMARY, "the overview's milestones due soon"),
    "MilestonesOverview.done": (20, SUMMARY, "the overview's latest done milestones"),
    "Opportunity.suggestedCandidates": (100, SUMMARY, "a shortlist, best first"),
    "OpportunityCandidates.candidates": (100, SUMMARY, "a ranked shortlist, best first"),
}


def stated(parent: str, field: str, item: str) -> tuple[int, str, str] | None:
    """(bound, kind, why) of the plain list `parent.field` of `item`, None if unstated."""
    return BY_FIELD.get(f"{parent}.{field}") or BY_ITEM.get(item)
