"""Stipend rules: schedules, payment methods, adjustments, runs, disbursement, reconciliation.

One import point for other domains; the rules live in the modules named below.
"""

from __future__ import annotations

from econ.stipends.adapters import PaymentAdapter, adapter_for  # noqa: F401
from econ.stipends.adjustments import (  # noqa: F401
    approve_adjustment,
    approve_award,
    create_adjustment,
    create_manual_award,
    pending_amounts,
)
from econ.stipends.approval import (  # noqa: F401
    approval_count,
    approval_obstacle,
    approve_run,
    payable_total,
    reject_run,
)
from econ.stipends.awards import RULES, awards_for, grant_award, has_award  # noqa: F401
from econ.stipends.calculation import Breakdown, Rules, breakdown, taper  # noqa: F401
from econ.stipends.decisions import (  # noqa: F401
    PayeeToConfirm,
    payees_to_confirm,
    pending_schedules,
    reject_adjustment,
    reject_award,
    reject_schedule,
)
from econ.stipends.disbursement import export_run  # noqa: F401
from econ.stipends.engine import calculate_run  # noqa: F401
from econ.stipends.followups import create_followup_run  # noqa: F401
from econ.stipends.loan_lines import (  # noqa: F401
    LoanPayment,
    LoanToPay,
    loan_payment,
    loan_payments,
)
from econ.stipends.loan_lines import register as register_loan_disbursements  # noqa: F401
from econ.stipends.models import IncentiveAward  # noqa: F401
from econ.stipends.payees import confirm_payee, fraud_signals, payee_status  # noqa: F401
from econ.stipends.queries import (  # noqa: F401
    adjustments_of,
    awards_of,
    file_content,
    get_file,
    line_adjustments,
    line_attempts,
    line_participants,
    line_payee,
    lines_key,
    participant_codes,
    payments_of,
    run_events,
    run_files,
    run_lines,
    sees_who_decides,
    totals_by_method,
)
from econ.stipends.reads import (  # noqa: F401
    LIVE_SCHEDULE,
    live_lines_of_schedules,
    months_left_of_live_stipends,
    schedules_of_participants,
)
from econ.stipends.reconciliation import (  # noqa: F401
    ImportSummary,
    import_results,
    preview_results,
    settle_run,
)
from econ.stipends.review import (  # noqa: F401
    ReviewItem,
    all_exceptions,
    exception_count,
    resolve_exception,
    run_exceptions,
)
from econ.stipends.runs import (  # noqa: F401
    RunTotals,
    attempt_reference,
    cancel_run,
    create_run,
    disburse_run,
    get_run,
    list_runs,
    recalculate_run,
    retry_line,
    run_for_period,
    run_totals,
)
from econ.stipends.schedules import (  # noqa: F401
    approve_schedule,
    create_schedule,
    end_schedule,
    extend_schedule,
    get_schedule,
    pause_schedule,
    resume_schedule,
    schedules_of,
    set_payment_method,
)
from econ.stipends.seen import Since, since_last_look  # noqa: F401
from econ.stipends.summary import loan_payouts, summary_of  # noqa: F401
