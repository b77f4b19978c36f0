"""Stipends: payment methods, schedules, adjustments, payment runs, lines, attempts, files."""

from econ.migrations import create_tables
from econ.stipends.models import MODELS


def up(database) -> None:
    create_tables(MODELS)
