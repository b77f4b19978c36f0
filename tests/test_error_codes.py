"""Error codes are typed: every raise site names an enum member, each code lives in one
enum, and the GraphQL enum `ErrorCode` lists exactly them."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from econ.errors import DomainError
from econ.schema.error_codes import CODE_ENUMS, all_codes
from econ.schema.errors import user_error
from econ.schema_root import build_schema

ECON = Path(__file__).resolve().parents[1] / "econ"
ERRORS = {"DomainError", "Conflict", "Throttled"}
# Helpers that take a code by position, and errors that pass theirs to DomainError.
CODE_PARAMETERS = {"one_of": 3, "_fail": 2, "__init__": 0}
CODE_LIKE = re.compile(r"^[A-Z][A-Z0-9_]+$")


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else None


def _code_arguments():
    """(file, line, argument) of every code given to an error or a code-taking helper."""
    for path in ECON.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = _name(node.func)
            position = 0 if name in ERRORS else CODE_PARAMETERS.get(name)
            if position is None:
                continue
            given = node.args[position : position + 1] + [
                k.value for k in node.keywords if k.arg == "code"
            ]
            for argument in given:
                yield path.relative_to(ECON.parent), node.lineno, argument


def test_every_raise_site_names_an_enum_member():
    members = {f"{enum.__name__}.{code.name}" for enum in CODE_ENUMS for code in enum}
    untyped = []
    for path, line, argument in _code_arguments():
        text = ast.unparse(argument)
        if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
            if CODE_LIKE.match(argument.value):
                untyped.append(f"{path}:{line} {text}")
        elif (
            isinstance(argument, ast.Attribute)
            and text.split(".")[0].endswith("Code")
            and text not in members
        ):
            untyped.append(f"{path}:{line} {text} (no such member)")
    assert untyped == []


def test_each_code_lives_in_exactly_one_enum():
    codes = [code.value for enum in CODE_ENUMS for code in enum]
    assert len(codes) == len(set(codes))
    for enum in CODE_ENUMS:
        assert all(code.name == code.value for code in enum), enum


def test_the_graphql_enum_lists_exactly_the_codes():
    schema = build_schema().graphql_schema
    error_code = schema.get_type("ErrorCode")
    assert sorted(error_code.values) == all_codes()
    assert str(schema.get_type("UserError").fields["code"].type) == "ErrorCode!"


def test_a_payload_error_carries_its_code_and_an_unlisted_one_reads_invalid():
    assert user_error(DomainError("EMAIL_TAKEN", "taken", "email")).code == "EMAIL_TAKEN"
    assert user_error(DomainError("NOT_A_LISTED_CODE")).code == "INVALID"
