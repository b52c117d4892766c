"""The supervisors' desk in admin: the grants with their decisions (`grant_desk`), the tranches
recorded by staff and supervisors with their handover minutes (`disbursements`)."""

from grants.admin.disbursements import DisbursementAdmin, DisbursementForm
from grants.admin.grant_desk import GrantAdmin, field_changes

__all__ = ["DisbursementAdmin", "DisbursementForm", "GrantAdmin", "field_changes"]
