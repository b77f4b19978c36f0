"""Statements: generate (and regenerate with history), list, authorize every download.

The one module other domains and the front ends import; it re-exports the rules from
`reading.py` (who may read, her statements, downloads), `generation.py` (a statement, a
run's, a month's) and `documents_service.py` (the other documents).
"""

from __future__ import annotations

from econ.statements.documents_service import (
    check_language,
    collection_sheet_pdf,
    loan_preview_pdf,
    loan_schedule_pdf,
    page_size,
    payment_run_report_pdf,
    require_collection_sheet,
    require_loan_schedule,
    require_run_report,
)
from econ.statements.generation import (
    CHUNK,
    COMPLETED,
    GENERATE_TASK,
    generate,
    generate_for_run,
    generate_month,
    regenerate_for_lines,
    request_statement,
    run_progress,
)
from econ.statements.reading import (
    READERS,
    VERSIONS_LISTED,
    check_period,
    get_statement,
    list_statements,
    may_read_statements,
    open_statement,
    set_legal_name_choice,
    shows_legal_name,
    statement_versions,
    statements_by_participant,
)

__all__ = [
    "CHUNK",
    "COMPLETED",
    "GENERATE_TASK",
    "READERS",
    "VERSIONS_LISTED",
    "check_language",
    "check_period",
    "collection_sheet_pdf",
    "generate",
    "generate_for_run",
    "generate_month",
    "get_statement",
    "list_statements",
    "loan_preview_pdf",
    "loan_schedule_pdf",
    "may_read_statements",
    "open_statement",
    "page_size",
    "payment_run_report_pdf",
    "regenerate_for_lines",
    "request_statement",
    "require_collection_sheet",
    "require_loan_schedule",
    "require_run_report",
    "run_progress",
    "set_legal_name_choice",
    "shows_legal_name",
    "statement_versions",
    "statements_by_participant",
]
