"""BaseMutation: one `input`, a payload with `errors`, audit of every call.

Subclasses define `Arguments.input` and the payload fields, and implement
`perform(cls, info, actor, data) -> dict` by calling a service. Expected failures
(`DomainError`, including permission and not-found) become `errors`; nothing else is
caught here, so bugs reach the endpoint's masking with an error id.
"""

from __future__ import annotations

from typing import Any

import graphene

from econ.errors import DomainError, DomainErrors
from econ.schema.errors import UserError, user_error
from econ.security import audit
from econ.security.roles import Actor


def _snake(name: str) -> str:
    out = []
    for ch in name:
        if ch.isupper() and out:
            out.append("_")
        out.append(ch.lower())
    return "".join(out)


def input_dict(data: Any) -> dict:
    """graphene input objects to plain dicts with snake_case keys, None kept."""
    if data is None:
        return {}
    return {key: value for key, value in dict(data).items()}


class BaseMutation(graphene.Mutation):
    errors = graphene.List(
        graphene.NonNull(UserError),
        required=True,
        description="Expected failures; empty on success.",
    )

    class Meta:
        abstract = True

    @classmethod
    def perform(cls, info: Any, actor: Actor | None, data: dict) -> dict:  # pragma: no cover
        raise NotImplementedError

    @classmethod
    def mutate(cls, root: Any, info: Any, input: Any = None) -> BaseMutation:
        actor = info.context.actor
        name = "api:" + _snake(cls._meta.name.removesuffix("Payload"))
        try:
            result = cls.perform(info, actor, input_dict(input))
        except DomainError as exc:
            audit.record(actor, name, outcome="rejected")
            every = exc.errors if isinstance(exc, DomainErrors) else [exc]
            return cls(errors=[user_error(e) for e in every])
        audit.record(actor, name)
        return cls(errors=[], **(result or {}))
