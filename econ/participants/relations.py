"""Batched relations other domains' GraphQL types share: a participant, a staff user.

Declared once here (participants owns both lookups) so every type that shows "her" or
"who decided" batches through the same request loader, whichever domain's field asks.
"""

from __future__ import annotations

from econ.participants import services
from econ.schema.loaders import Relation

PARTICIPANT = Relation("participant by id", services.participants_by_id)
# A staff user by id, for "her counselor", "created by", "requested by".
USER = Relation("user by id", services.counselors_by_id)
