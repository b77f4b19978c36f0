"""The last growing lists are capped connections (issue 14, item 6): each pages across a
page boundary with `first`/`after` (every item once, none twice, the count of all), and the
cost rule counts each by its `first`.

One participant with three of everything, built through the real services: referrals,
consents, placements, stipend schedules, enrolments, credentials, enrolment requests and
loans; the counselor's Today list, the outcome rows by cohort, the skill vocabulary, a
company's staff and a candidate's credentials.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from graphql import parse

from econ.employers import services as employers
from econ.microcredit import services as microcredit
from econ.schema.cost import document_cost
from econ.schema_root import build_schema
from econ.stipends import services as stipends
from econ.training import services as training
from tests.employers.conftest import consent, make_employer, open_opportunity
from tests.support.people import PASSWORD
from tests.training.conftest import Kit

TODAY = dt.date.today()


@dataclass
class Her:
    id: int
    counselor: str  # tokens
    herself: str
    employer: str
    admin: str
    employer_id: int
    opportunity_id: int


def _programs_and_cohorts(kit: Kit, her) -> None:
    """Three enrolments, each completed with a credential."""
    for n in range(3):
        program = kit.program(title=f"Programme {n}")
        enrollment = kit.enroll(kit.cohort(program), her)
        kit.set(enrollment, "ACTIVE")
        kit.complete(enrollment, credential={"name": f"Certificate {n}"})


def _requests(kit: Kit, her_actor) -> None:
    for n in range(3):
        start = TODAY + dt.timedelta(days=14 + 7 * n)
        cohort = kit.cohort(start_date=start, end_date=start + dt.timedelta(days=30))
        training.request_enrollment(her_actor, cohort.id, f"please {n}")


def _work(people, counselor, her) -> tuple[int, int, object]:
    """Three consents (three companies), three shared referrals, three hires at the first."""
    _, admin = people.admin()
    first = make_employer(admin)
    for name in ("Second Co-op", "Third Co-op"):
        consent(counselor, her.id, make_employer(admin, name).id)
    employer_user, employer_actor = people.employer(first.id)
    for _ in range(2):
        people.employer(first.id)  # two more staff logins: three
    consent(counselor, her.id, first.id)
    opportunity_id = 0
    for n in range(3):
        opportunity = open_opportunity(employer_actor, title=f"Opening {n}")
        opportunity_id = opportunity_id or opportunity.id
        referral = employers.refer_participant(counselor, opportunity.id, her.id)
        employers.advance_referral(counselor, referral.id, "SHARED")
        for status in ("INTERVIEW", "OFFERED"):
            employers.advance_referral(counselor, referral.id, status)
        employers.advance_referral(counselor, referral.id, "HIRED", placement={"start_date": TODAY})
    return first.id, opportunity_id, employer_user


def _money(people, counselor, her) -> None:
    _, finance = people.finance()
    for start in ("2024-01", "2024-07", "2025-01"):
        schedule = stipends.create_schedule(
            counselor, her.id, monthly_amount="300.00", start_month=start, duration_months=6
        )
        stipends.end_schedule(counselor, schedule.id, "MANUAL")  # one live at a time
    group = microcredit.create_group(
        counselor, name="Sunflower group", meeting_frequency="WEEKLY",
        meeting_weekday="MONDAY", meeting_place="Community centre", savings_per_meeting="5.00",
    )  # fmt: skip
    microcredit.add_member(counselor, group.id, her.id, "LEADER")
    for neighbour in ("Lina", "Joy"):
        other = people.participant(counselor, preferred_name=neighbour)
        microcredit.add_member(counselor, group.id, other.id, "MEMBER")
    microcredit.set_group_status(counselor, group.id, "ACTIVE")
    for amount in ("100.00", "200.00", "300.00"):
        loan = microcredit.apply_for_loan(
            counselor, her.id, purpose="WORKING_CAPITAL", amount=amount,
            number_of_installments=4, annual_interest_rate="0",
        )  # fmt: skip
        microcredit.reject_loan(finance, loan.id, "not now")  # one open loan at a time


@pytest.fixture
def her(api, people) -> Her:
    kit = Kit(people)
    person = kit.participant("Rosa")
    login, her_actor = people.participant_login(kit.counselor, person)
    _programs_and_cohorts(kit, person)
    _requests(kit, her_actor)
    employer_id, opportunity_id, employer_user = _work(people, kit.counselor, person)
    _money(people, kit.counselor, person)
    admin_user, admin = people.admin()
    for key in ("pastry", "bread", "coffee"):
        labels = {lang: key.title() for lang in training.SKILL_LANGUAGES}
        training.save_skill_term(admin, key, labels)
    return Her(
        person.id,
        api.login(kit.counselor_user.email, PASSWORD),
        api.login(login.email, PASSWORD),
        api.login(employer_user.email, PASSWORD),
        api.login(admin_user.email, PASSWORD),
        employer_id,
        opportunity_id,
    )


def _pages_of(api, token, document: str, variables: dict, path: list[str], key) -> list:
    """Every item of the connection at `path`, a page of 2 at a time after the cursor."""
    seen, after, pages = [], None, 0
    while True:
        data = api.query(document, {**variables, "first": 2, "after": after}, token)
        for step in path:
            data = data[step][0]["node"] if isinstance(data[step], list) else data[step]
        page = data
        assert len(page["edges"]) <= 2
        assert page["pageInfo"]["hasPreviousPage"] is (after is not None)
        seen += [key(edge["node"]) for edge in page["edges"]]
        pages += 1
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert pages >= 2, path  # it crossed a page boundary
    assert len(seen) == len(set(seen)) == page["totalCount"], (path, seen)
    return seen


PAGE = "($first: Int, $after: String"
EDGES = "totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { node { %s } }"


def _her_field(field: str, node: str) -> str:
    return (
        f"query{PAGE}, $id: ID!) {{ participant(id: $id) {{ "
        f"{field}(first: $first, after: $after) {{ {EDGES % node} }} }} }}"
    )


HER_FIELDS = {
    "loans": ("id", 3),
    "stipendSchedules": ("id", 3),
    "consents": ("id", 3),
    "referrals": ("id", 3),
    "placements": ("id", 3),
    "enrollments": ("id", 3),
    "enrollmentRequests": ("id", 3),
    "credentials": ("name", 3),
}


@pytest.mark.parametrize("field", sorted(HER_FIELDS))
def test_her_lists_page_across_a_boundary_for_her_counselor_and_herself(api, her, field):
    node, count = HER_FIELDS[field]
    document = _her_field(field, node)
    by_counselor = _pages_of(
        api, her.counselor, document, {"id": str(her.id)}, ["participant", field],
        lambda n: n[node],
    )  # fmt: skip
    assert len(by_counselor) == count
    if field in ("stipendSchedules", "referrals", "placements", "loans"):
        assert by_counselor == sorted(by_counselor, key=int)  # oldest first
    if field in ("consents", "enrollments", "enrollmentRequests"):
        assert by_counselor == sorted(by_counselor, key=int, reverse=True)  # newest first
    by_her = _pages_of(
        api, her.herself, document, {"id": str(her.id)}, ["participant", field],
        lambda n: n[node],
    )  # fmt: skip
    assert by_her == by_counselor


def test_the_counselors_today_pages(api, her):
    document = f"query{PAGE}) {{ counselorToday(first: $first, after: $after) {{ {EDGES} }} }}"
    items = _pages_of(
        api, her.counselor, document % "kind recordId", {}, ["counselorToday"],
        lambda n: (n["kind"], n["recordId"]),
    )  # fmt: skip
    assert sum(1 for kind, _ in items if kind == "ENROLMENT_REQUEST") == 3


def test_outcome_rows_page(api, her):
    since = TODAY - dt.timedelta(days=365)
    document = (
        f'query{PAGE}) {{ outcomes(from: "{since}", to: "{TODAY}", groupBy: COHORT) {{ '
        f"rows(first: $first, after: $after) {{ {EDGES} }} }} }}"
    )
    rows = _pages_of(api, her.admin, document % "key", {}, ["outcomes", "rows"], lambda n: n["key"])
    assert len(rows) >= 3  # one per cohort she sat in


def test_the_skill_vocabulary_pages(api, her):
    document = f"query{PAGE}) {{ skillVocabulary(first: $first, after: $after) {{ {EDGES} }} }}"
    keys = _pages_of(
        api, her.employer, document % "key", {}, ["skillVocabulary"], lambda n: n["key"]
    )
    assert {"pastry", "bread", "coffee"} <= set(keys)
    assert keys == sorted(keys)


def test_a_companys_staff_pages_for_itself(api, her):
    document = (
        f"query{PAGE}) {{ employers(first: 1) {{ edges {{ node {{ "
        f"staff(first: $first, after: $after) {{ {EDGES % 'email'} }} }} }} }} }}"
    )
    emails = _pages_of(
        api, her.employer, document, {}, ["employers", "edges", "staff"], lambda n: n["email"]
    )
    assert len(emails) == 3


def test_a_candidates_credentials_page_without_naming_a_credential(api, her):
    credentials = f"credentials(first: $first, after: $after) {{ {EDGES % 'name'} }}"
    document = (
        f"query{PAGE}, $id: ID!) {{ opportunity(id: $id) {{ referrals(first: 1) {{ edges {{ "
        f"node {{ candidate {{ {credentials} }} }} }} }} }} }}"
    )
    names = _pages_of(
        api, her.employer, document, {"id": str(her.opportunity_id)},
        ["opportunity", "referrals", "edges", "candidate", "credentials"], lambda n: n["name"],
    )  # fmt: skip
    assert names == ["Certificate 0", "Certificate 1", "Certificate 2"]
    # Offset cursors: nothing in them is an id another referral's profile would repeat.
    variables = {"id": str(her.opportunity_id), "first": 1, "after": None}
    page = api.query(document, variables, her.employer)
    cursor = page["opportunity"]["referrals"]["edges"][0]["node"]["candidate"]["credentials"]
    assert cursor["pageInfo"]["endCursor"] == "bzow"  # base64 of "o:0"


# The cost rule counts each converted field by its `first`: raising it by k adds k edges
# and k nodes per enclosing item (one participant, one company, a page of 50 referrals).
COSTED = {
    **{
        f"Participant.{f}": (
            "{ participant(id: 1) { " + f + "(first: %d) { edges { node { __typename } } } } }",
            1,
        )
        for f in HER_FIELDS
    },
    "Query.counselorToday": ("{ counselorToday(first: %d) { edges { node { kind } } } }", 1),
    "Outcomes.rows": (
        '{ outcomes(from: "2026-01-01", to: "2026-02-01") { rows(first: %d) { edges { node { key } } } } }',  # noqa: E501
        1,
    ),
    "Query.skillVocabulary": ("{ skillVocabulary(first: %d) { edges { node { key } } } }", 1),
    "Employer.staff": ("{ employer(id: 1) { staff(first: %d) { edges { node { email } } } } }", 1),
    "Candidate.credentials": (
        "{ opportunity(id: 1) { referrals(first: 50) { edges { node { candidate { "
        "credentials(first: %d) { edges { node { name } } } } } } } } }",
        50,
    ),
}


@pytest.mark.parametrize("field", sorted(COSTED))
def test_the_cost_rule_counts_each_converted_field_by_its_page(field):
    schema = build_schema().graphql_schema
    document, around = COSTED[field]
    small, large = (document_cost(schema, parse(document % n), 10**9) for n in (1, 90))
    assert large - small == 89 * 2 * around, field  # each edge and its node


def test_forged_cursors_and_other_readers_get_nothing(api, people, her):
    key_cursor = "azo1"  # base64 of "k:5": a keyset cursor where an offset is expected
    credentials = (
        "query($id: ID!, $after: String) { opportunity(id: $id) { referrals(first: 1) { "
        "edges { node { candidate { credentials(after: $after) { totalCount } } } } } } }"
    )
    body = api.post(credentials, {"id": str(her.opportunity_id), "after": key_cursor}, her.employer)
    assert body["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    assert "invalid cursor" in body["errors"][0]["message"]
    consents = "query($id: ID!, $after: String) { participant(id: $id) { consents(after: $after) { totalCount } } }"  # noqa: E501
    body = api.post(consents, {"id": str(her.id), "after": "bzow"}, her.counselor)  # o:0
    assert body["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    # Another counselor, and the company she was placed with, read none of her lists.
    other_user, _ = people.counselor()
    for token in (api.login(other_user.email, PASSWORD), her.employer):
        body = api.post(consents, {"id": str(her.id), "after": None}, token)
        participant = (body.get("data") or {}).get("participant")
        assert participant is None or participant["consents"] is None, body
