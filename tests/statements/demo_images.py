"""One PNG of each document type made from the DEMO data, for the docs and the README.

    D=$(mktemp -d); ECON_DATA_DIR=$D .venv/bin/python -m econ.cli demo
    ECON_DATA_DIR=$D .venv/bin/python -m tests.statements.demo_images

Picks the richest demo statement (the one with the most printed text), the completed
payment run's report, a disbursed loan's schedule and a group's collection sheet for its
next meeting. Writes docs/img/<kind>.png; needs pdftoppm (poppler-utils).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from econ.console import connect
from econ.microcredit import services as microcredit
from econ.security import services as security
from econ.statements import services, storage
from econ.statements.models import Statement
from econ.stipends import services as stipends

from .make_images import OUT, to_png
from .pdftext import text

FINANCE = "finance@demo.econ"


def _actor(email: str):
    user = security.User.get(security.User.email == email)
    return security.actor_for(user)


def _richest_statement() -> bytes:
    pdfs = [storage.read(s.path) for s in Statement.select().where(Statement.version > 0)]
    return max(pdfs, key=lambda pdf: len(text(pdf)))


def documents() -> dict[str, bytes]:
    finance = _actor(FINANCE)
    runs = [r for r in stipends.list_runs(finance) if r.state in services.COMPLETED]
    loans = [loan for loan in microcredit.visible_loans(finance) if loan.state == "DISBURSED"]
    group = microcredit.get_group(finance, loans[0].group_id)
    meeting = dt.date.today() + dt.timedelta(days=7)
    return {
        "statement": _richest_statement(),
        "payment-run-report": services.payment_run_report_pdf(finance, runs[0].id),
        "loan-schedule": services.loan_schedule_pdf(finance, loans[0].id),
        "collection-sheet": services.collection_sheet_pdf(finance, group.id, meeting),
    }


def main(out: Path = OUT) -> None:
    connect()
    for name, pdf in documents().items():
        print(to_png(pdf, out / name, resolution=70))


if __name__ == "__main__":
    main()
