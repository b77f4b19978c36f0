"""GraphQL surface of enrolment codes (econ/participants/enrolment.py) and signing out
of every device: what the sign-in and settings pages run."""

from __future__ import annotations

import graphene

from econ.participants import enrolment
from econ.schema.inputs import parse_id
from econ.schema.mutations import BaseMutation
from econ.security import services as security


class IssueEnrolmentCodeInput(graphene.InputObjectType):
    participant_id = graphene.ID(required=True)


class IssueEnrolmentCode(BaseMutation):
    """Her counselor, with her present: a single-use code, shown this once, and the login
    request behind it; the code works once a second person (an ADMIN) approves it."""

    class Arguments:
        input = IssueEnrolmentCodeInput(required=True)

    code = graphene.String(description="Read it to her; it is not stored and not shown again.")
    request = graphene.Field(
        "econ.security.graphql.LoginRequestType",
        description="Her sign-in request (CREATE, or NEW_CODE if she has a login), PENDING.",
    )

    @classmethod
    def perform(cls, info, actor, data):
        participant_id = parse_id(data["participant_id"], "participantId")
        code, request = enrolment.issue_code(actor, participant_id)
        return {"code": code, "request": request}


class RedeemEnrolmentCodeInput(graphene.InputObjectType):
    code = graphene.String(required=True)
    sign_in_name = graphene.String(required=True, description="Hers to choose; not her name.")
    passphrase = graphene.String(required=True)


class RedeemEnrolmentCode(BaseMutation):
    """She chooses her sign-in name and passphrase with the code; returns her token."""

    class Arguments:
        input = RedeemEnrolmentCodeInput(required=True)

    token = graphene.String()
    user = graphene.Field("econ.security.graphql.User")

    @classmethod
    def perform(cls, info, actor, data):
        token, user = enrolment.redeem_code(
            data["code"], data["sign_in_name"], data["passphrase"], info.context.client
        )
        return {"token": token, "user": user}


class LogoutEverywhere(BaseMutation):
    """End every session of yours, on every device."""

    @classmethod
    def perform(cls, info, actor, data):
        security.logout_everywhere(actor)
        return {}


class EnrolmentMutations:
    issue_enrolment_code = IssueEnrolmentCode.Field()
    redeem_enrolment_code = RedeemEnrolmentCode.Field()
    logout_everywhere = LogoutEverywhere.Field()
