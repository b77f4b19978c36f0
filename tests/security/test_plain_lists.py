"""Every list is a capped connection (issue 14, item 6), by walking the schema itself.

Before: 139 plain lists of objects, histories and records among them, cut to a stated
bound but not paged (a 31st change of a referral was simply not shown). Now a list that
grows with time or activity is a connection (`first`/`after`, at most the largest page);
the plain lists left are the documented set of econ/schema/plain_lists.py, each with what
bounds it, and docs/security.md names every one.
"""

from __future__ import annotations

from pathlib import Path

import econ.schema.plain_lists as plain_lists
from econ.schema.cost import _plain_lists
from econ.schema.plain_lists import BY_FIELD, BY_ITEM, DOMAIN, SUMMARY, stated
from econ.schema_root import build_schema

DOCS = Path(__file__).resolve().parents[2] / "docs" / "security.md"
# Histories and records that grew before and are connections now: none may turn back.
CONNECTIONS = (
    "Referral.history", "Opportunity.referrals", "Enrollment.statusHistory",
    "Enrollment.attendanceDays", "Enrollment.skillGains", "Cohort.waitlist",
    "TrainingProgram.cohorts", "Plan.revisions", "Milestone.history",
    "IncomeRecord.corrections", "StipendSchedule.events", "PaymentLine.attempts",
    "PaymentRun.events", "PaymentRun.exceptions", "PaymentRun.files", "SinceLastLook.events",
    "Query.paymentExceptions", "Loan.repayments", "LoanGroup.loans", "LoanGroup.meetings",
    "Statement.versions", "ProgramSetting.history", "PendingAmounts.awards",
    "PendingAmounts.adjustments", "PendingAmounts.schedules", "PendingAmounts.payees",
    "Participant.statusHistory", "Participant.incomeRecords", "Participant.payments",
    "Participant.statements", "Query.fraudSignals",
    # The last growing lists that were cut at a bound (issue 14, item 6, finished):
    "Participant.loans", "Participant.stipendSchedules", "Participant.consents",
    "Participant.referrals", "Participant.placements", "Participant.enrollments",
    "Participant.enrollmentRequests", "Participant.credentials", "Candidate.credentials",
    "Query.counselorToday", "Outcomes.rows", "Query.skillVocabulary", "Employer.staff",
)  # fmt: skip


def _plain() -> list[tuple[str, str, str]]:
    schema = build_schema().graphql_schema
    return [(t.name, name, item.name) for t, name, _, item in _plain_lists(schema)]


def test_every_plain_list_of_objects_is_in_the_documented_set():
    unstated = [f"{t}.{f} ({i})" for t, f, i in _plain() if stated(t, f, i) is None]
    assert unstated == []


def test_the_documented_set_names_only_lists_the_schema_has():
    plain = _plain()
    fields = {f"{t}.{f}" for t, f, _ in plain}
    items = {i for _, _, i in plain}
    assert sorted(set(BY_FIELD) - fields) == []
    assert sorted(set(BY_ITEM) - items) == []


def test_the_growing_lists_are_connections_with_first_and_after():
    schema = build_schema().graphql_schema
    plain = {f"{t}.{f}" for t, f, _ in _plain()}
    for key in CONNECTIONS:
        assert key not in plain, key
        parent, field = key.split(".")
        definition = schema.get_type(parent).fields[field]
        assert {"first", "after"} <= set(definition.args), key
        assert {"edges", "pageInfo", "totalCount"} <= set(
            schema.get_type(str(definition.type).strip("!")).fields
        ), key


def test_docs_name_every_plain_list_and_its_bound():
    text = DOCS.read_text()
    for key, (bound, _, _) in {**BY_ITEM, **BY_FIELD}.items():
        assert f"`{key}` {bound}" in text, key
        assert bound <= 520, key


def test_a_plain_list_is_bounded_by_the_domain_or_a_summary_never_cut_while_it_grows():
    """A growing list is a connection: no kind "not yet paged" (or any third kind) may
    come back, neither as an entry nor as a name of the module."""
    kinds = {kind for _, kind, _ in {**BY_ITEM, **BY_FIELD}.values()}
    assert kinds <= {DOMAIN, SUMMARY}
    names = {
        n for n in vars(plain_lists) if n.isupper() and isinstance(getattr(plain_lists, n), str)
    }
    assert names == {"DOMAIN", "SUMMARY"}
