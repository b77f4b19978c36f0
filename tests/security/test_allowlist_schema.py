"""Deny by default, by the schema (issue 14, item 4): the allowlist decides every field of
every type for every role, checked by walking the schema itself, not the data.

`read:` names, per role, the type.fields it may read; a field no role names is a failing
test, so a new field is decided on purpose before it ships (an empty decision, "nobody",
is written under `nobody:`). A mutation's payload type is read by exactly the roles that
may call the mutation (`mutations:`), and `payloads:` names all its fields. The data-driven
audit (test_schema_audit.py) then checks, over the seeded data, that no role actually
receives a field it is not allowed.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from graphql import GraphQLObjectType, get_named_type

from econ.schema_root import build_schema

ALLOWLIST = Path(__file__).with_name("allowlist.yaml")
ROLES = ("ADMIN", "COUNSELOR", "FINANCE", "EMPLOYER", "PARTICIPANT", "ANONYMOUS")


def decisions() -> tuple[dict[tuple[str, str, str], bool], list[str]]:
    """Every (type, field, role) of the schema -> allowed?, and the problems found."""
    schema = build_schema().graphql_schema
    allowlist = yaml.safe_load(ALLOWLIST.read_text())
    read = {
        (role, type_name, field)
        for role, types in allowlist["read"].items()
        for type_name, fields in (types or {}).items()
        for field in fields
    }
    nobody = {
        (type_name, field)
        for type_name, fields in (allowlist.get("nobody") or {}).items()
        for field in fields
    }
    payload_of = {
        get_named_type(field.type).name: name for name, field in schema.mutation_type.fields.items()
    }
    problems: list[str] = []
    if len(payload_of) != len(schema.mutation_type.fields):
        problems.append("two mutations share a payload type")
    for name in schema.mutation_type.fields:
        if name not in allowlist["mutations"]:
            problems.append(f"mutation {name} is not in the allowlist's mutations")
    decided: dict[tuple[str, str, str], bool] = {}
    for type_ in schema.type_map.values():
        if not isinstance(type_, GraphQLObjectType) or type_.name.startswith("__"):
            continue
        if type_ is schema.mutation_type:
            continue
        mutation = payload_of.get(type_.name)
        if mutation is not None:
            named = set(allowlist["payloads"].get(type_.name) or ())
            if named != set(type_.fields):
                problems.append(f"payloads.{type_.name} must name exactly {sorted(type_.fields)}")
            callers = set(allowlist["mutations"].get(mutation) or ())
            for field in type_.fields:
                for role in ROLES:
                    decided[(type_.name, field, role)] = role in callers
            continue
        for field in type_.fields:
            readers = {role for role in ROLES if (role, type_.name, field) in read}
            if not readers and (type_.name, field) not in nobody:
                problems.append(f"{type_.name}.{field} is named by no role (nor under nobody:)")
            if readers and (type_.name, field) in nobody:
                problems.append(f"{type_.name}.{field} is under nobody: but read by {readers}")
            for role in ROLES:
                decided[(type_.name, field, role)] = role in readers
    known = {(t, f) for t, f, _ in decided}
    for role, type_name, field in sorted(read):
        if (type_name, field) not in known:
            problems.append(f"{role} lists {type_name}.{field}, which the schema does not have")
    for type_name in allowlist["payloads"]:
        if type_name not in payload_of:
            problems.append(f"payloads.{type_name} is no mutation's payload")
    return decided, problems


def test_every_field_of_every_type_is_decided_for_every_role():
    decided, problems = decisions()
    assert problems == [], "\n".join(problems)
    fields = {(t, f) for t, f, _ in decided}
    assert len(decided) == len(fields) * len(ROLES)
    allowed = sum(decided.values())
    print(
        f"\nallowlist: {len(fields)} type.fields x {len(ROLES)} roles = {len(decided)} pairs, "
        f"{allowed} allowed, {len(decided) - allowed} denied, 0 unlisted"
    )
    # Not vacuous: the walk covers the whole schema, payloads and all.
    assert len(fields) > 850
    assert decided[("Participant", "safetyNotes", "COUNSELOR")]
    assert not decided[("Participant", "safetyNotes", "EMPLOYER")]
    assert decided[("Login", "token", "ANONYMOUS")]
    assert not decided[("ApproveLoginRequest", "request", "COUNSELOR")]


def test_a_new_field_that_no_role_names_fails(monkeypatch):
    """The check itself: a field added to the schema without a decision is reported."""
    schema = build_schema().graphql_schema
    participant = schema.type_map["Participant"]
    monkeypatch.setitem(participant.fields, "newSecret", participant.fields["code"])
    _, problems = decisions()
    assert problems == ["Participant.newSecret is named by no role (nor under nobody:)"]
