import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from families.models import Aid, AidKind, FollowUp, MemberMeasurement
from metro_slum.forms import ChooseLabels
from metro_slum.widgets import DateInput, RupiahInput
from participants import ranks

# A referral usually takes a few weeks; the worker changes the date where it takes longer.
DEFAULT_DAYS_TO_SETTLE = 30
EVIDENCE_ACCEPT = ".pdf,.jpg,.jpeg,.png"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files chosen at once (a photo of the card and the letter)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": EVIDENCE_ACCEPT, "multiple": True})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class FollowUpForm(ChooseLabels, forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ("problem", *FollowUp.CORRECTABLE_FIELDS)
        widgets = {
            "need": forms.Textarea(attrs={"rows": 2}),
            "due_date": DateInput(),
            "scope": forms.RadioSelect,
        }

    def __init__(self, *args, group, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault(
            "due_date", timezone.localdate() + datetime.timedelta(days=DEFAULT_DAYS_TO_SETTLE)
        )
        super().__init__(*args, **kwargs)
        problems = self.fields["problem"]
        problems.queryset = problems.queryset.filter(assessment__group=group).order_by("rank")
        problems.required = False
        problems.label_from_instance = lambda p: f"{p.rank}. {p.description[:80]}"
        # Taken from the problem when one is chosen.
        self.fields["category"].required = False
        people = self.fields["participant"]
        people.queryset = people.queryset.filter(memberships__group=group).order_by("full_name")
        people.required = False
        people.help_text = _("For one member or a household: the member concerned.")
        self.fields["scope"].choices = FollowUp.Scope.choices

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("category"):
            if cleaned.get("problem") is not None:
                cleaned["category"] = cleaned["problem"].category
            else:
                self.add_error(
                    "category", _("Choose the category, or the problem of the assessment.")
                )
        return cleaned


class StepForm(forms.Form):
    """One change of a follow-up: the step, the day it happened, a note and the evidence."""

    step = forms.ChoiceField(label=_("New status"), widget=forms.RadioSelect)
    on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    referred_to = forms.CharField(
        label=_("Referred to"),
        required=False,
        max_length=200,
        help_text=_("The office or agency, e.g. Disdukcapil Kota Metro, Puskesmas Yosomulyo."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    files = MultipleFileField(
        label=_("Evidence (PDF, JPG or PNG)"),
        required=False,
        help_text=_("Needed to mark it resolved: a photo of the card, the document, a letter."),
    )

    def __init__(self, *args, steps, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [(step.name, step.label) for step in steps]


class EvidenceForm(forms.Form):
    files = MultipleFileField(label=_("Add evidence (PDF, JPG or PNG)"))


class AidForm(ChooseLabels, forms.ModelForm):
    confirm_double = forms.BooleanField(
        label=_("Save anyway: this is really a second aid"), required=False
    )

    class Meta:
        model = Aid
        fields = ("kind", "source", "received_on", "value", "quantity", "note")
        widgets = {"received_on": DateInput(), "value": RupiahInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = AidKind.objects.filter(is_active=True)
        self.fields["kind"].queryset = kinds
        units = ", ".join(f"{k.name}: {k.in_kind_unit}" for k in kinds if k.in_kind_unit)
        self.fields["quantity"].help_text = _("For aid in kind (%(units)s).") % {"units": units}
        self.fields["value"].help_text = _("In rupiah, if known (needed for aid in money).")


class MeasurementForm(forms.Form):
    measured_on = forms.DateField(
        label=_("Measured on"), widget=DateInput(), initial=timezone.localdate
    )
    business_running = forms.TypedChoiceField(
        label=_("Is the group's business running?"),
        choices=[("1", _("Yes, running")), ("0", _("No, stopped"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class MemberRowForm(forms.ModelForm):
    class Meta:
        model = MemberMeasurement
        fields = ("monthly_income", "household_size", "active", "household_change")
        widgets = {"monthly_income": RupiahInput()}


MemberRows = forms.formset_factory(MemberRowForm, extra=0)


def member_rows(rows, data=None):
    """One row per member measured, filled with the last values recorded."""
    formset = MemberRows(
        data,
        prefix="anggota",
        initial=[{k: v for k, v in row.items() if k != "participant"} for row in rows],
    )
    latest = ranks.latest_ranks(row["participant"].kk_number for row in rows)
    for form, row in zip(formset.forms, rows, strict=False):
        form.person = row["participant"]
        # Shown, never typed: the measurement records the reading as of the day measured.
        form.reading = latest.get(form.person.kk_number)
    return formset
