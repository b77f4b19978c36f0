"""Payment value types and the pain.001.001.03 writer (IBANs: tests/test_iban.py)."""

from __future__ import annotations

import copy
import io
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from econ.errors import DomainError
from econ.iban import EEA_COUNTRIES
from econ.stipends.files.screening import RejectReason
from econ.stipends.files.sepa import NAMESPACE, build_pain001, write_pain001
from econ.stipends.files.types import CardLoad, CashPayment, Payer, Transfer
from tests.support.ibans import sepa_ibans

XSD = Path(__file__).resolve().parent.parent / "data" / "pain.001.001.03.xsd"
NS = {"p": NAMESPACE}


@cache
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD)))


def assert_valid(document: bytes) -> etree._Element:
    root = etree.fromstring(document)
    assert schema().validate(root), schema().error_log
    return root


def texts(root: etree._Element, path: str) -> list[str]:
    return [element.text for element in root.iterfind(path, NS)]


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
            payee_bic="natwgb2l",  # GB is outside the EEA: the BIC is required
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


def write(transfers=None, control_sum=Decimal("570.51"), count=3, payer=PAYER, **kw):
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


def build(*args, **kwargs) -> bytes:
    """The file's bytes, when every transfer could be written."""
    written = write(*args, **kwargs)
    assert written.rejected == (), written.rejected
    return written.content


# --- value types ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"end_to_end_id": "R" * 36}, "INVALID_REFERENCE", "endToEndId"),  # Max35Text
        ({"end_to_end_id": "R12_L1"}, "INVALID_REFERENCE", "endToEndId"),
        ({"amount": 12.5}, "INVALID_AMOUNT", "amount"),
        ({"payee_name": None}, "INVALID_TRANSFER", "payeeName"),
        ({"payee_iban": 89}, "INVALID_TRANSFER", "payeeIban"),
    ],
)
def test_transfer_refuses_values_that_are_not_a_transfer_at_all(changes, code, field):
    """Only the reference and the types are checked on construction: the writer decides
    whether a well-formed transfer can be written (screening)."""
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
    a = Transfer(
        "R1", "Ana", "IBAN de89 3704 0044 0532 0130 00", Decimal("5"), payee_bic="deutdeff"
    )
    b = Transfer("R1", "Ana", "DE89370400440532013000", Decimal("5"), payee_bic="DEUTDEFF")
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
    # GB needs the BIC; the French one is given; the Dutch one carries no creditor agent.
    assert [i.findtext("p:CdtrAgt/p:FinInstnId/p:BIC", namespaces=NS) for i in items] == [
        "NATWGB2L",
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


def test_a_non_euro_transfer_is_left_out_with_its_reason_and_the_rest_is_written():
    transfers = three_transfers()
    transfers[1] = Transfer(
        "R12-L2-A1", "Ana", "CH9300762011623852957", Decimal("450.50"), currency="CHF"
    )
    written = write(transfers)
    assert [(r.reference, r.reason, r.amount) for r in written.rejected] == [
        ("R12-L2-A1", RejectReason.UNSUPPORTED_CURRENCY, Decimal("450.50"))
    ]
    root = assert_valid(written.content)
    # The file states its own totals: the two written transfers, 120.00 + 0.01.
    assert texts(root, "p:CstmrCdtTrfInitn/p:GrpHdr/p:NbOfTxs") == ["2"]
    assert texts(root, "p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum") == ["120.01"]
    assert (written.count, written.total) == (2, Decimal("120.01"))
    assert written.references == ("R12-L1-A1", "R12-L3-A2")


def test_writer_refuses_a_reference_twice():
    transfers = three_transfers()
    transfers[2] = Transfer("R12-L1-A1", "Ana", "NL91ABNA0417164300", Decimal("0.01"))
    with pytest.raises(DomainError) as err:
        build(transfers)
    assert err.value.code == "DUPLICATE_REFERENCE"


def test_a_name_with_no_letter_to_write_is_a_rejected_line_not_a_failed_file():
    transfer = Transfer("R1", "😀😀", "NL91ABNA0417164300", Decimal("1.00"))
    written = write([transfer], Decimal("1.00"), 1)
    assert written.content is None and written.written == ()
    [rejected] = written.rejected
    assert (rejected.reference, rejected.reason, rejected.field) == (
        "R1",
        RejectReason.INVALID_NAME,
        "payeeName",
    )
    assert "SEPA character set" in rejected.detail


def test_a_payer_name_with_nothing_to_write_stops_the_file():
    payer = Payer("😀", "DE89370400440532013000", "Horizonte")
    with pytest.raises(DomainError) as err:
        write(payer=payer)
    assert (err.value.code, err.value.field) == ("INVALID_NAME", "payerName")


def test_a_payer_outside_the_eea_needs_every_payee_bic():
    payer = Payer("Fondo Horizonte", "CH9300762011623852957", "Horizonte", bic="UBSWCHZH80A")
    written = write(payer=payer)
    # Only Ana's transfer has a BIC; the French payee of a Swiss payer needs one too.
    assert written.references == ("R12-L1-A1", "R12-L2-A1")
    assert [(r.reference, r.reason) for r in written.rejected] == [
        ("R12-L3-A2", RejectReason.BIC_REQUIRED)
    ]


def test_same_input_gives_identical_bytes_whatever_the_order():
    first = build()
    assert build() == first
    assert build(list(reversed(three_transfers()))) == first


def _pretty(document: bytes) -> bytes:
    """What lxml's pretty_print gives for the whole tree of `document`."""
    tree = etree.fromstring(document, etree.XMLParser(remove_blank_text=True))
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def test_the_file_written_element_by_element_is_the_pretty_printed_tree():
    """Issue 21 item 3: the writer streams (etree.xmlfile, one transfer at a time), and
    gives the bytes one tostring of the whole document gave before."""
    payer = Payer(name="Fondo", iban="DE89370400440532013000", display_name="H", bic="COBADEFF")
    for document in (build(), build(payer=payer)):
        assert document == _pretty(document)
        assert_valid(document)


def _stream(transfers, control_sum: Decimal, count: int) -> bytes:
    out = io.BytesIO()
    write_pain001(out, "R12-2026-12", CREATED, PAYER, transfers, EXECUTION, control_sum, count)
    return out.getvalue()


def test_write_pain001_takes_a_stream_and_states_totals_known_before_it():
    screened = sorted(write().written, key=lambda t: t.end_to_end_id)
    streamed = _stream(iter(screened), Decimal("570.51"), 3)
    assert streamed == build()


@pytest.mark.parametrize("control_sum, count", [(Decimal("570.50"), 3), (Decimal("570.51"), 4)])
def test_a_stream_that_does_not_add_up_to_its_header_is_refused(control_sum, count):
    screened = sorted(write().written, key=lambda t: t.end_to_end_id)
    with pytest.raises(DomainError) as err:
        _stream(iter(screened), control_sum, count)
    assert err.value.code == "CONTROL_TOTAL_MISMATCH"


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
                payee_iban=draw(sepa_ibans(EEA_COUNTRIES)),
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
