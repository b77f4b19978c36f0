"""GraphQL surface of the security domain: login, logout, me, users, audit log.

Other modules refer to the types here by dotted path (e.g. "econ.security.graphql.User").
"""

from __future__ import annotations

from econ.security.graphql.mutations import Mutations
from econ.security.graphql.queries import Queries
from econ.security.graphql.types import LoginRequestType, User

__all__ = ["LoginRequestType", "Mutations", "Queries", "User"]
