"""Participants' GraphQL types: her record, plan, milestones, income, access log.

Other domains add fields to `Participant` by defining `ParticipantFields` (a plain class of
graphene fields and resolvers) in `econ/<domain>/graphql_participant.py`, listed in
EXTENSIONS; such a module must not import this package (it refers to types by dotted path).
"""

from __future__ import annotations

import datetime as dt

import graphene

from econ.employers import graphql_participant as employers_fields
from econ.microcredit import graphql_participant as microcredit_fields
from econ.outcomes.graphql_overview import load_overview
from econ.participants import services
from econ.participants.graphql.income_types import IncomeCorrectionConnection
from econ.participants.models import (
    INCOME_SOURCES,
    MILESTONE_CATEGORIES,
    MILESTONE_STATUSES,
    PATHWAYS,
    STATUSES,
    Milestone,
    MilestoneStatusChange,
)
from econ.participants.relations import USER
from econ.schema.enums import enum_of
from econ.schema.errors import forbidden
from econ.schema.loaders import Relation
from econ.schema.pagination import connection_field, connection_type, paginate, paginate_list
from econ.schema.scalars import Money, money
from econ.statements import graphql_participant as statements_fields
from econ.stipends import graphql_participant as stipends_fields
from econ.training import graphql_participant as training_fields

ParticipantStatus = enum_of("ParticipantStatus", STATUSES)
Pathway = enum_of("Pathway", PATHWAYS)
MilestoneCategory = enum_of("MilestoneCategory", MILESTONE_CATEGORIES)
MilestoneStatus = enum_of("MilestoneStatus", MILESTONE_STATUSES)
IncomeSource = enum_of("IncomeSource", INCOME_SOURCES)

# Fields other domains add to `Participant` (each a plain class of fields and resolvers).
EXTENSIONS = (
    training_fields.ParticipantFields,
    employers_fields.ParticipantFields,
    stipends_fields.ParticipantFields,
    microcredit_fields.ParticipantFields,
    statements_fields.ParticipantFields,
)


_FORBIDDEN = object()


def _restricted_values(actor, keys) -> dict:
    """Restricted values of (participant, field) keys, forbidden ones as `_FORBIDDEN`."""
    wanted: dict[int, set[str]] = {}
    people = {}
    for participant, field in keys:
        people[participant.id] = participant
        wanted.setdefault(participant.id, set()).add(field)
    # One read per distinct set of fields, so nothing is read (or audited) unasked.
    by_fieldset: dict[frozenset, list] = {}
    for pid, fields in wanted.items():
        by_fieldset.setdefault(frozenset(fields), []).append(people[pid])
    values: dict[int, dict] = {}
    for fields, group in by_fieldset.items():
        values.update(services.read_restricted(actor, group, fields))
    # A field absent from the answer was refused: `missing` makes it _FORBIDDEN.
    return {(p, f): values[p.id][f] for p, f in keys if f in values.get(p.id, {})}


RESTRICTED = Relation(
    "participant restricted field", _restricted_values, missing=lambda: _FORBIDDEN, actor=True
)
INCOME_CORRECTIONS = Relation(
    "income record corrections", services.corrections_by_record, missing=list
)


def _histories(actor, people) -> dict:
    found = services.status_histories(actor, people)
    return {p: found[p.id] for p in people if p.id in found}


STATUS_HISTORY = Relation("participant status history", _histories, actor=True)


def _restricted(field: str, description: str) -> graphene.String:
    async def resolve(participant, info):
        value = await RESTRICTED.load(info, (participant, field))
        if value is _FORBIDDEN:
            raise forbidden(field)
        return value

    return graphene.String(
        description=f"Restricted, encrypted, audited. {description}", resolver=resolve
    )


class Skill(graphene.ObjectType):
    """A skill: a stable key (ESCO-style URIs accepted) and a label."""

    key = graphene.String(required=True)
    label = graphene.String(required=True)


class StatusChange(graphene.ObjectType):
    from_status = graphene.Field(ParticipantStatus)
    to_status = graphene.Field(ParticipantStatus, required=True)
    reason = graphene.String(required=True)
    at = graphene.DateTime(required=True)


class MilestoneChange(graphene.ObjectType):
    from_status = graphene.Field(MilestoneStatus, required=True)
    to_status = graphene.Field(MilestoneStatus, required=True)
    at = graphene.DateTime(required=True)
    note = graphene.String(required=True)


MilestoneChangeConnection = connection_type(MilestoneChange)


class MilestoneType(graphene.ObjectType):
    class Meta:
        name = "Milestone"

    id = graphene.ID(required=True)
    title = graphene.String(required=True)
    category = graphene.Field(MilestoneCategory, required=True)
    due_date = graphene.Date()
    status = graphene.Field(MilestoneStatus, required=True)
    linked_type = graphene.String(description="Kind of record that completes it, if linked.")
    linked_id = graphene.ID()
    history = connection_field(MilestoneChangeConnection, "Its changes, oldest first.")

    @staticmethod
    def resolve_history(milestone, info, first=None, after=None):
        changes = list(milestone.status_changes.order_by(MilestoneStatusChange.id))
        return paginate_list(MilestoneChangeConnection, changes, first, after)


class PlanRevisionMilestone(graphene.ObjectType):
    """A milestone as it stood in a revision (its id is the live Milestone's)."""

    id = graphene.ID(required=True)
    title = graphene.String(required=True)
    category = graphene.Field(MilestoneCategory, required=True)
    due_date = graphene.Date()
    status = graphene.Field(MilestoneStatus, required=True)

    @staticmethod
    def resolve_due_date(item, info):
        return dt.date.fromisoformat(item["dueDate"]) if item.get("dueDate") else None


class PlanRevisionType(graphene.ObjectType):
    class Meta:
        name = "PlanRevision"

    revision = graphene.Int(required=True)
    pathways = graphene.List(graphene.NonNull(Pathway), required=True)
    target_monthly_income = graphene.Field(Money)
    milestones = graphene.List(
        graphene.NonNull(PlanRevisionMilestone),
        required=True,
        description="Milestones as they stood at this revision.",
    )
    created_at = graphene.DateTime(required=True)
    agreed_at = graphene.DateTime(description="When she agreed to this revision, if she did.")

    @staticmethod
    def resolve_target_monthly_income(rev, info):
        return money(rev.target_monthly_income, info.context.currency)


PlanRevisionConnection = connection_type(PlanRevisionType)


class PlanType(graphene.ObjectType):
    class Meta:
        name = "Plan"

    revision = graphene.Int(required=True)
    agreed_at = graphene.DateTime(description="When she agreed to the current revision.")
    agreed_revision = graphene.Int(
        description="The latest revision she agreed to (the current one or an earlier one)."
    )
    pathways = graphene.List(graphene.NonNull(Pathway), required=True)
    target_monthly_income = graphene.Field(Money)
    milestones = graphene.List(graphene.NonNull(MilestoneType), required=True)
    revisions = connection_field(PlanRevisionConnection, "Its revisions, newest first.")
    overview = graphene.Field(
        "econ.outcomes.graphql_overview.PlanOverviewType",
        as_of=graphene.Date(description="The day to read it as of (default today)."),
        description="Where she stands on each pathway, linking the records (econ.outcomes).",
    )

    @staticmethod
    async def resolve_overview(plan, info, as_of=None):
        return await load_overview(info, plan.participant_id, as_of)

    @staticmethod
    def resolve_target_monthly_income(plan, info):
        return money(plan.target_monthly_income, info.context.currency)

    @staticmethod
    def resolve_milestones(plan, info):
        return list(plan.milestones.order_by(Milestone.position, Milestone.id))

    @staticmethod
    def resolve_revisions(plan, info, first=None, after=None):
        return paginate_list(PlanRevisionConnection, services.plan_revisions(plan), first, after)

    @staticmethod
    def resolve_agreed_revision(plan, info):
        return services.agreed_revision(plan)


class IncomeRecordType(graphene.ObjectType):
    class Meta:
        name = "IncomeRecord"

    id = graphene.ID(required=True)
    month = graphene.String(required=True, description="YYYY-MM")
    source = graphene.Field(IncomeSource, required=True)
    amount = graphene.Field(Money, required=True)
    verified = graphene.Boolean(required=True)
    verified_at = graphene.DateTime()
    version = graphene.Int(required=True, description="Verify names the version you read.")
    corrections = connection_field(
        IncomeCorrectionConnection,
        "Corrections of this verified record, newest first; the newest verified one "
        "supersedes the amount.",
    )

    @staticmethod
    def resolve_amount(record, info):
        return money(record.amount, info.context.currency)

    @staticmethod
    async def resolve_corrections(record, info, first=None, after=None):
        corrections = await INCOME_CORRECTIONS.load(info, record.id)
        return paginate_list(IncomeCorrectionConnection, corrections, first, after)

    @staticmethod
    def resolve_verified(record, info):
        return record.verified_at is not None


class Independence(graphene.ObjectType):
    """Verified income at or above target for 3 consecutive months."""

    independent = graphene.Boolean(required=True)
    consecutive_months_at_target = graphene.Int(required=True)
    target_monthly_income = graphene.Field(Money, required=True)
    latest_month = graphene.String()


class AccessLogEntry(graphene.ObjectType):
    """Someone read some of her restricted or identifying data, or acted on her login."""

    at = graphene.DateTime(required=True)
    action = graphene.String(
        required=True,
        description="read_restricted, or what was done about her login (request_login, "
        "approve_login_request, redeem_enrolment_code, ...).",
    )
    actor_role = graphene.String(required=True)
    actor_name = graphene.String(required=True)
    fields = graphene.List(graphene.NonNull(graphene.String), required=True)


AccessLogConnection = connection_type(AccessLogEntry)
StatusChangeConnection = connection_type(StatusChange)
IncomeRecordConnection = connection_type(IncomeRecordType)


class ParticipantBase:
    id = graphene.ID(required=True)
    code = graphene.String(required=True, description="Non-guessable reference, e.g. P-7K3Q9M.")
    preferred_name = graphene.String(required=True)
    languages = graphene.List(graphene.NonNull(graphene.String), required=True)
    preferred_language = graphene.String(required=True)
    status = graphene.Field(ParticipantStatus, required=True)
    counselor = graphene.Field("econ.security.graphql.User")
    legal_name = _restricted("legal_name", "Legal name.")
    date_of_birth = _restricted("date_of_birth", "ISO date of birth.")
    phone = _restricted("phone", "Phone.")
    email = _restricted("email", "E-mail.")
    address = _restricted("address", "Postal address.")
    bank_account = _restricted("bank_account", "IBAN of a SEPA country.")
    bank_bic = _restricted("bank_bic", "BIC of her bank, needed where her bank is outside the EEA.")
    safety_notes = _restricted("safety_notes", "Safety notes.")
    skills = graphene.List(graphene.NonNull(Skill))
    status_history = connection_field(
        StatusChangeConnection, "Her status moves, oldest first.", required=False
    )
    plan = graphene.Field(PlanType)
    income_records = connection_field(
        IncomeRecordConnection, "Her income records, newest month first.", required=False
    )
    independence = graphene.Field(Independence)
    access_log = connection_field(AccessLogConnection, "Who read her restricted data, when.")

    @staticmethod
    async def resolve_counselor(participant, info):
        if participant.counselor_id is None:
            return None
        return await USER.load(info, participant.counselor_id)

    @staticmethod
    def resolve_skills(participant, info):
        services.require_case_access(info.context.actor, participant, "skills")
        return [Skill(key=s["key"], label=s["label"]) for s in participant.skills]

    @staticmethod
    async def resolve_status_history(participant, info, first=None, after=None):
        history = await STATUS_HISTORY.load(info, participant)
        if history is None:
            raise forbidden("statusHistory")
        return paginate_list(StatusChangeConnection, history, first, after)

    @staticmethod
    def resolve_plan(participant, info):
        return services.get_plan(info.context.actor, participant)

    @staticmethod
    def resolve_income_records(participant, info, first=None, after=None):
        query = services.income_records(info.context.actor, participant)
        return paginate(IncomeRecordConnection, query, first, after)

    @staticmethod
    def resolve_independence(participant, info):
        services.require_case_access(info.context.actor, participant, "independence")
        result = services.independence(participant.id)
        return Independence(
            independent=result.independent,
            consecutive_months_at_target=result.consecutive_months_at_target,
            target_monthly_income=money(result.target_monthly_income, info.context.currency),
            latest_month=result.latest_month,
        )

    @staticmethod
    def resolve_access_log(participant, info, first=None, after=None):
        query = services.access_log(info.context.actor, participant)
        page = paginate(AccessLogConnection, query, first, after)
        names = services.counselors_by_id(e.node.actor_id for e in page.edges)
        for edge in page.edges:
            entry = edge.node
            user = names.get(entry.actor_id)
            edge.node = AccessLogEntry(
                at=entry.at,
                action=entry.action,
                actor_role=entry.actor_role,
                actor_name=(user.display_name or user.email) if user else "system",
                fields=[f for f in entry.fields.split(",") if f],
            )
        return page


Participant = type(
    "Participant",
    (*EXTENSIONS, ParticipantBase, graphene.ObjectType),
    {"__doc__": "A woman in the programme; restricted fields need the right role."},
)

ParticipantConnection = connection_type(Participant)
