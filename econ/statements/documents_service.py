"""The documents rendered on request: payment run report, loan schedule (and a preview),
group collection sheet. Each is readable by exactly the roles that may read its data in
its own domain, checked by that domain's services (outside reach: NotFound). They are
built from live data at each download, never stored, and every download is audited.

    payment run report   FINANCE (lines and amounts of every payee)
    loan schedule        whoever reaches the loan: FINANCE, her counselor, she herself
    loan preview         COUNSELOR, FINANCE, PARTICIPANT (no personal data in it)
    collection sheet     the group's counselor and FINANCE (other members' dues)
"""

from __future__ import annotations

from datetime import date
from typing import Any

from econ.errors import CommonCode, DomainError
from econ.microcredit import services as microcredit
from econ.participants import services as participants
from econ.security import audit
from econ.security.permissions import require_role
from econ.security.roles import Actor, Role
from econ.settings.services import setting
from econ.statements import loan_data, run_report_data
from econ.statements.documents.collection_sheet import render_collection_sheet
from econ.statements.documents.loan_schedule import render_loan_schedule
from econ.statements.documents.payment_run_report import render_payment_run_report
from econ.statements.i18n import available_languages, normalise_language
from econ.stipends import services as stipends


def page_size() -> str:
    size = str(setting("statement_page_size")).strip().upper()
    return size if size in ("A4", "LETTER") else "A4"


def check_language(value: str | None, field: str = "language") -> str | None:
    """A language we have a catalog for ('fr', 'fr-CA' -> 'fr'); None when not given."""
    if value is None or not value.strip():
        return None
    base = value.strip().replace("-", "_").split("_")[0].lower()
    if base not in available_languages():
        raise DomainError(
            CommonCode.INVALID_LANGUAGE,
            f"documents are in {', '.join(available_languages())}",
            field,
        )
    return base


def document_language(actor: Actor, language: str | None) -> str:
    """The language asked for; else hers for a participant; else English."""
    chosen = check_language(language)
    if chosen:
        return chosen
    if actor.role == Role.PARTICIPANT and actor.participant_id:
        found = participants.participants_by_id([actor.participant_id])
        if actor.participant_id in found:
            return normalise_language(found[actor.participant_id].preferred_language)
    return "en"


def require_run_report(actor: Actor | None, run_id: int) -> Actor:
    actor = require_role(actor, Role.FINANCE)
    stipends.get_run(actor, run_id)
    return actor


def payment_run_report_pdf(actor: Actor | None, run_id: int, language: str | None = None) -> bytes:
    actor = require_run_report(actor, run_id)
    language = document_language(actor, language)
    data = run_report_data.payment_run_report_data(actor, run_id, language)
    pdf = render_payment_run_report(data, page_size=page_size())
    audit.record(actor, "download_payment_run_report", "PaymentRun", run_id)
    return pdf


def require_loan_schedule(actor: Actor | None, loan_id: int) -> Actor:
    actor = require_role(actor, Role.FINANCE, Role.COUNSELOR, Role.PARTICIPANT)
    microcredit.get_loan(actor, loan_id)
    return actor


def loan_schedule_pdf(actor: Actor | None, loan_id: int, language: str | None = None) -> bytes:
    actor = require_loan_schedule(actor, loan_id)
    data = loan_data.loan_schedule_data(actor, loan_id, document_language(actor, language))
    pdf = render_loan_schedule(data, page_size=page_size())
    loan = microcredit.get_loan(actor, loan_id)
    audit.record(actor, "download_loan_schedule", "Loan", loan_id, participant_id=loan.borrower_id)
    return pdf


def loan_preview_pdf(actor: Actor | None, language: str | None = None, **terms: Any) -> bytes:
    """`terms` as microcredit's `preview_schedule` takes them (principal, rate, ...)."""
    actor = require_role(actor, Role.FINANCE, Role.COUNSELOR, Role.PARTICIPANT)
    data = loan_data.loan_preview_data(actor, document_language(actor, language), **terms)
    pdf = render_loan_schedule(data, page_size=page_size())
    audit.record(actor, "download_loan_preview", "Loan", "")
    return pdf


def require_collection_sheet(actor: Actor | None, group_id: int) -> Actor:
    actor = require_role(actor, Role.FINANCE, Role.COUNSELOR)
    microcredit.get_group(actor, group_id)  # a counselor reaches only the groups she runs
    return actor


def collection_sheet_pdf(
    actor: Actor | None, group_id: int, on: date, language: str | None = None
) -> bytes:
    actor = require_collection_sheet(actor, group_id)
    lang = document_language(actor, language)
    data = loan_data.collection_sheet_data(actor, group_id, on, lang)
    pdf = render_collection_sheet(data, page_size=page_size())
    audit.record(actor, "download_collection_sheet", "LoanGroup", group_id)
    return pdf
