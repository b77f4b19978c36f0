"""Microcredit mutations: groups, loan lifecycle, repayments, holidays, savings, sheets.

The mutations are in `group_mutations.py` and `loan_mutations.py`; this module names them.
"""

from __future__ import annotations

from econ.microcredit.graphql.group_mutations import (
    AddGroupMember,
    CreateLoanGroup,
    RecordSavingsContribution,
    RemoveGroupMember,
    SaveCollectionSheet,
    SetGroupStatus,
)
from econ.microcredit.graphql.loan_mutations import (
    ApplyForLoan,
    ApproveLoan,
    ApproveWriteOff,
    DisburseLoan,
    GrantRepaymentHoliday,
    RecordRepayment,
    RejectLoan,
    RejectWriteOff,
    RequestLoanDisbursement,
    ReverseRepayment,
    WriteOffLoan,
)


class Mutations:
    create_loan_group = CreateLoanGroup.Field()
    add_group_member = AddGroupMember.Field()
    remove_group_member = RemoveGroupMember.Field()
    set_group_status = SetGroupStatus.Field()
    apply_for_loan = ApplyForLoan.Field()
    approve_loan = ApproveLoan.Field()
    reject_loan = RejectLoan.Field()
    disburse_loan = DisburseLoan.Field()
    request_loan_disbursement = RequestLoanDisbursement.Field()
    record_repayment = RecordRepayment.Field()
    reverse_repayment = ReverseRepayment.Field()
    grant_repayment_holiday = GrantRepaymentHoliday.Field()
    record_savings_contribution = RecordSavingsContribution.Field()
    save_collection_sheet = SaveCollectionSheet.Field()
    write_off_loan = WriteOffLoan.Field()
    approve_write_off = ApproveWriteOff.Field()
    reject_write_off = RejectWriteOff.Field()
