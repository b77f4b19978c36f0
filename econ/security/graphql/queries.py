"""Security's queries: me, users, login requests, the audit chain and log."""

from __future__ import annotations

import graphene
from graphql import OperationType

from econ.schema.inputs import parse_id
from econ.schema.pagination import connection_field, paginate
from econ.security import approvals, services
from econ.security.graphql.types import (
    AuditChainType,
    AuditEntryConnection,
    LoginRequestConnection,
    RoleEnum,
    User,
    UserConnection,
)


class Queries:
    me = graphene.Field(User, description="The signed-in user, or null.")
    users = connection_field(UserConnection, "All users (ADMIN).", role=RoleEnum())
    login_requests = connection_field(
        LoginRequestConnection,
        "Login requests (ADMIN: all; COUNSELOR: the ones she made), newest first; "
        "participantId (COUNSELOR only): her requests about that participant.",
        status=graphene.String(),
        participant_id=graphene.ID(),
    )
    audit_chain = graphene.Field(
        AuditChainType, description="The audit log's hash chain, checked now (ADMIN)."
    )
    audit_log = connection_field(
        AuditEntryConnection,
        "The audit trail (ADMIN).",
        actor=graphene.ID(),
        action=graphene.String(),
        participant_id=graphene.ID(),
    )

    @staticmethod
    def resolve_me(root, info):
        actor = info.context.actor
        if actor is None:
            return None
        loaded = getattr(info.context, "user", None)
        # A query cannot have changed the row authentication just read; a mutation can.
        if loaded is not None and info.operation.operation == OperationType.QUERY:
            return loaded
        return services.get_user(actor.user_id)

    @staticmethod
    def resolve_users(root, info, first=None, after=None, role=None):
        query = services.list_users(info.context.actor, role.value if role else None)
        return paginate(UserConnection, query, first, after)

    @staticmethod
    def resolve_login_requests(
        root, info, first=None, after=None, status=None, participant_id=None
    ):
        query = approvals.list_requests(
            info.context.actor,
            status,
            parse_id(participant_id, "participantId", required=False),
        )
        return paginate(LoginRequestConnection, query, first, after)

    @staticmethod
    def resolve_audit_chain(root, info):
        return services.audit_chain(info.context.actor)

    @staticmethod
    def resolve_audit_log(
        root, info, first=None, after=None, actor=None, action=None, participant_id=None
    ):
        query = services.audit_entries(
            info.context.actor,
            actor_id=parse_id(actor, "actor", required=False),
            action=action,
            participant_id=parse_id(participant_id, "participantId", required=False),
        )
        return paginate(AuditEntryConnection, query, first, after)
