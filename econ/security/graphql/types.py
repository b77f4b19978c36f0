"""Security's GraphQL types: a user, an audit entry, the audit chain, a login request."""

from __future__ import annotations

import graphene

from econ.participants import services as participants
from econ.schema.pagination import connection_type
from econ.security import services
from econ.security.roles import Role

RoleEnum = graphene.Enum.from_enum(Role, description="What a user may see and do (DOMAIN.md).")


class User(graphene.ObjectType):
    """A person who signs in."""

    id = graphene.ID(required=True)
    email = graphene.String(required=True)
    role = graphene.Field(RoleEnum, required=True)
    display_name = graphene.String(required=True)
    work_phone = graphene.String(required=True, description="Office contact (counselors).")
    active = graphene.Boolean(required=True)
    participant = graphene.Field(
        "econ.participants.graphql.Participant",
        description="For a PARTICIPANT login: her own record.",
    )
    employer_id = graphene.ID(description="For an EMPLOYER login: its company.")
    sign_in_name = graphene.String(description="A participant's own sign-in name (to herself).")

    @staticmethod
    def resolve_sign_in_name(user, info):
        actor = info.context.actor
        return user.sign_in_name if actor is not None and actor.user_id == user.id else None

    @staticmethod
    def resolve_role(user, info):
        return Role(user.role)

    @staticmethod
    def resolve_participant(user, info):
        actor = info.context.actor
        if user.participant_id is None or actor is None or actor.user_id != user.id:
            return None
        return participants.get_participant(actor, user.participant_id)


UserConnection = connection_type(User)


class AuditEntryType(graphene.ObjectType):
    """Who did or read what, when; field names only, never values."""

    class Meta:
        name = "AuditEntry"

    id = graphene.ID(required=True)
    at = graphene.DateTime(required=True)
    actor_id = graphene.ID()
    actor_role = graphene.String(required=True)
    action = graphene.String(required=True)
    record_type = graphene.String(required=True)
    record_id = graphene.String(required=True)
    participant_id = graphene.ID()
    fields = graphene.List(graphene.NonNull(graphene.String), required=True)
    outcome = graphene.String(required=True)
    detail = graphene.String(
        required=True, description="Privilege entries: the role, target and approver."
    )

    @staticmethod
    def resolve_fields(entry, info):
        return [f for f in entry.fields.split(",") if f]

    @staticmethod
    def resolve_participant_id(entry, info):
        return services.entry_participant(entry)


AuditEntryConnection = connection_type(AuditEntryType)


class AuditChainType(graphene.ObjectType):
    """`econ audit verify`'s answer: is every entry as it was written, none deleted?"""

    class Meta:
        name = "AuditChain"

    intact = graphene.Boolean(required=True)
    entries = graphene.Int(required=True, description="Entries checked.")
    problems = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="The first 50 problems, each naming an entry id.",
    )

    @staticmethod
    def resolve_problems(report, info):
        return report.problems[:50]


class LoginRequestType(graphene.ObjectType):
    """A change of who may sign in as what, waiting for (or decided by) a second ADMIN."""

    class Meta:
        name = "LoginRequest"

    id = graphene.ID(required=True)
    kind = graphene.String(required=True, description="CREATE, ROLE, REACTIVATE or NEW_CODE.")
    status = graphene.String(required=True, description="PENDING, APPROVED, REJECTED, CANCELLED.")
    role = graphene.String(required=True, description="The role the login has or will have.")
    email = graphene.String(required=True, description="For CREATE: the new login's e-mail.")
    display_name = graphene.String(required=True)
    employer_id = graphene.ID()
    target_user_id = graphene.ID(description="The login changed (or created, once approved).")
    requested_by = graphene.ID(required=True)
    requested_at = graphene.DateTime(required=True)
    decided_by = graphene.ID()
    decided_at = graphene.DateTime()

    @staticmethod
    def resolve_target_user_id(request, info):
        return request.target


LoginRequestConnection = connection_type(LoginRequestType)
