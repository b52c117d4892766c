"""DTSEN in admin: the households' ranks (a reading added one by one, or a whole DTSEN list
imported), the lists imported, and the residents they name who are not in the programme."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportMixin
from import_export.forms import ConfirmImportForm, ImportForm
from solo.admin import SingletonModelAdmin

from metro_slum.admin import ReadOnlyAdminMixin
from metro_slum.roles import may_see_full_numbers
from metro_slum.spreadsheets.admin_import import ProjectImportMixin
from participants import eligibility, proposals, ranks
from participants.admin.common import IdentityNumbersGuard
from participants.history import HistoryAdmin
from participants.identity import mask
from participants.models import (
    Candidate,
    DtsenList,
    EligibilityException,
    HouseholdRank,
    Proposal,
    ProposalBatch,
)
from participants.models.office import DtsenSetting, dtsen_setting
from participants.models.proposals import CORRECTABLE_FIELDS, VERIFICATION_QUESTIONS
from participants.models.ranks import HIGHEST_DESIL, LOWEST_DESIL, validate_not_future
from participants.proposals import proposal_outcome
from participants.resources import DtsenListResource
from participants.spreadsheet.template import dtsen_template


class HouseholdRankForm(forms.ModelForm):
    class Meta:
        model = HouseholdRank
        fields = ("kk_number", "in_dtsen", "desil", "as_of", "dtsen_id", "source", "note")


class DtsenListFields(forms.Form):
    """What the office says of a list it imports: its own date and the desil it holds."""

    as_of = forms.DateField(
        label=_("Data as of"),
        validators=[validate_not_future],
        help_text=_(
            "The list's own date (its 'data per' date): every rank in it is read as of it."
        ),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    desil_from = forms.IntegerField(
        label=_("Lowest desil in the list"), min_value=LOWEST_DESIL, max_value=HIGHEST_DESIL,
        initial=LOWEST_DESIL,
    )  # fmt: skip
    desil_to = forms.IntegerField(
        label=_("Highest desil in the list"), min_value=LOWEST_DESIL, max_value=HIGHEST_DESIL,
        initial=HIGHEST_DESIL,
        help_text=_("A list of desil 1–5 says nothing of a household it does not hold."),
    )  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("desil_from"), cleaned.get("desil_to")
        if low is not None and high is not None and low > high:
            self.add_error("desil_to", _("The highest desil is not below the lowest."))
        return cleaned


class DtsenImportForm(DtsenListFields, ImportForm):
    pass


class DtsenConfirmForm(DtsenListFields, ConfirmImportForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in DtsenListFields.base_fields:
            self.fields[name].widget = forms.HiddenInput()


@admin.register(HouseholdRank)
class HouseholdRankAdmin(
    IdentityNumbersGuard, ProjectImportMixin, ImportMixin, HistoryAdmin, admin.ModelAdmin
):
    """Readings are kept, never changed: a new reading is added (here, or by a DTSEN list)."""

    list_display = ("kk_number", "standing_display", "as_of", "period", "source", "recorded")
    list_filter = ("source", ("as_of", admin.DateFieldListFilter), "in_dtsen")
    date_hierarchy = "as_of"
    search_fields = ("=kk_number", "dtsen_id")
    identity_search_fields = ("kk_number",)
    form = HouseholdRankForm
    fields = HouseholdRankForm.Meta.fields
    list_per_page = 50
    show_full_result_count = False

    resource_classes = (DtsenListResource,)
    import_url_name = "admin:participants_householdrank_import"
    done_url_name = "admin:participants_candidate_changelist"
    import_template_name = "admin/participants/householdrank/import.html"
    import_name = "participants_dtsen"
    template_file_name = "templat_dtsen.xlsx"
    errors_file_name = "kesalahan_impor_dtsen.xlsx"
    import_form_class = DtsenImportForm
    confirm_form_class = DtsenConfirmForm

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            for name in DtsenListFields.base_fields:
                initial[name] = import_form.cleaned_data[name]
        return initial

    def get_import_data_kwargs(self, **kwargs):
        form = kwargs.get("form")
        kwargs = super().get_import_data_kwargs(**kwargs)
        if form is not None and hasattr(form, "cleaned_data"):
            kwargs.update({name: form.cleaned_data[name] for name in DtsenListFields.base_fields})
        return kwargs

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recorded_by")

    def has_import_permission(self, request):
        # Rows name people by NIK: only for those who may see NIKs.
        return request.user.has_perm("participants.add_householdrank") and may_see_full_numbers(
            request.user
        )

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def import_template(self) -> bytes:
        return dtsen_template()

    def finished_message(self, outcome) -> str:
        return _(
            "DTSEN list imported: %(ranks_recorded)d household ranks recorded (%(ranks_unchanged)d "
            "already recorded), %(matched_by_nik)d participants found by NIK, %(matched_by_kk)d "
            "households by No. KK, %(candidates)d residents listed as candidates."
        ) % vars(outcome)

    def save_model(self, request, obj, form, change):
        # Checked and recorded like every reading (participants.ranks).
        saved = ranks.rank_record(
            kk_number=obj.kk_number,
            as_of=obj.as_of,
            source=obj.source,
            by=request.user,
            desil=obj.desil,
            in_dtsen=obj.in_dtsen,
            dtsen_id=obj.dtsen_id,
            note=obj.note,
        )
        obj.pk = saved.pk

    def get_list_display(self, request):
        if may_see_full_numbers(request.user):
            return self.list_display
        return tuple("kk_masked" if n == "kk_number" else n for n in self.list_display)

    @admin.display(description=_("family card number (No. KK)"))
    def kk_masked(self, obj):
        return mask(obj.kk_number)

    @admin.display(description=_("DTSEN rank"), ordering="desil")
    def standing_display(self, obj):
        if obj.stale:
            return format_html("{} <small>({})</small>", obj.standing, _("needs re-checking"))
        return obj.standing

    @admin.display(description=_("period"), ordering="as_of")
    def period(self, obj):
        return obj.period

    @admin.display(description=_("recorded"), ordering="recorded_at")
    def recorded(self, obj):
        by = obj.recorded_by.get_full_name() or obj.recorded_by.username if obj.recorded_by else ""
        return format_html("{}<br><small>{}</small>", f"{obj.recorded_at:%d/%m/%Y}", by)


@admin.register(DtsenList)
class DtsenListAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "imported_at", "file_name", "as_of", "scope", "rows", "ranks_recorded", "matched_by_nik",
        "matched_by_kk", "candidates", "imported_by",
    )  # fmt: skip
    list_select_related = ("imported_by",)

    @admin.display(description=_("scope"))
    def scope(self, obj):
        return obj.scope


@admin.register(Candidate)
class CandidateAdmin(IdentityNumbersGuard, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Who a DTSEN list names as poor in a kelurahan but is not in the programme, poorest first;
    registered from the portal in one step."""

    list_display = ("full_name", "nik", "place", "rank", "register")
    list_filter = (("kelurahan", admin.RelatedOnlyFieldListFilter), "listed_as_of")
    search_fields = ("full_name", "=nik")
    identity_search_fields = ("nik",)
    list_per_page = 50

    def get_list_display(self, request):
        shown = tuple(
            "nik_masked" if n == "nik" and not may_see_full_numbers(request.user) else n
            for n in self.list_display
        )
        if not request.user.has_perm("participants.add_participant"):
            shown = tuple(n for n in shown if n != "register")
        return shown

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .unregistered()
            .select_related("kelurahan")
            .annotate(**ranks.rank_columns())
            .order_by("kelurahan__name", "rank_desil", "full_name", "pk")
        )

    @admin.display(description=_("NIK"))
    def nik_masked(self, obj):
        return mask(obj.nik)

    @admin.display(description=_("address"), ordering="kelurahan__name")
    def place(self, obj):
        rt_rw = f"RT {obj.rt}/RW {obj.rw}" if obj.rt or obj.rw else ""
        return format_html("{}<br><small>{} {}</small>", obj.address, rt_rw, obj.kelurahan.name)

    @admin.display(description=_("DTSEN"), ordering="rank_desil")
    def rank(self, obj):
        return ranks.summary(obj.rank_in_dtsen, obj.rank_desil, obj.rank_as_of)

    @admin.display(description=_("register"))
    def register(self, obj):
        return format_html(
            '<a href="{}?calon={}">{}</a>',
            reverse("participants:participant_create"),
            obj.pk,
            _("Register"),
        )


@admin.register(EligibilityException)
class EligibilityExceptionAdmin(HistoryAdmin, admin.ModelAdmin):
    """A supervisor's written decision that a person may join although the rule says no."""

    list_display = ("participant", "program", "reason_short", "granted_by", "granted_at")
    list_filter = ("program",)
    list_select_related = ("participant", "program", "granted_by")
    search_fields = ("participant__full_name", "reason")
    autocomplete_fields = ("participant",)
    fields = ("program", "participant", "reason")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        saved = eligibility.exception_grant(
            program=obj.program, participant=obj.participant, reason=obj.reason, by=request.user
        )
        obj.pk = saved.pk

    @admin.display(description=_("reason"))
    def reason_short(self, obj):
        return obj.reason if len(obj.reason) <= 80 else obj.reason[:79] + "…"


# The office's pre-screen as form fields of their own, declared so that the admin shows them.
PreScreenFields = type(
    "PreScreenFields",
    (forms.Form,),
    {
        f"verify_{key}": forms.NullBooleanField(
            label=format_lazy("{}: {}", _("Pre-screen"), label),
            required=False,
            widget=forms.NullBooleanSelect(),
        )
        for key, label in VERIFICATION_QUESTIONS
    },
)


# A correction's fields: which data DTSEN has wrong, and each as DTSEN has it.
CorrectionFields = type(
    "CorrectionFields",
    (forms.Form,),
    {
        "corrected": forms.MultipleChoiceField(
            label=_("Correction: data DTSEN has wrong"),
            choices=CORRECTABLE_FIELDS,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text=_("The right value is the one above (the register's, for a participant)."),
        ),
        **{
            f"dtsen_{name}": forms.CharField(
                label=format_lazy("{}: {}", _("As DTSEN has it"), label),
                max_length=255,
                required=False,
            )
            for name, label in CORRECTABLE_FIELDS
        },
    },
)


class ProposalForm(CorrectionFields, PreScreenFields, forms.ModelForm):
    """One proposal: a data change (new family, correction, removal with its reason), the
    office's pre-screen as yes/no questions (its own, not an official instrument); a
    participant's identity is taken from the register (participants.proposals)."""

    class Meta:
        model = Proposal
        fields = (
            "participant", "kind", "nik", "kk_number", "full_name", "address", "rt", "rw",
            "removal_reason", "reason",
        )  # fmt: skip
        widgets = {"reason": forms.Textarea(attrs={"rows": 2, "cols": 40})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("nik", "kk_number", "full_name", "address", "rt", "rw"):
            if name in self.fields:
                self.fields[name].required = False
                self.fields[name].help_text = _("Left empty: taken from the participant.")
        for key, _label in VERIFICATION_QUESTIONS:
            self.fields[f"verify_{key}"].initial = (self.instance.verification or {}).get(key)
        changes = self.instance.changes or {}
        self.fields["corrected"].initial = list(changes)
        for name, _label in CORRECTABLE_FIELDS:
            self.fields[f"dtsen_{name}"].initial = (changes.get(name) or {}).get("old", "")

    def clean(self):
        cleaned = super().clean()
        person = cleaned.get("participant")
        if person is not None:
            for name in ("nik", "kk_number", "full_name", "address", "rt", "rw"):
                if not cleaned.get(name):
                    cleaned[name] = getattr(person, name)
                    setattr(self.instance, name, cleaned[name])
        self.instance.verification = {
            key: cleaned.get(f"verify_{key}")
            for key, _label in VERIFICATION_QUESTIONS
            if cleaned.get(f"verify_{key}") is not None
        }
        self.instance.changes = {
            name: {"old": cleaned.get(f"dtsen_{name}", "")} for name in cleaned.get("corrected", ())
        }
        return cleaned


class ProposalInline(admin.StackedInline):
    model = Proposal
    form = ProposalForm
    extra = 0
    autocomplete_fields = ("participant",)
    readonly_fields = ("status", "outcome")
    # The form's own fields (the pre-screen's questions, a correction's fields) have no reading
    # of their own: a batch no longer open shows them as the answers and the changes instead.
    FORM_ONLY = (*PreScreenFields.base_fields, *CorrectionFields.base_fields)

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if self._draft(obj):
            return fields
        shown = [name for name in fields if name not in self.FORM_ONLY]
        return [*shown, *(name for name in ("corrections", "pre_screen") if name not in shown)]

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        return readonly if self._draft(obj) else (*readonly, "corrections", "pre_screen")

    @admin.display(description=_("outcome"))
    def outcome(self, obj):
        return proposal_outcome(obj)

    @admin.display(description=_("data corrected"))
    def corrections(self, obj):
        return proposals.change_words(obj) or "–"

    @admin.display(description=_("the office's pre-screen"))
    def pre_screen(self, obj):
        return proposals.verification_words(obj) or "–"

    def _draft(self, obj) -> bool:
        return obj is None or obj.status == ProposalBatch.Status.DRAFT

    def has_add_permission(self, request, obj=None):
        return self._draft(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._draft(obj) and super().has_delete_permission(request, obj)


@admin.register(ProposalBatch)
class ProposalBatchAdmin(HistoryAdmin, admin.ModelAdmin):
    """A kelurahan's proposals to DTSEN: prepared after its musyawarah (or under an SPTJM),
    printed (BNBA list, minutes or SPTJM, letter), sent through the office's steps, and read back
    from the DTSEN lists that follow."""

    list_display = (
        "kelurahan", "deliberated_on", "basis", "status", "proposal_count", "sent_on",
        "documents",
    )  # fmt: skip
    list_filter = ("status", "basis", ("kelurahan", admin.RelatedOnlyFieldListFilter))
    fieldsets = (
        (None, {"fields": ("kelurahan", "basis", "deliberated_on")}),
        (_("Musyawarah kelurahan"), {"fields": ("place", "chaired_by", "attendance")}),
        (
            _("Statement of responsibility (SPTJM)"),
            {"fields": ("sptjm_signed_by", "sptjm_position")},
        ),
        (_("Steps"), {"fields": ("steps", "status", "sent_on", "documents")}),
    )
    readonly_fields = ("steps", "status", "sent_on", "documents")
    inlines = (ProposalInline,)
    actions = ("send",)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("kelurahan")
            .annotate(proposal_total=Count("proposals"))
        )

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status != ProposalBatch.Status.DRAFT:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if obj.pk is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        # Every proposal through the one service that checks it.
        with transaction.atomic():
            instances = formset.save(commit=False)
            for gone in formset.deleted_objects:
                gone.delete()
            for proposal in instances:
                proposal.batch = form.instance
                proposals.proposal_save(proposal=proposal, by=request.user)

    @admin.display(description=_("proposals"), ordering="proposal_total")
    def proposal_count(self, obj):
        return obj.proposal_total

    @admin.display(description=_("documents"))
    def documents(self, obj):
        if obj.pk is None:
            return "–"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("participants:proposal_bnba", args=[obj.pk]),
            _("BNBA list (XLSX)"),
            reverse("participants:proposal_minutes", args=[obj.pk]),
            _("SPTJM") if obj.basis == ProposalBatch.Basis.SPTJM else _("minutes"),
            reverse("participants:proposal_letter", args=[obj.pk]),
            _("letter for the mayor") if dtsen_setting().mayor_submits else _("cover letter"),
        )

    @admin.display(description=_("steps"))
    def steps(self, obj):
        basis = (
            ProposalBatch.Basis(obj.basis).label if obj is not None and obj.basis else _("basis")
        )
        return format_html(
            "<ol>{}</ol>",
            format_html_join(
                "", "<li>{}</li>", ((step,) for step in dtsen_setting().steps(basis_label=basis))
            ),
        )

    @admin.action(description=_("Mark as sent (entered in SIKS-NG)"), permissions=["change"])
    def send(self, request, queryset):
        for batch in queryset:
            try:
                proposals.batch_send(batch=batch, by=request.user)
            except ValidationError as error:
                self.message_user(request, f"{batch}: {' '.join(error.messages)}", messages.ERROR)
            else:
                self.message_user(request, _("%(batch)s: sent.") % {"batch": batch})


@admin.register(DtsenSetting)
class DtsenSettingAdmin(HistoryAdmin, SingletonModelAdmin):
    """The office's DTSEN cycle and the steps and signatories of its proposals: one record."""

    fieldsets = (
        (_("DTSEN readings"), {"fields": ("cycle_months", "current_cycles")}),
        (
            _("Proposals through SIKS-NG"),
            {
                "fields": (
                    "proposal_wait_lists",
                    "verifier_name",
                    "verifier_nip",
                    "head_name",
                    "head_nip",
                    "ground_check",
                    "mayor_submits",
                    "mayor_name",
                )  # fmt: skip
            },
        ),
    )
