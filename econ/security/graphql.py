"""GraphQL surface of the security domain: login, logout, me, users, audit log."""

from __future__ import annotations

import graphene
from graphql import OperationType

from econ import logins
from econ.participants import services as participants
from econ.schema.inputs import enum_value, parse_id
from econ.schema.mutations import BaseMutation
from econ.schema.pagination import connection_field, connection_type, paginate
from econ.security import approvals, enrolment, grants, services
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
        token, user = services.login(data["email"], data["password"], client=info.context.client)
        return {"token": token, "user": user}


class Logout(BaseMutation):
    """Revoke the token this request was made with."""

    @classmethod
    def mutate(cls, root, info):
        if info.context.token:
            services.logout(info.context.token)
        return cls(errors=[])


class RequestLoginInput(graphene.InputObjectType):
    email = graphene.String(required=True)
    role = RoleEnum(required=True)
    participant_id = graphene.ID(description="PARTICIPANT: her record (her counselor asks).")
    employer_id = graphene.ID(description="EMPLOYER: its company.")
    display_name = graphene.String()
    work_phone = graphene.String()


class RequestLogin(BaseMutation):
    """Ask for a new login (ADMIN: staff and employers; COUNSELOR: her participant's, with
    her present). A second ADMIN approves; then the person redeems the enrolment code,
    returned here once, to set her own password."""

    class Arguments:
        input = RequestLoginInput(required=True)

    request = graphene.Field(LoginRequestType)
    enrolment_code = graphene.String(description="Shown once: hand it to the person in person.")

    @classmethod
    def perform(cls, info, actor, data):
        request, code = logins.request_login(
            actor,
            email=data["email"],
            role=enum_value(data["role"]),
            participant_id=parse_id(data.get("participant_id"), "participantId", required=False),
            employer_id=parse_id(data.get("employer_id"), "employerId", required=False),
            display_name=data.get("display_name") or "",
            work_phone=data.get("work_phone") or "",
        )
        return {"request": request, "enrolment_code": code}


class RequestRoleChangeInput(graphene.InputObjectType):
    user_id = graphene.ID(required=True)
    role = RoleEnum(required=True)


class RequestRoleChange(BaseMutation):
    """ADMIN asks that a staff member take another role; a second ADMIN approves."""

    class Arguments:
        input = RequestRoleChangeInput(required=True)

    request = graphene.Field(LoginRequestType)

    @classmethod
    def perform(cls, info, actor, data):
        user_id = parse_id(data["user_id"], "userId")
        return {"request": grants.request_role_change(actor, user_id, enum_value(data["role"]))}


class RequestReactivationInput(graphene.InputObjectType):
    user_id = graphene.ID(required=True)


class RequestEnrolmentCodeInput(graphene.InputObjectType):
    user_id = graphene.ID(required=True)


class RequestReactivation(BaseMutation):
    """ADMIN asks that an inactive login may sign in again; a second ADMIN approves."""

    class Arguments:
        input = RequestReactivationInput(required=True)

    request = graphene.Field(LoginRequestType)

    @classmethod
    def perform(cls, info, actor, data):
        return {"request": grants.request_reactivation(actor, parse_id(data["user_id"], "userId"))}


class RequestEnrolmentCode(BaseMutation):
    """A new enrolment code for a login whose owner lost her password (ADMIN for staff and
    employers, her counselor for a participant); usable once a second ADMIN approves."""

    class Arguments:
        input = RequestEnrolmentCodeInput(required=True)

    request = graphene.Field(LoginRequestType)
    enrolment_code = graphene.String(description="Shown once: hand it to the person in person.")

    @classmethod
    def perform(cls, info, actor, data):
        request, code = logins.request_new_code(actor, parse_id(data["user_id"], "userId"))
        return {"request": request, "enrolment_code": code}


class ApproveLoginRequestInput(graphene.InputObjectType):
    request_id = graphene.ID(required=True)


class RejectLoginRequestInput(graphene.InputObjectType):
    request_id = graphene.ID(required=True)


class ApproveLoginRequest(BaseMutation):
    """A second ADMIN approves a login request: it takes effect now."""

    class Arguments:
        input = ApproveLoginRequestInput(required=True)

    request = graphene.Field(LoginRequestType)

    @classmethod
    def perform(cls, info, actor, data):
        request, _ = logins.approve(actor, parse_id(data["request_id"], "requestId"))
        return {"request": request}


class RejectLoginRequest(BaseMutation):
    """An ADMIN refuses a login request, or its maker withdraws it."""

    class Arguments:
        input = RejectLoginRequestInput(required=True)

    request = graphene.Field(LoginRequestType)

    @classmethod
    def perform(cls, info, actor, data):
        return {"request": approvals.reject(actor, parse_id(data["request_id"], "requestId"))}


class RedeemLoginCodeInput(graphene.InputObjectType):
    code = graphene.String(required=True)
    password = graphene.String(required=True)


class RedeemLoginCode(BaseMutation):
    """The person a login is for sets its password with her one-time code (no session)."""

    class Arguments:
        input = RedeemLoginCodeInput(required=True)

    email = graphene.String(description="The login she can now sign in with.")

    @classmethod
    def perform(cls, info, actor, data):
        user = enrolment.redeem(data["code"], data["password"], client=info.context.client)
        return {"email": user.email}


class ChangePasswordInput(graphene.InputObjectType):
    current_password = graphene.String(required=True)
    new_password = graphene.String(required=True)


class ChangePassword(BaseMutation):
    """Change your own password; every session of yours ends."""

    class Arguments:
        input = ChangePasswordInput(required=True)

    @classmethod
    def perform(cls, info, actor, data):
        services.change_password(
            actor, data["current_password"], data["new_password"], info.context.client
        )
        return {}


class SetUserActiveInput(graphene.InputObjectType):
    user_id = graphene.ID(required=True)
    active = graphene.Boolean(required=True)


class SetUserActive(BaseMutation):
    """ADMIN deactivates a login at once; reactivating needs requestReactivation."""

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
    change_password = ChangePassword.Field()
    set_user_active = SetUserActive.Field()
    request_login = RequestLogin.Field()
    request_role_change = RequestRoleChange.Field()
    request_reactivation = RequestReactivation.Field()
    request_enrolment_code = RequestEnrolmentCode.Field()
    approve_login_request = ApproveLoginRequest.Field()
    reject_login_request = RejectLoginRequest.Field()
    redeem_login_code = RedeemLoginCode.Field()
