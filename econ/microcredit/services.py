"""Microcredit rules; the modules are split by subject and re-exported here.

groups (formation, members, fund), loans (life cycle), repayments (allocation, reversal),
arrears (days past due, PAR30, arrears rate), holidays, meetings (collection sheets),
preview (schedules without saving).
"""

from __future__ import annotations

from econ.microcredit.access import get_group, get_loan, visible_groups, visible_loans
from econ.microcredit.arrears import (
    arrears_for,
    days_past_due,
    loan_arrears,
    portfolio,
    recompute,
)
from econ.microcredit.disbursements import disbursement_payments, request_disbursement
from econ.microcredit.groups import (
    active_members,
    add_member,
    create_group,
    fund_total,
    member_count,
    record_savings_contribution,
    remove_member,
    set_group_status,
    set_leader,
)
from econ.microcredit.holidays import grant_repayment_holiday
from econ.microcredit.late import LateLoan, disbursed_loans_due
from econ.microcredit.loans import (
    apply_for_loan,
    approve_loan,
    approve_write_off,
    disburse_loan,
    projected_schedule,
    reject_loan,
    reject_write_off,
    write_off_loan,
)
from econ.microcredit.meetings import collection_sheet, save_collection_sheet
from econ.microcredit.preview import preview_schedule
from econ.microcredit.reads import (
    installments_of_loans,
    live_repayments_of_loans,
    loans_of_borrowers,
)
from econ.microcredit.repayments import (
    installments_of,
    outstanding_principal,
    record_repayment,
    reverse_repayment,
)

__all__ = [
    "LateLoan",
    "active_members",
    "add_member",
    "apply_for_loan",
    "approve_loan",
    "approve_write_off",
    "arrears_for",
    "collection_sheet",
    "create_group",
    "days_past_due",
    "disburse_loan",
    "disbursed_loans_due",
    "disbursement_payments",
    "fund_total",
    "get_group",
    "get_loan",
    "grant_repayment_holiday",
    "installments_of",
    "installments_of_loans",
    "live_repayments_of_loans",
    "loan_arrears",
    "loans_of_borrowers",
    "member_count",
    "outstanding_principal",
    "portfolio",
    "preview_schedule",
    "projected_schedule",
    "recompute",
    "record_repayment",
    "record_savings_contribution",
    "reject_loan",
    "reject_write_off",
    "remove_member",
    "request_disbursement",
    "reverse_repayment",
    "save_collection_sheet",
    "set_group_status",
    "set_leader",
    "visible_groups",
    "visible_loans",
    "write_off_loan",
]
