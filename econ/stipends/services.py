"""Stipend rules (schedules, calculation, runs) live here; awards are in `awards.py`."""

from __future__ import annotations

from econ.stipends.awards import RULES, IncentiveAward, awards_for, grant_award  # noqa: F401
