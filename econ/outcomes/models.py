"""What outcomes keeps of its own: each counselor's saved caseload filters."""

from __future__ import annotations

import peewee as pw

from econ.db import BaseModel, utcnow


class SavedCaseloadFilter(BaseModel):
    """One named choice of her caseload page (filters and sorting), hers alone: no other
    user reads, applies or deletes it (econ/outcomes/saved_filters.py)."""

    user_id = pw.IntegerField()
    name = pw.CharField(max_length=60)
    search = pw.CharField(max_length=60, default="")
    status = pw.CharField(max_length=10, null=True)
    pathway = pw.CharField(max_length=20, null=True)
    has_overdue_milestones = pw.BooleanField(null=True)
    in_arrears = pw.BooleanField(null=True)
    stipend_months_left_at_most = pw.IntegerField(null=True)
    sort = pw.CharField(max_length=24, default="NAME")
    descending = pw.BooleanField(default=False)
    created_at = pw.DateTimeField(default=utcnow)

    class Meta:
        table_name = "saved_caseload_filter"
        indexes = ((("user_id", "name"), True),)
