"""Training: catalogue, cohorts, enrolments, attendance, credentials, skill gains."""

from econ.migrations import create_tables
from econ.training.models import MODELS


def up(database) -> None:
    create_tables(MODELS)
