"""Where each document is downloaded (the routes are in `http.py`)."""

from __future__ import annotations

from datetime import date


def statement_url(statement_id: int, version: int | None = None) -> str:
    """The current version, or with `version` that one (a kept earlier version)."""
    base = f"/statements/{statement_id}.pdf"
    return f"{base}?version={version}" if version else base


def run_report_url(run_id: int) -> str:
    return f"/documents/payment-runs/{run_id}/report.pdf"


def loan_schedule_url(loan_id: int) -> str:
    return f"/documents/loans/{loan_id}/schedule.pdf"


def collection_sheet_url(group_id: int, on: date) -> str:
    return f"/documents/loan-groups/{group_id}/collection-sheet/{on.isoformat()}.pdf"
