"""Stipends over GraphQL: schedules, payment runs and their lines, amounts to approve.

Types in `base` (enums, shared fields, loaders), `line_types`, `run_types` and
`review_types`; queries in `queries`; mutations by record in `schedule_mutations`,
`amount_mutations` and `run_mutations` (with the root). Other domains refer to types here
by dotted path ("econ.stipends.graphql.StipendSchedule").
"""

from econ.stipends.graphql.base import LineStatus
from econ.stipends.graphql.line_types import PaymentLineType, StipendSchedule
from econ.stipends.graphql.queries import Queries
from econ.stipends.graphql.review_types import PayeeStatusType, PendingAmounts, SharedAccountSignal
from econ.stipends.graphql.run_mutations import Mutations
from econ.stipends.graphql.run_types import PaymentRun

__all__ = [
    "LineStatus",
    "Mutations",
    "PayeeStatusType",
    "PaymentLineType",
    "PaymentRun",
    "PendingAmounts",
    "Queries",
    "SharedAccountSignal",
    "StipendSchedule",
]
