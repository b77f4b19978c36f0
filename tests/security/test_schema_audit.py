"""Deny by default: every type.field a role can read must be in tests/security/allowlist.yaml."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest
import yaml
from graphql import is_object_type

from econ.months import add_months, month_of
from econ.security.audit import verify_chain
from tests.security.apps import app_with
from tests.security.mutation_matrix import SKIPPED, run_matrix
from tests.security.walker import EnumValue, Observation, Walker, fetch_schema, pools_of
from tests.security.world import found, needles_hidden_from, seed
from tests.support.api import Api

ALLOWLIST = Path(__file__).with_name("allowlist.yaml")
ROLES = ("ADMIN", "COUNSELOR", "FINANCE", "EMPLOYER", "PARTICIPANT", "ANONYMOUS")
RANGE = ("2020-01-01", "2030-12-31")


def _values(key: str, cap: int = 4):
    type_name, field_name = key.split(".")
    return lambda pools: pools.get((type_name, field_name), [])[:cap]


def _fixed(*values):
    return lambda _pools: list(values)


# Where the walker takes the value of each required root argument from: values any role
# saw for that type.field, or a fixed value. A new required argument without a source
# fails the test (the field would otherwise go unaudited).
SOURCES = {
    "outcomes.from": _fixed(RANGE[0]),
    "outcomes.to": _fixed(RANGE[1]),
    "outcomesReport.from": _fixed(RANGE[0]),
    "outcomesReport.to": _fixed(RANGE[1]),
    "paymentRunReport.runId": _values("PaymentRun.id"),
    "loanScheduleDocument.loanId": _values("Loan.id"),
    "collectionSheetDocument.groupId": _values("LoanGroup.id", 2),
    "collectionSheetDocument.date": _values("LoanGroup.nextMeetingDates", 1),
    "collectionSheet.groupId": _values("LoanGroup.id", 2),
    "collectionSheet.date": _values("LoanGroup.nextMeetingDates", 1),
    "loanSchedulePreview.input": _fixed(
        {
            "principal": "1000.00",
            "annualInterestRate": "0",
            "numberOfInstallments": 4,
            "frequency": EnumValue("MONTHS"),
            "firstDueDate": "2026-02-01",
            "disbursementDate": "2026-01-01",
        }
    ),
    "loanGroup.id": _values("LoanGroup.id"),
    "loan.id": _values("Loan.id"),
    "ledgerBalance.account": _fixed("1100", "2100", "5100"),
    "ledgerPeriod.period": _fixed(month_of(date.today())),
    "ledgerEntries.account": _fixed("bank", "stipend_payable"),
    "ledgerEntries.period": _fixed(month_of(date.today()), add_months(month_of(date.today()), -1)),
    "stipendSchedule.id": _values("StipendSchedule.id"),
    "paymentRun.id": _values("PaymentRun.id"),
    "paymentFile.id": _values("PaymentFile.id"),
    "payeeStatus.participantId": _values("Participant.id", 6),
    "employer.id": _values("Employer.id"),
    "opportunity.id": _values("Opportunity.id"),
    "opportunityCandidates.opportunityId": _values("Opportunity.id"),
    "referral.id": _values("Referral.id"),
    "placement.id": _values("Placement.id"),
    "trainingProgram.id": _values("TrainingProgram.id"),
    "cohort.id": _values("Cohort.id"),
    "enrollment.id": _values("Enrollment.id"),
    "participant.id": _values("Participant.id", 6),
    "participantByCode.code": _values("Participant.code", 6),
}


def load_allowlist() -> dict:
    return yaml.safe_load(ALLOWLIST.read_text())


def allowed_pairs(allowlist: dict, role: str) -> set[tuple[str, str]]:
    return {
        (type_name, field_name)
        for type_name, fields in (allowlist["read"].get(role) or {}).items()
        for field_name in fields
    }


def audit(api, world, roles=ROLES, leaks: list | None = None):
    """Walk the schema as each role; every response is also searched for canary values.

    The walk asks every field at once, nested lists under lists included, so its documents
    exceed the cost limit on purpose: it runs on an app without that limit (the limit has
    its own tests in test_query_cost.py), on the same database and sessions.
    """
    with app_with(max_query_cost=10**15) as client:
        return _audit(Api(client), world, roles, leaks)


def _audit(api, world, roles, leaks):
    def poster(role):
        hidden = needles_hidden_from(role)

        def post(document: str) -> dict:
            body = api.post(document, None, world.tokens[role])
            if leaks is not None:
                leaks.extend(f"{role}: {n}" for n in found(json.dumps(body), hidden))
            return body

        return post

    schema = fetch_schema(poster("ADMIN"))
    walker = Walker(schema, SOURCES)
    seen = {role: Observation() for role in roles}
    for phase in (1, 2):
        pools = pools_of(seen.values())
        trees = [t for t in walker.root_trees(pools) if bool(t.args) == (phase == 2)]
        for role in roles:
            walker.walk(poster(role), trees, seen[role])
    return walker, seen


# Walks every field for every role over HTTP: minutes on a loaded machine.
@pytest.mark.timeout(1200)
def test_every_field_each_role_reads_is_allowed_on_purpose(api):
    world = seed(api)
    leaks: list[str] = []
    walker, seen = audit(api, world, leaks=leaks)
    # Record-level: the canary's restricted values reach only the roles that may read them.
    assert leaks == []
    allowlist = load_allowlist()
    if os.environ.get("ECON_AUDIT_RECORD"):  # write what was seen, to review by hand
        observed = {role: _grouped(sorted(seen[role].data)) for role in ROLES}
        Path(os.environ["ECON_AUDIT_RECORD"]).write_text(yaml.safe_dump(observed, width=100))
    problems = [f"argument without a source: {s}" for s in sorted(set(walker.skipped))]
    for role in ROLES:
        problems += seen[role].unexpected
        extra = seen[role].data - allowed_pairs(allowlist, role)
        problems += [
            f"{role} reads {t}.{f}, which is not in the allowlist" for t, f in sorted(extra)
        ]
    assert problems == [], "\n".join(problems)
    # The walk is not vacuous: each staff role reached real records (hand-checked
    # against the demo: the counselor reads restricted PII of her caseload, finance the
    # payee data, the employer her candidates, the participant her own plan).
    assert ("Participant", "legalName") in seen["COUNSELOR"].data
    assert ("PaymentLine", "payeeName") in seen["FINANCE"].data
    assert ("Candidate", "handle") in seen["EMPLOYER"].data
    assert ("Plan", "milestones") in seen["PARTICIPANT"].data
    assert seen["ANONYMOUS"].data == set()
    # An employer's empty lists say nothing either: zero, not a count of hidden rows.
    assert seen["EMPLOYER"].values[("ParticipantConnection", "totalCount")] == {0}
    assert seen["EMPLOYER"].values[("EnrollmentRequestConnection", "totalCount")] == {0}
    stale = sorted(
        f"{t}.{f}"
        for role in ROLES
        for t, f in allowed_pairs(allowlist, role)
        if t not in walker.schema.type_map or f not in walker.schema.type_map[t].fields
    )
    assert stale == [], f"allowlist entries for fields that no longer exist: {stale}"
    assert verify_chain().intact  # thousands of reads, and the audit log only grew
    _report(walker, seen)


def _report(walker, seen) -> None:
    """The campaign's figures (docs/security.md), printed with -s."""
    fields = sum(
        len(t.fields)
        for name, t in walker.schema.type_map.items()
        if not name.startswith("__") and is_object_type(t) and name != "Mutation"
    )
    print(f"\nschema audit: {fields} readable type.fields in the schema, {len(ROLES)} roles")
    for role in ROLES:
        print(
            f"  {role:<11} {seen[role].documents:>5} documents, "
            f"{len(seen[role].asked):>4} type.fields asked, "
            f"{len(seen[role].data):>4} type.fields returned data, codes {dict(seen[role].codes)}"
        )


def _grouped(pairs):
    out: dict[str, list[str]] = {}
    for type_name, field_name in pairs:
        out.setdefault(type_name, []).append(field_name)
    return out


def test_each_role_calls_exactly_the_mutations_it_is_allowed(api):
    world = seed(api, with_run=False, with_statement=False)
    schema = fetch_schema(lambda document: api.post(document, None, world.tokens["ADMIN"]))
    results = run_matrix(schema, api.post, {role: world.tokens[role] for role in ROLES})
    expected = load_allowlist()["mutations"]
    if os.environ.get("ECON_AUDIT_RECORD"):
        observed = {
            name: sorted(role for role, got in by_role.items() if got == "passed")
            for name, by_role in results.items()
        }
        Path(os.environ["ECON_AUDIT_RECORD"] + ".mutations").write_text(
            yaml.safe_dump(observed, width=100)
        )
    problems = []
    for name, by_role in results.items():
        allowed = set(expected.get(name, ()))
        for role, got in by_role.items():
            want = "passed" if role in allowed else "denied"
            if got != want:
                problems.append(f"{role} {name}: expected {want}, got {got}")
    missing = sorted(set(expected) - set(results) - SKIPPED)
    assert problems == [], "\n".join(problems)
    assert missing == [], f"allowlisted mutations that no longer exist: {missing}"
