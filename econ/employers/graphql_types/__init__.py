"""GraphQL object types of the employers domain (queries and mutations are in graphql/).

Fields that follow a key or list children use request loaders, so an opportunity with any
number of referrals costs a fixed number of statements. Other domains refer to these types
by dotted path ("econ.employers.graphql_types.ReferralType"), so every type is exported here.
"""

from econ.employers.graphql_types.base import (
    CANDIDATE,
    CHECKPOINTS,
    EMPLOYER,
    HANDLE,
    OPPORTUNITY,
    REFERRALS,
    SKILL,
    STAGES,
    ChannelType,
    CheckpointStatus,
    ConsentScope,
    EmployerSize,
    EmployerStatus,
    OpportunityStatus,
    OpportunityTypeEnum,
    PayPeriod,
    PlacementEndReason,
    ReasonCode,
    ReferralStatus,
)
from econ.employers.graphql_types.candidates import (
    AvailabilityType,
    Candidate,
    ContactChannelType,
    CredentialType,
    SuggestedCandidate,
)
from econ.employers.graphql_types.companies import (
    ConsentType,
    EmployerType,
    InclusionAgreement,
    WorkPreferencesType,
)
from econ.employers.graphql_types.referrals import (
    OpportunityType,
    PlacementType,
    ReferralStageType,
    ReferralType,
    RetentionCheckpointType,
)

__all__ = [
    "CANDIDATE",
    "CHECKPOINTS",
    "EMPLOYER",
    "HANDLE",
    "OPPORTUNITY",
    "REFERRALS",
    "SKILL",
    "STAGES",
    "AvailabilityType",
    "Candidate",
    "ChannelType",
    "CheckpointStatus",
    "ConsentScope",
    "ConsentType",
    "ContactChannelType",
    "CredentialType",
    "EmployerSize",
    "EmployerStatus",
    "EmployerType",
    "InclusionAgreement",
    "OpportunityStatus",
    "OpportunityType",
    "OpportunityTypeEnum",
    "PayPeriod",
    "PlacementEndReason",
    "PlacementType",
    "ReasonCode",
    "ReferralStageType",
    "ReferralStatus",
    "ReferralType",
    "RetentionCheckpointType",
    "SuggestedCandidate",
    "WorkPreferencesType",
]
