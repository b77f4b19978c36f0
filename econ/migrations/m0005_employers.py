"""Partner employers: opportunities, work preferences, consent, referrals, placements."""

from econ.employers.models import MODELS
from econ.migrations import create_tables


def up(database) -> None:
    create_tables(MODELS)
