"""Incentive awards (created by training, employers and microcredit; paid by stipends)."""

from econ.migrations import create_tables
from econ.stipends.awards import IncentiveAward


def up(database) -> None:
    create_tables([IncentiveAward])
