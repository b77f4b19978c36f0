"""Stored statements, their generation history and the legal-name choice."""

from econ.migrations import create_tables
from econ.statements.models import MODELS


def up(database) -> None:
    create_tables(MODELS)
