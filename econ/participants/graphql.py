"""GraphQL surface of participants: types, queries and mutations.

Other domains add fields to `Participant` by defining `ParticipantFields` (a plain class of
graphene fields and resolvers) in `econ/<domain>/graphql_participant.py`, listed in
EXTENSIONS; such a module must not import this one (it refers to types by dotted path).
"""

from __future__ import annotations

import datetime as dt

import graphene

from econ.employers import graphql_participant as employers_fields
from econ.microcredit import graphql_participant as microcredit_fields
from econ.outcomes.graphql_overview import load_overview
from econ.participants import services
from econ.participants.graphql_enrolment import EnrolmentMutations
from econ.participants.models import (
    INCOME_SOURCES,
    MILESTONE_CATEGORIES,
    MILESTONE_STATUSES,
    PATHWAYS,
    RESTRICTED_FIELDS,
    STATUSES,
    Milestone,
    MilestoneStatusChange,
)
from econ.participants.relations import USER
from econ.schema.enums import enum_of
from econ.schema.errors import forbidden
from econ.schema.inputs import enum_value, parse_id
from econ.schema.loaders import Relation
from econ.schema.lookups import or_none
from econ.schema.mutations import BaseMutation
from econ.schema.pagination import connection_field, connection_type, paginate
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
    history = graphene.List(graphene.NonNull(MilestoneChange), required=True)

    @staticmethod
    def resolve_history(milestone, info):
        return list(milestone.status_changes.order_by(MilestoneStatusChange.id))


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
    revisions = graphene.List(graphene.NonNull(PlanRevisionType), required=True)
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
    def resolve_revisions(plan, info):
        return services.plan_revisions(plan)

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
    corrections = graphene.List(
        graphene.NonNull(lambda: IncomeCorrectionType),
        required=True,
        description="Corrections of this verified record, newest first (the latest 10); "
        "the newest verified one supersedes the amount.",
    )

    @staticmethod
    def resolve_amount(record, info):
        return money(record.amount, info.context.currency)

    @staticmethod
    async def resolve_corrections(record, info):
        return await INCOME_CORRECTIONS.load(info, record.id)

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
    status_history = graphene.List(graphene.NonNull(StatusChange))
    plan = graphene.Field(PlanType)
    income_records = graphene.List(graphene.NonNull(IncomeRecordType))
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
    async def resolve_status_history(participant, info):
        history = await STATUS_HISTORY.load(info, participant)
        if history is None:
            raise forbidden("statusHistory")
        return history

    @staticmethod
    def resolve_plan(participant, info):
        return services.get_plan(info.context.actor, participant)

    @staticmethod
    def resolve_income_records(participant, info):
        return list(services.income_records(info.context.actor, participant))

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


class Queries:
    participant = graphene.Field(
        Participant,
        id=graphene.ID(required=True),
        description="Null when unknown or outside your reach.",
    )
    participant_by_code = graphene.Field(Participant, code=graphene.String(required=True))
    participants = connection_field(
        ParticipantConnection, "Participants you may see.", status=ParticipantStatus()
    )

    @staticmethod
    def resolve_participant(root, info, id):
        return or_none(lambda: services.get_participant(info.context.actor, parse_id(id)))

    @staticmethod
    def resolve_participant_by_code(root, info, code):
        return or_none(services.get_by_code, info.context.actor, code)

    @staticmethod
    def resolve_participants(root, info, first=None, after=None, status=None):
        query = services.visible_participants(info.context.actor, enum_value(status))
        return paginate(ParticipantConnection, query, first, after)


# ---- mutations ---------------------------------------------------------------------------


class SkillInput(graphene.InputObjectType):
    key = graphene.String(required=True)
    label = graphene.String()


class CreateParticipantInput(graphene.InputObjectType):
    preferred_name = graphene.String(required=True)
    legal_name = graphene.String()
    date_of_birth = graphene.String(description="YYYY-MM-DD")
    phone = graphene.String()
    email = graphene.String()
    address = graphene.String()
    bank_account = graphene.String()
    bank_bic = graphene.String()
    safety_notes = graphene.String()
    languages = graphene.List(graphene.NonNull(graphene.String))
    preferred_language = graphene.String()
    counselor_id = graphene.ID()
    skills = graphene.List(graphene.NonNull(SkillInput))


RESTRICTED_INPUTS = RESTRICTED_FIELDS


class CreateParticipant(BaseMutation):
    """Register a participant (COUNSELOR: assigned to her; ADMIN: no restricted data)."""

    class Arguments:
        input = CreateParticipantInput(required=True)

    participant = graphene.Field(Participant)

    @classmethod
    def perform(cls, info, actor, data):
        participant = services.create_participant(
            actor,
            preferred_name=data.get("preferred_name"),
            languages=data.get("languages"),
            preferred_language=data.get("preferred_language"),
            counselor_id=parse_id(data.get("counselor_id"), "counselorId", required=False),
            skills=[dict(s) for s in data.get("skills") or []],
            **{k: data.get(k) for k in RESTRICTED_INPUTS},
        )
        return {"participant": participant}


class UpdateParticipantInput(graphene.InputObjectType):
    participant_id = graphene.ID(required=True)
    preferred_name = graphene.String()
    legal_name = graphene.String()
    date_of_birth = graphene.String()
    phone = graphene.String()
    email = graphene.String()
    address = graphene.String()
    bank_account = graphene.String()
    bank_bic = graphene.String()
    safety_notes = graphene.String()
    languages = graphene.List(graphene.NonNull(graphene.String))
    preferred_language = graphene.String()
    skills = graphene.List(graphene.NonNull(SkillInput))


class UpdateParticipant(BaseMutation):
    """Change fields given (omitted fields stay as they are)."""

    class Arguments:
        input = UpdateParticipantInput(required=True)

    participant = graphene.Field(Participant)

    @classmethod
    def perform(cls, info, actor, data):
        pid = parse_id(data.pop("participant_id"), "participantId")
        changes = {k: val for k, val in data.items() if val is not None}
        if "skills" in changes:
            changes["skills"] = [dict(s) for s in changes["skills"]]
        return {"participant": services.update_participant(actor, pid, **changes)}


class SetParticipantStatusInput(graphene.InputObjectType):
    participant_id = graphene.ID(required=True)
    status = ParticipantStatus(required=True)
    reason = graphene.String(required=True)


class SetParticipantStatus(BaseMutation):
    """Pause, exit, re-enter or graduate; history is kept."""

    class Arguments:
        input = SetParticipantStatusInput(required=True)

    participant = graphene.Field(Participant)

    @classmethod
    def perform(cls, info, actor, data):
        participant = services.set_status(
            actor,
            parse_id(data["participant_id"], "participantId"),
            enum_value(data["status"]),
            data["reason"],
        )
        return {"participant": participant}


class AssignCounselorInput(graphene.InputObjectType):
    participant_id = graphene.ID(required=True)
    counselor_id = graphene.ID(required=True)


class AssignCounselor(BaseMutation):
    """ADMIN (re)assigns a counselor; the previous one loses access at once."""

    class Arguments:
        input = AssignCounselorInput(required=True)

    participant = graphene.Field(Participant)

    @classmethod
    def perform(cls, info, actor, data):
        participant = services.assign_counselor(
            actor,
            parse_id(data["participant_id"], "participantId"),
            parse_id(data["counselor_id"], "counselorId"),
        )
        return {"participant": participant}


class MilestoneInput(graphene.InputObjectType):
    id = graphene.ID(description="Keep an existing milestone (and its status).")
    title = graphene.String(required=True)
    category = MilestoneCategory(required=True)
    due_date = graphene.String(description="YYYY-MM-DD")


class RevisePlanInput(graphene.InputObjectType):
    participant_id = graphene.ID(required=True)
    pathways = graphene.List(graphene.NonNull(Pathway), required=True)
    target_monthly_income = graphene.String(description='Decimal string, e.g. "1400.00".')
    milestones = graphene.List(graphene.NonNull(MilestoneInput))


class RevisePlan(BaseMutation):
    """Write a new plan revision; earlier revisions stay readable; she agrees afterwards."""

    class Arguments:
        input = RevisePlanInput(required=True)

    plan = graphene.Field(PlanType)

    @classmethod
    def perform(cls, info, actor, data):
        milestones = [
            {**dict(m), "category": enum_value(m.get("category"))}
            for m in data.get("milestones") or []
        ]
        plan = services.revise_plan(
            actor,
            parse_id(data["participant_id"], "participantId"),
            pathways=[enum_value(p) for p in data["pathways"]],
            target_monthly_income=data.get("target_monthly_income"),
            milestones=milestones,
        )
        return {"plan": plan}


class MilestonePatchInput(graphene.InputObjectType):
    id = graphene.ID(required=True)
    title = graphene.String(description="Left out: unchanged.")
    category = MilestoneCategory(description="Left out: unchanged.")
    due_date = graphene.String(description="YYYY-MM-DD; left out: unchanged.")
    clear_due_date = graphene.Boolean(description="Remove the due date.")


class NewMilestoneInput(graphene.InputObjectType):
    title = graphene.String(required=True)
    category = MilestoneCategory(required=True)
    due_date = graphene.String(description="YYYY-MM-DD")


class ChangePlanInput(graphene.InputObjectType):
    participant_id = graphene.ID(required=True)
    base_revision = graphene.Int(
        required=True, description="The revision this changes (REVISION_CHANGED if not current)."
    )
    pathways = graphene.List(graphene.NonNull(Pathway), description="Left out: unchanged.")
    target_monthly_income = graphene.String(description='"1400.00"; left out: unchanged.')
    clear_target_monthly_income = graphene.Boolean()
    update = graphene.List(graphene.NonNull(MilestonePatchInput), description="Only these change.")
    add = graphene.List(graphene.NonNull(NewMilestoneInput))
    drop = graphene.List(graphene.NonNull(graphene.ID), description="Marked DROPPED, kept.")


class ChangePlan(BaseMutation):
    """The next revision as a change to the current one: only the milestones named change;
    every other one stays as it is. Every bad field is reported at once."""

    class Arguments:
        input = ChangePlanInput(required=True)

    plan = graphene.Field(PlanType)

    @classmethod
    def perform(cls, info, actor, data):
        change = services.PlanChange(
            base_revision=data["base_revision"],
            pathways=[enum_value(p) for p in data["pathways"]]
            if data.get("pathways") is not None
            else None,
            target_monthly_income=data.get("target_monthly_income"),
            clear_target=bool(data.get("clear_target_monthly_income")),
            update=[
                services.MilestonePatch(
                    id=parse_id(p["id"], f"update.{i}.id"),
                    title=p.get("title"),
                    category=enum_value(p.get("category")) if p.get("category") else None,
                    due_date=p.get("due_date"),
                    clear_due_date=bool(p.get("clear_due_date")),
                )
                for i, p in enumerate(data.get("update") or [])
            ],
            add=[
                {**dict(m), "category": enum_value(m.get("category"))}
                for m in data.get("add") or []
            ],
            drop=[parse_id(m, f"drop.{i}") for i, m in enumerate(data.get("drop") or [])],
        )
        plan = services.change_plan(
            actor, parse_id(data["participant_id"], "participantId"), change
        )
        return {"plan": plan}


class AgreeToPlanInput(graphene.InputObjectType):
    participant_id = graphene.ID(required=True)
    revision = graphene.Int(description="The revision she read (REVISION_CHANGED if not current).")


class AgreeToPlan(BaseMutation):
    """The participant co-signs the current revision of her plan."""

    class Arguments:
        input = AgreeToPlanInput(required=True)

    plan = graphene.Field(PlanType)

    @classmethod
    def perform(cls, info, actor, data):
        return {
            "plan": services.agree_to_plan(
                actor, parse_id(data["participant_id"], "participantId"), data.get("revision")
            )
        }


class SetMilestoneStatusInput(graphene.InputObjectType):
    milestone_id = graphene.ID(required=True)
    status = MilestoneStatus(required=True)
    note = graphene.String()


class SetMilestoneStatus(BaseMutation):
    """Complete, start, reopen or drop a milestone (history kept)."""

    class Arguments:
        input = SetMilestoneStatusInput(required=True)

    milestone = graphene.Field(MilestoneType)

    @classmethod
    def perform(cls, info, actor, data):
        milestone = services.set_milestone_status(
            actor,
            parse_id(data["milestone_id"], "milestoneId"),
            enum_value(data["status"]),
            data.get("note") or "",
        )
        return {"milestone": milestone}


class RecordIncomeInput(graphene.InputObjectType):
    participant_id = graphene.ID(required=True)
    month = graphene.String(required=True, description="YYYY-MM")
    source = IncomeSource(required=True)
    amount = graphene.String(required=True, description='Decimal string, e.g. "1234.56".')


class RecordIncome(BaseMutation):
    """Report a month's income (unverified until her counselor verifies it)."""

    class Arguments:
        input = RecordIncomeInput(required=True)

    income_record = graphene.Field(IncomeRecordType)

    @classmethod
    def perform(cls, info, actor, data):
        record = services.record_income(
            actor,
            parse_id(data["participant_id"], "participantId"),
            month=data["month"],
            source=enum_value(data["source"]),
            amount=data["amount"],
        )
        return {"income_record": record}


class VerifyIncomeInput(graphene.InputObjectType):
    income_record_id = graphene.ID(required=True)
    version = graphene.Int(required=True, description="The version of the record you read.")


class VerifyIncome(BaseMutation):
    """Her counselor verifies a reported income record."""

    class Arguments:
        input = VerifyIncomeInput(required=True)

    income_record = graphene.Field(IncomeRecordType)

    @classmethod
    def perform(cls, info, actor, data):
        record = services.verify_income(
            actor, parse_id(data["income_record_id"], "incomeRecordId"), data["version"]
        )
        return {"income_record": record}


class IncomeCorrectionType(graphene.ObjectType):
    class Meta:
        name = "IncomeCorrection"

    id = graphene.ID(required=True)
    income_record_id = graphene.ID(required=True)
    month = graphene.String(required=True)
    amount = graphene.Field(Money, required=True)
    reason = graphene.String(required=True)
    verified = graphene.Boolean(required=True)
    created_at = graphene.DateTime(required=True)
    verified_at = graphene.DateTime()
    asked_by_me = graphene.Boolean(
        required=True, description="You asked for it, so a second person verifies it."
    )

    @staticmethod
    def resolve_asked_by_me(correction, info):
        actor = info.context.actor
        return actor is not None and correction.created_by == actor.user_id

    @staticmethod
    def resolve_income_record_id(correction, info):
        return correction.record_id

    @staticmethod
    def resolve_amount(correction, info):
        return money(correction.amount, info.context.currency)

    @staticmethod
    def resolve_verified(correction, info):
        return correction.verified_at is not None


class CorrectIncomeInput(graphene.InputObjectType):
    income_record_id = graphene.ID(required=True)
    amount = graphene.String(required=True, description='The right amount, e.g. "1234.56".')
    reason = graphene.String(required=True)


class CorrectIncome(BaseMutation):
    """Her counselor corrects a verified record; it counts once a second person verifies."""

    class Arguments:
        input = CorrectIncomeInput(required=True)

    correction = graphene.Field(IncomeCorrectionType)

    @classmethod
    def perform(cls, info, actor, data):
        correction = services.correct_income(
            actor,
            parse_id(data["income_record_id"], "incomeRecordId"),
            amount=data["amount"],
            reason=data["reason"],
        )
        return {"correction": correction}


class VerifyIncomeCorrectionInput(graphene.InputObjectType):
    correction_id = graphene.ID(required=True)


class VerifyIncomeCorrection(BaseMutation):
    """A second person verifies a correction; the next run pays the difference."""

    class Arguments:
        input = VerifyIncomeCorrectionInput(required=True)

    correction = graphene.Field(IncomeCorrectionType)

    @classmethod
    def perform(cls, info, actor, data):
        correction_id = parse_id(data["correction_id"], "correctionId")
        return {"correction": services.verify_correction(actor, correction_id)}


class Mutations(EnrolmentMutations):
    create_participant = CreateParticipant.Field()
    update_participant = UpdateParticipant.Field()
    set_participant_status = SetParticipantStatus.Field()
    assign_counselor = AssignCounselor.Field()
    revise_plan = RevisePlan.Field()
    change_plan = ChangePlan.Field()
    agree_to_plan = AgreeToPlan.Field()
    set_milestone_status = SetMilestoneStatus.Field()
    record_income = RecordIncome.Field()
    verify_income = VerifyIncome.Field()
    correct_income = CorrectIncome.Field()
    verify_income_correction = VerifyIncomeCorrection.Field()
