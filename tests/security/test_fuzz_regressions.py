"""Inputs the fuzzers found that once reached an internal error; each stays a clear error."""

from __future__ import annotations

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
    from econ.participants.validation import month
    from econ.statements.services import check_period
    from econ.stipends.periods import check_month

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
