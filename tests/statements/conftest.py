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
