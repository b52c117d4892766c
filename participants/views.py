from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from metro_slum.exports import export_response
from metro_slum.formatting import normalize_identity_number
from metro_slum.roles import may_see_full_numbers
from metro_slum.terbilang import date_in_words, date_long
from participants import exports, proposals, ranks, selectors, services
from participants.forms import (
    ExportForm,
    GroupForm,
    MemberAddForm,
    MembershipTermsForm,
    ParticipantForm,
    ParticipantSearchForm,
    candidate_initial,
)
from participants.identity import looks_like_identity_number
from participants.models import Membership, Proposal, ProposalBatch
from participants.models.office import dtsen_setting

PAGE_SIZE = 25
SEARCH_LIMIT = 50


def _require(user, perm):
    if not user.has_perm(perm):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def group_edit(request, pk=None):
    kelurahan = selectors.kelurahan_for_user(request.user)
    if pk is None:
        _require(request.user, "participants.add_participantgroup")
        group = None
    else:
        group = selectors.group_get_for_user(
            request.user, pk, perm="participants.change_participantgroup"
        )
    form = GroupForm(request.POST or None, instance=group, kelurahan=kelurahan)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.group_save(group=form.instance)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved: %(name)s.") % {"name": group.name})
            return redirect("group", pk=group.pk)
    return render(request, "participants/group_form.html", {"form": form, "group": group})


@login_required
@require_http_methods(["GET", "POST"])
def member_add(request, pk):
    group = selectors.group_get_for_user(request.user, pk, perm="participants.add_membership")
    eligible = selectors.participants_eligible_for(group)
    # Coming from a person's page ("add to this group"): that person is already chosen.
    chosen = request.GET.get("peserta", "")
    known = chosen.isdigit() and len(chosen) < 10 and eligible.filter(pk=chosen).exists()
    initial = {"participant": chosen} if known else None
    form = MemberAddForm(request.POST or None, eligible=eligible, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.membership_add(
                group=group,
                participant=form.cleaned_data["participant"],
                role=form.cleaned_data["role"],
                joined_on=form.cleaned_data["joined_on"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(name)s joined the group as %(role)s.")
                % {"name": membership.participant.full_name, "role": membership.get_role_display()},
            )
            return redirect("group", pk=group.pk)
    return render(request, "participants/member_add.html", {"form": form, "group": group})


@login_required
@require_POST
def member_remove(request, pk, membership_pk):
    group = selectors.group_get_for_user(request.user, pk, perm="participants.delete_membership")
    membership = get_object_or_404(
        Membership.objects.select_related("participant", "group"), pk=membership_pk, group=group
    )
    try:
        services.membership_remove(membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(name)s left the group.") % {"name": membership.participant.full_name},
        )
    return redirect("group", pk=group.pk)


def _search(queryset, term, user):
    """Exact NIK when the term is 16 digits (separators allowed), otherwise part of the name.

    Only for users who see NIKs in full: for the others a number must not find anyone, or the
    search would tell them whether a NIK they guessed is someone's.
    """
    if looks_like_identity_number(term) and may_see_full_numbers(user):
        return queryset.filter(nik=normalize_identity_number(term))
    return queryset.filter(Q(full_name__icontains=term.strip()))


@login_required
@require_http_methods(["GET", "POST"])
def participant_list(request):
    """All participants in my kelurahan; the search form posts, so a NIK never enters a URL."""
    _require(request.user, "participants.view_participant")
    memberships = Membership.objects.select_related("group").order_by("pk")
    participants = (
        selectors.participants_for_user(request.user)
        .prefetch_related(Prefetch("memberships", queryset=memberships))
        .order_by("full_name", "pk")
    )
    search = ParticipantSearchForm(request.POST or None)
    page = None
    results = None
    if search.is_bound and search.is_valid() and search.cleaned_data["q"]:
        results = list(_search(participants, search.cleaned_data["q"], request.user)[:SEARCH_LIMIT])
    elif not search.errors:
        # No search yet, or an empty one: the list itself, page by page.
        page = Paginator(participants, PAGE_SIZE).get_page(request.GET.get("halaman"))
    return render(
        request,
        "participants/participant_list.html",
        {"search": search, "page": page, "results": results, "limit": SEARCH_LIMIT},
    )


@login_required
@require_http_methods(["GET", "POST"])
def participant_edit(request, pk=None):
    kelurahan = selectors.kelurahan_for_user(request.user)
    if pk is None:
        _require(request.user, "participants.add_participant")
        participant = None
    else:
        participant = selectors.participant_get_for_user(
            request.user, pk, perm="participants.change_participant"
        )
    # Registering someone for a group: come back to that group's "add member" page afterwards.
    for_group = None
    if request.GET.get("kelompok", "").isdigit():
        for_group = selectors.group_get_for_user(
            request.user, int(request.GET["kelompok"]), perm="participants.add_membership"
        )
    initial = {"kelurahan": for_group.kelurahan_id} if for_group else {}
    # Registering a resident from the DTSEN candidate list: their identity comes from the list.
    candidate = None
    if participant is None and request.GET.get("calon", "").isdigit():
        candidate = selectors.candidate_get_for_user(request.user, int(request.GET["calon"]))
        initial.update(candidate_initial(candidate))
    form = ParticipantForm(
        request.POST or None, instance=participant, kelurahan=kelurahan, initial=initial
    )
    # Registered from a group's page: the person joins it on the same form, role and all.
    terms = (
        MembershipTermsForm(request.POST or None, prefix="kelompok")
        if for_group and participant is None
        else None
    )
    if request.method == "POST" and form.is_valid() and (terms is None or terms.is_valid()):
        try:
            with transaction.atomic():  # registered and in the group, or neither
                saved = services.participant_save(participant=form.instance, by=request.user)
                membership = (
                    services.membership_add(
                        group=for_group,
                        participant=saved,
                        role=terms.cleaned_data["role"],
                        joined_on=terms.cleaned_data["joined_on"],
                    )
                    if terms
                    else None
                )
        except ValidationError as error:
            form.instance.pk = participant.pk if participant else None
            form.add_error(None, error)
        else:
            if membership:
                messages.success(
                    request,
                    _("%(name)s is registered and joined %(group)s as %(role)s.")
                    % {
                        "name": saved.full_name,
                        "group": for_group.name,
                        "role": membership.get_role_display(),
                    },
                )
                return redirect("group", pk=for_group.pk)
            messages.success(request, _("%(name)s saved.") % {"name": saved.full_name})
            if candidate is not None:
                return redirect("person", pk=saved.pk)
            if for_group:
                return redirect(
                    reverse("participants:member_add", args=[for_group.pk]) + f"?peserta={saved.pk}"
                )
            return redirect("person", pk=saved.pk)
    return render(
        request,
        "participants/participant_form.html",
        {
            "form": form,
            "participant": participant,
            "for_group": for_group,
            "terms": terms,
            "candidate": candidate,
        },
    )


@login_required
@require_http_methods(["GET"])
def candidate_list(request):
    """Residents a DTSEN list names in my kelurahan who are not in the programme, poorest
    first; each registered in one step (its identity filled from the list)."""
    candidates = selectors.candidates_for_user(request.user)
    kelurahan = selectors.kelurahan_for_user(request.user).filter(
        pk__in=candidates.values("kelurahan")
    )
    chosen = None
    if request.GET.get("kelurahan", "").isdigit():
        chosen = kelurahan.filter(pk=int(request.GET["kelurahan"])).first()
        if chosen is not None:
            candidates = candidates.filter(kelurahan=chosen)
    page = Paginator(candidates, PAGE_SIZE).get_page(request.GET.get("halaman"))
    for candidate in page:
        candidate.rank_text = ranks.summary(
            candidate.rank_in_dtsen, candidate.rank_desil, candidate.rank_as_of
        )
    return render(
        request,
        "participants/candidate_list.html",
        {"page": page, "kelurahan": kelurahan, "chosen": chosen},
    )


@login_required
@require_http_methods(["GET", "POST"])
def export(request):
    """Staff and supervisors take participant lists out as XLSX or CSV; each export is logged.

    The filters travel by GET, so the page can say how many rows the file will have before it is
    downloaded; the download itself is a POST. An empty list is refused, not downloaded.
    """
    _require(request.user, "participants.export_participants")
    form = ExportForm(request.POST if request.method == "POST" else request.GET or None)
    rows = None
    if not form.is_bound or form.is_valid():
        data = form.cleaned_data if form.is_bound else {}
        scope = exports.Scope(
            program=data.get("program"),
            kecamatan=data.get("kecamatan"),
            kelurahan=data.get("kelurahan"),
            group=data.get("group"),
        )
        rows = exports.participant_rows(scope).count()
        if request.method == "POST" and rows:
            result = exports.participants_export(
                user=request.user, scope=scope, file_format=data["file_format"] or "xlsx"
            )
            return export_response(result)
    return render(
        request,
        "participants/export.html",
        {"form": form, "rows": rows, "refused": request.method == "POST"},
    )


def _batch_for(request, pk):
    """A proposal batch of one of my kelurahan (403 for another's, 404 for none)."""
    if not request.user.has_perm("participants.view_proposalbatch"):
        raise PermissionDenied
    batch = get_object_or_404(
        ProposalBatch.objects.select_related("kelurahan__kecamatan", "created_by"), pk=pk
    )
    if not selectors.kelurahan_for_user(request.user).filter(pk=batch.kelurahan_id).exists():
        raise PermissionDenied
    return batch


@login_required
@require_http_methods(["GET"])
def proposal_bnba(request, pk):
    """The batch's by-name-by-address list for SIKS-NG, as XLSX (recorded as an export)."""
    batch = _batch_for(request, pk)
    return export_response(proposals.bnba_export(batch=batch, user=request.user))


@login_required
@require_http_methods(["GET"])
def proposal_minutes(request, pk):
    """The minutes of the musyawarah kelurahan, on A4 pages of twenty people each."""
    batch = _batch_for(request, pk)
    return render(
        request,
        "participants/proposal_minutes.html",
        {
            "batch": batch,
            "sptjm": batch.basis == ProposalBatch.Basis.SPTJM,
            "setting": dtsen_setting(),
            "pages": proposals.pages(batch),
            "count": batch.proposals.count(),
            "date_words": date_in_words(batch.deliberated_on),
            "date_long": date_long(batch.deliberated_on),
        },
    )


@login_required
@require_http_methods(["GET"])
def proposal_letter(request, pk):
    """The batch's cover letter to the ministry: the mayor's where the city submits it, else
    the head of the office's (participants.DtsenSetting)."""
    batch = _batch_for(request, pk)
    kinds = Counter(batch.proposals.values_list("kind", flat=True))
    return render(
        request,
        "participants/proposal_letter.html",
        {
            "batch": batch,
            "setting": dtsen_setting(),
            "count": sum(kinds.values()),
            "kinds": [
                (Proposal.Kind(kind).label, kinds[kind]) for kind in Proposal.Kind if kinds[kind]
            ],
            "date_long": date_long(batch.sent_on or timezone.localdate()),
            "deliberated_long": date_long(batch.deliberated_on),
        },
    )
