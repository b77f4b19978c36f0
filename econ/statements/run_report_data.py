"""What a payment run's report prints: frozen totals, lines by state, who did what."""

from __future__ import annotations

from decimal import Decimal

from econ.participants import services as participants
from econ.security.roles import Actor
from econ.settings.services import setting
from econ.statements.assembly import neutral, program_name
from econ.statements.data import (
    ControlTotals,
    FrozenTotals,
    MethodTotal,
    PaymentRunReportData,
    RunException,
    RunLine,
)
from econ.statements.i18n import translator
from econ.stipends import services as stipends


def payment_run_report_data(actor: Actor, run_id: int, language: str) -> PaymentRunReportData:
    run = stipends.get_run(actor, run_id)
    lines = list(stipends.run_lines(actor, run_id))
    codes = {
        p.id: p.code
        for p in participants.participants_by_id(
            [line.participant_id for line in lines]
            + [e.participant_id for e in stipends.run_exceptions(actor, run_id) if e.participant_id]
        ).values()
    }
    totals = stipends.run_totals(run_id)
    users = participants.counselors_by_id([run.created_by, run.approved_by or 0])
    _ = translator(language)
    return PaymentRunReportData(
        program_name=program_name(),
        period=run.period,
        state=run.state,
        currency=str(setting("currency")),
        language=language,
        totals=ControlTotals(
            line_count=totals.line_count,
            base=totals.base,
            taper=totals.taper,
            incentives=totals.incentives,
            adjustments=totals.adjustments,
            net=totals.net,
        ),
        control_hash=run.control_hash or "",
        created_by=_user_name(users.get(run.created_by)),
        created_at=run.created_at,
        approved_by=_user_name(users.get(run.approved_by)) if run.approved_by else "",
        approved_at=run.approved_at,
        lines=tuple(
            RunLine(
                codes.get(line.participant_id, "–"),
                line.method,
                line.net,
                line.status,
                " ".join(p for p in (line.exception, line.failure_reason) if p),
                line.loan_id,  # set on a loan line only
            )
            for line in lines
        ),
        frozen=_frozen(run),
        exceptions=tuple(
            RunException(
                codes.get(e.participant_id, e.reference or "–"),
                e.kind,
                neutral(e.detail, "") if e.detail else "",
            )
            for e in stipends.run_exceptions(actor, run_id)
        ),
    )


def _frozen(run) -> FrozenTotals | None:
    if run.control_count is None:
        return None
    methods = run.control_by_method or {}
    return FrozenTotals(
        count=run.control_count,
        total=run.control_total,
        by_method=tuple(
            MethodTotal(m, int(v["count"]), Decimal(v["total"])) for m, v in sorted(methods.items())
        ),
    )


def _user_name(user) -> str:
    return (user.display_name or user.email) if user else ""
