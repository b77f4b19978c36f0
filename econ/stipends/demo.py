"""Demo stipends: approved schedules, payment methods, a support grant, and last month's
run calculated, approved by the second finance user, disbursed and reconciled."""

from __future__ import annotations

import datetime as dt

from econ import months
from econ.participants import services as participants
from econ.stipends import services
from econ.stipends.models import PaymentAttempt, PaymentLine

CASH_NAME, CARD_NAME, GRANT_NAME = "Nadia", "Carmen", "Grace"


def _month(offset: int) -> str:
    return months.add_months(months.month_of(dt.date.today()), offset)


def load(ctx) -> None:
    finance, finance2 = ctx.actor("finance@demo.econ"), ctx.actor("finance2@demo.econ")
    counselors = {u.id: ctx.actor(u.email) for u in ctx.users.values() if u.role == "COUNSELOR"}
    for person in participants.participants_by_id([p.id for p in ctx.participants]).values():
        if person.status != "ACTIVE" or person.counselor_id not in counselors:
            continue
        schedule = services.create_schedule(
            counselors[person.counselor_id],
            person.id,
            monthly_amount="900.00",
            start_month=_month(-3),
            duration_months=12,
        )
        services.approve_schedule(finance, schedule.id)
        if person.preferred_name == CASH_NAME:
            services.set_payment_method(finance, person.id, "CASH")
        elif person.preferred_name == CARD_NAME:
            services.set_payment_method(finance, person.id, "PREPAID_CARD", "CARD-DEMO-0001")
        elif person.preferred_name == GRANT_NAME:
            grant = services.create_adjustment(
                finance, person.id, period=_month(-1), amount="40.00",
                reason="monthly bus pass", category="TRANSPORT",
            )  # fmt: skip
            services.approve_adjustment(finance2, grant.id)
    _completed_run(finance, finance2, _month(-1))


def _completed_run(finance, finance2, period: str) -> None:
    run = services.create_run(finance, period, run_tasks=False)
    services.calculate_run(run.id, run.generation)
    run = services.get_run(finance2, run.id)
    # The demo's second FINANCE user approves what she would have read on the page.
    services.approve_run(finance2, run.id, run.version, services.payable_total(run).total)
    services.disburse_run(finance, run.id, "SEPA", run_tasks=False)
    services.export_run(run.id)
    attempts = PaymentAttempt.select().join(PaymentLine).where(PaymentLine.run == run.id)
    rows = [f"{a.reference},ACSC,{a.amount:.2f}," for a in attempts]
    if rows:
        services.import_results(
            finance, run.id, "reference,status,amount,reason\n" + "\n".join(rows) + "\n"
        )
