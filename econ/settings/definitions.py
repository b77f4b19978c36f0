"""Every program setting with its type and default (DOMAIN.md). Domains add theirs here.

Types: "money" (Decimal, two places), "percent" (Decimal), "int", "text", "iban" (a SEPA
IBAN, checked by econ.iban as every payee's is), "currency" (an ISO 4217 code of a
currency in use today, upper case), "url" (an absolute http(s) address).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SettingDef:
    key: str
    kind: str
    default: str
    description: str
    minimum: str | None = None
    maximum: str | None = None


DEFINITIONS: tuple[SettingDef, ...] = (
    SettingDef("currency", "currency", "EUR", "ISO 4217 currency of stipends and loans"),
    SettingDef(
        "program_display_name",
        "text",
        "Pathways Programme",
        "neutral name printed on documents and bank remittances",
    ),
    SettingDef("stipend_monthly_base", "money", "900.00", "monthly stipend base", "0.00"),
    SettingDef("stipend_min_months", "int", "6", "shortest stipend schedule", "1", "24"),
    SettingDef("stipend_max_months", "int", "24", "longest stipend schedule", "1", "24"),
    SettingDef("income_disregard", "money", "300.00", "earned income not tapered", "0.00"),
    SettingDef("taper_rate", "percent", "50", "share of income above the disregard", "0", "100"),
    SettingDef(
        "target_monthly_income",
        "money",
        "1400.00",
        "default target income for independence",
        "0.01",
    ),
    SettingDef(
        "incentive_training_completed", "money", "100.00", "award on training completion", "0.00"
    ),
    SettingDef(
        "incentive_retained_90_days", "money", "150.00", "award on 90-day retention", "0.00"
    ),
    SettingDef("incentive_loan_repaid", "money", "50.00", "award on a repaid loan", "0.00"),
    SettingDef("manual_award_max", "money", "500.00", "largest manual incentive award", "0.00"),
    SettingDef(
        "adjustment_max",
        "money",
        "1000.00",
        "largest adjustment or support grant (either sign)",
        "0.00",
    ),
    SettingDef(
        "payment_run_advance_months",
        "int",
        "0",
        "months ahead a payment run may be opened (0: the current month at most)",
        "0",
        "1",
    ),
    SettingDef(
        "minimum_wage_hourly",
        "money",
        "12.00",
        "lowest hourly pay an opportunity may offer",
        "0.00",
    ),
    SettingDef("loan_group_min_size", "int", "3", "smallest solidarity group", "1", "100"),
    SettingDef("loan_group_max_size", "int", "10", "largest solidarity group", "1", "100"),
    SettingDef("loan_max_principal", "money", "5000.00", "largest loan principal", "0.01"),
    SettingDef("loan_annual_interest_rate", "percent", "0", "default annual interest", "0", "100"),
    SettingDef("outcomes_min_cell", "int", "5", "smallest indicator cell shown outside ADMIN", "1"),
    SettingDef("statement_page_size", "text", "A4", "A4 or LETTER"),
    SettingDef("loan_delinquency_buckets", "text", "1-30,31-60,61-90,91+", "days past due bands"),
    SettingDef(
        "participant_idle_minutes", "int", "10", "pages sign a participant out after", "1", "120"
    ),
    SettingDef("staff_idle_minutes", "int", "30", "pages sign staff out after", "1", "480"),
    SettingDef(
        "quick_exit_url",
        "url",
        "https://www.wikipedia.org/",
        "the neutral site the quick-exit button opens",
    ),
    SettingDef(
        "program_bank_iban", "iban", "DE89370400440532013000", "IBAN stipends are paid from"
    ),
)

BY_KEY = {d.key: d for d in DEFINITIONS}
