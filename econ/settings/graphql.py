"""Program settings over GraphQL: read by staff, changed by ADMIN."""

from __future__ import annotations

import graphene

from econ.schema.mutations import BaseMutation
from econ.security.permissions import require_role
from econ.security.roles import Role
from econ.settings import services
from econ.settings.definitions import DEFINITIONS


class ProgramSettingType(graphene.ObjectType):
    class Meta:
        name = "ProgramSetting"

    key = graphene.String(required=True)
    value = graphene.String(required=True)
    kind = graphene.String(required=True, description="money, percent, int or text")
    default = graphene.String(required=True)
    description = graphene.String(required=True)


def _all() -> list[ProgramSettingType]:
    values = services.raw_settings()
    return [
        ProgramSettingType(
            key=d.key,
            value=values[d.key],
            kind=d.kind,
            default=d.default,
            description=d.description,
        )
        for d in DEFINITIONS
    ]


class Queries:
    program_settings = graphene.List(
        graphene.NonNull(ProgramSettingType),
        required=True,
        description="The rules' numbers (staff).",
    )

    @staticmethod
    def resolve_program_settings(root, info):
        require_role(info.context.actor, Role.ADMIN, Role.FINANCE, Role.COUNSELOR)
        return _all()


class SettingInput(graphene.InputObjectType):
    key = graphene.String(required=True)
    value = graphene.String(required=True)


class UpdateSettingsInput(graphene.InputObjectType):
    settings = graphene.List(graphene.NonNull(SettingInput), required=True)


class UpdateSettings(BaseMutation):
    """ADMIN changes settings, all or nothing; each change is kept and audited."""

    class Arguments:
        input = UpdateSettingsInput(required=True)

    settings = graphene.List(graphene.NonNull(ProgramSettingType))

    @classmethod
    def perform(cls, info, actor, data):
        services.update_settings(actor, {s["key"]: s["value"] for s in data["settings"]})
        return {"settings": _all()}


class Mutations:
    update_settings = UpdateSettings.Field()
