"""Security's mutations: sign in and out, passwords, login requests and their decisions."""

from __future__ import annotations

import graphene

from econ import logins
from econ.schema.inputs import enum_value, parse_id
from econ.schema.mutations import BaseMutation
from econ.security import approvals, enrolment, grants, services
from econ.security.graphql.types import LoginRequestType, RoleEnum, User


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
