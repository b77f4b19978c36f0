"""GraphQL of the skills vocabulary: read by everyone signed in, kept by ADMIN."""

from __future__ import annotations

import graphene

from econ.schema.mutations import BaseMutation
from econ.schema.pagination import connection_field, connection_type, paginate
from econ.training import services


class SkillTermType(graphene.ObjectType):
    class Meta:
        name = "SkillTerm"
        description = "A skill of the program's vocabulary: a stable key and its labels."

    key = graphene.String(required=True, description="ESCO-style: a concept URI or a slug.")
    label_en = graphene.String(required=True)
    label_es = graphene.String(required=True)
    label_fr = graphene.String(required=True)
    active = graphene.Boolean(required=True, description="Offered for new choices.")


SkillTermConnection = connection_type(SkillTermType)


class SkillQueries:
    skill_vocabulary = connection_field(
        SkillTermConnection,
        "The skills opportunities choose from, by key (ADMINs add terms: it grows).",
        include_inactive=graphene.Boolean(description="ADMIN: the retired terms too."),
    )

    @staticmethod
    def resolve_skill_vocabulary(root, info, include_inactive=False, first=None, after=None):
        query = services.vocabulary(info.context.actor, bool(include_inactive))
        return paginate(SkillTermConnection, query, first, after)


class SaveSkillTermInput(graphene.InputObjectType):
    key = graphene.String(required=True)
    label_en = graphene.String(required=True)
    label_es = graphene.String(required=True)
    label_fr = graphene.String(required=True)
    active = graphene.Boolean(description="Default true; false retires the term.")


class SaveSkillTerm(BaseMutation):
    """ADMIN adds a term or changes its labels (a term is retired, never deleted)."""

    class Arguments:
        input = SaveSkillTermInput(required=True)

    skill_term = graphene.Field(SkillTermType)

    @classmethod
    def perform(cls, info, actor, data):
        labels = {lang: data.get(f"label_{lang}") for lang in services.SKILL_LANGUAGES}
        active = data.get("active")
        term = services.save_skill_term(actor, data["key"], labels, active is not False)
        return {"skill_term": term}


class SkillMutations:
    save_skill_term = SaveSkillTerm.Field()
