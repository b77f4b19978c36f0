"""Pieces of a query that other domains put inside their own: the ids of a counselor's
caseload, her id by code.

Each is a SELECT left unexecuted, so the caller's query stays one statement (the id list
becomes a subquery where it once joined our table) and no other domain names our tables.
"""

from __future__ import annotations

import peewee as pw

from econ.participants.models import Participant


def caseload_query(counselor_id: int) -> pw.ModelSelect:
    """Her caseload's ids, for `Record.participant.in_(caseload_query(counselor_id))`."""
    return Participant.select(Participant.id).where(Participant.counselor == counselor_id)


def code_query(code: str) -> pw.ModelSelect:
    """The id of the participant with exactly this code (none for an unknown one)."""
    return Participant.select(Participant.id).where(Participant.code == code.strip().upper())
