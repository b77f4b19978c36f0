"""GraphQL surface of the security domain: login, logout, me, users, audit log."""

from __future__ import annotations

import graphene

from econ.schema.inputs import enum_value, parse_id
from econ.schema.mutations import BaseMutation
from econ.schema.pagination import connection_field, connection_type, paginate
from econ.security import services
from econ.security.models import AuditEntry
from econ.security.permissions import require_role
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

    @staticmethod
    def resolve_role(user, info):
        return Role(user.role)

    @staticmethod
    def resolve_participant(user, info):
        from econ.participants import services as participants

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

    @staticmethod
    def resolve_fields(entry, info):
        return [f for f in entry.fields.split(",") if f]


AuditEntryConnection = connection_type(AuditEntryType)


class Queries:
    me = graphene.Field(User, description="The signed-in user, or null.")
    users = connection_field(UserConnection, "All users (ADMIN).", role=RoleEnum())
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
        return services.get_user(actor.user_id) if actor else None

    @staticmethod
    def resolve_users(root, info, first=None, after=None, role=None):
        query = services.list_users(info.context.actor, role.value if role else None)
        return paginate(UserConnection, query, first, after)

    @staticmethod
    def resolve_audit_log(
        root, info, first=None, after=None, actor=None, action=None, participant_id=None
    ):
        require_role(info.context.actor, Role.ADMIN)
        query = AuditEntry.select().order_by(AuditEntry.id.desc())
        if actor:
            query = query.where(AuditEntry.actor_id == parse_id(actor, "actor"))
        if action:
            query = query.where(AuditEntry.action == action)
        if participant_id:
            query = query.where(
                AuditEntry.participant_id == parse_id(participant_id, "participantId")
            )
        return paginate(AuditEntryConnection, query, first, after)


class LoginInput(graphene.InputObjectType):
    email = graphene.String(required=True)
    password = graphene.String(required=True)


class Login(BaseMutation):
    """Exchange e-mail and password for a bearer token."""

    class Arguments:
        input = LoginInput(required=True)

    token = graphene.String()
    user = graphene.Field(User)

    @classmethod
    def perform(cls, info, actor, data):
        token, user = services.login(data["email"], data["password"])
        return {"token": token, "user": user}


class Logout(BaseMutation):
    """Revoke the token this request was made with."""

    @classmethod
    def mutate(cls, root, info):
        if info.context.token:
            services.logout(info.context.token)
        return cls(errors=[])


class CreateUserInput(graphene.InputObjectType):
    email = graphene.String(required=True)
    password = graphene.String(required=True)
    role = RoleEnum(required=True)
    participant_id = graphene.ID()
    employer_id = graphene.ID()
    display_name = graphene.String()
    work_phone = graphene.String()


class CreateUser(BaseMutation):
    """ADMIN creates staff and employer logins; a COUNSELOR her participants' logins."""

    class Arguments:
        input = CreateUserInput(required=True)

    user = graphene.Field(User)

    @classmethod
    def perform(cls, info, actor, data):
        user = services.create_user(
            actor,
            email=data["email"],
            password=data["password"],
            role=enum_value(data["role"]),
            participant_id=parse_id(data.get("participant_id"), "participantId", required=False),
            employer_id=parse_id(data.get("employer_id"), "employerId", required=False),
            display_name=data.get("display_name") or "",
            work_phone=data.get("work_phone") or "",
        )
        return {"user": user}


class ChangePasswordInput(graphene.InputObjectType):
    current_password = graphene.String(required=True)
    new_password = graphene.String(required=True)


class ChangePassword(BaseMutation):
    """Change your own password; every session of yours ends."""

    class Arguments:
        input = ChangePasswordInput(required=True)

    @classmethod
    def perform(cls, info, actor, data):
        services.change_password(actor, data["current_password"], data["new_password"])
        return {}


class SetUserRoleInput(graphene.InputObjectType):
    user_id = graphene.ID(required=True)
    role = RoleEnum(required=True)


class SetUserRole(BaseMutation):
    """ADMIN changes a staff member's role; her sessions end."""

    class Arguments:
        input = SetUserRoleInput(required=True)

    user = graphene.Field(User)

    @classmethod
    def perform(cls, info, actor, data):
        user_id = parse_id(data["user_id"], "userId")
        return {"user": services.set_user_role(actor, user_id, enum_value(data["role"]))}


class SetUserActiveInput(graphene.InputObjectType):
    user_id = graphene.ID(required=True)
    active = graphene.Boolean(required=True)


class SetUserActive(BaseMutation):
    """ADMIN deactivates or reactivates a login."""

    class Arguments:
        input = SetUserActiveInput(required=True)

    user = graphene.Field(User)

    @classmethod
    def perform(cls, info, actor, data):
        return {
            "user": services.set_user_active(
                actor, parse_id(data["user_id"], "userId"), data["active"]
            )
        }


class Mutations:
    login = Login.Field()
    logout = Logout.Field()
    create_user = CreateUser.Field()
    change_password = ChangePassword.Field()
    set_user_role = SetUserRole.Field()
    set_user_active = SetUserActive.Field()
