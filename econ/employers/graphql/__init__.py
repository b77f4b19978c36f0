"""GraphQL queries and mutations of the employers domain (types in graphql_types/).

Queries in `queries`; mutations by record: `companies`, `openings`, `referrals` (consents,
referrals, placements, preferences), with the root `Mutations` there.
"""

from econ.employers.graphql.queries import Queries
from econ.employers.graphql.referrals import Mutations

__all__ = ["Mutations", "Queries"]
