"""Stored overrides of the defaults, the history of every change, the installation id."""

from __future__ import annotations

import peewee as pw

from econ.db import BaseModel, utcnow


class ProgramSetting(BaseModel):
    key = pw.CharField(max_length=60, primary_key=True)
    value = pw.CharField(max_length=200)
    updated_at = pw.DateTimeField(default=utcnow)
    updated_by = pw.IntegerField(null=True)


class SettingChange(BaseModel):
    key = pw.CharField(max_length=60, index=True)
    old_value = pw.CharField(max_length=200)
    new_value = pw.CharField(max_length=200)
    at = pw.DateTimeField(default=utcnow)
    by_user = pw.IntegerField(null=True)


class Installation(BaseModel):
    """This installation's identity: one row, drawn at random on first use, never edited.

    Not a program setting: no one changes it, and runs do not snapshot it. Payment files
    start their message ids with it, so two installations never repeat one.
    """

    id = pw.IntegerField(primary_key=True)  # always 1
    code = pw.CharField(max_length=12, unique=True)
    created_at = pw.DateTimeField(default=utcnow)


MODELS = [ProgramSetting, SettingChange, Installation]
