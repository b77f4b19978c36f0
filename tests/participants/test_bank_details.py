"""Her bank details at entry: the same IBAN/BIC checks as the payment file, at once.

Issue 15 item 8: entry used to accept what the SEPA file then refused (a short DE IBAN
with fixed check digits, a BR IBAN, "IBAN DE89..." stored as "IBANDE89...", letters in
a numeric BBAN), and the error surfaced only at the run, as INVALID_ACCOUNT.
"""

from __future__ import annotations

import pytest

from econ.errors import DomainError
from econ.iban import validate_iban
from econ.participants import services as participants
from econ.participants.models import ParticipantPII
from econ.security.crypto import decrypt
from tests.support.ibans import with_check_digits
from tests.support.people import PASSWORD

SHORT_DE = with_check_digits("DE", "37040044053201300")  # 21 characters, mod 97 holds
LETTER_IN_BBAN = with_check_digits("DE", "370400440532013O00")  # letter O for zero


def stored(participant, field: str) -> str | None:
    row = ParticipantPII.get(ParticipantPII.participant == participant.id)
    return decrypt(getattr(row, field), f"participant_pii.{field}.{participant.id}")


@pytest.fixture
def counselor(people):
    return people.counselor()[1]


@pytest.mark.parametrize(
    "typed",
    ["IBAN DE89 3704 0044 0532 0130 00", "de89-3704-0044-0532-0130-00", "DE89370400440532013000"],
)
def test_entry_stores_the_compact_iban_however_it_was_typed(people, counselor, typed):
    participant = people.participant(counselor, bank_account=typed)
    assert stored(participant, "bank_account") == "DE89370400440532013000"


@pytest.mark.parametrize(
    ("account", "words"),
    [
        (SHORT_DE, "22 characters"),
        (LETTER_IN_BBAN, "form of an account number"),
        ("BR1800360305000010009795493C1", "cannot receive SEPA transfers"),
        ("DE88370400440532013000", "check digits"),
        ("12345678", "country code"),  # a plain account number is no longer accepted
    ],
)
def test_entry_refuses_what_the_payment_file_would_refuse_naming_the_field(
    people, counselor, account, words
):
    with pytest.raises(DomainError) as err:
        people.participant(counselor, bank_account=account)
    assert (err.value.code, err.value.field) == ("INVALID_IBAN", "bankAccount")
    assert words in err.value.message
    # The payment side's check (the engine's at calculation, the writer's) is the same one.
    with pytest.raises(DomainError):
        validate_iban(account)


def test_every_account_entry_accepts_is_one_the_engine_pays(people, counselor):
    participant = people.participant(counselor, bank_account="IBAN NL91 ABNA 0417 1643 00")
    assert validate_iban(stored(participant, "bank_account")) == "NL91ABNA0417164300"


def test_a_bank_outside_the_eea_needs_its_bic_at_entry(people, counselor):
    with pytest.raises(DomainError) as err:
        people.participant(counselor, bank_account="CH93 0076 2011 6238 5295 7")
    assert (err.value.code, err.value.field) == ("BIC_REQUIRED", "bankBic")
    participant = people.participant(
        counselor, bank_account="CH93 0076 2011 6238 5295 7", bank_bic="ubsw ch zh 80a"
    )
    assert stored(participant, "bank_bic") == "UBSWCHZH80A"
    with pytest.raises(DomainError) as err:
        people.participant(counselor, bank_account="DE89370400440532013000", bank_bic="DEUTDE0F")
    assert (err.value.code, err.value.field) == ("INVALID_BIC", "bankBic")


def test_an_update_checks_the_new_iban_against_the_bic_already_stored(people, counselor):
    participant = people.participant(counselor, bank_account="DE89370400440532013000")
    with pytest.raises(DomainError) as err:
        participants.update_participant(
            counselor, participant.id, bank_account="GB82 WEST 1234 5698 7654 32"
        )
    assert (err.value.code, err.value.field) == ("BIC_REQUIRED", "bankBic")
    assert stored(participant, "bank_account") == "DE89370400440532013000"  # unchanged
    participants.update_participant(counselor, participant.id, bank_bic="NATWGB2L")
    participants.update_participant(
        counselor, participant.id, bank_account="GB82 WEST 1234 5698 7654 32"
    )
    assert stored(participant, "bank_account") == "GB82WEST12345698765432"
    # Removing the BIC of a UK account is refused too: the pair must stay payable.
    with pytest.raises(DomainError) as err:
        participants.update_participant(counselor, participant.id, bank_bic="")
    assert err.value.code == "BIC_REQUIRED"


def test_finance_reads_the_bic_and_an_administrator_does_not(people, counselor):
    participant = people.participant(
        counselor, bank_account="CH9300762011623852957", bank_bic="UBSWCHZH80A"
    )
    finance = people.finance()[1]
    admin = people.admin()[1]
    assert participants.read_restricted(finance, [participant], ["bank_bic"]) == {
        participant.id: {"bank_bic": "UBSWCHZH80A"}
    }
    assert participants.read_restricted(admin, [participant], ["bank_bic"]) == {}


CREATE = "participant { id bankAccount bankBic }"


def test_entry_over_http_gives_a_clear_error_naming_the_field(api, people):
    user, _ = people.counselor()
    token = api.login(user.email, PASSWORD)
    payload = api.mutate(
        "createParticipant",
        {"preferredName": "Eva", "bankAccount": "CH93 0076 2011 6238 5295 7"},
        CREATE,
        token,
    )
    assert payload["participant"] is None
    assert payload["errors"] == [
        {
            "field": "bankBic",
            "code": "BIC_REQUIRED",
            "message": "transfers to accounts in CH need the bank's BIC (8 or 11 characters)",
        }
    ]
    payload = api.mutate(
        "createParticipant",
        {"preferredName": "Eva", "bankAccount": "BR1800360305000010009795493C1"},
        CREATE,
        token,
    )
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("bankAccount", "INVALID_IBAN")]
    payload = api.mutate(
        "createParticipant",
        {
            "preferredName": "Eva",
            "bankAccount": "IBAN CH93 0076 2011 6238 5295 7",
            "bankBic": "ubswchzh80a",
        },
        CREATE,
        token,
    )
    assert payload["errors"] == []
    assert payload["participant"]["bankAccount"] == "CH9300762011623852957"
    assert payload["participant"]["bankBic"] == "UBSWCHZH80A"
