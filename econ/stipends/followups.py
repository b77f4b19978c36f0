"""Follow-up runs: the same month's held and failed lines that can be paid now.

A follow-up run belongs to its period's main run and uses that run's calculation
snapshot (its settings). It takes over every line of the main run that is HELD or FAILED,
has no payment in flight, and can be paid now (her details confirmed, her income month
verified). Lines held before approval are recalculated here, from the snapshot and the
verified month, and a FINANCE user other than the follow-up's creator (and not the author
of any amount in it) approves the version and total she reviewed, as for any run. A line
belongs to one paying run at a time (`PaymentLine.followup_run_id`), and every payment is
an attempt of that one line: nothing is paid twice.
"""

from __future__ import annotations

from econ.db import utcnow, write_transaction
from econ.errors import CommonCode, Conflict, DomainError, NotFound
from econ.money import ZERO
from econ.months import check_month, previous_month
from econ.participants.income import unverified_in
from econ.participants.services import verified_income_by_month
from econ.security.permissions import require_role
from econ.security.roles import Actor, Role
from econ.stipends import lifecycle
from econ.stipends.calculation import breakdown, rules_from_settings
from econ.stipends.errors import StipendCode
from econ.stipends.lifecycle import DISBURSABLE
from econ.stipends.line_inputs import INCOME_NOT_VERIFIED, income_known
from econ.stipends.lines import METHOD_EXCEPTIONS
from econ.stipends.loan_lines import not_awaiting
from econ.stipends.models import LOAN, PaymentAttempt, PaymentLine, PaymentRun
from econ.stipends.payees import CONFIRMATION_HOLDS, PayeeCheck

# Held for a reason a follow-up can clear; ZERO_NET and NEGATIVE_REMAINDER pay nothing.
CLEARABLE = (*METHOD_EXCEPTIONS, INCOME_NOT_VERIFIED, *CONFIRMATION_HOLDS, "NOT_WRITABLE")


def create_followup_run(actor: Actor | None, period: str) -> PaymentRun:
    """FINANCE opens a follow-up run for `period`; it is calculated at once (few lines)."""
    actor = require_role(actor, Role.FINANCE)
    period = check_month(period)
    main = PaymentRun.get_or_none(
        (PaymentRun.period == period)
        & (PaymentRun.kind == "MAIN")
        & (PaymentRun.state != "CANCELLED")
    )
    if main is None:
        raise NotFound("payment run", "period")
    if main.state not in DISBURSABLE:
        raise Conflict(
            CommonCode.INVALID_TRANSITION, "the main run has not been disbursed", "period"
        )
    with write_transaction():
        candidates = _candidates(main)
        if not candidates:
            raise DomainError(
                StipendCode.NOTHING_TO_PAY,
                "no held or failed line of this month can be paid now",
                "period",
            )
        run = lifecycle.create_followup(
            main,
            actor,
            job_kind="CALCULATE",
            job_status="DONE",
            job_done=len(candidates),
            job_total=len(candidates),
        )
        for line, amounts in candidates:
            _take(line, run, amounts)
    return PaymentRun.get_by_id(run.id)


def _candidates(main: PaymentRun) -> list[tuple[PaymentLine, dict]]:
    lines = list(
        PaymentLine.select()
        .where((PaymentLine.run == main.id) & PaymentLine.status.in_(("HELD", "FAILED")) & _free())
        .order_by(PaymentLine.id)
    )
    lines = [line for line in lines if line.status == "FAILED" or line.exception in CLEARABLE]
    if not lines:
        return []
    in_flight = {
        a.line_id
        for a in PaymentAttempt.select(PaymentAttempt.line).where(
            PaymentAttempt.line.in_([line.id for line in lines])
            & PaymentAttempt.status.in_(("CREATED", "EXPORTED"))
        )
    }
    check = PayeeCheck.load(line.participant_id for line in lines)
    income = verified_income_by_month([line.participant_id for line in lines])
    rules = rules_from_settings(main.settings or {})
    unverified = unverified_in([line.participant_id for line in lines], previous_month(main.period))
    paid_otherwise = not_awaiting(lines)  # loans paid out in cash meanwhile
    found = []
    for line in lines:
        if line.id in in_flight or line.id in paid_otherwise:
            continue
        if check.hold(line.participant_id) is not None:
            continue
        amounts = _amounts(line, income.get(line.participant_id, {}), rules, unverified)
        if amounts is not None:
            found.append((line, amounts))
    return found


def _free():
    """Not taken by a follow-up run that is still live."""
    live = PaymentRun.select(PaymentRun.id).where(
        (PaymentRun.kind == "FOLLOW_UP") & (PaymentRun.state != "CANCELLED")
    )
    return PaymentLine.followup_run_id.is_null() | ~PaymentLine.followup_run_id.in_(live)


def _amounts(line: PaymentLine, months: dict, rules, unverified: set[int]) -> dict | None:
    """The line's amounts now: unchanged once approved; recalculated from the snapshot when
    it was held before approval (its awards and adjustments wait for the next main run)."""
    if line.approved or line.kind == LOAN:  # a loan's principal is what was approved
        return {}
    income_month = (line.inputs or {}).get("incomeMonth")
    if line.exception == INCOME_NOT_VERIFIED and not income_known(
        months, income_month, line.participant_id in unverified
    ):
        return None
    earned = months.get(income_month, ZERO) if income_month else line.earned
    amounts = breakdown(line.base, earned, ZERO, ZERO, rules)
    if amounts.net <= 0:
        return None
    return {
        "earned": amounts.earned,
        "taper": amounts.taper,
        "incentives": ZERO,
        "adjustments": ZERO,
        "net": amounts.net,
        "remainder": amounts.remainder,
        "uses_duration": amounts.uses_duration,
        "inputs": {**(line.inputs or {}), "incomeKnown": True, "recalculatedAt": str(utcnow())},
    }


def _take(line: PaymentLine, run: PaymentRun, amounts: dict) -> None:
    updated = (
        PaymentLine.update(followup_run_id=run.id, **amounts)
        .where((PaymentLine.id == line.id) & (PaymentLine.status == line.status) & _free())
        .execute()
    )
    if updated != 1:
        raise Conflict(CommonCode.CONFLICT, "a line was taken by another run; try again", "period")
