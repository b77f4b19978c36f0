"""GraphQL surface of statements and documents: links to PDFs, never the bytes.

`generateStatement` queues the work (the statement appears on `Participant.statements` when
the task is done); the document queries check that the caller may read the data and return
the URL to GET with the same bearer token, or null when the record is out of reach.
"""

from __future__ import annotations

import graphene

from econ.errors import DomainError
from econ.schema.inputs import parse_id
from econ.schema.loaders import Relation
from econ.schema.mutations import BaseMutation
from econ.schema.pagination import connection_field, connection_type, paginate_list
from econ.statements import services, urls

VERSIONS = Relation("statement versions", services.statement_versions, missing=list)


class StatementVersion(graphene.ObjectType):
    """One version of a statement as it was made (regenerated after a payment changed)."""

    version = graphene.Int(required=True)
    created_at = graphene.DateTime(required=True)
    language = graphene.String(required=True)
    size = graphene.Int(required=True)
    sha256 = graphene.String(required=True)
    url = graphene.String(
        description="GET it with your bearer token; null when its file was not kept "
        "(versions made before econ kept every version)."
    )

    @staticmethod
    def resolve_url(row, info):
        return urls.statement_url(row.statement_id, row.version) if row.path else None


StatementVersionConnection = connection_type(StatementVersion)


class Statement(graphene.ObjectType):
    id = graphene.ID(required=True)
    period = graphene.String(required=True, description="YYYY-MM")
    language = graphene.String(required=True)
    created_at = graphene.DateTime(required=True, description="When this version was made.")
    sha256 = graphene.String(required=True)
    size = graphene.Int(required=True)
    version = graphene.Int(required=True, description="Regenerating keeps the history.")
    url = graphene.String(required=True, description="GET it with your bearer token.")
    versions = connection_field(
        StatementVersionConnection,
        "Every version, newest first: the current one and those it replaced.",
    )

    @staticmethod
    def resolve_url(statement, info):
        return urls.statement_url(statement.id)

    @staticmethod
    async def resolve_versions(statement, info, first=None, after=None):
        versions = await VERSIONS.load(info, statement.id)
        return paginate_list(StatementVersionConnection, versions, first, after)


StatementConnection = connection_type(Statement)


class DocumentLink(graphene.ObjectType):
    url = graphene.String(required=True, description="GET it with your bearer token.")


class GenerateStatementInput(graphene.InputObjectType):
    participant_id = graphene.ID(required=True)
    period = graphene.String(required=True, description="YYYY-MM")
    language = graphene.String(description="en, es or fr; her preferred language if omitted.")


class GenerateStatement(BaseMutation):
    """Queue her statement of a month; the current version (null before the first)."""

    class Arguments:
        input = GenerateStatementInput(required=True)

    statement = graphene.Field(Statement)

    @classmethod
    def perform(cls, info, actor, data):
        statement = services.request_statement(
            actor,
            parse_id(data["participant_id"], "participantId"),
            data["period"],
            data.get("language"),
        )
        return {"statement": statement}


class SetStatementNameInput(graphene.InputObjectType):
    participant_id = graphene.ID(required=True)
    show_legal_name = graphene.Boolean(
        required=True, description="Her legal name instead of her preferred name."
    )


class SetStatementName(BaseMutation):
    """Her choice of the name printed on her statements (she, or her counselor for her)."""

    class Arguments:
        input = SetStatementNameInput(required=True)

    participant = graphene.Field("econ.participants.graphql.Participant")

    @classmethod
    def perform(cls, info, actor, data):
        participant = services.set_legal_name_choice(
            actor, parse_id(data["participant_id"], "participantId"), data["show_legal_name"]
        )
        return {"participant": participant}


def _link(check, url: str, *args) -> DocumentLink | None:
    try:
        check(*args)
    except DomainError as exc:
        if exc.code == "UNAUTHENTICATED":
            raise
        return None
    return DocumentLink(url=url)


class Queries:
    payment_run_report = graphene.Field(
        DocumentLink,
        run_id=graphene.ID(required=True),
        description="The run report PDF (FINANCE).",
    )
    loan_schedule_document = graphene.Field(
        DocumentLink,
        loan_id=graphene.ID(required=True),
        description="The loan's schedule PDF (FINANCE, her counselor, she herself).",
    )
    collection_sheet_document = graphene.Field(
        DocumentLink,
        group_id=graphene.ID(required=True),
        date=graphene.Date(required=True),
        description="The meeting's collection sheet PDF (the group's counselor, FINANCE).",
    )

    @staticmethod
    def resolve_payment_run_report(root, info, run_id):
        run = parse_id(run_id, "runId")
        return _link(services.require_run_report, urls.run_report_url(run), info.context.actor, run)

    @staticmethod
    def resolve_loan_schedule_document(root, info, loan_id):
        loan = parse_id(loan_id, "loanId")
        url = urls.loan_schedule_url(loan)
        return _link(services.require_loan_schedule, url, info.context.actor, loan)

    @staticmethod
    def resolve_collection_sheet_document(root, info, group_id, date):
        group = parse_id(group_id, "groupId")
        url = urls.collection_sheet_url(group, date)
        return _link(services.require_collection_sheet, url, info.context.actor, group)


class Mutations:
    generate_statement = GenerateStatement.Field()
    set_statement_name = SetStatementName.Field()
