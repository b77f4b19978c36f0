"""Printable documents as pure functions: document data in, PDF bytes out.

No database, GraphQL or Celery here; callers gather the data into the dataclasses of
`econ.statements.data` and store or stream the bytes.
"""

from __future__ import annotations

from econ.statements.data import (
    Adjustment,
    CollectionRow,
    CollectionSheetData,
    ControlTotals,
    CounselorContact,
    FrozenTotals,
    Installment,
    LoanBlock,
    LoanScheduleData,
    MethodTotal,
    NamedAmount,
    PaymentRunReportData,
    PlacementBlock,
    PlanMilestone,
    RetentionMilestone,
    RunException,
    RunLine,
    ScheduleRow,
    StatementData,
    StipendBlock,
    TrainingProgress,
)
from econ.statements.documents.collection_sheet import render_collection_sheet
from econ.statements.documents.loan_schedule import render_loan_schedule
from econ.statements.documents.participant_statement import render_statement
from econ.statements.documents.payment_run_report import render_payment_run_report

__all__ = [
    "Adjustment",
    "CollectionRow",
    "CollectionSheetData",
    "ControlTotals",
    "CounselorContact",
    "FrozenTotals",
    "Installment",
    "LoanBlock",
    "LoanScheduleData",
    "MethodTotal",
    "NamedAmount",
    "PaymentRunReportData",
    "PlacementBlock",
    "PlanMilestone",
    "RetentionMilestone",
    "RunException",
    "RunLine",
    "ScheduleRow",
    "StatementData",
    "StipendBlock",
    "TrainingProgress",
    "render_collection_sheet",
    "render_loan_schedule",
    "render_payment_run_report",
    "render_statement",
]
