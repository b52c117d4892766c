from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from grants import selectors, services
from grants.admin.common import DisbursementColumns
from grants.models import Disbursement, Grant
from metro_slum.admin import AmountsInRupiah
from metro_slum.formatting import rupiah
from metro_slum.forms import ChooseLabels
from participants.history import HistoryAdmin
from participants.models import Membership


class DisbursementForm(ChooseLabels, forms.ModelForm):
    class Meta:
        model = Disbursement
        fields = ("grant", "date", "amount", "method", "reference_number", "received_by", "note")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if "grant" not in self.fields:
            return  # a recorded tranche is only read: its fields are shown, not edited
        self.fields["grant"].queryset = Grant.objects.filter(
            status__in=selectors.DISBURSABLE_STATUSES
        ).select_related("group")
        officers = Membership.objects.filter(
            role__in=Disbursement.RECEIVER_ROLES,
            group__grants__status__in=selectors.DISBURSABLE_STATUSES,
        ).select_related("participant", "group")
        grant = self._chosen_grant()
        if grant is not None:
            # Only this group's chair and treasurer receive its money.
            officers = officers.filter(group__grants=grant)
            money = selectors.tranche_to_record(grant, user) if user else None
            if money:
                self.fields["amount"].help_text = _(
                    "Approved %(approved)s, disbursed so far %(disbursed)s, left %(left)s."
                ) % {key: rupiah(money[key]) for key in ("approved", "disbursed", "left")}
                if not self.is_bound and not self.initial.get("amount"):
                    # What is left is the usual tranche: offered, and changed when it is less.
                    self.initial["amount"] = money["left"]
        self.fields["received_by"].queryset = officers
        self.fields["received_by"].label_from_instance = lambda m: (
            f"{m.participant.full_name} – {m.get_role_display()}, {m.group.name}"
        )

    def _chosen_grant(self):
        """The grant named by the form's data, or by ?grant= of the page that opened it."""
        value = self.data.get("grant") if self.is_bound else self.initial.get("grant")
        try:
            return self.fields["grant"].queryset.get(pk=int(str(value)))
        except (TypeError, ValueError, Grant.DoesNotExist):
            return None

    def clean(self):
        cleaned = super().clean()
        grant, amount = cleaned.get("grant"), cleaned.get("amount")
        if grant and amount and cleaned.get("received_by") and cleaned.get("date"):
            problems = services.disbursement_problems(
                grant, amount=amount, received_by=cleaned["received_by"], date=cleaned["date"]
            )
            if problems:
                raise ValidationError(problems)
        return cleaned


@admin.register(Disbursement)
class DisbursementAdmin(AmountsInRupiah, DisbursementColumns, HistoryAdmin):
    """Staff and supervisors record each tranche here; the handover minutes print from the list."""

    form = DisbursementForm
    list_display = ("reference_number", "grant", "date", "amount_display", "method", "handover")
    list_filter = ("method", ("grant__group__kelurahan", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("grant__group__kelurahan",)
    search_fields = ("reference_number", "grant__group__name")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class ForThisUser(form):
            def __init__(self, *args, **inner):
                super().__init__(*args, user=request.user, **inner)

        return ForThisUser

    def get_fields(self, request, obj=None):
        # Once recorded a tranche is read, with its amount in rupiah.
        fields = [f for f in super().get_fields(request, obj) if f != "amount_display"]
        return tuple("amount_display" if f == "amount" else f for f in fields) if obj else fields

    def get_readonly_fields(self, request, obj=None):
        return ("amount_display",) if obj else ()

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            saved = self._record(request, data)
        except ValidationError as error:
            # Checked again under the grant's lock: another tranche may have been recorded since
            # the form was checked (two clerks, or a double click). Say so; nothing was written.
            request.disbursement_refused = error
            return
        obj.pk = saved.pk

    def save_related(self, request, form, formsets, change):
        if not getattr(request, "disbursement_refused", None):
            super().save_related(request, form, formsets, change)

    def log_addition(self, request, obj, message):
        if not getattr(request, "disbursement_refused", None):
            return super().log_addition(request, obj, message)
        return None

    def response_add(self, request, obj, post_url_continue=None):
        error = getattr(request, "disbursement_refused", None)
        if error is None:
            response = super().response_add(request, obj, post_url_continue)
            if "_addanother" in request.POST or "_continue" in request.POST:
                return response
            # Back to the grant the tranche belongs to: its money and its next step are there.
            return redirect("admin:grants_grant_change", obj.grant_id)
        for message in error.messages:
            self.message_user(request, message, messages.ERROR)
        grant = request.POST.get("grant", "")
        add = reverse("admin:grants_disbursement_add")
        return redirect(f"{add}?grant={grant}" if grant.isdigit() else add)

    @staticmethod
    def _record(request, data):
        return services.disbursement_record(
            grant=data["grant"],
            by=request.user,
            date=data["date"],
            amount=data["amount"],
            method=data["method"],
            reference_number=data["reference_number"],
            received_by=data["received_by"],
            note=data["note"],
        )
