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
