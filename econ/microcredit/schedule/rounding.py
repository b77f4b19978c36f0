"""Fineract's money arithmetic, replayed in `Decimal`.

Fineract keeps every intermediate amount as a `Money`, whose constructor rounds to the
currency's digits (and, for currencies without minor units, to `inMultiplesOf`); rates and
quotients go through `MathContext(12, roundingMode)`. Reproducing those two roundings, in
the same places, is what makes our schedules agree with Fineract's to the cent.
Source: fineract-core `organisation/monetary/domain/Money.java`, `MoneyHelper.java`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import (
    ROUND_CEILING,
    ROUND_DOWN,
    ROUND_FLOOR,
    ROUND_HALF_DOWN,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    ROUND_UP,
    Context,
    Decimal,
)
from functools import cached_property, lru_cache

# java.math.RoundingMode name -> decimal constant (UNNECESSARY is not offered: it throws).
ROUNDING_MODES: dict[str, str] = {
    "UP": ROUND_UP,
    "DOWN": ROUND_DOWN,
    "CEILING": ROUND_CEILING,
    "FLOOR": ROUND_FLOOR,
    "HALF_UP": ROUND_HALF_UP,
    "HALF_DOWN": ROUND_HALF_DOWN,
    "HALF_EVEN": ROUND_HALF_EVEN,
}

# MoneyHelper.PRECISION: every rate and quotient is rounded to 12 significant digits.
FINERACT_PRECISION = 12
# Java's BigDecimal add/subtract/multiply without a MathContext are exact; 60 digits is exact
# for every operand size a schedule produces.
EXACT = Context(prec=60)
ZERO = Decimal(0)


@dataclass(frozen=True)
class MoneyContext:
    """The currency and rounding rules a schedule is computed under."""

    digits: int
    in_multiples_of: int | None
    rounding: str  # a decimal rounding constant

    # Built once per context (contexts are shared, see money_context): making a Context
    # and a quantum on every call was a fifth of a schedule's time in the profile.
    @cached_property
    def mc(self) -> Context:
        """Fineract's `MathContext(12, roundingMode)`."""
        return Context(prec=FINERACT_PRECISION, rounding=self.rounding)

    @cached_property
    def quantum(self) -> Decimal:
        return Decimal(1).scaleb(-self.digits)

    @cached_property
    def rounds_to_multiples(self) -> bool:
        """Whether `money` rounds to a currency multiple before it scales."""
        return bool(self.in_multiples_of and self.digits == 0)

    def money(self, amount: Decimal) -> Decimal:
        """`new Money(currency, amount)`: multiples (zero-digit currencies only), then scale."""
        value = amount
        if self.in_multiples_of and self.digits == 0 and value > 0:
            value = nearest_multiple_ties_up(value, Decimal(self.in_multiples_of))
        return value.quantize(self.quantum, rounding=self.rounding)

    def zero(self) -> Decimal:
        return self._zero

    @cached_property
    def _zero(self) -> Decimal:
        return self.money(ZERO)

    def divide(self, amount: Decimal, divisor: Decimal | int) -> Decimal:
        """`Money.dividedBy(x, mc)`: quotient to 12 digits, then back to money."""
        if Decimal(divisor) == 1:
            return amount
        return self.money(self.mc.divide(amount, Decimal(divisor)))

    def multiply(self, amount: Decimal, factor: Decimal | int) -> Decimal:
        """`Money.multipliedBy(x, mc)`."""
        if Decimal(factor) == 1:
            return amount
        return self.money(self.mc.multiply(amount, Decimal(factor)))

    def multiply_retain_scale(self, amount: Decimal, factor: Decimal | int) -> Decimal:
        """`Money.multiplyRetainScale(x, mc)`: product to 12 digits, scale, then money."""
        if factor == 1:  # Decimal and int compare by value, as Decimal(factor) == 1 did
            return amount
        product = self.mc.multiply(amount, factor)
        scaled = product.quantize(self.quantum, rounding=self.rounding)
        if not self.rounds_to_multiples:
            return scaled  # money() of a value already at the quantum is that value
        return self.money(scaled)

    def round_to_multiple(self, amount: Decimal, multiple: Decimal) -> Decimal:
        """`Money.roundToMultiplesOf(Money, Integer)`: divide to scale 0 with the rounding mode."""
        if multiple <= 0:
            return amount
        units = EXACT.divide(amount, multiple).quantize(Decimal(1), rounding=self.rounding)
        return self.money(EXACT.multiply(units, multiple))

    def round_decimal_to_multiple(self, amount: Decimal, multiple: Decimal) -> Decimal:
        """`Money.roundToMultiplesOf(BigDecimal, Integer)`: same rule, result not yet money."""
        if multiple <= 0:
            return amount
        units = EXACT.divide(amount, multiple).quantize(Decimal(1), rounding=self.rounding)
        return EXACT.multiply(units, multiple)


def nearest_multiple_ties_up(value: Decimal, multiple: Decimal) -> Decimal:
    """`Money.roundToMultiplesOf(double, Integer)`: nearest multiple, a tie goes to the ceiling."""
    quotient = EXACT.divide(value, multiple)
    floor = quotient.to_integral_value(rounding=ROUND_FLOOR) * multiple
    ceiling = quotient.to_integral_value(rounding=ROUND_CEILING) * multiple
    return floor if ceiling - value > value - floor else ceiling


@lru_cache(maxsize=64)
def money_context(digits: int, in_multiples_of: int | None, rounding_mode: str) -> MoneyContext:
    return MoneyContext(digits, in_multiples_of, ROUNDING_MODES[rounding_mode])
