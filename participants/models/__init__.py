"""People, places and groups: the bottom of the domain, which every other app reads."""

from participants.models.groups import MAX_GROUP_MEMBERS, Membership, ParticipantGroup
from participants.models.messages import Message
from participants.models.office import DtsenSetting
from participants.models.people import Participant, Program
from participants.models.places import (
    RT,
    RW,
    Kecamatan,
    Kelurahan,
    KelurahanAssignment,
    KelurahanQuerySet,
    neighbourhood_code,
)
from participants.models.proposals import Proposal, ProposalBatch
from participants.models.ranks import Candidate, DtsenList, EligibilityException, HouseholdRank

__all__ = [
    "MAX_GROUP_MEMBERS",
    "RT",
    "RW",
    "Candidate",
    "DtsenList",
    "DtsenSetting",
    "EligibilityException",
    "HouseholdRank",
    "Kecamatan",
    "Kelurahan",
    "KelurahanAssignment",
    "KelurahanQuerySet",
    "Membership",
    "Message",
    "Participant",
    "ParticipantGroup",
    "Program",
    "Proposal",
    "ProposalBatch",
    "neighbourhood_code",
]
