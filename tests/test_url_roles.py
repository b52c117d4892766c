"""Every URL of the application × every role, against a table kept here.

The URL configuration is walked, so a URL added without a row in the table fails this test. Each
URL is requested as six roles — anonymous, the social worker of Hadimulyo Barat (and Karangrejo),
the social worker of Iringmulyo and Rejomulyo, administrative staff, a supervisor, the
superuser — with the ids of real records of Hadimulyo Barat ("own") and of Iringmulyo or Rejomulyo
("foreign"). No answer may be a server error; every answer must be the one in the table. The same
for POSTs of the forms (sent empty: a wrong role is refused before anything is read).
"""

from io import StringIO

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction
from django.urls import URLResolver, get_resolver, reverse

from families import services as family_services
from families.models import Evidence, FollowUp
from grants.demo import PDF
from grants.models import Disbursement, Document, Grant
from participants.models import Kelurahan, ParticipantGroup

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "worker", "worker_foreign", "staff", "supervisor", "superuser", "kepala")
OWN, FOREIGN = "own", "foreign"


def walk(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            name = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), name)
        else:
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield prefix + str(pattern.pattern), name


@pytest.fixture
def world():
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
    records[OWN]["disbursement"] = Disbursement.objects.filter(grant__group=groups[OWN]).first()
    records[FOREIGN]["disbursement"] = Disbursement.objects.filter(
        grant__group__kelurahan__code="1872051001"
    ).first()
    return people, records


# name -> function(records of one side) -> URL kwargs
KWARGS = {
    "programme:group": lambda r: {"pk": r["group"].pk},
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
    "grants:document": lambda r: {"pk": r["document"].pk},
    "grants:handover": lambda r: {"pk": r["disbursement"].pk},
    "families:follow_up_add": lambda r: {"group_pk": r["group"].pk},
    "families:follow_up": lambda r: {"pk": r["follow_up"].pk},
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
    "participants:participant_detail": lambda r: {"pk": r["participant"].pk},
    "participants:participant_edit": lambda r: {"pk": r["participant"].pk},
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
    "health": {"GET": {None: (200,) * 7}, "POST": {None: (405,) * 7}},
    "login": {"GET": {None: (200,) + (302,) * 6}, "POST": {None: (200,) + (302,) * 6}},
    "logout": {"GET": {None: (405,) * 7}, "POST": {None: (302,) * 7}},
    "password_help": {"GET": {None: (200,) * 7}, "POST": {None: (405,) * 7}},
    "set_language": {"GET": {None: (302,) * 7}, "POST": {None: (302,) * 7}},
    "programme:home": {"GET": {None: _ALL_200}, "POST": {None: _NOT_POST}},
    "programme:work": {"GET": {None: _ALL_200}, "POST": {None: _NOT_POST}},
    "programme:dashboard": {"GET": {None: _ALL_200}, "POST": {None: _NOT_POST}},
    "programme:reports": {"GET": {None: _ALL_200}, "POST": {None: _NOT_POST}},
    "programme:report": {
        "GET": {None: _ALL_200},
        "POST": {None: (302, 403, 403, 200, 200, 200, 403)},
    },
    "programme:group": {"GET": _SCOPED, "POST": _SCOPED_NOT_POST},
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
    "participants:export": {
        "GET": {None: (302, 403, 403, 200, 200, 200, 403)},
        "POST": {None: (302, 403, 403, 200, 200, 200, 403)},
    },
    "participants:participant_create": {
        "GET": {None: (302, 200, 200, 200, 403, 200, 403)},
        "POST": {None: (302, 200, 200, 200, 403, 200, 403)},
    },
    "participants:participant_detail": {"GET": _SCOPED, "POST": _SCOPED_NOT_POST},
    "participants:participant_edit": {"GET": _REGISTRY_EDIT, "POST": _REGISTRY_EDIT},
}


def portal_urls():
    return [
        (route, name)
        for route, name in walk(get_resolver().url_patterns)
        if name and not route.startswith("admin/")
    ]


def request_as(client, people, role, method, url):
    """One request as one role, its effects rolled back so that every role meets the same data."""
    client.logout()
    if people[role] is not None:
        client.force_login(people[role])
    with transaction.atomic():
        response = client.get(url) if method == "GET" else client.post(url, {})
        transaction.set_rollback(True)
    return response.status_code


def test_every_portal_url_is_in_the_table():
    names = {name for _route, name in portal_urls()}
    assert names - set(TABLE) == set(), "add the new URL to TABLE with who may open it"
    assert set(TABLE) - names == set()


def test_every_portal_url_answers_each_role_as_the_table_says(client, world):
    people, records = world
    mismatches, checked = [], 0
    for _route, name in portal_urls():
        for method, sides in TABLE[name].items():
            for side, expected in sides.items():
                kwargs = KWARGS[name](records[side or OWN]) if name in KWARGS else None
                url = reverse(name, kwargs=kwargs)
                got = tuple(request_as(client, people, role, method, url) for role in ROLES)
                checked += len(ROLES)
                assert all(code < 500 for code in got), (name, method, side, got)
                if got != expected:
                    mismatches.append((name, method, side, expected, got))
    assert mismatches == []
    assert checked == len(ROLES) * sum(
        len(sides) for methods in TABLE.values() for sides in methods.values()
    )


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
    "participants.exportrecord": (True, True, True),
    "assessments.needsassessment": (True, True, True),
    "assessments.actionplan": (True, True, True),
    "grants.grant": (True, True, True),
    "grants.disbursement": (True, True, True),
    "families.followup": (True, True, True),
    "families.aidkind": (True, True, True),
    "families.povertyline": (True, True, True),
    "families.aid": (True, True, True),
    "families.measurement": (True, True, True),
}


def test_every_admin_page_answers_each_role_by_its_permissions(client, world):
    people, _records = world
    registry = admin.site._registry
    labels = {model._meta.label_lower for model in registry}
    assert labels == set(ADMIN_READS), "add the new admin model to ADMIN_READS"
    for model, model_admin in registry.items():
        label = model._meta.label_lower
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        first = model_admin.get_queryset(None).order_by("pk").first()
        urls = {"changelist": reverse(f"{name}_changelist"), "add": reverse(f"{name}_add")}
        if first is not None:
            urls["change"] = reverse(f"{name}_change", args=[first.pk])
            urls["history"] = reverse(f"{name}_history", args=[first.pk])
        for role in ROLES:
            user = people[role]
            for view, url in urls.items():
                status = request_as(client, people, role, "GET", url)
                assert status < 500, (label, view, role)
                if user is None or not user.is_staff:
                    assert status == 302, (label, view, role, status)
                    continue
                reads = user.is_superuser or ADMIN_READS[label][ADMIN_ROLES.index(role)]
                if view in ("changelist", "change", "history"):
                    assert (status == 200) == reads, (label, view, role, status)
                if view == "add" and not reads:
                    assert status == 403, (label, view, role, status)


def test_the_head_of_office_is_offered_no_step_and_no_export_in_admin(client, world):
    people, _records = world
    client.force_login(people["kepala"])
    for url in (
        reverse("admin:grants_grant_changelist"),
        reverse("admin:participants_participant_changelist"),
        reverse("admin:participants_participantgroup_changelist"),
    ):
        response = client.get(url)
        assert response.status_code == 200
        # No action at all: Django admin then shows no action bar.
        assert response.context["action_form"] is None, url
    client.force_login(people["supervisor"])
    response = client.get(reverse("admin:grants_grant_changelist"))
    offered = {value for value, _label in response.context["action_form"].fields["action"].choices}
    assert {"approve_selected", "reject_selected", "export_xlsx"} <= offered


def test_a_family_card_shared_across_kelurahan_shows_each_worker_only_their_side(client, world):
    """The own side's member takes the family-card number of the foreign side's member: every
    portal page about the own member, for each role that may open it, names the foreign member
    only for those who see every kelurahan."""
    people, records = world
    own, foreign = records[OWN]["participant"], records[FOREIGN]["participant"]
    type(own).objects.filter(pk=own.pk).update(kk_number=foreign.kk_number)
    for name in ("participants:participant_detail", "families:family_card"):
        url = reverse(name, kwargs=KWARGS[name](records[OWN]))
        for role in ("worker", "staff", "supervisor", "superuser", "kepala"):
            client.force_login(people[role])
            html = client.get(url).content.decode()
            assert own.full_name in html, (name, role)
            sees_all = people[role].has_perm("participants.view_all_kelurahan")
            assert (foreign.full_name in html) == sees_all, (name, role)


def test_the_head_of_office_reads_a_grants_documents_list_without_opening_a_file(client, world):
    people, records = world
    url = reverse("grants:grant", kwargs=KWARGS["grants:grant"](records[OWN]))
    document = records[OWN]["document"]
    opened = reverse("grants:document", args=[document.pk])
    client.force_login(people["kepala"])
    html = client.get(url).content.decode()
    assert document.original_name in html and opened not in html
    client.force_login(people["supervisor"])
    assert opened in client.get(url).content.decode()
