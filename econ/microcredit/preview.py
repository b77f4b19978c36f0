"""`loanSchedulePreview`: any schedule, computed and never saved."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from econ.microcredit.schedule import Schedule, generate_schedule
from econ.microcredit.terms import build_terms, decimal
from econ.security.permissions import require_role
from econ.security.roles import Actor, Role
from econ.settings.services import setting


def preview_schedule(
    actor: Actor | None,
    *,
    principal: str,
    annual_interest_rate: str,
    number_of_installments: int,
    frequency: str,
    disbursement_date: date,
    **optional: Any,
) -> Schedule:
    """COUNSELOR, FINANCE and PARTICIPANT; unset terms take the settings or the defaults."""
    require_role(actor, Role.COUNSELOR, Role.FINANCE, Role.PARTICIPANT)
    values = {k: v for k, v in optional.items() if v is not None}
    for name in ("installment_amount_in_multiples_of",):
        if name in values:
            values[name] = decimal(values[name], "installmentAmountInMultiplesOf")
    return generate_schedule(
        build_terms(
            principal=decimal(principal, "principal", required=True),
            annual_interest_rate=decimal(annual_interest_rate, "annualInterestRate", required=True),
            number_of_installments=number_of_installments,
            frequency=frequency,
            disbursement_date=disbursement_date,
            currency=values.pop("currency", None) or setting("currency"),
            **values,
        )
    )


def format_amount(amount: Decimal, digits: int) -> str:
    return f"{amount:.{digits}f}"
