"""Users, sessions, audit, program settings, participants and plans."""

from econ.migrations import create_tables
from econ.participants.models import MODELS as PARTICIPANT_MODELS
from econ.security.models import AuditEntry, AuditHead, LoginAttempt, Session, User
from econ.settings.models import MODELS as SETTING_MODELS


def up(database) -> None:
    create_tables(
        [User, Session, LoginAttempt, AuditEntry, AuditHead, *SETTING_MODELS, *PARTICIPANT_MODELS]
    )
