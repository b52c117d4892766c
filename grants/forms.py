from django import forms
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import BudgetLine
from grants import services
from grants.models import Document, Grant, MonitoringVisit
from metro_slum.formatting import rupiah
from metro_slum.forms import ChooseLabels
from metro_slum.widgets import DateInput, RupiahInput


class GrantForm(ChooseLabels, forms.ModelForm):
    class Meta:
        model = Grant
        fields = (
            "amount_requested",
            "purpose",
            "bank_name",
            "bank_account_number",
            "bank_account_holder",
        )
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "amount_requested": RupiahInput(),
            "bank_account_number": forms.TextInput(attrs={"inputmode": "numeric"}),
        }


class DocumentForm(forms.Form):
    """One file of an upload and what it is; a row left without a file is skipped."""

    kind = forms.ChoiceField(
        label=_("What is this file?"),
        choices=[("", _("– choose –")), *Document.Kind.choices],
        required=False,
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.xlsx"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("file") and not cleaned.get("kind"):
            self.add_error("kind", _("Choose what this file is (proposal, RAB, KTP…)."))
        return cleaned


DocumentFormSet = formset_factory(DocumentForm, extra=0)


def document_rows(missing_kinds, data=None, files=None):
    """The upload rows: one per document still missing, its kind chosen, and one free row."""
    initial = [{"kind": kind} for kind in missing_kinds] + [{}]
    return DocumentFormSet(data, files, prefix="documents", initial=initial)


class SpendingLineForm(ChooseLabels, forms.Form):
    budget_line = forms.ModelChoiceField(
        label=_("RAB line"), queryset=BudgetLine.objects.none(), required=False
    )
    description = forms.CharField(label=_("What was bought"), max_length=200)
    spent_on = forms.DateField(label=_("Date"), widget=DateInput())
    actual_amount = forms.DecimalField(
        label=_("Actual amount (Rp)"),
        min_value=1,
        decimal_places=0,
        max_digits=14,
        widget=RupiahInput(),
    )
    receipt = forms.FileField(
        label=_("Receipt"),
        help_text=_("Photo or scan of the receipt: PDF, JPG or PNG."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    is_advance = forms.BooleanField(
        label=_("Bought before the money came (advance)"),
        required=False,
        help_text=_("Only for a receipt dated before the first disbursement."),
    )
    advance_reason = forms.CharField(
        label=_("Why it was bought before the money came"), max_length=300, required=False
    )

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        if plan is not None:
            self.fields["budget_line"].queryset = plan.budget_lines.all()


class MonitoringVisitForm(ChooseLabels, forms.ModelForm):
    photo_file = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png"}),
    )

    class Meta:
        model = MonitoringVisit
        fields = (
            "visit_date",
            "business_status",
            "monthly_revenue",
            "monthly_profit",
            "active_members",
            "problems",
            "follow_up",
            "next_visit_on",
        )
        widgets = {
            "visit_date": DateInput(),
            "next_visit_on": DateInput(),
            "monthly_revenue": RupiahInput(),
            "monthly_profit": RupiahInput(),
            "problems": forms.Textarea(attrs={"rows": 2}),
            "follow_up": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None and not self.is_bound:
            # A visit is usually recorded the day it happens.
            self.initial.setdefault("visit_date", timezone.localdate())


class VisitCorrectionForm(MonitoringVisitForm):
    """A visit corrected, with the version it was opened at (metro_slum.offline)."""

    photo_file = forms.FileField(
        label=_("New photo"),
        required=False,
        help_text=_("Only to replace the photo taken at the visit."),
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png"}),
    )

    class Meta(MonitoringVisitForm.Meta):
        fields = (*MonitoringVisitForm.Meta.fields, "version")
        widgets = {**MonitoringVisitForm.Meta.widgets, "version": forms.HiddenInput()}


class DecisionForm(forms.Form):
    """A supervisor's step on a grant: the note (the reason, when rejecting) and, when approving
    one grant, the amount, which may be lowered but never raised above the ceiling."""

    amount = forms.DecimalField(
        label=_("Amount approved (Rp)"),
        min_value=1,
        decimal_places=0,
        max_digits=14,
        required=False,
        widget=RupiahInput(),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )

    def __init__(self, *args, step: str, grant=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.step = step
        if step == "approve" and grant is not None:
            ceiling = grant.program.grant_ceiling_per_group
            self.fields["amount"].initial = grant.amount_requested
            self.fields["amount"].widget.attrs["max"] = int(ceiling)
            self.fields["amount"].help_text = _("At most the ceiling per group, %(ceiling)s.") % {
                "ceiling": rupiah(ceiling)
            }
        else:
            del self.fields["amount"]
        if step == "reject":
            # Required, but said by the service, where the rule lives for every caller.
            self.fields["note"].label = _("Reason for rejection (required)")
        elif step == "close":
            self.fields["note"].label = _("Closing note")
        else:
            self.fields["note"].label = _("Note (optional)")

    def take(self, grant, by):
        """Take the step on the grant with what was typed (raises the service's refusals)."""
        return services.grant_decide(
            grant=grant,
            step=self.step,
            by=by,
            note=self.cleaned_data["note"],
            amount=self.cleaned_data.get("amount"),
        )
