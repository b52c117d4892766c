"""WCAG 2.1 A/AA, measured by axe-core in Chromium, on every page each role reaches.

The pages are the ones of the URL × role matrix (tests/roles.py): every portal URL a role may
open, and in admin every list, add, change and history page of each model the role may read, plus
the import pages and the index, and every group page of a worker's kelurahan at its own stage.
Each is opened at 360 px (a phone) and at 1280 px (a desk), and any violation fails the test
with the rule, the page and the element. At 360 px every portal control must also be a finger
wide and tall (44 × 44 px) unless it is a word inside running text.
"""

import os
from collections import defaultdict
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from participants.selectors import groups_for_user
from tests.roles import ADMIN_READS, ADMIN_ROLES, KWARGS, OWN, TABLE, build_world, portal_urls

pytestmark = pytest.mark.django_db(transaction=True)

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Controls smaller than a finger (44 × 44 px) at 360 px, words inside running text excepted.
SMALL_TARGETS = (Path(__file__).parent / "targets.js").read_text()
SWEPT_ROLES = ("anonymous", "worker", "staff", "supervisor", "kepala", "superuser")
# Not pages: a redirect, a health probe, files (the document and evidence views send PDFs, the
# proposal batch its BNBA list).
NOT_PAGES = {
    "set_language",
    "favicon",
    "logout",
    "health",
    "grants:document",
    "families:evidence",
    "participants:export",
    "participants:proposal_bnba",  # an XLSX download
    "complaints:attachment",  # a complaint's photo or document: a download
}
ADMIN_EXTRA = {
    "participants.participant": ("admin:participants_participant_import",),
    "families.aid": ("admin:families_aid_import",),
    "participants.householdrank": ("admin:participants_householdrank_import",),
}


def portal_pages(role):
    index = SWEPT_ROLES_IN_TABLE.index(role)
    for _route, name in portal_urls():
        if name in NOT_PAGES:
            continue
        for side, expected in TABLE[name].get("GET", {}).items():
            if side not in (None, OWN) or expected[index] != 200:
                continue
            kwargs = KWARGS[name](WORLD["records"][OWN]) if name in KWARGS else None
            yield reverse(name, kwargs=kwargs)


SWEPT_ROLES_IN_TABLE = ("anonymous", "worker", "worker_foreign", "staff", "supervisor")
SWEPT_ROLES_IN_TABLE += ("superuser", "kepala")
WORLD = {}


# Every group of the worker's kelurahan, each at its own stage: drafts that are still forms, a
# returned plan, a grant being proposed, as well as the finished ones of the table above.
GROUP_PAGES = (
    "group",
    "assessments:assessment",
    "assessments:plan",
    "grants:grant",
    "families:outcomes",
    "families:follow_up_add",
    "participants:member_add",
    "participants:group_edit",
)


def stage_pages(user):
    for group in groups_for_user(user).order_by("pk"):
        for name in GROUP_PAGES:
            key = next(iter(KWARGS[name]({"group": group})))
            yield reverse(name, kwargs={key: group.pk})


def admin_pages(user):
    if not user.is_staff:
        return
    yield reverse("admin:index")
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        if label not in ADMIN_READS:
            continue
        reads = user.is_superuser or ADMIN_READS[label][ADMIN_ROLES.index(WORLD["role"][user.pk])]
        if not reads:
            continue
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        yield reverse(f"{name}_changelist")
        if model_admin.has_add_permission(_Request(user)):
            yield reverse(f"{name}_add")
        first = model_admin.get_queryset(_Request(user)).order_by("pk").first()
        if first is not None:
            yield reverse(f"{name}_change", args=[first.pk])
            yield reverse(f"{name}_history", args=[first.pk])
        for extra in ADMIN_EXTRA.get(label, ()):
            if model_admin.has_change_permission(_Request(user)) or user.is_superuser:
                yield reverse(extra)


class _Request:
    """Enough of a request for ModelAdmin's permission and queryset hooks."""

    def __init__(self, user):
        self.user = user
        self.GET = {}


def session_cookie(user, url):
    client = Client()
    client.force_login(user)
    return {"name": settings.SESSION_COOKIE_NAME, "value": client.session.session_key, "url": url}


def violations_on(page, axe):
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
    found = []
    for violation in results.response["violations"]:
        for node in violation["nodes"]:
            found.append((violation["id"], node["target"][0] if node["target"] else "", node))
    return found


def test_every_page_each_role_reaches_meets_wcag_21_aa(chromium, live_server):
    people, records = build_world()
    WORLD["records"] = records
    WORLD["role"] = {user.pk: role for role, user in people.items() if user is not None}
    axe = Axe()
    report = defaultdict(set)
    small = defaultdict(set)
    pages_seen = 0
    for role in SWEPT_ROLES:
        user = people[role]
        urls = list(portal_pages(role))
        if role == "worker":
            urls += list(stage_pages(user))
        urls = list(dict.fromkeys(urls))
        if user is not None:
            urls += list(dict.fromkeys(admin_pages(user)))
        for width, height in ((360, 740), (1280, 800)):
            context = chromium.new_context(
                viewport={"width": width, "height": height}, locale="id-ID"
            )
            if user is not None:
                context.add_cookies([session_cookie(user, live_server.url)])
            page = context.new_page()
            page.set_default_timeout(15_000)
            for url in urls:
                response = page.goto(live_server.url + url)
                if response is None or "text/html" not in response.headers.get("content-type", ""):
                    continue
                pages_seen += 1
                if width == 360 and not url.startswith("/admin/"):
                    for target in page.evaluate(SMALL_TARGETS):
                        small[url.split("?")[0]].add((role, target["what"], target["height"]))
                for rule, target, node in violations_on(page, axe):
                    report[(rule, url.split("?")[0])].add(
                        (role, width, target, node.get("failureSummary", "")[:160])
                    )
            context.close()
    if os.environ.get("AXE_REPORT"):
        with open(os.environ["AXE_REPORT"], "w") as out:
            out.write(f"pages checked: {pages_seen}\n")
            for (rule, url), where in sorted(report.items()):
                out.write(f"{rule} {url}\n")
                for role, width, target, summary in sorted(where)[:6]:
                    out.write(f"    {role} {width} {target} :: {summary!r}\n")
        if small:
            with open(os.environ["AXE_REPORT"] + ".targets", "w") as out:
                for url, where in sorted(small.items()):
                    out.write(f"{url}\n" + "".join(f"    {item}\n" for item in sorted(where)[:8]))
    assert pages_seen > 300
    assert not report, "\n".join(f"{rule} on {url}" for rule, url in sorted(report))
    assert not small, {url: sorted(where)[:3] for url, where in small.items()}
