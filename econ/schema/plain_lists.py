"""The plain lists of objects the schema keeps, each with what bounds it (issue 14, item 6).

Every list that grows with time or activity is a capped connection (`first`/`after`, at
most the largest page). What is left here is bounded otherwise, and says by what:

- DOMAIN: the domain itself bounds it (an enum, a definition list, a loan's term, a group's
  size, a form's input cap);
- SUMMARY: a summary that shows at most so many by design (an overview's window, a ranked
  shortlist), the whole list being a connection elsewhere;
- NOT_YET_PAGED: a list that does grow, still cut at its bound as it resolves (a longer
  one is cut, not lost: its records stay reachable elsewhere); docs/security.md "Known
  limits" names them, to be turned into connections.

The cost rule counts each by its bound, `cap_plain_lists` cuts each to it, and
tests/security/test_plain_lists.py fails on a plain list of objects that is not here, on
an entry the schema no longer has, and on one docs/security.md does not name.
"""

from __future__ import annotations

DOMAIN = "bounded by the domain"
SUMMARY = "a summary, at most so many by design"
NOT_YET_PAGED = "grows; cut at its bound, not yet paged"

# An item type: every plain list of it.
BY_ITEM: dict[str, tuple[int, str, str]] = {
    "UserError": (50, DOMAIN, "a form's bad fields at once (DomainErrors), cut at 50"),
    "Skill": (50, DOMAIN, "skills are capped at 50 on input"),
    "IndicatorCell": (30, DOMAIN, "one per indicator definition"),
    "ProgramSetting": (50, DOMAIN, "one per setting definition"),
    "StageCount": (20, DOMAIN, "one per referral stage"),
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
    "Credential": (30, NOT_YET_PAGED, "her credentials, one per completed enrolment"),
    "CandidateCredential": (30, NOT_YET_PAGED, "a candidate's credentials"),
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
    "MilestonesOverview.overdue": (20, SUMMARY, "the overview's overdue milestones"),
    "MilestonesOverview.dueSoon": (20, SUMMARY, "the overview's milestones due soon"),
    "MilestonesOverview.done": (20, SUMMARY, "the overview's latest done milestones"),
    "Opportunity.suggestedCandidates": (100, SUMMARY, "a shortlist, best first"),
    "OpportunityCandidates.candidates": (100, SUMMARY, "a ranked shortlist, best first"),
    "Query.skillVocabulary": (100, NOT_YET_PAGED, "the skill vocabulary ADMINs curate"),
    "Query.counselorToday": (100, NOT_YET_PAGED, "what waits for her, oldest first"),
    "Outcomes.rows": (100, NOT_YET_PAGED, "one row per group of the grouping"),
    "Employer.staff": (100, NOT_YET_PAGED, "a company's logins"),
    "Participant.loans": (20, NOT_YET_PAGED, "her loans"),
    "Participant.stipendSchedules": (20, NOT_YET_PAGED, "her stipend schedules"),
    "Participant.consents": (30, NOT_YET_PAGED, "her consents"),
    "Participant.referrals": (50, NOT_YET_PAGED, "her referrals"),
    "Participant.placements": (20, NOT_YET_PAGED, "her placements"),
    "Participant.enrollments": (50, NOT_YET_PAGED, "her enrolments"),
    "Participant.enrollmentRequests": (50, NOT_YET_PAGED, "her enrolment requests"),
}


def stated(parent: str, field: str, item: str) -> tuple[int, str, str] | None:
    """(bound, kind, why) of the plain list `parent.field` of `item`, None if unstated."""
    return BY_FIELD.get(f"{parent}.{field}") or BY_ITEM.get(item)
