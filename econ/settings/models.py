"""Stored overrides of the defaults, and the history of every change."""

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


MODELS = [ProgramSetting, SettingChange]
