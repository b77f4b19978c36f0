"""Inputs the fuzzers found that once reached an internal error; each stays a clear error."""

from __future__ import annotations

import json

import pytest

from tests.support.people import PASSWORD


def _finance_token(api, people) -> str:
    user, _ = people.finance()
    return api.login(user.email, PASSWORD)


def test_ledger_balance_with_a_malformed_participant_id_is_not_found(api, people):
    body = api.post(
        '{ ledgerBalance(account: "1100", participantId: ":") { account } }',
        None,
        _finance_token(api, people),
    )
    assert body["data"] == {"ledgerBalance": None}
    assert [e["extensions"]["code"] for e in body["errors"]] == ["NOT_FOUND"]


def test_audit_log_filters_with_malformed_ids_are_not_found(api, people):
    user, _ = people.admin()
    token = api.login(user.email, PASSWORD)
    for arguments in ('actor: ":"', 'participantId: "x"', 'actor: "99999999999999999999999"'):
        body = api.post(f"{{ auditLog({arguments}) {{ totalCount }} }}", None, token)
        assert [e["extensions"]["code"] for e in body["errors"]] == ["NOT_FOUND"], arguments


def test_months_and_amounts_take_ascii_digits_only():
    """Fullwidth digits once passed `\\d`: "２０２６-01" was a second "month 2026-01", so a
    run (and a payment line, unique by the period string) could exist twice for one month."""
    import pytest

    from econ.errors import DomainError
    from econ.money import parse_amount
    from econ.months import check_month
    from econ.participants.validation import month
    from econ.statements.services import check_period

    for parse in (month, check_month, check_period):
        with pytest.raises(DomainError) as caught:
            parse("２０２６-01")
        assert caught.value.code == "INVALID_MONTH"
    for text in ("１２.５０", "١٢"):
        with pytest.raises(DomainError) as caught:
            parse_amount(text)
        assert caught.value.code == "INVALID_AMOUNT"


def test_next_meeting_dates_with_an_explicit_null_count_uses_the_default(api, people):
    """`count: null` reached `min(None, 12)`: an internal error (found by fuzzing)."""
    from tests.security.world import seed

    world = seed(api, with_run=False, with_statement=False)
    body = api.post(
        "{ loanGroups(first: 1) { edges { node { nextMeetingDates(count: null) } } } }",
        None,
        world.tokens["COUNSELOR"],
    )
    assert "errors" not in body, body
    dates = body["data"]["loanGroups"]["edges"][0]["node"]["nextMeetingDates"]
    assert len(dates) == 4  # the field's default


def test_nul_characters_are_refused_as_bad_input(api, people, http):
    """PostgreSQL cannot store U+0000 in text: it reached the database as an internal error
    (found by fuzzing on PostgreSQL); now refused up front, on every database alike."""
    token = _finance_token(api, people)
    literal = 'mutation { login(input: {email: "a\\u0000@b.org", password: "x"}) { token } }'
    variables = "query Q($c: String!) { participantByCode(code: $c) { id } }"
    for query, values in ((literal, None), (variables, {"c": "P-\x00"})):
        response = http.post(
            "/graphql",
            json={"query": query, "variables": values},
            headers={"authorization": f"Bearer {token}"},
        )
        assert response.status_code == 400, response.text
        assert "NUL" in response.json()["errors"][0]["message"]


# ---- issue 14, item 8: bad input is a 400 with a message, never a 500 -------------------

LONE = "\ud800"
# Every mutation that once answered a lone surrogate with an internal error, and login.
SURROGATE_CASES = {
    "login": (
        "mutation M($t: String!) { login(input: {email: $t, password: $t}) { token } }",
        None,
    ),
    "createParticipant": (
        "mutation M($t: String!) { createParticipant(input: {preferredName: $t}) "
        "{ errors { code } } }",
        "COUNSELOR",
    ),
    "updateParticipant": (
        'mutation M($t: String!) { updateParticipant(input: {participantId: "1", '
        "safetyNotes: $t}) { errors { code } } }",
        "COUNSELOR",
    ),
    "createEmployer": (
        "mutation M($t: String!) { createEmployer(input: {name: $t}) { errors { code } } }",
        "ADMIN",
    ),
    "createTrainingProgram": (
        "mutation M($t: String!) { createTrainingProgram(input: {title: $t, provider: $t, "
        'format: IN_PERSON, totalHours: "10"}) { errors { code } } }',
        "COUNSELOR",
    ),
    "changePassword": (
        "mutation M($t: String!) { changePassword(input: {currentPassword: $t, "
        "newPassword: $t}) { errors { code } } }",
        "COUNSELOR",
    ),
    "updateSettings": (
        'mutation M($t: String!) { updateSettings(input: {settings: [{key: "program_'
        'display_name", value: $t}]}) { errors { code } } }',
        "ADMIN",
    ),
    "participantByCode": ("query Q($t: String!) { participantByCode(code: $t) { id } }", None),
}


@pytest.mark.parametrize("name", sorted(SURROGATE_CASES))
def test_unpaired_surrogates_are_refused_in_any_text(http, people, name):
    from econ.bounds import SURROGATE_MESSAGE

    query, role = SURROGATE_CASES[name]
    headers = {}
    if role:
        user, _ = people.user(role)
        headers["authorization"] = f"Bearer {_token_of(http, user)}"
    for text in (LONE, f"Maria {LONE}", "\udfff", f"a{LONE}\udc00"[::-1]):
        response = _post_escaped(http, {"query": query, "variables": {"t": text}}, headers)
        assert response.status_code == 400, (name, response.text)
        assert response.json()["errors"][0]["message"] == SURROGATE_MESSAGE
    # In the query text itself (not only in variables), too.
    literal = query.replace("$t", '"' + LONE + '"').split(") {", 1)
    raw = _post_escaped(http, {"query": "".join(literal)}, headers)
    assert raw.status_code == 400, raw.text


def _post_escaped(http, body: dict, headers: dict):
    """JSON with \\uXXXX escapes, as a client sends a lone surrogate (it has no UTF-8)."""
    return http.post(
        "/graphql",
        content=json.dumps(body).encode(),
        headers={**headers, "content-type": "application/json"},
    )


def _token_of(http, user) -> str:
    body = http.post(
        "/graphql",
        json={
            "query": "mutation L($e: String!, $p: String!) { login(input: {email: $e, "
            "password: $p}) { token } }",
            "variables": {"e": user.email, "p": PASSWORD},
        },
    ).json()
    return body["data"]["login"]["token"]


EXTREME = ("0001-01-01", "9999-12-31", "1899-12-31", "2201-01-01")


@pytest.mark.parametrize("day", EXTREME)
def test_dates_outside_1900_to_2200_are_refused_in_query_arguments(api, people, day):
    from econ.bounds import DATE_MESSAGE

    user, _ = people.admin()
    token = api.login(user.email, PASSWORD)
    literal = api.post(
        f'{{ outcomes(from: "{day}", to: "2026-12-31") {{ rows {{ totalCount }} }} }}', None, token
    )
    variable = api.post(
        "query O($d: Date!) { outcomes(from: $d, to: $d) { rows { totalCount } } }",
        {"d": day},
        token,
    )
    for body in (literal, variable):
        assert body["_status"] == 400, body
        assert DATE_MESSAGE in body["errors"][0]["message"]
        assert "INTERNAL" not in str(body)
    from econ.training import services as training

    counselor, actor = people.counselor()
    token = api.login(counselor.email, PASSWORD)
    program = training.create_program(
        actor,
        title="Bakery",
        provider="City",
        format="IN_PERSON",
        languages=["es"],
        total_hours="10",
        hours_per_week="5",
        cost="0.00",
        capacity=5,
    ).id
    payload = api.mutate(
        "createCohort",
        {
            "programId": program,
            "startDate": day,
            "endDate": "2026-12-31",
            "sessionDays": ["MON"],
        },
        "cohort { id }",
        token,
    )
    assert [e["code"] for e in payload["errors"]] == ["INVALID_DATE"]
    assert "1900" in payload["errors"][0]["message"]


def test_ids_beyond_64_bits_and_extreme_dates_in_urls_are_400s(http, api, people):
    user, _ = people.admin()
    headers = {"authorization": f"Bearer {api.login(user.email, PASSWORD)}"}
    for url in (
        "/statements/99999999999999999999999.pdf",
        "/documents/payment-runs/99999999999999999999999/report.pdf",
        "/documents/loans/18446744073709551616/schedule.pdf",
        "/outcomes/report.pdf?from=0001-01-01&to=2026-12-31",
        "/outcomes/report.pdf?from=2026-01-01&to=9999-12-31",
        "/outcomes/report.pdf?from=2026-01-01&to=2026-12-31&asOf=0001-01-01",
        "/documents/loan-groups/1/collection-sheet/0001-01-01.pdf",
        "/documents/loan-preview.pdf?principal=100&annualInterestRate=0"
        "&numberOfInstallments=2&disbursementDate=9999-12-31",
    ):
        response = http.get(url, headers=headers)
        assert response.status_code == 400, (url, response.status_code, response.text[:200])
        message = response.json()["errors"][0]["message"]
        assert "2^63" in message or "1900" in message, (url, message)
    # Within the bounds, an unknown id is simply not found.
    assert http.get("/statements/9223372036854775807.pdf", headers=headers).status_code == 404
