"""IBAN checks, payment value types and the pain.001.001.03 writer."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from econ.errors import DomainError
from econ.iban import (
    SEPA_IBAN_LENGTHS,
    normalize_iban,
    validate_bic,
    validate_iban,
)
from econ.stipends.files.sepa import NAMESPACE, build_pain001, sepa_text
from econ.stipends.files.types import CardLoad, CashPayment, Payer, Transfer

XSD = Path(__file__).resolve().parent.parent / "data" / "pain.001.001.03.xsd"
NS = {"p": NAMESPACE}

# Example IBANs published in the SWIFT IBAN registry and the ECBS IBAN standard.
KNOWN_GOOD_IBANS = [
    "DE89370400440532013000",
    "GB82WEST12345698765432",
    "FR1420041010050500013M02606",
    "NL91ABNA0417164300",
    "BE68539007547034",
    "AT611904300234573201",
    "ES9121000418450200051332",
    "IT60X0542811101000000123456",
    "NO9386011117947",
    "MT84MALT011000012345MTLCAST001S",
    "CH9300762011623852957",
]


@cache
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD)))


def assert_valid(document: bytes) -> etree._Element:
    root = etree.fromstring(document)
    assert schema().validate(root), schema().error_log
    return root


def texts(root: etree._Element, path: str) -> list[str]:
    return [element.text for element in root.iterfind(path, NS)]


def reference_mod97(iban: str) -> int:
    """Independent ISO 7064 MOD 97-10: digit by digit, as done on paper."""
    remainder = 0
    for ch in iban[4:] + iban[:4]:
        for digit in str(int(ch, 36)):
            remainder = (remainder * 10 + int(digit)) % 97
    return remainder


PAYER = Payer(name="Fondo Horizonte", iban="DE89370400440532013000", display_name="Horizonte")
CREATED = datetime(2026, 12, 1, 10, 30, 15, tzinfo=UTC)
EXECUTION = date(2026, 12, 3)


def three_transfers() -> list[Transfer]:
    return [
        Transfer(
            "R12-L1-A1",
            "Zoë Ångström",
            "gb82 west 1234 5698 7654 32",
            Decimal("120.00"),
            remittance="2026-12",
        ),
        Transfer(
            "R12-L2-A1",
            "Ana López",
            "FR1420041010050500013M02606",
            Decimal("450.50"),
            remittance="2026-12",
            payee_bic="bnpafrpp",
        ),
        Transfer(
            "R12-L3-A2", "Mária Nagy", "NL91ABNA0417164300", Decimal("0.01"), remittance="2026-12"
        ),
    ]


def build(transfers=None, control_sum=Decimal("570.51"), count=3, payer=PAYER, **kw) -> bytes:
    # 570.51 = 120.00 + 450.50 + 0.01, the three transfers above.
    return build_pain001(
        kw.get("message_id", "R12-2026-12"),
        kw.get("created_at", CREATED),
        payer,
        three_transfers() if transfers is None else transfers,
        EXECUTION,
        control_sum,
        count,
    )


# --- IBAN and BIC -----------------------------------------------------------------------


@pytest.mark.parametrize("iban", KNOWN_GOOD_IBANS)
def test_published_example_ibans_are_valid(iban):
    assert validate_iban(iban) == iban


def test_iban_is_normalised_from_print_form():
    assert normalize_iban(" de89 3704\t0044 0532 0130 00 ") == "DE89370400440532013000"
    assert validate_iban("de89 3704 0044 0532 0130 00") == "DE89370400440532013000"


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("DE88370400440532013000", "check digits"),  # DE89... with the check digits changed
        ("DE89370400440532013001", "check digits"),  # last digit changed
        ("DE8937040044053201300", "22 characters"),  # one digit short
        ("BR1800360305000010009795493C1", "not a SEPA country"),  # valid Brazilian IBAN
        ("ıT60X0542811101000000123456", "letters and digits"),  # dotless i upper-cases to I
        ("DE89-3704-0044-0532-0130-00", "country code"),
        ("", "country code"),
        ("12345678901234567890", "country code"),
    ],
)
def test_bad_ibans_are_refused_with_the_field(text, why):
    with pytest.raises(DomainError) as err:
        validate_iban(text, field="payeeIban")
    assert err.value.code == "INVALID_IBAN"
    assert err.value.field == "payeeIban"
    assert why in err.value.message


def test_iban_error_never_echoes_the_account():
    with pytest.raises(DomainError) as err:
        validate_iban("DE88370400440532013000")
    assert "370400440532013000" not in err.value.message


@given(st.one_of(st.text(max_size=40), st.from_regex(r"[A-Za-z]{2}[0-9]{2}[A-Za-z0-9 ]{8,32}")))
@settings(max_examples=200, deadline=None)
def test_any_string_gives_a_valid_iban_or_a_domain_error(text):
    try:
        iban = validate_iban(text)
    except DomainError as err:
        assert err.code == "INVALID_IBAN"
        return
    assert iban == normalize_iban(text)
    assert len(iban) == SEPA_IBAN_LENGTHS[iban[:2]]
    assert reference_mod97(iban) == 1


@st.composite
def constructed_ibans(draw):
    country = draw(st.sampled_from(sorted(SEPA_IBAN_LENGTHS)))
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    bban = draw(
        st.text(
            alphabet,
            min_size=SEPA_IBAN_LENGTHS[country] - 4,
            max_size=SEPA_IBAN_LENGTHS[country] - 4,
        )
    )
    check = 98 - reference_mod97(country + "00" + bban)  # ISO 13616 check-digit formula
    return f"{country}{check:02d}{bban}"


@given(constructed_ibans(), st.data())
@settings(max_examples=150, deadline=None)
def test_constructed_ibans_pass_and_a_changed_digit_fails(iban, data):
    assert validate_iban(iban) == iban
    digits = [i for i, ch in enumerate(iban) if i >= 4 and ch.isdigit()]
    if not digits:
        return
    position = data.draw(st.sampled_from(digits))
    other = data.draw(st.sampled_from([d for d in "0123456789" if d != iban[position]]))
    with pytest.raises(DomainError):
        validate_iban(iban[:position] + other + iban[position + 1 :])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, None),
        ("", None),
        ("  ", None),
        ("deutdeff", "DEUTDEFF"),
        ("DEUTDEFF500", "DEUTDEFF500"),
    ],
)
def test_bic_is_optional_and_normalised(text, expected):
    assert validate_bic(text) == expected


@pytest.mark.parametrize("text", ["DEUTDEF", "DEUTDEFF5", "DEU1DEFF", "DEUTDEFF5000", "DÉUTDEFF"])
def test_bad_bics_are_refused(text):
    with pytest.raises(DomainError) as err:
        validate_bic(text, field="payeeBic")
    assert (err.value.code, err.value.field) == ("INVALID_BIC", "payeeBic")


# --- value types ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"end_to_end_id": "R" * 36}, "INVALID_REFERENCE", "endToEndId"),  # Max35Text
        ({"end_to_end_id": "R12_L1"}, "INVALID_REFERENCE", "endToEndId"),
        ({"amount": Decimal("0.00")}, "INVALID_AMOUNT", "amount"),
        ({"amount": Decimal("1.005")}, "INVALID_AMOUNT", "amount"),
        ({"amount": 12.5}, "INVALID_AMOUNT", "amount"),
        ({"amount": Decimal("NaN")}, "INVALID_AMOUNT", "amount"),
        ({"payee_iban": "DE88370400440532013000"}, "INVALID_IBAN", "payeeIban"),
        ({"payee_name": "  "}, "INVALID_NAME", "payeeName"),
        ({"currency": "eur"}, "INVALID_CURRENCY", "currency"),
    ],
)
def test_transfer_refuses_bad_values(changes, code, field):
    values = {
        "end_to_end_id": "R12-L1-A1",
        "payee_name": "Ana",
        "payee_iban": "DE89370400440532013000",
        "amount": Decimal("1.00"),
    }
    with pytest.raises(DomainError) as err:
        Transfer(**(values | changes))
    assert (err.value.code, err.value.field) == (code, field)


def test_transfer_normalises_account_so_equal_transfers_compare_equal():
    a = Transfer("R1", "Ana", "de89 3704 0044 0532 0130 00", Decimal("5.00"), payee_bic="deutdeff")
    b = Transfer("R1", "Ana", "DE89370400440532013000", Decimal("5.00"), payee_bic="DEUTDEFF")
    assert a == b


def test_card_load_and_cash_payment_check_their_values():
    assert CardLoad("CARD-77", "Ana", Decimal("10.00"), "R1-L1-A1").currency == "EUR"
    with pytest.raises(DomainError) as err:
        CardLoad(" ", "Ana", Decimal("10.00"), "R1-L1-A1")
    assert err.value.code == "INVALID_CARD"
    with pytest.raises(DomainError) as err:
        CashPayment("R1-L1-A1", "Ana", Decimal("-1.00"))
    assert err.value.code == "INVALID_AMOUNT"


# --- pain.001 ---------------------------------------------------------------------------


def test_file_validates_and_states_the_frozen_totals_twice():
    root = assert_valid(build())
    # Hand sum: 120.00 + 450.50 + 0.01 = 570.51, three transactions.
    assert texts(root, "p:CstmrCdtTrfInitn/p:GrpHdr/p:NbOfTxs") == ["3"]
    assert texts(root, "p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum") == ["570.51"]
    assert texts(root, "p:CstmrCdtTrfInitn/p:PmtInf/p:NbOfTxs") == ["3"]
    assert texts(root, "p:CstmrCdtTrfInitn/p:PmtInf/p:CtrlSum") == ["570.51"]


def test_group_header_and_batch_carry_the_sepa_fixed_fields():
    created = datetime(2026, 12, 1, 11, 30, 15, 123456, tzinfo=timezone(timedelta(hours=1)))
    root = assert_valid(build(created_at=created))
    head = "p:CstmrCdtTrfInitn/p:GrpHdr/"
    batch = "p:CstmrCdtTrfInitn/p:PmtInf/"
    assert texts(root, head + "p:MsgId") == ["R12-2026-12"]
    # 11:30:15.123456 at +01:00 is 10:30:15 UTC, written to the second without offset.
    assert texts(root, head + "p:CreDtTm") == ["2026-12-01T10:30:15"]
    assert texts(root, head + "p:InitgPty/p:Nm") == ["Fondo Horizonte"]
    assert texts(root, batch + "p:PmtInfId") == ["R12-2026-12"]
    assert texts(root, batch + "p:PmtMtd") == ["TRF"]
    assert texts(root, batch + "p:BtchBookg") == ["true"]
    assert texts(root, batch + "p:PmtTpInf/p:SvcLvl/p:Cd") == ["SEPA"]
    assert texts(root, batch + "p:ReqdExctnDt") == ["2026-12-03"]
    assert texts(root, batch + "p:Dbtr/p:Nm") == ["Fondo Horizonte"]
    assert texts(root, batch + "p:DbtrAcct/p:Id/p:IBAN") == ["DE89370400440532013000"]
    assert texts(root, batch + "p:DbtrAgt/p:FinInstnId/p:Othr/p:Id") == ["NOTPROVIDED"]
    assert texts(root, batch + "p:ChrgBr") == ["SLEV"]


def test_debtor_bic_is_written_when_known():
    payer = Payer("Fondo Horizonte", "DE89370400440532013000", "Horizonte", bic="COBADEFFXXX")
    root = assert_valid(build(payer=payer))
    agent = "p:CstmrCdtTrfInitn/p:PmtInf/p:DbtrAgt/p:FinInstnId/"
    assert texts(root, agent + "p:BIC") == ["COBADEFFXXX"]
    assert texts(root, agent + "p:Othr/p:Id") == []


def test_each_transfer_is_written_with_its_reference_amount_and_account():
    root = assert_valid(build())
    items = root.findall("p:CstmrCdtTrfInitn/p:PmtInf/p:CdtTrfTxInf", NS)
    assert [i.findtext("p:PmtId/p:EndToEndId", namespaces=NS) for i in items] == [
        "R12-L1-A1",
        "R12-L2-A1",
        "R12-L3-A2",
    ]
    amounts = [i.find("p:Amt/p:InstdAmt", NS) for i in items]
    assert [(a.text, a.get("Ccy")) for a in amounts] == [
        ("120.00", "EUR"),
        ("450.50", "EUR"),
        ("0.01", "EUR"),
    ]
    assert [i.findtext("p:Cdtr/p:Nm", namespaces=NS) for i in items] == [
        "Zoe Angstrom",
        "Ana Lopez",
        "Maria Nagy",
    ]
    assert [i.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=NS) for i in items] == [
        "GB82WEST12345698765432",
        "FR1420041010050500013M02606",
        "NL91ABNA0417164300",
    ]
    # Only the second transfer has a BIC; the others carry no creditor agent at all.
    assert [i.findtext("p:CdtrAgt/p:FinInstnId/p:BIC", namespaces=NS) for i in items] == [
        None,
        "BNPAFRPP",
        None,
    ]


def test_remittance_is_the_neutral_display_name_and_the_transfer_text_only():
    root = assert_valid(build())
    ustrd = texts(root, "p:CstmrCdtTrfInitn/p:PmtInf/p:CdtTrfTxInf/p:RmtInf/p:Ustrd")
    assert ustrd == ["Horizonte 2026-12"] * 3


def test_long_names_and_remittance_are_cut_to_the_sepa_limits():
    transfer = Transfer(
        "R1", "Ana " + "x" * 100, "NL91ABNA0417164300", Decimal("1.00"), remittance="y" * 200
    )
    root = assert_valid(build([transfer], Decimal("1.00"), 1))
    item = "p:CstmrCdtTrfInitn/p:PmtInf/p:CdtTrfTxInf/"
    assert texts(root, item + "p:Cdtr/p:Nm") == ["Ana " + "x" * 66]  # 70 characters
    assert texts(root, item + "p:RmtInf/p:Ustrd") == ["Horizonte " + "y" * 130]  # 140


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Zoë Ångström-Łukasiewicz 😀", "Zoe Angstrom-Lukasiewicz"),
        ("Straße & Söhne", "Strasse + Sohne"),
        ("Ana\tMaría\nPérez", "Ana Maria Perez"),
        ("Ana  😀  Lopez", "Ana Lopez"),
        ("Ｆｕｌｌ ｗｉｄｔｈ", "Full width"),  # NFKD folds compatibility forms
        ("O’Brien; Œuvre_1 #2", "O'Brien OEuvre1 2"),  # ; _ # are outside the SEPA set
        ("Мария", ""),  # Cyrillic has no SEPA form here: removed, and the writer refuses it
    ],
)
def test_sepa_text_keeps_only_the_sepa_latin_set(text, expected):
    assert sepa_text(text, 70) == expected


def test_sepa_text_does_not_end_a_cut_name_on_a_space():
    assert sepa_text("Ana Maria", 4) == "Ana"


@pytest.mark.parametrize(
    ("kwargs", "code", "field"),
    [
        ({"control_sum": Decimal("570.50")}, "CONTROL_TOTAL_MISMATCH", "total"),
        ({"control_sum": Decimal("570.52")}, "CONTROL_TOTAL_MISMATCH", "total"),
        ({"count": 2}, "CONTROL_TOTAL_MISMATCH", "count"),
        ({"count": 4}, "CONTROL_TOTAL_MISMATCH", "count"),
        ({"control_sum": 570.51}, "CONTROL_TOTAL_MISMATCH", "total"),  # a float is refused
        ({"transfers": []}, "EMPTY_PAYMENT_FILE", None),
        ({"message_id": "R12 2026"}, "INVALID_REFERENCE", "messageId"),
        ({"message_id": "R" * 36}, "INVALID_REFERENCE", "messageId"),
    ],
)
def test_writer_refuses_files_that_do_not_prove_the_run(kwargs, code, field):
    with pytest.raises(DomainError) as err:
        build(**kwargs)
    assert (err.value.code, err.value.field) == (code, field)


def test_writer_refuses_non_euro_transfers():
    transfers = three_transfers()
    transfers[1] = Transfer(
        "R12-L2-A1", "Ana", "CH9300762011623852957", Decimal("450.50"), currency="CHF"
    )
    with pytest.raises(DomainError) as err:
        build(transfers)
    assert err.value.code == "UNSUPPORTED_CURRENCY"
    assert "CHF" in err.value.message


def test_writer_refuses_a_reference_twice():
    transfers = three_transfers()
    transfers[2] = Transfer("R12-L1-A1", "Ana", "NL91ABNA0417164300", Decimal("0.01"))
    with pytest.raises(DomainError) as err:
        build(transfers)
    assert err.value.code == "DUPLICATE_REFERENCE"


def test_writer_refuses_a_name_with_nothing_sepa_can_carry():
    transfer = Transfer("R1", "😀😀", "NL91ABNA0417164300", Decimal("1.00"))
    with pytest.raises(DomainError) as err:
        build([transfer], Decimal("1.00"), 1)
    assert (err.value.code, err.value.field) == ("INVALID_NAME", "payeeName")


def test_same_input_gives_identical_bytes_whatever_the_order():
    first = build()
    assert build() == first
    assert build(list(reversed(three_transfers()))) == first


def test_the_schema_check_really_checks():
    # Guard against a validator that accepts anything: Amt is mandatory in CdtTrfTxInf
    # (Cdtr is not, in the generic ISO schema) and CtrlSum must be a decimal.
    root = copy.deepcopy(etree.fromstring(build()))
    amount = root.find("p:CstmrCdtTrfInitn/p:PmtInf/p:CdtTrfTxInf/p:Amt", NS)
    amount.getparent().remove(amount)
    assert not schema().validate(root)
    root = etree.fromstring(build())
    root.find("p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum", NS).text = "570,51"
    assert not schema().validate(root)


NAME_CHARS = st.sampled_from([*"abcXYZ ñéÅøßŁœ-'.", "😀", "🌸", "中", "\u0301", "\n"])


@st.composite
def transfer_lists(draw):
    cents = draw(st.lists(st.integers(1, 9_999_999), min_size=1, max_size=25))
    transfers = []
    for index, amount in enumerate(cents):
        name = draw(st.sampled_from("AEIOUaeiou")) + draw(st.text(NAME_CHARS, max_size=90))
        transfers.append(
            Transfer(
                end_to_end_id=f"R-{index}-A{draw(st.integers(1, 9))}",
                payee_name=name,
                payee_iban=draw(st.sampled_from(KNOWN_GOOD_IBANS)),
                amount=Decimal(amount) / 100,
                remittance=draw(st.text(NAME_CHARS, max_size=160)),
            )
        )
    return cents, transfers


@given(transfer_lists())
@settings(max_examples=100, deadline=None)
def test_random_transfers_always_give_a_valid_file_with_the_exact_sum(generated):
    cents, transfers = generated
    total = Decimal(sum(cents)) / 100  # exact: integer cents summed, then scaled
    root = assert_valid(build(transfers, total, len(transfers)))
    assert texts(root, "p:CstmrCdtTrfInitn/p:GrpHdr/p:NbOfTxs") == [str(len(transfers))]
    assert [Decimal(t) for t in texts(root, "p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum")] == [total]
    written = texts(root, "p:CstmrCdtTrfInitn/p:PmtInf/p:CdtTrfTxInf/p:Amt/p:InstdAmt")
    assert sum(Decimal(a) for a in written) == total
    # The generic ISO schema leaves the creditor optional; SEPA needs a name and an IBAN.
    names = texts(root, "p:CstmrCdtTrfInitn/p:PmtInf/p:CdtTrfTxInf/p:Cdtr/p:Nm")
    ibans = texts(root, "p:CstmrCdtTrfInitn/p:PmtInf/p:CdtTrfTxInf/p:CdtrAcct/p:Id/p:IBAN")
    assert len(names) == len(ibans) == len(transfers)
    for name in names:
        assert 1 <= len(name) <= 70 and name.isascii()
