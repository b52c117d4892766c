"""Who may open what: the roles, the demo world they are tried on, and the table of answers.

Shared by the URL × role matrix and the accessibility sweep, so that both walk the same pages.
"""

import datetime
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import URLResolver, get_resolver

from complaints.models import Attachment, Complaint
from families import services as family_services
from families.models import Evidence, FollowUp
from grants.demo import PDF, PNG
from grants.models import Disbursement, Document, Grant, MonitoringVisit
from metro_slum import figures
from metro_slum.models import Notice
from participants.models import Kelurahan, ParticipantGroup, ProposalBatch
from slums.models import Photo, Survey

ROLES = ("anonymous", "worker", "worker_foreign", "staff", "supervisor", "superuser", "kepala")
# The complaint pages are also tried as the supervisor designated for sensitive complaints, on a
# sensitive complaint of the own worker's kelurahan (the third side).
ROLES_WITH_OFFICER = (*ROLES, "officer")
OWN, FOREIGN, SENSITIVE = "own", "foreign", "sensitive"


def walk(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            name = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), name)
        else:
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield prefix + str(pattern.pattern), name


def build_world(*, demo_loaded=False):
    """The demo, a second worker (Iringmulyo and Rejomulyo), and real records of each side."""
    if not demo_loaded:
        call_command("load_demo", "--allow-without-debug", stdout=StringIO())
    users = {u.username: u for u in get_user_model().objects.all()}
    foreign_worker = get_user_model().objects.create(username="pekerja-iring")
    foreign_worker.groups.set(users["pekerja"].groups.all())
    for code in ("1872041003", "1872051001"):
        foreign_worker.kelurahan_assignments.create(kelurahan=Kelurahan.objects.get(code=code))
    people = {
        "anonymous": None,
        "worker": users["pekerja"],
        "worker_foreign": foreign_worker,
        "staff": users["staf"],
        "supervisor": users["supervisor"],
        "superuser": users["admin"],
        "kepala": users["kepala"],
        "officer": users["pengaduan"],
    }
    groups = {
        OWN: ParticipantGroup.objects.get(name="Kelompok Jamu Sekar Arum"),
        FOREIGN: ParticipantGroup.objects.get(name="Kelompok Gas Iring Makmur"),
    }
    records = {}
    for side, group in groups.items():
        membership = group.memberships.order_by("pk").last()
        grant = Grant.objects.get(group=group)
        records[side] = {
            "group": group,
            "membership": membership,
            "participant": membership.participant,
            "kelurahan": group.kelurahan,
            "document": Document.objects.filter(grant=grant, kind=Document.Kind.KTP).first(),
        }
    for side, group in groups.items():
        # A follow-up still being worked on, and a piece of evidence, of each side's group.
        follow_up = FollowUp.objects.filter(
            group=group, status__in=FollowUp.ACTIVE_STATUSES
        ).first()
        records[side]["follow_up"] = follow_up
        family_services.evidence_add(
            follow_up=follow_up,
            by=users["admin"],
            files=[ContentFile(PDF, name="bukti.pdf")],
        )
        records[side]["evidence"] = Evidence.objects.filter(follow_up=follow_up).last()
    for side, group in groups.items():
        # A monitoring visit of each side's grant, to be corrected.
        grant = Grant.objects.get(group=group)
        records[side]["visit"] = grant.visits.first() or MonitoringVisit.objects.create(
            grant=grant, officer=users["pekerja"], visit_date=datetime.date(2026, 10, 1),
            business_status="running", monthly_revenue=1_000_000, monthly_profit=100_000,
            active_members=10,
        )  # fmt: skip
        figures.changed(grants=[grant.pk])
    # The demo's proposals are Hadimulyo Barat's; Iringmulyo prepares a batch too.
    records[OWN]["batch"] = ProposalBatch.objects.filter(kelurahan__code="1872011004").first()
    records[FOREIGN]["batch"] = ProposalBatch.objects.create(
        kelurahan=groups[FOREIGN].kelurahan, deliberated_on=datetime.date(2026, 9, 1),
        place="Balai Kelurahan Iringmulyo", chaired_by="Lurah Iringmulyo",
        created_by=users["staf"],
    )  # fmt: skip
    records[OWN]["disbursement"] = Disbursement.objects.filter(grant__group=groups[OWN]).first()
    records[FOREIGN]["disbursement"] = Disbursement.objects.filter(
        grant__group__kelurahan__code="1872051001"
    ).first()
    records[OWN]["notice"] = Notice.objects.create(
        user=users["pekerja"], kind="returned", text="Rencana dikembalikan", url="/"
    )
    # Complaints: the own kelurahan's (about a tranche), Iringmulyo's (resolved), and a
    # sensitive one in the own kelurahan; each with an attachment.
    records[OWN]["complaint"] = Complaint.objects.get(category="amount_cut", channel="walk_in")
    records[FOREIGN]["complaint"] = Complaint.objects.get(category="illegal_fee")
    records[SENSITIVE] = {"complaint": Complaint.objects.get(category="staff_fee")}
    for side in (OWN, FOREIGN, SENSITIVE):
        complaint = records[side]["complaint"]
        records[side]["attachment"] = Attachment.objects.create(
            complaint=complaint,
            file=ContentFile(PDF, name="kuitansi.pdf"),
            original_name="kuitansi.pdf",
            content_type="application/pdf",
            size=len(PDF),
        )
    # The slum survey: a reviewed survey of an RT on each side, with a photo.
    for side, code in ((OWN, "1872011004"), (FOREIGN, "1872041003")):
        survey = Survey.objects.filter(
            rt__rw__kelurahan__code=code, status=Survey.Status.REVIEWED
        ).first()
        records[side]["survey"] = survey
        records[side]["rt"] = survey.rt
        records[side]["photo"] = Photo.objects.create(
            survey=survey,
            file=ContentFile(PNG, name="drainase.png"),
            original_name="drainase.png",
            content_type="image/png",
            size=len(PNG),
        )
    return people, records


# name -> function(records of one side) -> URL kwargs
KWARGS = {
    "group": lambda r: {"pk": r["group"].pk},
    "programme:kelurahan": lambda r: {"code": r["kelurahan"].code},
    "programme:person_data": lambda r: {"pk": r["participant"].pk},
    "programme:report": lambda r: {"kind": "rekap"},
    "assessments:assessment": lambda r: {"group_pk": r["group"].pk},
    "assessments:assessment_review": lambda r: {"group_pk": r["group"].pk},
    "assessments:plan": lambda r: {"group_pk": r["group"].pk},
    "assessments:plan_review": lambda r: {"group_pk": r["group"].pk},
    "grants:grant": lambda r: {"group_pk": r["group"].pk},
    "grants:submit": lambda r: {"group_pk": r["group"].pk},
    "grants:decide": lambda r: {"group_pk": r["group"].pk, "step": "approve"},
    "grants:upload": lambda r: {"group_pk": r["group"].pk},
    "grants:spending": lambda r: {"group_pk": r["group"].pk},
    "grants:visit": lambda r: {"group_pk": r["group"].pk},
    "grants:visit_edit": lambda r: {"group_pk": r["group"].pk, "pk": r["visit"].pk},
    "grants:document": lambda r: {"pk": r["document"].pk},
    "grants:handover": lambda r: {"pk": r["disbursement"].pk},
    "families:follow_up_add": lambda r: {"group_pk": r["group"].pk},
    "families:follow_up": lambda r: {"pk": r["follow_up"].pk},
    "families:follow_up_edit": lambda r: {"pk": r["follow_up"].pk},
    "families:evidence_add": lambda r: {"pk": r["follow_up"].pk},
    "families:evidence": lambda r: {"pk": r["evidence"].pk},
    "families:aid_add": lambda r: {"pk": r["participant"].pk},
    "families:family_card": lambda r: {"pk": r["participant"].pk},
    "families:outcomes": lambda r: {"group_pk": r["group"].pk},
    # The own group's 6-month measurement is not due yet, the foreign group has no money yet:
    # both answer with a redirect to the outcomes page that says so.
    "families:measurement_add": lambda r: {"group_pk": r["group"].pk, "milestone": 6},
    "participants:group_edit": lambda r: {"pk": r["group"].pk},
    "participants:member_add": lambda r: {"pk": r["group"].pk},
    "participants:member_remove": lambda r: {
        "pk": r["group"].pk,
        "membership_pk": r["membership"].pk,
    },
    "person": lambda r: {"pk": r["participant"].pk},
    "participants:proposal_bnba": lambda r: {"pk": r["batch"].pk},
    "participants:proposal_minutes": lambda r: {"pk": r["batch"].pk},
    "participants:proposal_letter": lambda r: {"pk": r["batch"].pk},
    "participants:participant_edit": lambda r: {"pk": r["participant"].pk},
    "complaints:detail": lambda r: {"pk": r["complaint"].pk},
    "programme:notice_open": lambda r: {"pk": r["notice"].pk},
    "complaints:attachment": lambda r: {"pk": r["attachment"].pk},
    "complaints:verification": lambda r: {"pk": r["disbursement"].pk},
    "slums:place": lambda r: {"code": r["kelurahan"].code},
    "slums:rt": lambda r: {"pk": r["rt"].pk},
    "slums:survey_new": lambda r: {"pk": r["rt"].pk},
    "slums:survey": lambda r: {"pk": r["survey"].pk},
    "slums:survey_totals": lambda r: {"pk": r["survey"].pk},
    "slums:answer": lambda r: {"pk": r["survey"].pk, "code": "1a"},
    "slums:photo": lambda r: {"pk": r["photo"].pk},
}


# Each URL: method -> {side: expected statuses for ROLES}; side None for URLs without a record.
# 302 for the anonymous is the redirect to the login page. POSTs are sent empty.
_ALL_200 = (302, 200, 200, 200, 200, 200, 200)
_NOT_POST = (302, 405, 405, 405, 405, 405, 405)
_SCOPED = {OWN: (302, 200, 403, 200, 200, 200, 200), FOREIGN: (302, 403, 200, 200, 200, 200, 200)}
_SCOPED_NOT_POST = {OWN: _NOT_POST, FOREIGN: _NOT_POST}
_REGISTRY_EDIT = {
    OWN: (302, 200, 403, 200, 403, 200, 403),
    FOREIGN: (302, 403, 200, 200, 403, 200, 403),
}
_WORKER_STEP = {
    OWN: (302, 302, 403, 403, 403, 302, 403),
    FOREIGN: (302, 403, 302, 403, 403, 302, 403),
}
# A small form of the grant's page sent back with its errors, on the page itself.
_WORKER_FORM = {
    OWN: (302, 200, 403, 403, 403, 200, 403),
    FOREIGN: (302, 403, 200, 403, 403, 200, 403),
}
_SUPERVISOR_STEP = {
    OWN: (302, 403, 403, 403, 302, 302, 403),
    FOREIGN: (302, 403, 403, 403, 302, 302, 403),
}
# Uploaded files: not opened by the head of office (KTP copies, cards: full numbers).
_FILES = {OWN: (302, 200, 403, 200, 200, 200, 403), FOREIGN: (302, 403, 200, 200, 200, 200, 403)}
_CLOSED_FORM = {
    OWN: (302, 403, 403, 403, 403, 403, 403),
    FOREIGN: (302, 403, 403, 403, 403, 403, 403),
}

TABLE = {
    "favicon": {"GET": {None: (302,) * 7}, "POST": {None: (302,) * 7}},
    "health": {"GET": {None: (200,) * 7}, "POST": {None: (405,) * 7}},
    "login": {"GET": {None: (200,) + (302,) * 6}, "POST": {None: (200,) + (302,) * 6}},
    "logout": {"GET": {None: (405,) * 7}, "POST": {None: (302,) * 7}},
    "password_help": {"GET": {None: (200,) * 7}, "POST": {None: (405,) * 7}},
    "set_language": {"GET": {None: (302,) * 7}, "POST": {None: (302,) * 7}},
    # The head of office, who handles no group, is sent on to the one page of the whole.
    "home": {"GET": {None: (302, 200, 200, 200, 200, 200, 302)}, "POST": {None: _NOT_POST}},
    "programme:head": {
        "GET": {None: (302, 403, 403, 200, 200, 200, 200)},
        "POST": {None: _NOT_POST},
    },
    "programme:work": {"GET": {None: _ALL_200}, "POST": {None: _NOT_POST}},
    "programme:dashboard": {"GET": {None: _ALL_200}, "POST": {None: _NOT_POST}},
    "programme:reports": {"GET": {None: _ALL_200}, "POST": {None: _NOT_POST}},
    "programme:report": {
        "GET": {None: _ALL_200},
        "POST": {None: (302, 403, 403, 200, 200, 200, 403)},
    },
    "group": {"GET": _SCOPED, "POST": _SCOPED_NOT_POST},
    "programme:kelurahan": {"GET": _SCOPED, "POST": _SCOPED_NOT_POST},
    "programme:person_data": {
        "GET": _SCOPED_NOT_POST,
        # Only staff (full numbers and export) and the superuser; the supervisor sees masked NIKs.
        "POST": {
            OWN: (302, 403, 403, 200, 403, 200, 403),
            FOREIGN: (302, 403, 403, 200, 403, 200, 403),
        },
    },
    "assessments:assessment": {"GET": _SCOPED, "POST": _CLOSED_FORM},  # reviewed: read-only
    "assessments:assessment_review": {"GET": _SCOPED_NOT_POST, "POST": _SUPERVISOR_STEP},
    "assessments:plan": {"GET": _SCOPED, "POST": _CLOSED_FORM},  # approved: read-only
    "assessments:plan_review": {"GET": _SCOPED_NOT_POST, "POST": _SUPERVISOR_STEP},
    "grants:grant": {"GET": _SCOPED, "POST": _CLOSED_FORM},  # past draft: read-only
    "grants:submit": {"GET": _SCOPED_NOT_POST, "POST": _WORKER_STEP},
    "grants:decide": {"GET": _SCOPED_NOT_POST, "POST": _SUPERVISOR_STEP},
    "grants:upload": {
        "GET": _SCOPED_NOT_POST,
        "POST": {
            OWN: (302, 302, 403, 302, 302, 302, 403),
            FOREIGN: (302, 403, 302, 302, 302, 302, 403),
        },
    },
    "grants:spending": {"GET": _SCOPED_NOT_POST, "POST": _WORKER_FORM},
    "grants:visit": {"GET": _SCOPED_NOT_POST, "POST": _WORKER_FORM},
    "grants:visit_edit": {"GET": _WORKER_FORM, "POST": _WORKER_FORM},
    "grants:document": {"GET": _FILES, "POST": _SCOPED_NOT_POST},
    "grants:handover": {"GET": _SCOPED, "POST": _SCOPED_NOT_POST},
    "families:follow_up_add": {"GET": _WORKER_FORM, "POST": _WORKER_FORM},
    "families:follow_up": {
        "GET": _SCOPED,
        # The supervisor only reopens closed follow-ups: told so and sent back to the page.
        "POST": {
            OWN: (302, 200, 403, 403, 302, 200, 403),
            FOREIGN: (302, 403, 200, 403, 302, 200, 403),
        },
    },
    "families:evidence_add": {"GET": _SCOPED_NOT_POST, "POST": _WORKER_FORM},
    # Corrected by the worker who recorded it: the demo's worker recorded the own side's; the
    # foreign side's was recorded by the demo's worker too, not by the second worker.
    "families:follow_up_edit": {
        "GET": {OWN: _WORKER_FORM[OWN], FOREIGN: (302, 403, 403, 403, 403, 200, 403)},
        "POST": {OWN: _WORKER_FORM[OWN], FOREIGN: (302, 403, 403, 403, 403, 200, 403)},
    },
    "families:evidence": {"GET": _FILES, "POST": _SCOPED_NOT_POST},
    "families:aid_add": {"GET": _REGISTRY_EDIT, "POST": _REGISTRY_EDIT},
    "families:family_card": {"GET": _SCOPED, "POST": _SCOPED_NOT_POST},
    "families:outcomes": {"GET": _SCOPED, "POST": _WORKER_STEP},
    "families:measurement_add": {"GET": _WORKER_STEP, "POST": _WORKER_STEP},
    "participants:group_create": {
        "GET": {None: (302, 200, 200, 200, 403, 200, 403)},
        "POST": {None: (302, 200, 200, 200, 403, 200, 403)},
    },
    "participants:group_edit": {"GET": _REGISTRY_EDIT, "POST": _REGISTRY_EDIT},
    "participants:member_add": {"GET": _REGISTRY_EDIT, "POST": _REGISTRY_EDIT},
    "participants:member_remove": {
        "GET": _SCOPED_NOT_POST,
        "POST": {
            OWN: (302, 302, 403, 302, 403, 302, 403),
            FOREIGN: (302, 403, 302, 302, 403, 302, 403),
        },
    },
    "participants:participant_list": {"GET": {None: _ALL_200}, "POST": {None: _ALL_200}},
    "participants:candidate_list": {"GET": {None: _ALL_200}, "POST": {None: _NOT_POST}},
    "participants:proposal_minutes": {"GET": _SCOPED, "POST": _SCOPED_NOT_POST},
    "participants:proposal_letter": {"GET": _SCOPED, "POST": _SCOPED_NOT_POST},
    # A list with NIKs leaves the office only with those who export.
    "participants:proposal_bnba": {
        "GET": {
            OWN: (302, 403, 403, 200, 200, 200, 403),
            FOREIGN: (302, 403, 403, 200, 200, 200, 403),
        },
        "POST": _SCOPED_NOT_POST,
    },
    "participants:export": {
        "GET": {None: (302, 403, 403, 200, 200, 200, 403)},
        "POST": {None: (302, 403, 403, 200, 200, 200, 403)},
    },
    "participants:participant_create": {
        "GET": {None: (302, 200, 200, 200, 403, 200, 403)},
        "POST": {None: (302, 200, 200, 200, 403, 200, 403)},
    },
    "person": {"GET": _SCOPED, "POST": _SCOPED_NOT_POST},
    "participants:participant_edit": {"GET": _REGISTRY_EDIT, "POST": _REGISTRY_EDIT},
    # Complaints (eight roles: the last is the officer for sensitive complaints). The public
    # pages answer everyone; the receipt without one just issued leads to the status page.
    # A tranche's payment verification: read by whoever sees the group, answers recorded by the
    # workers (their kelurahan), staff and supervisors; the head of office reads.
    "complaints:verification": {
        "GET": _SCOPED,
        "POST": {
            OWN: (302, 200, 403, 200, 200, 200, 403),
            FOREIGN: (302, 403, 200, 200, 200, 200, 403),
        },
    },
    # A user's own notices: every signed-in role.
    "programme:notices": {
        "GET": {None: _ALL_200},
        "POST": {None: _ALL_200},  # an empty form comes back with its message
    },
    "programme:notice_open": {
        "GET": {OWN: _NOT_POST},
        "POST": {OWN: (302, 302, 404, 404, 404, 404, 404)},  # the worker's own notice
    },
    # The portal on a phone: its manifest and service worker for anyone; the page of what was
    # sent from this phone for every signed-in role; the queue's addresses answer JSON, 401 to
    # the anonymous (the phone then asks to log in); an empty item names no form (400).
    "manifest": {"GET": {None: (200,) * 7}, "POST": {None: (405,) * 7}},
    "service_worker": {"GET": {None: (200,) * 7}, "POST": {None: (405,) * 7}},
    "programme:offline": {"GET": {None: _ALL_200}, "POST": {None: _NOT_POST}},
    "programme:offline_status": {
        "GET": {None: (401,) + (200,) * 6},
        "POST": {None: (405,) * 7},
    },
    "programme:offline_pages": {
        "GET": {None: (401,) + (200,) * 6},
        "POST": {None: (405,) * 7},
    },
    "programme:offline_send": {
        "GET": {None: (405,) * 7},
        "POST": {None: (401,) + (400,) * 6},
    },
    # The slum survey: read by everyone who sees the kelurahan; entered by its social workers;
    # a reviewed survey no longer changes; boundaries loaded by staff; the trend report's XLSX
    # for those who export.
    "slums:index": {"GET": {None: _ALL_200}, "POST": {None: _NOT_POST}},
    "slums:report": {
        "GET": {None: _ALL_200},
        "POST": {None: (302, 403, 403, 200, 200, 200, 403)},
    },
    "slums:boundaries": {
        "GET": {None: (302, 403, 403, 200, 403, 200, 403)},
        "POST": {None: (302, 403, 403, 400, 403, 400, 403)},
    },
    "slums:place": {"GET": _SCOPED, "POST": _SCOPED_NOT_POST},
    "slums:rt": {"GET": _SCOPED, "POST": _SCOPED_NOT_POST},
    "slums:survey_new": {"GET": _WORKER_FORM, "POST": _WORKER_FORM},
    "slums:survey": {
        "GET": _SCOPED,
        # An empty form: "choose the step" (400) for whoever reads it.
        "POST": {
            OWN: (302, 400, 403, 400, 400, 400, 400),
            FOREIGN: (302, 403, 400, 400, 400, 400, 400),
        },
    },
    "slums:survey_totals": {"GET": _CLOSED_FORM, "POST": _CLOSED_FORM},  # reviewed: read-only
    "slums:answer": {"GET": _CLOSED_FORM, "POST": _CLOSED_FORM},
    "slums:photo": {"GET": _SCOPED, "POST": _SCOPED_NOT_POST},
    "complaints:public": {"GET": {None: (200,) * 8}, "POST": {None: (200,) * 8}},
    "complaints:status": {"GET": {None: (200,) * 8}, "POST": {None: (200,) * 8}},
    "complaints:receipt": {"GET": {None: (302,) * 8}, "POST": {None: (405,) * 8}},
    "complaints:list": {
        "GET": {None: (302, 200, 200, 200, 200, 200, 200, 200)},
        "POST": {None: (302, 405, 405, 405, 405, 405, 405, 405)},
    },
    "complaints:create": {
        "GET": {None: (302, 200, 200, 200, 200, 200, 403, 200)},
        "POST": {None: (302, 200, 200, 200, 200, 200, 403, 200)},
    },
    # A sensitive complaint: only the designated officer (and the superuser), never the
    # kelurahan's social worker, nor an ordinary supervisor.
    "complaints:detail": {
        "GET": {
            OWN: (302, 200, 403, 200, 200, 200, 200, 200),
            FOREIGN: (302, 403, 200, 200, 200, 200, 200, 200),
            SENSITIVE: (302, 403, 403, 403, 403, 200, 403, 200),
        },
        "POST": {
            OWN: (302, 200, 403, 200, 200, 200, 403, 200),
            FOREIGN: (302, 403, 200, 200, 200, 200, 403, 200),
            SENSITIVE: (302, 403, 403, 403, 403, 200, 403, 200),
        },
    },
    # Attachments are personal data: not opened by the head of office.
    "complaints:attachment": {
        "GET": {
            OWN: (302, 200, 403, 200, 200, 200, 403, 200),
            FOREIGN: (302, 403, 200, 200, 200, 200, 403, 200),
            SENSITIVE: (302, 403, 403, 403, 403, 200, 403, 200),
        },
        "POST": {side: (302,) + (405,) * 7 for side in (OWN, FOREIGN, SENSITIVE)},
    },
}


def portal_urls():
    return [
        (route, name)
        for route, name in walk(get_resolver().url_patterns)
        if name and not route.startswith("admin/")
    ]


# Admin: what each role may read there, per model (staff, supervisor, head of office); the
# superuser reads all.
ADMIN_ROLES = ("staff", "supervisor", "kepala")
ADMIN_READS = {
    "auth.group": (False, False, False),
    "auth.user": (False, False, False),
    "axes.accessattempt": (False, False, False),
    "axes.accesslog": (False, False, False),
    "axes.accessfailurelog": (False, False, False),
    "participants.kecamatan": (True, True, True),
    "participants.kelurahan": (True, True, True),
    "participants.kelurahanassignment": (False, True, True),
    "participants.program": (True, True, True),
    "participants.participant": (True, True, True),
    "participants.participantgroup": (True, True, True),
    "participants.membership": (True, True, True),
    "participants.householdrank": (True, True, True),
    "participants.dtsenlist": (True, True, True),
    "participants.dtsensetting": (True, True, True),
    "participants.candidate": (True, True, True),
    "participants.eligibilityexception": (True, True, True),
    "participants.proposalbatch": (True, True, True),
    "metro_slum.exportrecord": (True, True, True),
    "metro_slum.offlinesubmission": (True, True, True),
    "assessments.needsassessment": (True, True, True),
    "assessments.actionplan": (True, True, True),
    "grants.grant": (True, True, True),
    "grants.disbursement": (True, True, True),
    "families.followup": (True, True, True),
    "families.aidkind": (True, True, True),
    "families.povertyline": (True, True, True),
    "families.aid": (True, True, True),
    "families.measurement": (True, True, True),
    "complaints.complaint": (True, True, True),
    "complaints.complaintdeadline": (False, True, True),
    "participants.message": (True, True, False),
    "participants.rw": (True, True, True),
    "participants.rt": (True, True, True),
    "slums.survey": (True, True, True),
    "slums.guideline": (True, True, True),
    "slums.criterion": (True, True, True),
    "slums.work": (True, True, True),
    "slums.target": (True, True, True),
    "slums.boundary": (True, True, True),
    "slums.kawasan": (True, True, True),
    "slums.locationassessment": (True, True, True),
    "django_tasks_database.dbtaskresult": (False, False, False),
}
