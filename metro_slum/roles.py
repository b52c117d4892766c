"""The three working roles, as Django auth groups with the model permissions each one needs.

This module is the one place that says what each role may do. The groups are brought in line with it
after every `migrate`, so a permission added here reaches every installation.
"""

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

SOCIAL_WORKER = "Pekerja Sosial"
SUPERVISOR = "Supervisor"
ADMIN_STAFF = "Staf Administrasi"
# The head of the office (Kepala Dinas) and the inspectorate: read everything, decide nothing.
HEAD_OF_OFFICE = "Kepala Dinas"
# Added to a supervisor's role: sees and handles sensitive complaints (harassment, a fee asked by
# an officer), which nobody else sees, the kelurahan's social worker least of all.
SENSITIVE_COMPLAINTS = "Pengelola Pengaduan Sensitif"


# The two permissions that guard personal data on every page, list and file: NIK and No. KK in
# full (everyone else sees them masked), and taking lists out of the office.
FULL_NUMBERS_PERMISSION = "participants.view_identity_numbers"
EXPORT_PERMISSION = "participants.export_participants"
# Phone numbers in the message log in full: for those who correct a participant's number when a
# message fails (everyone else reads them masked); sensitive complaints: their designated officers.
PHONE_NUMBERS_PERMISSION = "participants.view_phone_numbers"
SENSITIVE_COMPLAINTS_PERMISSION = "complaints.view_sensitive_complaint"


def may_see_full_numbers(user) -> bool:
    """Whether this user sees NIK and No. KK in full; everyone else sees them masked."""
    return user is not None and user.has_perm(FULL_NUMBERS_PERMISSION)


def may_see_phone_numbers(user) -> bool:
    """Whether this user reads the message log's phone numbers in full."""
    return user is not None and user.has_perm(PHONE_NUMBERS_PERMISSION)


def may_see_sensitive_complaints(user) -> bool:
    """Whether this user sees sensitive complaints, and every message about them."""
    return user is not None and user.has_perm(SENSITIVE_COMPLAINTS_PERMISSION)


def may_export(user) -> bool:
    """Whether the user may take lists out of the office (they carry personal data)."""
    return user is not None and user.has_perm(EXPORT_PERMISSION)


class Actor(models.TextChoices):
    """Who takes a step of a state table, as users know the role in "next step" texts; code
    compares the keys, users read the labels."""

    WORKER = "worker", _("social worker")
    SUPERVISOR = "supervisor", _("supervisor")
    CLERK_OR_SUPERVISOR = "clerk_or_supervisor", _("administrative staff or supervisor")


_REFERENCE_VIEW = (
    "participants.view_kecamatan",
    "participants.view_kelurahan",
    "participants.view_program",
)

# Why a family is in the programme: its DTSEN ranks, the lists they came from, and the residents
# a list names who are not in the programme yet.
_RANK_VIEW = (
    "participants.view_householdrank",
    "participants.view_dtsenlist",
    "participants.view_candidate",
    "participants.view_eligibilityexception",
    "participants.view_proposal",
    "participants.view_proposalbatch",
    "participants.view_dtsensetting",
)

_ASSESSMENT_MODELS = (
    "needsassessment",
    "problem",
    "memberprofile",
    "actionplan",
    "activity",
    "budgetline",
)
_ASSESSMENT_VIEW = tuple(f"assessments.view_{model}" for model in _ASSESSMENT_MODELS)
_ASSESSMENT_EDIT = tuple(
    f"assessments.{action}_{model}" for model in _ASSESSMENT_MODELS for action in ("add", "change")
)

# Register participants, form groups and manage their members.
_REGISTRY_EDIT = (
    "participants.add_participant",
    "participants.change_participant",
    "participants.view_participant",
    "participants.view_identity_numbers",
    "participants.add_participantgroup",
    "participants.change_participantgroup",
    "participants.view_participantgroup",
    "participants.add_membership",
    "participants.change_membership",
    "participants.delete_membership",
    "participants.view_membership",
)

_GRANT_VIEW = (
    "grants.view_grant",
    "grants.view_verificationround",
    "grants.view_verificationanswer",
    "grants.view_grantevent",
    "grants.view_disbursement",
    "grants.view_document",
    "grants.view_spendingline",
    "grants.view_monitoringvisit",
)

# Follow-ups, aid and outcomes: everyone who sees a group sees them.
_FAMILY_VIEW = tuple(
    f"families.view_{model}"
    for model in (
        "followup",
        "followupevent",
        "evidence",
        "aidkind",
        "aiddesilrange",
        "aid",
        "povertyline",
        "measurement",
        "membermeasurement",
    )
)

# Complaints: everyone records one brought to them and sees those of their kelurahan; supervisors
# handle them.
_COMPLAINTS_RECORD = (
    "complaints.add_complaint",
    "complaints.view_complaint",
    "complaints.view_attachment",
)
_COMPLAINTS_HANDLE = _COMPLAINTS_RECORD + (
    "complaints.handle_complaint",
    "complaints.view_complaintdeadline",
    "complaints.change_complaintdeadline",
)

# The slum survey: everyone reads the RTs, their surveys and the method; workers enter surveys in
# their kelurahan, supervisors review them, staff keep the method, the RTs and the boundaries.
_SLUM_VIEW = ("participants.view_rw", "participants.view_rt") + tuple(
    f"slums.view_{model}"
    for model in (
        "survey",
        "answer",
        "photo",
        "criterion",
        "subcriterion",
        "guideline",
        "shareband",
        "classband",
        "work",
        "target",
        "boundary",
        "kawasan",
        "locationassessment",
    )
)
_SLUM_KEEP = (
    "slums.add_kawasan",
    "slums.change_kawasan",
    "slums.add_locationassessment",
    "slums.change_locationassessment",
    "participants.add_rw",
    "participants.change_rw",
    "participants.add_rt",
    "participants.change_rt",
    "slums.add_survey",
    "slums.add_boundary",
    "slums.change_boundary",
    "slums.add_work",
    "slums.change_work",
    "slums.add_target",
    "slums.change_target",
    "slums.delete_target",
    "slums.change_criterion",
    "slums.change_subcriterion",
    "slums.change_guideline",
    "slums.add_shareband",
    "slums.change_shareband",
    "slums.delete_shareband",
    "slums.add_classband",
    "slums.change_classband",
    "slums.delete_classband",
)

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    SOCIAL_WORKER: _REFERENCE_VIEW
    + _RANK_VIEW
    + _REGISTRY_EDIT
    + _ASSESSMENT_VIEW
    + _ASSESSMENT_EDIT
    + _GRANT_VIEW
    + (
        "grants.add_grant",
        "grants.change_grant",
        "grants.submit_grant",
        "grants.add_document",
        "grants.add_spendingline",
        "grants.add_monitoringvisit",
        "grants.change_monitoringvisit",
        "grants.change_verificationanswer",
    )
    + _FAMILY_VIEW
    + (
        "families.add_followup",
        "families.change_followup",
        "families.add_evidence",
        "families.add_aid",
        "families.add_measurement",
        "slums.add_survey",
        "slums.change_survey",
        "slums.add_photo",
    )
    + _SLUM_VIEW
    + _COMPLAINTS_RECORD,
    SUPERVISOR: _REFERENCE_VIEW
    + _RANK_VIEW
    + _ASSESSMENT_VIEW
    + (
        "participants.view_all_kelurahan",
        "participants.export_participants",
        "metro_slum.view_exportrecord",
        "metro_slum.view_offlinesubmission",
        "participants.view_participant",
        "participants.view_participantgroup",
        "participants.view_membership",
        "participants.add_kelurahanassignment",
        "participants.change_kelurahanassignment",
        "participants.delete_kelurahanassignment",
        "participants.view_kelurahanassignment",
        "participants.view_message",
        # Who may join although the rule says no: the supervisor's written decision.
        "participants.add_eligibilityexception",
        "assessments.review_needsassessment",
        "assessments.review_actionplan",
        "grants.decide_grant",
        "grants.accept_accountability",
        "grants.add_disbursement",
        "grants.add_document",
        "grants.change_verificationanswer",
        "families.reopen_followup",
    )
    + _GRANT_VIEW
    + _FAMILY_VIEW
    + _SLUM_VIEW
    + ("slums.review_survey",)
    + _COMPLAINTS_HANDLE,
    ADMIN_STAFF: _REFERENCE_VIEW
    + _RANK_VIEW
    + _REGISTRY_EDIT
    + _ASSESSMENT_VIEW
    + _GRANT_VIEW
    + (
        "participants.view_all_kelurahan",
        "participants.export_participants",
        "metro_slum.view_exportrecord",
        "metro_slum.view_offlinesubmission",
        "grants.add_disbursement",
        "grants.add_document",
        "grants.change_verificationanswer",
        # Separation of duties: the programme's budget and grant ceiling are set by staff, who
        # do not approve grants; supervisors, who approve against those limits, only read them.
        "participants.add_program",
        "participants.change_program",
        # The office's list of aid kinds and the yearly poverty line; other agencies' aid, one
        # by one or from Excel.
        "families.add_aidkind",
        "families.change_aidkind",
        # Which desil each kind of aid is for, with the dates: data the office keeps.
        "families.add_aiddesilrange",
        "families.change_aiddesilrange",
        "families.delete_aiddesilrange",
        "families.add_povertyline",
        "families.change_povertyline",
        "families.add_aid",
        "families.change_aid",
        # DTSEN lists as the office receives them, and a rank read one by one; the office's
        # proposals to DTSEN, a kelurahan's batch at a time.
        "participants.add_householdrank",
        # The office's DTSEN cycle and who signs its proposals.
        "participants.change_dtsensetting",
        "participants.add_proposalbatch",
        "participants.change_proposalbatch",
        "participants.add_proposal",
        "participants.change_proposal",
        "participants.delete_proposal",
        "participants.view_message",
        # Staff register participants' phone numbers and correct one when a message fails.
        "participants.view_phone_numbers",
    )
    + _FAMILY_VIEW
    + _SLUM_VIEW
    + _SLUM_KEEP
    + _COMPLAINTS_RECORD,
    SENSITIVE_COMPLAINTS: _COMPLAINTS_HANDLE + (SENSITIVE_COMPLAINTS_PERMISSION,),
}

# Every list, record and history of the programme, in all kelurahan, with the numbers masked: no
# step, no add, change or delete, no export (exports carry personal data), and no uploaded file
# opened (KTP copies and the families' cards show the full numbers).
_NOT_FOR_READERS = {
    "participants.view_identity_numbers",
    "grants.view_document",
    "families.view_evidence",
    # Sensitive complaints: the designated officers only; their attachments: those who handle.
    SENSITIVE_COMPLAINTS_PERMISSION,
    "complaints.view_attachment",
    # The message log holds participants' and complainants' phone numbers.
    "participants.view_message",
}
ROLE_PERMISSIONS[HEAD_OF_OFFICE] = tuple(
    sorted(
        {
            name
            for names in ROLE_PERMISSIONS.values()
            for name in names
            if name.split(".", 1)[1].startswith("view_") and name not in _NOT_FOR_READERS
        }
        | {"participants.view_all_kelurahan", "complaints.oversee_complaints"}
    )
)

_PROJECT_APPS = {
    "metro_slum",
    "participants",
    "assessments",
    "grants",
    "families",
    "complaints",
    "slums",
}


def _last_project_app():
    return [config.label for config in apps.get_app_configs() if config.label in _PROJECT_APPS][-1]


def _permissions(names):
    query = Q(pk__in=[])
    for name in names:
        app_label, codename = name.split(".", 1)
        query |= Q(content_type__app_label=app_label, codename=codename)
    return Permission.objects.filter(query)


def sync_role_groups(sender=None, using="default", **kwargs):
    """Create the role groups and give each exactly the permissions listed above.

    After `migrate` (post_migrate, sent app by app in the order of INSTALLED_APPS, each app's
    permissions created first): once, for the last of the project's apps, when all of theirs
    exist."""
    if sender is not None and sender.label != _last_project_app():
        return
    for role, names in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.using(using).get_or_create(name=role)
        group.permissions.set(_permissions(names).using(using))
