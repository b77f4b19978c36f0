from __future__ import annotations

import pytest

from econ.statements import (
    render_collection_sheet,
    render_loan_schedule,
    render_payment_run_report,
    render_statement,
)

from . import samples

LANGUAGES = ("en", "es", "fr")


def render_all(language: str) -> dict[str, bytes]:
    """Every document type, from the rich sample data, in one language."""
    return {
        "statement": render_statement(samples.statement(language)),
        "payment_run_report": render_payment_run_report(samples.payment_run_report(language)),
        "loan_schedule": render_loan_schedule(samples.loan_schedule(language)),
        "loan_preview": render_loan_schedule(samples.loan_schedule(language, preview=True)),
        "collection_sheet": render_collection_sheet(samples.collection_sheet(language)),
    }


@pytest.fixture(scope="session")
def rendered() -> dict[str, dict[str, bytes]]:
    """language -> document kind -> PDF bytes, rendered once for the whole session."""
    return {language: render_all(language) for language in LANGUAGES}


@pytest.fixture(autouse=True)
def sent_tasks(request, monkeypatch) -> list[tuple[str, tuple]]:
    """Service tests record the tasks that would be sent instead of racing a background
    worker; tests over HTTP (the `api` fixture) keep the real in-process worker."""
    sent: list[tuple[str, tuple]] = []
    if "api" not in request.fixturenames:
        from econ import dispatch

        monkeypatch.setattr(dispatch, "enqueue", lambda name, *args: sent.append((name, args)))
    return sent
