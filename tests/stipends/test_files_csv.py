"""CSV transfer and card-load files."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from econ.stipends.files.csv_files import build_card_csv, build_transfer_csv, safe_cell
from econ.stipends.files.types import CardLoad, Transfer


def transfers() -> list[Transfer]:
    return [
        Transfer("R12-L2-A1", "Zoë Ångström", "nl91 abna 0417 1643 00", Decimal("1234.56"),
                 remittance="Horizonte 2026-12", payee_bic="abnanl2a"),
        Transfer("R12-L1-A1", "Ana López", "DE89370400440532013000", Decimal("0.5"),
                 remittance="Horizonte 2026-12"),
    ]  # fmt: skip


def test_transfer_file_is_exactly_header_and_sorted_rows():
    # Written by hand: rows sorted by reference, IBAN/BIC normalised, 0.5 shown as 0.50.
    expected = (
        "reference,payee_name,payee_iban,payee_bic,amount,currency,remittance\r\n"
        "R12-L1-A1,Ana López,DE89370400440532013000,,0.50,EUR,Horizonte 2026-12\r\n"
        "R12-L2-A1,Zoë Ångström,NL91ABNA0417164300,ABNANL2A,1234.56,EUR,Horizonte 2026-12\r\n"
    )
    assert build_transfer_csv(transfers()).content == expected.encode("utf-8")


def test_transfer_file_is_utf8_without_bom_and_deterministic():
    data = build_transfer_csv(transfers()).content
    assert not data.startswith(b"\xef\xbb\xbf")
    assert "Zoë Ångström".encode() in data
    assert build_transfer_csv(list(reversed(transfers()))).content == data


def test_card_file_is_exactly_header_and_sorted_rows():
    loads = [
        CardLoad("CARD-0042", "Mária Nagy", Decimal("900.00"), "R12-L9-A1"),
        CardLoad("CARD-0007", "Ana López", Decimal("75.25"), "R12-L3-A2"),
    ]
    expected = (
        "reference,card_reference,payee_name,amount,currency\r\n"
        "R12-L3-A2,CARD-0007,Ana López,75.25,EUR\r\n"
        "R12-L9-A1,CARD-0042,Mária Nagy,900.00,EUR\r\n"
    )
    assert build_card_csv(loads) == expected.encode("utf-8")


def test_empty_input_gives_only_the_header():
    assert build_card_csv([]) == b"reference,card_reference,payee_name,amount,currency\r\n"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+33 1 23", "'+33 1 23"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("Ana-Maria", "Ana-Maria"),  # a dash inside is harmless
        ("Ana\r\nLópez", "Ana López"),  # one record, one line
        ("\n=1", " =1"),  # the line break becomes a space, which spreadsheets do not run
    ],
)
def test_safe_cell_defuses_formulas_and_line_breaks(cell, expected):
    assert safe_cell(cell) == expected


def test_injected_names_reach_the_file_defused_and_round_trip_through_a_reader():
    hostile = Transfer("R1", "=cmd|' /C calc'!A0", "DE89370400440532013000", Decimal("10.00"),
                       remittance="@SUM(1+1)")  # fmt: skip
    rows = list(csv.reader(io.StringIO(build_transfer_csv([hostile]).content.decode("utf-8"))))
    assert rows[1] == [
        "R1", "'=cmd|' /C calc'!A0", "DE89370400440532013000", "", "10.00", "EUR", "'@SUM(1+1)",
    ]  # fmt: skip
    card = CardLoad("-1234", "+Ana", Decimal("1.00"), "R2")
    rows = list(csv.reader(io.StringIO(build_card_csv([card]).decode("utf-8"))))
    assert rows[1] == ["R2", "'-1234", "'+Ana", "1.00", "EUR"]


def test_a_transfer_the_bank_would_refuse_is_left_out_of_the_csv_with_its_reason():
    good, bad_account, swiss_without_bic = (
        Transfer("R1-L1-A1", "Ana", "DE89370400440532013000", Decimal("10.00")),
        Transfer("R1-L2-A1", "Eva", "DE89370400440532013001", Decimal("20.00")),
        Transfer("R1-L3-A1", "Lea", "CH9300762011623852957", Decimal("30.00")),
    )
    written = build_transfer_csv([swiss_without_bic, bad_account, good])
    rows = list(csv.reader(io.StringIO(written.content.decode("utf-8"))))
    assert [row[0] for row in rows] == ["reference", "R1-L1-A1"]
    assert [(r.reference, r.reason) for r in written.rejected] == [
        ("R1-L2-A1", "INVALID_ACCOUNT"),
        ("R1-L3-A1", "BIC_REQUIRED"),
    ]
    assert (written.count, written.total) == (1, Decimal("10.00"))
    nothing = build_transfer_csv([bad_account])
    assert nothing.content is None and len(nothing.rejected) == 1
