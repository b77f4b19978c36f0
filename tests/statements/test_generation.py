"""Statements generated from real domain data: every figure, every language, the history."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from econ.errors import DomainError, NotFound
from econ.ledger.services import balance
from econ.money import format_money
from econ.security.models import AuditEntry
from econ.statements import services, storage
from econ.statements.i18n import find_forbidden_words, translator
from econ.statements.models import Statement, StatementGeneration
from econ.stipends import services as stipends
from econ.stipends.models import PaymentLine

from . import world
from .pdftext import _SPACES as SPACES
from .pdftext import text


@pytest.fixture
def story(people) -> world.Story:
    return world.build(people)


def _statement_text(story, language: str | None = None) -> tuple[Statement, str]:
    statement = services.generate(story.participant.id, world.PERIOD, language, as_of=world.AS_OF)
    return statement, text(storage.read(statement.path))


def test_every_figure_equals_the_line_and_the_ledger(story):
    statement, printed = _statement_text(story, "en")
    line = PaymentLine.get(PaymentLine.participant == story.participant.id)
    pid = story.participant.id

    def money(amount: Decimal) -> str:
        return format_money(amount, "EUR", "en")

    # The line, figure by figure (hand-computed in world.py): 900 - 100 + 100 - 25 = 875.
    assert (line.base, line.earned, line.taper) == (
        Decimal("900.00"),
        Decimal("500.00"),
        Decimal("100.00"),
    )
    assert (line.incentives, line.adjustments, line.net) == (
        Decimal("100.00"),
        Decimal("-25.00"),
        Decimal("875.00"),
    )
    assert f"Base stipend {money(line.base)}" in printed
    assert f"(income reported: {money(line.earned)}) {money(-line.taper)}" in printed
    assert f"Incentive: Training completed {money(line.incentives)}" in printed
    assert f"Adjustment: Transport card {money(line.adjustments)}" in printed
    # The ledger agrees: the approval posted her net as stipend expense.
    assert balance("stipend_expense", pid) == line.net
    assert f"Net amount {money(balance('stipend_expense', pid))}" in printed
    attempt = stipends.line_attempts([line.id])[line.id][-1]
    # Paid on the day the bank's result was imported, in Babel's long English date.
    assert f"Paid on {attempt.resolved_at.date():%B} {attempt.resolved_at.day}," in printed
    assert "Bank transfer" in printed
    # Loan: 600 disbursed - 100 repaid = 500 outstanding, in the ledger too.
    assert balance("loans_receivable", pid) == Decimal("500.00")
    assert f"Outstanding principal {money(Decimal('500.00'))}" in printed
    for due in ("August 15, 2026", "September 15, 2026", "October 15, 2026"):
        assert f"{due} €100.00" in printed
    assert "November 15, 2026" not in printed  # only the next three
    assert "One payment is 5 days late." in printed  # July 15 -> July 20
    # Training 3 of 4 days present, the credential; plan: the three dated open steps.
    assert "Professional cooking, level 1 75% Food handler certificate" in printed
    for step in ("Open a savings account", "Renew identity card", "Driving theory test"):
        assert step in printed
    assert "Write a CV" not in printed and "Someday goal" not in printed
    assert "Claire Dubois" in printed and "+34 910 000 000" in printed
    assert statement.line_id == line.id and statement.language == "en"


def test_never_the_address_the_legal_name_or_a_forbidden_word(story):
    for language in ("en", "es", "fr"):
        _, printed = _statement_text(story, language)
        assert world.ADDRESS not in printed
        assert world.LEGAL_NAME not in printed
        assert "Nadia" in printed
        assert find_forbidden_words(printed) == []


@pytest.mark.parametrize(
    ("language", "net", "label"),
    [
        ("en", "€875.00", "Net amount"),
        ("es", "875,00 €", "Importe neto"),
        ("fr", "875,00 €", "Montant net"),
    ],
)
def test_each_language_has_its_strings_and_formats(story, language, net, label):
    _, printed = _statement_text(story, language)
    assert f"{label} {net}" in printed
    _ = translator(language)
    incentive = _("Incentive: %(name)s") % {"name": _("Training completed")}
    assert incentive.translate(SPACES) in printed
    month = {"en": "July 2026", "es": "julio de 2026", "fr": "juillet 2026"}[language]
    assert month in printed


def test_her_preferred_language_by_default(story):
    statement, printed = _statement_text(story)  # world.build sets "es"
    assert statement.language == "es"
    assert "Importe neto 875,00 €" in printed


def test_legal_name_only_once_she_has_chosen_it(story, people):
    _, her = people.participant_login(story.counselor, story.participant)
    services.set_legal_name_choice(her, story.participant.id, True)
    _, printed = _statement_text(story, "en")
    assert world.LEGAL_NAME in printed
    reads = AuditEntry.select().where(
        (AuditEntry.action == "read_restricted")
        & (AuditEntry.participant_id == story.participant.id)
    )
    # (the payment export's read of her payee details is audited too, as its own entry)
    system_reads = [r.fields for r in reads if r.actor_id == 0]
    assert "bank_account,bank_bic,legal_name" in system_reads
    assert [f for f in system_reads if "bank_account" not in f] == ["legal_name"]


def test_regenerating_writes_a_new_file_and_keeps_every_version(story):
    """Issue 15: a statement made again after a late return replaced the PDF she had read."""
    first = services.generate(story.participant.id, world.PERIOD, "en", as_of=world.AS_OF)
    first_bytes = storage.read(first.path)
    second = services.generate(story.participant.id, world.PERIOD, "fr", as_of=world.AS_OF)
    assert second.id == first.id and second.path != first.path
    assert (second.version, second.language) == (2, "fr")
    history = list(
        StatementGeneration.select()
        .where(StatementGeneration.statement == first.id)
        .order_by(StatementGeneration.version)
    )
    assert [(h.version, h.language, h.sha256, h.path) for h in history] == [
        (1, "en", first.sha256, first.path),
        (2, "fr", second.sha256, second.path),
    ]
    stored = storage.read(second.path)
    assert stored != first_bytes and storage.sha256(stored) == second.sha256
    assert second.size == len(stored)
    assert Statement.select().count() == 1
    # She opens the version she read before, byte for byte, and the current one.
    assert services.open_statement(story.counselor, first.id, 1)[1] == first_bytes
    assert services.open_statement(story.counselor, first.id, 2)[1] == stored
    assert services.open_statement(story.counselor, first.id)[1] == stored
    with pytest.raises(NotFound):
        services.open_statement(story.counselor, first.id, 3)
    versions = services.statement_versions([first.id])[first.id]
    assert [v.version for v in versions] == [2, 1]


def test_an_earlier_version_is_checked_against_its_checksum(story):
    first = services.generate(story.participant.id, world.PERIOD, "en", as_of=world.AS_OF)
    services.generate(story.participant.id, world.PERIOD, "fr", as_of=world.AS_OF)
    storage.write_atomic(first.path, b"%PDF-1.4 not the statement she read")
    with pytest.raises(DomainError) as refused:
        services.open_statement(story.counselor, first.id, 1)
    assert refused.value.code == "STATEMENT_CORRUPT"


def test_same_statement_twice_gives_identical_bytes(story):
    first = storage.read(services.generate(story.participant.id, world.PERIOD, "es").path)
    second = storage.read(services.generate(story.participant.id, world.PERIOD, "es").path)
    assert first == second
    info = PdfReader(io.BytesIO(first)).metadata
    assert info["/CreationDate"].startswith("D:20000101")  # reportlab invariant mode


def test_a_forbidden_word_typed_by_staff_is_replaced_not_printed(people):
    story = world.build(people, language="en")
    line = PaymentLine.get(PaymentLine.participant == story.participant.id)
    for adjustment in stipends.line_adjustments([line.id])[line.id]:
        adjustment.reason = "Exit grant top-up"  # as if typed so by a careless hand
        adjustment.save()
    _, printed = _statement_text(story, "en")
    assert "Adjustment: Correction -€25.00" in printed
    assert find_forbidden_words(printed) == []


def test_request_checks_month_and_language_before_anything(story, sent_tasks):
    counselor = story.counselor
    pid = story.participant.id
    for period, language, field in (("2026-13", "en", "period"), ("2026-07", "de", "language")):
        with pytest.raises(Exception) as refused:
            services.request_statement(counselor, pid, period, language)
        assert refused.value.field == field
    assert sent_tasks == []
    services.request_statement(counselor, pid, "2026-07", "fr-CA")
    assert sent_tasks == [
        ("statements.generate_statement", (pid, "2026-07", "fr", counselor.user_id))
    ]
