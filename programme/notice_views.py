"""A user's notices: the list (newest first, unread marked), opening one (marked read, then its
page), marking all read, and how they arrive by e-mail."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from metro_slum.models import Notice, NoticeSetting
from metro_slum.notices import email_mode


class SettingForm(forms.Form):
    email_mode = forms.ChoiceField(
        label=gettext_lazy("Notices by e-mail"),
        choices=NoticeSetting.Mode.choices,
        widget=forms.RadioSelect,
    )


@login_required
@require_http_methods(["GET", "POST"])
def notices(request):
    """GET: my notices, fifty a page. POST: mark all read, or save how they arrive by e-mail."""
    mine = Notice.objects.filter(user=request.user)
    form = SettingForm(initial={"email_mode": email_mode(request.user)})
    if request.method == "POST":
        if request.POST.get("action") == "read-all":
            mine.filter(read_at__isnull=True).update(read_at=timezone.now())
            messages.success(request, _("All notices are marked read."))
            return redirect("programme:notices")
        form = SettingForm(request.POST)
        if form.is_valid():
            NoticeSetting.objects.update_or_create(
                user=request.user, defaults={"email_mode": form.cleaned_data["email_mode"]}
            )
            messages.success(request, _("Saved: how notices reach you by e-mail."))
            return redirect("programme:notices")
    page = Paginator(mine, 50).get_page(request.GET.get("halaman"))
    return render(
        request,
        "programme/notices.html",
        {"page": page, "form": form, "has_email": bool(request.user.email)},
    )


@login_required
@require_http_methods(["POST"])
def notice_open(request, pk):
    """Mark one of my notices read and go to its page."""
    notice = get_object_or_404(Notice, pk=pk, user=request.user)
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    if notice.url and url_has_allowed_host_and_scheme(notice.url, allowed_hosts=None):
        return redirect(notice.url)
    return redirect("programme:notices")
