"""Program settings over GraphQL: read by staff, changed by ADMIN."""

from __future__ import annotations

import graphene

from econ.schema.mutations import BaseMutation
from econ.schema.pagination import connection_field, connection_type, paginate_prefix
from econ.settings import services
from econ.settings.definitions import DEFINITIONS


class ProgramSettingChangeType(graphene.ObjectType):
    """One change of a setting: when, by whom, from what to what."""

    class Meta:
        name = "ProgramSettingChange"

    at = graphene.DateTime(required=True)
    old_value = graphene.String(required=True)
    new_value = graphene.String(required=True)
    by_user = graphene.ID()


ProgramSettingChangeConnection = connection_type(ProgramSettingChangeType)


class ProgramSettingType(graphene.ObjectType):
    class Meta:
        name = "ProgramSetting"

    key = graphene.String(required=True)
    value = graphene.String(required=True)
    kind = graphene.String(required=True, description="money, percent, int, text, iban or currency")
    default = graphene.String(required=True)
    description = graphene.String(required=True)
    minimum = graphene.String(description="The smallest value accepted, if any.")
    maximum = graphene.String(description="The largest value accepted, if any.")
    history = connection_field(
        ProgramSettingChangeConnection, "Its changes, newest first (ADMIN, FINANCE)."
    )

    @staticmethod
    def resolve_history(setting, info, first=None, after=None):
        actor = info.context.actor
        return paginate_prefix(
            ProgramSettingChangeConnection,
            lambda n: services.recent_changes(actor, setting.key, n),
            services.change_count(actor, setting.key),
            first,
            after,
        )


def _all(values: dict[str, str]) -> list[ProgramSettingType]:
    return [
        ProgramSettingType(
            key=d.key,
            value=values[d.key],
            kind=d.kind,
            default=d.default,
            description=d.description,
            minimum=d.minimum,
            maximum=d.maximum,
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
        return _all(services.staff_settings(info.context.actor))


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
        return {"settings": _all(services.staff_settings(actor))}


class Mutations:
    update_settings = UpdateSettings.Field()
