"""The field portal on a phone: installable (manifest, service worker), its pages kept to read
without a connection, and the queue of forms sent without one (metro_slum.offline)."""

import hashlib
import json
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from metro_slum import offline
from programme import selectors

# An answer to the phone, by what became of the form.
STATUS = {offline.SAVED: 200, offline.ALREADY: 200, offline.REFUSED: 422, offline.CONFLICT: 409}


def _login_first():
    return JsonResponse(
        {
            "state": "login",
            "message": _("Your session has ended. Log in again; what waits is then sent."),
            "login": reverse("login"),
        },
        status=401,
    )


@login_required
@require_GET
def offline_page(request):
    """Sent from this phone: what waits, what was refused or conflicts, the last 100 answers."""
    return render(request, "programme/offline.html")


@never_cache
@require_GET
def offline_status(request):
    """Who is logged in, with a fresh CSRF token: asked before the queue is sent."""
    if not request.user.is_authenticated:
        return _login_first()
    from django.middleware.csrf import get_token

    return JsonResponse(
        {
            "user": request.user.pk,
            "csrf": get_token(request),
            "keep_days": settings.OFFLINE_KEEP_DAYS,
            "now": timezone.now().isoformat(),
        }
    )


@never_cache
@require_GET
def offline_pages(request):
    """The pages this user's phone keeps (only their own kelurahan)."""
    if not request.user.is_authenticated:
        return _login_first()
    return JsonResponse(
        {"pages": selectors.offline_pages(request.user), "keep_days": settings.OFFLINE_KEEP_DAYS}
    )


@never_cache
@require_POST
def offline_send(request):
    """One form from the phone's queue, through the same action as the page it was made on."""
    if not request.user.is_authenticated:
        return _login_first()
    url = request.POST.get("offline_url", "")
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        match = None
    function = offline.ACTIONS.get(match.view_name) if match else None
    if function is None:
        return JsonResponse(
            {
                "state": offline.REFUSED,
                "message": _("This form cannot be sent from the phone's queue."),
            },
            status=400,
        )
    try:
        outcome = offline.run(request, function, url=url, **match.kwargs)
    except (PermissionDenied, Http404):
        return JsonResponse(
            {
                "state": offline.REFUSED,
                "message": _(
                    "You may no longer record this: the group is not in your kelurahan any "
                    "more, or the record is gone. Nothing was saved; ask your supervisor."
                ),
            },
            status=403,
        )
    return JsonResponse(outcome.as_json(), status=STATUS[outcome.state])


@require_GET
def manifest(request):
    """The web app manifest: the portal installed on a phone's home screen, in Indonesian."""
    with override(settings.LANGUAGE_CODE):
        name = _("Slum-area programme · Dinas Sosial Kota Metro")
        short_name = _("Slum programme")
    icons = [
        {"src": static(f"icons/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png"}
        for size in (192, 512)
    ]
    icons.append(
        {
            "src": static("icons/icon-maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        }
    )
    response = JsonResponse(
        {
            "name": name,
            "short_name": short_name,
            "lang": settings.LANGUAGE_CODE,
            "start_url": reverse("home"),
            "scope": "/",
            "display": "standalone",
            "background_color": "#f8f9fa",
            "theme_color": "#198754",
            "icons": icons,
        },
        json_dumps_params={"ensure_ascii": False},
    )
    response["Content-Type"] = "application/manifest+json"
    return response


@never_cache
@require_GET
def service_worker(request):
    """The service worker, at the site's root so that it may answer for every portal page."""
    assets = _assets()
    context = {
        "store_url": json.dumps(static("js/offline-store.js")),
        "assets": json.dumps(assets),
        "offline_page": json.dumps(reverse("programme:offline")),
        "keep_days": int(settings.OFFLINE_KEEP_DAYS),
        # A new list of files (their hashed names change with them) installs a new worker.
        "version": json.dumps(hashlib.sha256(" ".join(assets).encode()).hexdigest()[:12]),
    }
    return render(request, "programme/sw.js", context, content_type="text/javascript")


def _assets() -> list[str]:
    # sw.js's own "no connection" page takes the first (the style sheet) and the third.
    return [
        static(name)
        for name in (
            "vendor/bootstrap/bootstrap.min.css",
            "css/metro.css",
            "js/page.js",
            "js/offline-store.js",
            "js/offline.js",
            "favicon.svg",
        )
    ]
