from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from assessments.models import ActionPlan, NeedsAssessment, Problem
from metro_slum.forms import ChooseLabels
from metro_slum.widgets import DateInput, RupiahInput
from participants.models import ParticipantGroup

BUSINESS_CHOICES = [("", "–")] + ParticipantGroup.BusinessType.choices


class VersionedForm:
    """A form mixin: the version of the record the page was opened at, sent back with it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"] = forms.IntegerField(
            required=False, min_value=1, widget=forms.HiddenInput()
        )
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version


class AssessmentForm(VersionedForm, ChooseLabels, forms.ModelForm):
    class Meta:
        model = NeedsAssessment
        fields = (
            "start_date",
            "end_date",
            "venue",
            "facilitators",
            "chosen_business",
            "chosen_business_other",
            "chosen_business_reason",
        )
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "chosen_business_reason": forms.Textarea(attrs={"rows": 2}),
        }

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        return cleaned


class ProblemForm(forms.Form):
    # The order on screen is the ranking: the rank follows it (formsets.js) and is not typed.
    rank = forms.IntegerField(
        label=_("Rank"), min_value=1, widget=forms.HiddenInput(attrs={"class": "problem-rank"})
    )
    category = forms.ChoiceField(label=_("Category"), choices=Problem.Category.choices)
    description = forms.CharField(label=_("Problem"), widget=forms.Textarea(attrs={"rows": 2}))
    votes = forms.IntegerField(label=_("Votes"), min_value=0, initial=0, required=False)


ProblemFormSet = formset_factory(ProblemForm, extra=0, can_delete=True)


class ProfileForm(forms.Form):
    membership = forms.IntegerField(widget=forms.HiddenInput)
    attended = forms.BooleanField(label=_("Present"), required=False)
    interests = forms.CharField(label=_("Interests"), max_length=300, required=False)
    skills = forms.CharField(label=_("Skills"), max_length=300, required=False)
    business_experience = forms.CharField(
        label=_("Business experience"), max_length=300, required=False
    )
    current_income = forms.DecimalField(
        label=_("Current monthly income (Rp)"),
        min_value=0,
        decimal_places=0,
        required=False,
        widget=RupiahInput(),
    )
    preferred_business = forms.ChoiceField(
        label=_("Preferred business"), choices=BUSINESS_CHOICES, required=False
    )
    willing_to_run_business = forms.BooleanField(
        label=_("Willing to run the business"), required=False
    )


ProfileFormSet = formset_factory(ProfileForm, extra=0)


class PlanForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = ActionPlan
        fields = ("goal",)
        widgets = {"goal": forms.Textarea(attrs={"rows": 3})}


class ActivityForm(forms.Form):
    description = forms.CharField(label=_("Activity"), max_length=300)
    responsible = forms.TypedChoiceField(label=_("Member responsible"), coerce=int)
    start_date = forms.DateField(label=_("Start"), widget=DateInput())
    end_date = forms.DateField(label=_("End"), widget=DateInput())

    def __init__(self, *args, member_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].choices = [("", "–"), *member_choices]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("An activity cannot end before it starts."))
        return cleaned


ActivityFormSet = formset_factory(ActivityForm, extra=1, can_delete=True)


class BudgetLineForm(forms.Form):
    item = forms.CharField(
        label=_("Item"), max_length=200, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    quantity = forms.DecimalField(
        label=_("Quantity"),
        min_value=0.01,
        max_digits=10,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "any", "class": "form-control rab-quantity"}),
    )
    unit = forms.CharField(
        label=_("Unit"), max_length=30, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    unit_price = forms.DecimalField(
        label=_("Unit price (Rp)"),
        min_value=0,
        max_digits=14,
        decimal_places=0,
        widget=forms.NumberInput(
            attrs={"step": "1", "class": "form-control rab-price", "inputmode": "numeric"}
        ),
    )


BudgetLineFormSet = formset_factory(BudgetLineForm, extra=1, can_delete=True)


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("Note for the social worker"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
