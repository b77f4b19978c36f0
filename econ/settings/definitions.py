"""Every program setting with its type and default (DOMAIN.md). Domains add theirs here.

Types: "money" (Decimal, two places), "percent" (Decimal), "int", "text".
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
    SettingDef("currency", "text", "EUR", "ISO 4217 currency of stipends and loans"),
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
        "program_bank_iban", "text", "DE89370400440532013000", "IBAN stipends are paid from"
    ),
)

BY_KEY = {d.key: d for d in DEFINITIONS}
