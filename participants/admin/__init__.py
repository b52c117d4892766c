"""Participants, groups and their reference data in admin: kecamatan, kelurahan, assignments,
users and programmes (`reference`), participants with their export and import (`people`), groups
with their members (`groups`). The export log is metro_slum's."""

from participants.admin.groups import MembershipAdmin, ParticipantGroupAdmin
from participants.admin.messages import MessageAdmin
from participants.admin.people import ParticipantAdmin
from participants.admin.ranks import (
    CandidateAdmin,
    DtsenListAdmin,
    EligibilityExceptionAdmin,
    HouseholdRankAdmin,
)
from participants.admin.reference import (
    KecamatanAdmin,
    KelurahanAdmin,
    KelurahanAssignmentAdmin,
    ProgramAdmin,
    StaffUserAdmin,
)

__all__ = [
    "CandidateAdmin", "DtsenListAdmin", "EligibilityExceptionAdmin", "HouseholdRankAdmin",
    "KecamatanAdmin",
    "KelurahanAdmin", "KelurahanAssignmentAdmin",
    "MembershipAdmin", "MessageAdmin", "ParticipantAdmin", "ParticipantGroupAdmin", "ProgramAdmin",
    "StaffUserAdmin",
]  # fmt: skip
