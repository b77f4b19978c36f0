"""Stipend rules: schedules, payment methods, adjustments, runs, disbursement, reconciliation.

One import point for other domains; the rules live in the modules named below.
"""

from __future__ import annotations

from econ.stipends.awards import RULES, IncentiveAward, awards_for, grant_award  # noqa: F401
from econ.stipends.calculation import Breakdown, Rules, breakdown, taper  # noqa: F401
from econ.stipends.disbursement import PaymentAdapter, adapter_for, export_run  # noqa: F401
from econ.stipends.engine import calculate_run  # noqa: F401
from econ.stipends.queries import (  # noqa: F401
    file_content,
    line_adjustments,
    line_attempts,
    line_participants,
    line_payee,
    payments_of,
    run_exceptions,
    run_files,
    run_lines,
)
from econ.stipends.reconciliation import ImportSummary, import_results, settle_run  # noqa: F401
from econ.stipends.runs import (  # noqa: F401
    RunTotals,
    approve_run,
    attempt_reference,
    cancel_run,
    create_run,
    disburse_run,
    get_run,
    list_runs,
    recalculate_run,
    retry_line,
    run_totals,
)
from econ.stipends.schedules import (  # noqa: F401
    approve_adjustment,
    approve_schedule,
    create_adjustment,
    create_manual_award,
    create_schedule,
    end_schedule,
    extend_schedule,
    get_schedule,
    pause_schedule,
    resume_schedule,
    schedules_of,
    set_payment_method,
)
