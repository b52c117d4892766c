"""WCAG 2.1 A/AA, measured by axe-core in Chromium, on every page each role reaches.

The pages are the ones of the URL × role matrix (tests/roles.py): every portal URL a role may
open, and in admin every list, add, change and history page of each model the role may read, plus
the import pages and the index, and every group page of a worker's kelurahan at its own stage.
Each portal page is opened at 360 px (a phone) and at 1280 px (a desk); each admin page at
1280 px, and at 360 px one page of each kind of admin view (index, list, add, change, history,
import) per role: Django admin's markup is the same at every width, only its stylesheet changes.
Of the history pages (one view and template for every model) one per role is opened; a page a
role is shown in the same markup as a role swept before it (superuser, staff, supervisor, head of
office) is checked in that role's sweep; admin lists show five rows (every row is the same markup).
Any violation fails the test with the rule, the page and the element. At 360 px every portal
control must also be a finger wide and tall (44 × 44 px) unless it is a word inside running text.

One test per role and width, so that the workers share the sweep; the demo world they read is
built once per worker (the pages are only read) and emptied when the module ends.
"""

import os
import re
import threading
import time
from collections import defaultdict
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.contrib import admin
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import resolve, reverse
from django.utils import translation
from pytest_django.live_server_helper import LiveServer

from participants.selectors import groups_for_user
from tests.conftest import put_back_reference_data
from tests.roles import ADMIN_READS, ADMIN_ROLES, KWARGS, OWN, TABLE, build_world, portal_urls

# Each test reads the world below in a transaction of its own, rolled back after it.
pytestmark = pytest.mark.django_db

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
    "manifest",  # the installable app's manifest (JSON)
    "service_worker",  # the offline worker's script
    "programme:offline_status",  # what waits on the phone, for the offline script (JSON)
    "programme:offline_pages",  # the pages a phone keeps (JSON)
    "slums:photo",  # a survey's photo: a download
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


# Two rules need what axe fetches again for every page before it starts (its "preload": every
# stylesheet, every audio and video), half of its time on a small page: css-orientation-lock
# (1.3.4 Orientation, which axe counts as experimental and leaves out of a run by tags, so it is
# asked for by name) fails only an element a stylesheet turns inside an @media (orientation) rule,
# no-autoplay-audio only an audio or video element. On a page with neither such a rule in any
# stylesheet nor such an element they cannot fail and do not run; elsewhere, and wherever a
# stylesheet cannot be read, both run.
NOTHING_TO_PRELOAD = """() => {
    if (document.querySelector("audio, video")) return false;
    for (const sheet of document.styleSheets) {
        let rules;
        try { rules = sheet.cssRules; } catch (error) { return false; }
        for (const rule of rules) if (rule.cssText.includes("orientation")) return false;
    }
    return true;
}"""


def violations_on(page):
    # Violations only: the passes of a long admin list would be carried back for nothing.
    options = {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}
    if page.evaluate(NOTHING_TO_PRELOAD):
        options.update(preload=False, rules={"no-autoplay-audio": {"enabled": False}})
    else:
        options["rules"] = {"css-orientation-lock": {"enabled": True}}
    response = page.evaluate("options => axe.run(document, options)", options)
    found = []
    for violation in response["violations"]:
        for node in violation["nodes"]:
            found.append((violation["id"], node["target"][0] if node["target"] else "", node))
    return found


@pytest.fixture(autouse=True)
def reference_data():
    """This module's tests only read: the world below is built once, not emptied after each."""


@pytest.fixture(autouse=True)
def _media_root():
    """The world's files stay where the module put them (see `world`)."""


class ShorterLists:
    """Admin lists of a few rows while the sweep runs: every row of a list is the same markup,
    and axe's time grows with the rows (its contrast check reads every cell)."""

    ROWS = 5

    def __init__(self):
        self.kept = {}
        for model_admin in admin.site._registry.values():
            self.kept[model_admin] = model_admin.list_per_page
            model_admin.list_per_page = self.ROWS

    def undo(self):
        for model_admin, rows in self.kept.items():
            model_admin.list_per_page = rows


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The URL × role matrix's world, committed once for the module, with a live server of its
    own (pytest-django's would empty the database after every test); emptied at the end, down
    to what migrations create."""
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("swept-media")),
        translation.override("id"),
    ):
        put_back_reference_data()
        people, records = build_world()
        WORLD["records"] = records
        WORLD["role"] = {user.pk: role for role, user in people.items() if user is not None}
        shorter_lists = ShorterLists()
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        cookies = {role: session_cookie(user, server.url) for role, user in people.items() if user}
        try:
            yield people, server.url, cookies
        finally:
            server._live_server_modified_settings.disable()
            stop_when_answered(server)
            shorter_lists.undo()
            call_command("flush", interactive=False, verbosity=0)
            put_back_reference_data()


def stop_when_answered(server):
    """Stop the module's server once the requests it was still answering (a page's last file,
    asked for as its tab closed) have ended: each closes the in-memory SQLite connection it
    shares with the tests, which it may do only while the server still shares it."""
    server.thread.terminate()
    ends = time.monotonic() + 10
    while time.monotonic() < ends and any(
        thread.name.endswith("(process_request_thread)") for thread in threading.enumerate()
    ):
        time.sleep(0.05)
    for connection in server.thread.connections_override.values():
        connection.dec_thread_sharing()


ADMIN_KINDS = ("index", "changelist", "add", "change", "history", "import")


def one_of_each_kind(urls):
    """The first admin page of each kind of view, for the 360 px pass."""
    kept = {}
    for url in urls:
        name = resolve(url).url_name
        kind = next((k for k in ADMIN_KINDS[1:] if name.endswith(f"_{k}")), "index")
        kept.setdefault(kind, url)
    return list(kept.values())


# A role's admin page that another role, earlier here, is shown in the very same markup is checked
# once, in the earlier role's sweep: the same markup is the same page to axe.
ADMIN_ORDER = ("superuser", "staff", "supervisor", "kepala")
MARKUP = {}


def markup(people, role, url):
    """The page's HTML as the role gets it, without what differs on every request or user."""
    if (role, url) not in MARKUP:
        client = Client()
        client.force_login(people[role])
        html = client.get(url).content.decode()
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
        html = re.sub(
            r'(<div id="user-tools">.*?<strong>).*?(</strong>)', r"\1\2", html, flags=re.S
        )
        MARKUP[(role, url)] = html
    return MARKUP[(role, url)]


def shown_to_an_earlier_role(people, role, url):
    if role not in ADMIN_ORDER:
        return False
    own = markup(people, role, url)
    for earlier in ADMIN_ORDER[: ADMIN_ORDER.index(role)]:
        if url in admin_urls_of(people[earlier]) and markup(people, earlier, url) == own:
            return True
    return False


def admin_urls_of(user):
    if user.pk not in ADMIN_URLS:
        ADMIN_URLS[user.pk] = set(admin_pages(user))
    return ADMIN_URLS[user.pk]


ADMIN_URLS = {}


def one_history_page(urls):
    """Every model's history is the same view and template (simple-history's): one is checked."""
    histories = [url for url in urls if url.endswith("/history/")]
    return [url for url in urls if url not in histories[1:]]


@pytest.mark.long
@pytest.mark.parametrize("width", (360, 1280))
@pytest.mark.parametrize("role", SWEPT_ROLES)
def test_every_page_each_role_reaches_meets_wcag_21_aa(chromium, world, role, width):
    people, server_url, cookies = world
    user = people[role]
    urls = list(portal_pages(role))
    if role == "worker":
        urls += list(stage_pages(user))
    urls = list(dict.fromkeys(urls))
    if user is not None:
        in_admin = one_history_page(list(dict.fromkeys(admin_pages(user))))
        in_admin = [url for url in in_admin if not shown_to_an_earlier_role(people, role, url)]
        urls += one_of_each_kind(in_admin) if width == 360 else in_admin
    axe = Axe()
    report = defaultdict(set)
    small = defaultdict(set)
    not_pages = []
    context = chromium.new_context(
        viewport={"width": width, "height": 740 if width == 360 else 800}, locale="id-ID"
    )
    if user is not None:
        context.add_cookies([cookies[role]])
    # axe-core loaded with each page as the context opens it, not sent again page after page.
    context.add_init_script(axe.axe_script)
    page = context.new_page()
    page.set_default_timeout(15_000)
    for url in urls:
        response = page.goto(server_url + url)
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            not_pages.append(url)
            continue
        if width == 360 and not url.startswith("/admin/"):
            for target in page.evaluate(SMALL_TARGETS):
                small[url.split("?")[0]].add((role, target["what"], target["height"]))
        for rule, target, node in violations_on(page):
            report[(rule, url.split("?")[0])].add(
                (role, width, target, node.get("failureSummary", "")[:160])
            )
    context.close()
    if os.environ.get("AXE_REPORT"):
        with open(f"{os.environ['AXE_REPORT']}.{role}.{width}", "w") as out:
            out.write(f"pages checked: {len(urls) - len(not_pages)}\n")
            for (rule, url), where in sorted(report.items()):
                out.write(f"{rule} {url}\n")
                for who, wide, target, summary in sorted(where)[:6]:
                    out.write(f"    {who} {wide} {target} :: {summary!r}\n")
            for url, where in sorted(small.items()):
                out.write(f"{url}\n" + "".join(f"    {item}\n" for item in sorted(where)[:8]))
    # Every page of the list was a page (files are left out above), and there were pages.
    assert not_pages == [] and len(urls) >= MINIMUM_PAGES[role], (not_pages, len(urls))
    assert not report, "\n".join(f"{rule} on {url}" for rule, url in sorted(report))
    assert not small, {url: sorted(where)[:3] for url, where in small.items()}


# At the least (each role's sweep lists more): a sweep that finds fewer has lost its pages.
MINIMUM_PAGES = {"anonymous": 4, "worker": 40, "staff": 20, "supervisor": 20, "kepala": 20}
MINIMUM_PAGES["superuser"] = 20


LOCKED_TO_PORTRAIT = """<!doctype html><html lang="id"><head><title>Uji</title><style>
@media screen and (orientation: landscape) { main { transform: rotate(90deg); } }
</style></head><body><main><h1>Uji</h1><p>Halaman yang terkunci tegak.</p></main></body></html>"""


def test_a_page_locked_to_one_orientation_is_still_caught(chromium):
    """The preloading rules are left out only where they cannot fail: a stylesheet with an
    @media (orientation) rule brings them back, and axe reports the lock."""
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_content(LOCKED_TO_PORTRAIT)
    page.add_script_tag(content=Axe().axe_script)
    locked = page.evaluate(NOTHING_TO_PRELOAD)
    found = {rule for rule, _target, _node in violations_on(page)}
    page.set_content(LOCKED_TO_PORTRAIT.replace("orientation: landscape", "min-width: 1px"))
    page.add_script_tag(content=Axe().axe_script)
    free = page.evaluate(NOTHING_TO_PRELOAD)
    context.close()
    assert (locked, free) == (False, True)
    assert "css-orientation-lock" in found
