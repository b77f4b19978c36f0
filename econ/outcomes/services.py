"""Outcomes: one import for callers. Indicators in `indicators.py` (definitions in
`definitions.py`), the plan overview in `overview.py`, the caseload in `caseload.py`,
milestone links in `links.py`, the PDF report in `report.py`."""

from __future__ import annotations

from econ.outcomes.caseload import SORT_KEYS, CaseloadFilter, CaseloadRow, caseload
from econ.outcomes.indicators import GROUPINGS, INDICATORS, Cell, IndicatorRow, outcomes, reach
from econ.outcomes.links import RECORD_TYPES, link_plan_milestone
from econ.outcomes.overview import PlanOverview, overviews, plan_overview

__all__ = [
    "GROUPINGS",
    "INDICATORS",
    "RECORD_TYPES",
    "SORT_KEYS",
    "CaseloadFilter",
    "CaseloadRow",
    "Cell",
    "IndicatorRow",
    "PlanOverview",
    "caseload",
    "link_plan_milestone",
    "outcomes",
    "overviews",
    "plan_overview",
    "reach",
]
