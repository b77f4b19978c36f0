"""Each document renders in each language with that language's strings and formats."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date
from decimal import Decimal as D

import pytest
from pypdf import PdfReader

from econ.errors import DomainError
from econ.statements import (
    Installment,
    LoanBlock,
    render_collection_sheet,
    render_loan_schedule,
    render_payment_run_report,
    render_statement,
)

from . import samples
from .conftest import LANGUAGES
from .pdftext import page_width, pages_text, text

# Localised strings and amounts each language must show on the sample statement.
# Amounts: base 1234.56; net = 1234.56 - 120.00 + 50.00 + 25.00 - 10.00 = 1179.56.
# Babel: en "€1,234.56"; es "1.234,56 €"; fr "1 234,56 €" (narrow no-break space folded).
STATEMENT_EXPECTED = {
    "en": [
        "Statement for December 2026",
        "Base stipend €1,234.56",
        "-€120.00",
        "(income reported: €240.00)",
        "Net amount €1,179.56",
        "Paid on December 5, 2026",
        "Method: Bank transfer",
        "Incentive: Full attendance bonus €50.00",
        "Adjustment: Correction of November transport card -€10.00",
        "Outstanding principal €800.00",
        "January 10, 2027 €104.17",
        "88%",  # attendance 0.875 rounded half-even by Babel to 88 %
        "Café Lumière",
        "180 days in the job",
        "Coming up",
        "Open a savings account",
        "Claire Dubois",
        "+33 4 72 00 00 00",
        "equipe@horizons.example",
    ],
    "es": [
        "Extracto de diciembre de 2026",
        "Beca base 1.234,56 €",
        "-120,00 €",
        "Importe neto 1.179,56 €",
        "Pagado el 5 de diciembre de 2026",
        "Forma de pago: Transferencia bancaria",
        "Capital pendiente 800,00 €",
        "10 de enero de 2027 104,17 €",
        "88 %",
        "180 días en el empleo",
        "Un pago lleva 12 días de retraso.",
        "¿Preguntas?",
    ],
    "fr": [
        "Relevé de décembre 2026",
        "Allocation de base 1 234,56 €",
        "-120,00 €",
        "Montant net 1 179,56 €",
        "Payé le 5 décembre 2026",
        "Mode : Virement bancaire",
        "Capital restant dû 800,00 €",
        "10 janvier 2027 104,17 €",
        "88 %",
        "180 jours dans l’emploi",
        "Un remboursement a 12 jours de retard.",
        "Des questions ?",
    ],
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_statement_shows_the_language_strings_and_locale_formats(rendered, language):
    content = text(rendered[language]["statement"])
    for expected in STATEMENT_EXPECTED[language]:
        assert expected in content, expected
    assert samples.PROGRAM in content


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_document_renders_in_every_language(rendered, language):
    titles = {
        "en": ["Monthly statement", "Payment run report", "Loan schedule", "Collection sheet"],
        "es": [
            "Extracto mensual",
            "Informe de la remesa",
            "Calendario del préstamo",
            "Hoja de cobro",
        ],
        "fr": ["Relevé mensuel", "Rapport du lot", "Échéancier du prêt", "Feuille de collecte"],
    }[language]
    docs = rendered[language]
    kinds = ["statement", "payment_run_report", "loan_schedule", "collection_sheet"]
    for kind, title in zip(kinds, titles, strict=True):
        assert docs[kind].startswith(b"%PDF-")
        content = text(docs[kind])
        assert title in content, (kind, title)
        assert samples.PROGRAM in content


def test_statement_uses_the_preferred_name_unless_she_chose_her_legal_name():
    default = text(render_statement(samples.statement()))
    assert "Prepared for Nadia" in default
    assert samples.RECORD["legal_name"] not in default

    chosen = text(render_statement(samples.statement(show_legal_name=True)))
    assert f"Prepared for {samples.RECORD['legal_name']}" in chosen


def test_statement_lists_only_the_next_three_installments():
    content = text(render_statement(samples.statement()))
    # The sample loan has four upcoming installments; the fourth (10 April) is left out.
    assert "March 10, 2027" in content
    assert "April 10, 2027" not in content


def _with_arrears(language: str, days: int, overdue: int) -> str:
    loan = LoanBlock(
        outstanding_principal=D("300.00"),
        next_installments=(Installment(date(2027, 1, 10), D("100.00")),),
        days_past_due=days,
        overdue_installments=overdue,
    )
    return text(render_statement(samples.statement(language, loan=loan)))


@pytest.mark.parametrize(
    ("language", "days", "overdue", "expected"),
    [
        ("en", 0, 0, "Your loan payments are up to date. Thank you."),
        (
            "en",
            12,
            1,
            "One payment is 12 days late. Talk to your counselor if you need a repayment holiday.",
        ),
        ("en", 1, 1, "One payment is 1 day late."),
        ("en", 45, 2, "2 payments are late; the oldest by 45 days."),
        ("fr", 1, 1, "Un remboursement a 1 jour de retard."),
        ("es", 1, 1, "Un pago lleva 1 día de retraso."),
        ("es", 40, 2, "Hay 2 pagos con retraso; el más antiguo, de 40 días."),
    ],
)
def test_arrears_are_told_in_plain_kind_words(language, days, overdue, expected):
    assert expected in _with_arrears(language, days, overdue)


def test_statement_without_optional_blocks_still_renders():
    bare = samples.statement(stipend=None, loan=None, training=(), placement=None)
    content = text(render_statement(replace(bare, plan_milestones=())))
    assert "No stipend this month." in content
    assert "Loan" not in content.replace("Loan schedule", "")
    assert "Claire Dubois" in content


def test_stipend_lines_must_add_up_to_the_net():
    with pytest.raises(ValueError, match=r"add up to 1179\.56"):
        replace(samples.STIPEND, net=D("1179.55"))


def test_amounts_refuse_floats():
    with pytest.raises(TypeError):
        Installment(date(2027, 1, 1), 104.17)


def test_loan_schedule_totals_and_borrower(rendered):
    content = text(rendered["en"]["loan_schedule"])
    # Sums of the sample rows: principal 97.53+98.51+99.49+100.49+101.49+102.49 = 600.00,
    # interest 6.00+5.02+4.04+3.04+2.04+1.02 = 21.16, payments 5*103.53+103.51 = 621.16.
    assert "Total €600.00 €21.16 €621.16" in content
    assert "For Nadia · Loan L-2026-0017" in content
    assert "Interest rate per year 12%" in content
    assert "6 Jun 10, 2027 €102.49 €1.02 €103.51 €0.00" in content


@pytest.mark.parametrize(("language", "word"), [("en", "Preview"), ("fr", "Aperçu")])
def test_loan_schedule_preview_has_no_borrower(rendered, language, word):
    content = text(rendered[language]["loan_preview"])
    assert f"{word} " in content
    assert "Nadia" not in content
    assert "L-2026-0017" not in content


def test_collection_sheet_rows_totals_and_signature_lines(rendered):
    content = text(rendered["en"]["collection_sheet"])
    # Due 103.53+52.00+75.25+1234.56+60.00 = 1525.34; savings 10+5+10+20+5 = 50.00.
    assert "Total €1,525.34 €50.00" in content
    assert "2 Amina €52.00 €52.00 €5.00 Yes" in content
    assert "Community room, 3rd district" in content
    for role in ("Group leader", "Treasurer", "Loan officer"):
        assert role in content
    es = text(rendered["es"]["collection_sheet"])
    assert "Total 1.525,34 € 50,00 €" in es


def test_payment_run_report_shows_totals_hash_people_and_exceptions(rendered):
    content = text(rendered["en"]["payment_run_report"])
    # Sample net: lines P-0001..P-0006 pay 500 + (n mod 7) = 501..506, total 3021.00.
    assert "6 €3,141.00 -€240.00 €150.00 -€30.00 €3,021.00" in content
    assert samples.payment_run_report().control_hash in content
    assert "Finance officer M. Laurent, Dec 1, 2026, 9:30:00" in content
    assert "Director S. Benali, Dec 2, 2026, 2:05:00" in content
    assert "P-0311 INCOME_NOT_REPORTED Income report missing; held." in content


def test_run_report_prints_the_frozen_totals_states_reasons_methods_and_zone():
    """Issue 15 item 11: "Control totals" printed every line's sum, not the frozen one;
    states as raw codes; no failure reasons, totals per method or time zone."""
    data = samples.payment_run_report("en")
    content = text(render_payment_run_report(data))
    frozen = data.frozen
    assert f"All payment methods {frozen.count} €{frozen.total:,.2f}" in content
    assert "Bank transfer 4 €2,014.00 Cash 1 €501.00 All payment methods 5 €2,515.00" in content
    assert "Calculated lines, held ones included" in content
    assert "AC04 closed" in content and "Not delivered" in content
    assert "Times are in UTC." in content
    failing = samples.payment_run_report("fr")
    failing = type(failing)(**{**failing.__dict__, "state": "COMPLETED_WITH_FAILURES"})
    fr = text(render_payment_run_report(failing))
    assert "Terminé, certains paiements ont échoué" in fr and "COMPLETED_WITH" not in fr


@pytest.fixture(scope="module")
def long_report() -> bytes:
    return render_payment_run_report(samples.payment_run_report("fr", line_count=3000))


def test_long_run_report_spans_pages_with_numbers_and_repeated_header(long_report):
    pages = pages_text(long_report)
    total = len(pages)
    assert total > 10
    assert f"Page 1 sur {total}" in pages[0]
    assert f"Page {total} sur {total}" in pages[-1]
    # Every line is printed, and each page of lines repeats the table header.
    content = " ".join(pages)
    assert "P-0001" in content and "P-3000" in content
    assert content.count("P-") == 3000 + 2  # 3000 lines + 2 exception rows
    for page in pages[1:-1]:
        assert "Participante Mode Statut Motif Net" in page


def test_page_label_is_localised():
    report = samples.payment_run_report("es", line_count=120)
    pages = pages_text(render_payment_run_report(report))
    total = len(pages)  # the count the PDF itself has, not a guess at the layout
    assert total >= 2
    assert all(f"Página {n} de {total}" in page for n, page in enumerate(pages, start=1))
    assert "Page 1 of 1" in text(render_loan_schedule(samples.loan_schedule("en")))


def test_letter_page_size_and_unknown_size():
    # A4 is 595.28 pt wide, US Letter 612 pt.
    assert page_width(render_loan_schedule(samples.loan_schedule())) == pytest.approx(595.28, 0.01)
    letter = render_collection_sheet(samples.collection_sheet(), page_size="LETTER")
    assert page_width(letter) == 612
    with pytest.raises(DomainError) as err:
        render_statement(samples.statement(), page_size="A5")
    assert err.value.code == "INVALID_PAGE_SIZE"


def test_fonts_are_embedded(rendered):
    reader = PdfReader(io.BytesIO(rendered["fr"]["statement"]))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    names = {str(f.get_object()["/BaseFont"]) for f in fonts.values()}
    assert any("DejaVuSans" in name for name in names)
    descendant = next(f.get_object() for f in fonts.values())
    assert "/FontFile2" in descendant["/FontDescriptor"]  # the TrueType program is embedded


def test_a_saved_collection_sheet_prints_the_savings_paid_and_the_totals():
    """Issue 15: the sheet printed after the meeting left "Savings paid" blank."""
    data = samples.collection_sheet("en")
    saved = tuple(
        replace(m, paid=m.amount_due, attended=True, savings_paid=m.savings_due)
        for m in data.members
    )
    content = text(render_collection_sheet(replace(data, members=saved)))
    assert "2 Amina €52.00 €52.00 €5.00 €5.00 Yes" in content
    assert "Total €1,525.34 €1,525.34 €50.00 €50.00" in content
