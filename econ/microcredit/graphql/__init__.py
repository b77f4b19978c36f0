"""GraphQL surface of microcredit: groups, loans, schedules, repayments, meetings, portfolio.

Amounts are decimal strings ("1234.56") as the issue's contract selects them as leaves;
rates and PAR figures are decimal fractions with four places ("0.1234" = 12.34 %).
Other modules refer to the types here by dotted path (e.g. "econ.microcredit.graphql.LoanType").
"""

from __future__ import annotations

from econ.microcredit.graphql.groups import LoanGroupType, MeetingType
from econ.microcredit.graphql.loans import LoanType, RepaymentType
from econ.microcredit.graphql.mutations import Mutations
from econ.microcredit.graphql.queries import Queries

__all__ = ["LoanGroupType", "LoanType", "MeetingType", "Mutations", "Queries", "RepaymentType"]
