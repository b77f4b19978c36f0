"""A database built by the migrations matches the models, table by table."""

from __future__ import annotations

import importlib
import pkgutil

import peewee as pw

import econ
from econ.db import BaseModel, db
from econ.migrations import MIGRATION_TABLE, applied, available


def all_models() -> list[type[pw.Model]]:
    for module in pkgutil.walk_packages(econ.__path__, "econ."):
        if module.name.endswith(("models", "awards")):
            importlib.import_module(module.name)
    found, stack = [], list(BaseModel.__subclasses__())
    while stack:
        model = stack.pop()
        found.append(model)
        stack.extend(model.__subclasses__())
    return found


def test_every_migration_is_applied():
    assert applied() == set(available())


def test_migrated_database_matches_the_models():
    models = all_models()
    tables = set(db.get_tables()) - {MIGRATION_TABLE}
    assert {m._meta.table_name for m in models} == tables
    for model in models:
        table = model._meta.table_name
        columns = {c.name: c for c in db.get_columns(table)}
        fields = {f.column_name: f for f in model._meta.sorted_fields}
        assert set(columns) == set(fields), table
        for name, field in fields.items():
            if not field.primary_key:
                assert columns[name].null == field.null, f"{table}.{name} nullability"
        unique_sets = {tuple(sorted(i.columns)) for i in db.get_indexes(table) if i.unique}
        for field in fields.values():
            if field.unique:
                assert (field.column_name,) in unique_sets, f"{table}.{field.column_name} unique"
        index_names = {i.name for i in db.get_indexes(table)}
        for index in model._meta.indexes:
            if isinstance(index, pw.ModelIndex):  # e.g. a partial unique index
                assert index._name in index_names, f"{table} index {index._name}"
                continue
            columns_, unique = index
            if unique:
                names = tuple(sorted(model._meta.fields[c].column_name for c in columns_))
                assert names in unique_sets, f"{table} unique index {names}"
