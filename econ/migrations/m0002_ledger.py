"""Double-entry journal."""

from econ.ledger.models import MODELS
from econ.migrations import create_tables


def up(database) -> None:
    create_tables(MODELS)
