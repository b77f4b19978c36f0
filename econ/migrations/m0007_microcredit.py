"""Microcredit: solidarity groups, loans, installments, repayments, meetings, holidays."""

from econ.microcredit.models import MODELS
from econ.migrations import create_tables


def up(database) -> None:
    create_tables(MODELS)
