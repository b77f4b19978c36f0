"""The amount for one schedule and period (DOMAIN.md), as a pure function.

    taper = min(base, round_half_up(max(0, earned - disregard) * rate / 100))
    net   = max(0, base - taper + incentives + adjustments)

A negative sum is reported as `remainder` (how much was not deducted), never lost
silently. A month uses one month of duration when base - taper > 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from econ.money import ZERO, round_cents


@dataclass(frozen=True)
class Rules:
    """The settings a calculation uses (snapshotted on the run)."""

    disregard: Decimal
    taper_rate: Decimal  # percent, e.g. Decimal("50")


@dataclass(frozen=True)
class Breakdown:
    base: Decimal
    earned: Decimal
    taper: Decimal
    incentives: Decimal
    adjustments: Decimal
    net: Decimal
    remainder: Decimal
    uses_duration: bool


def taper(earned: Decimal, base: Decimal, rules: Rules) -> Decimal:
    above = max(ZERO, earned - rules.disregard)
    return min(base, round_cents(above * rules.taper_rate / Decimal(100)))


def breakdown(
    base: Decimal, earned: Decimal, incentives: Decimal, adjustments: Decimal, rules: Rules
) -> Breakdown:
    cut = taper(earned, base, rules)
    raw = base - cut + incentives + adjustments
    return Breakdown(
        base=base,
        earned=earned,
        taper=cut,
        incentives=incentives,
        adjustments=adjustments,
        net=max(ZERO, raw),
        remainder=max(ZERO, -raw),
        uses_duration=base - cut > 0,
    )


def rules_from_settings(settings: dict) -> Rules:
    """Rules from a snapshot of `raw_settings()` (strings) or `program_settings()`."""
    return Rules(
        disregard=Decimal(str(settings["income_disregard"])),
        taper_rate=Decimal(str(settings["taper_rate"])),
    )
