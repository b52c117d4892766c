from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints.models import Category, Complaint
from complaints.services import ATTACHMENTS_AT_MOST, CODE_LENGTH
from families.forms import MultipleFileField
from metro_slum.forms import ChooseLabels
from metro_slum.widgets import DateInput, RupiahInput
from participants.models import Kelurahan

# What a complaint says about itself, for the public page and for staff alike.
_FIELDS = ("category", "description", "kelurahan", "anonymous", "name", "phone")


class PublicComplaintForm(ChooseLabels, forms.ModelForm):
    """The public page's form: anyone may post it, so every field is checked and bounded."""

    files = MultipleFileField(
        label=_("Photos or documents (optional)"),
        required=False,
        help_text=_("At most %(count)d files: PDF, JPG or PNG, 5 MB each.")
        % {"count": ATTACHMENTS_AT_MOST},
    )
    # Left empty by people; filled by robots that fill every field.
    website = forms.CharField(required=False, label=_("Leave this empty"), max_length=100)

    class Meta:
        model = Complaint
        fields = _FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5, "maxlength": 2000}),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
        }
        labels = {"kelurahan": _("Kelurahan where it happened")}
        help_texts = {
            "phone": _("So that the office can call you back. Not shown to anyone outside it."),
            "anonymous": _(
                "Your name and number are not recorded. Keep the complaint number and check "
                "code to follow it."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kelurahan"].queryset = Kelurahan.objects.order_by("name")
        self.fields["kelurahan"].required = False
        self.fields["description"].min_length = 20
        self.fields["description"].help_text = _(
            "What happened, when, where, and who was involved (at least 20 characters)."
        )
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean_description(self):
        description = self.cleaned_data["description"].strip()
        if len(description) < 20:
            raise forms.ValidationError(
                _("Describe what happened in at least 20 characters."), code="too_short"
            )
        return description

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise forms.ValidationError(_("The form could not be sent. Please try again."))
        if not data.get("anonymous") and not (data.get("name") or "").strip():
            self.add_error("name", _("Write your name, or tick 'anonymous'."))
        return data

    def complaint_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class StaffComplaintForm(PublicComplaintForm):
    """A complaint brought to the office, told on the telephone or WhatsApp, or to a social
    worker in the field: how it came, when, and any SP4N-LAPOR ticket."""

    class Meta(PublicComplaintForm.Meta):
        fields = ("channel", "received_on", *_FIELDS, "lapor_ticket")
        widgets = {**PublicComplaintForm.Meta.widgets, "received_on": DateInput()}
        labels = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["website"]
        self.fields["channel"].choices = [
            choice
            for choice in self.fields["channel"].choices
            if choice[0] not in (Complaint.Channel.WEB, Complaint.Channel.VERIFICATION)
        ]
        self.fields["received_on"].initial = timezone.localdate
        self.fields["name"].label = _("Complainant's name")

    def complaint_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class LookupForm(forms.Form):
    """The complaint's number and check code, as printed on the receipt."""

    number = forms.CharField(
        label=_("Complaint number"),
        max_length=30,
        help_text=_("As on your receipt, e.g. ADU-2026-00012; the last digits alone will do."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    code = forms.CharField(
        label=_("Check code"),
        max_length=CODE_LENGTH + 4,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class PublicAppealForm(LookupForm):
    reason = forms.CharField(
        label=_("Why you do not accept the answer"),
        min_length=10,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class StepForm(forms.Form):
    step = forms.ChoiceField(label=_("Next step"), widget=forms.RadioSelect)
    on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    note = forms.CharField(
        label=_("Answer or note"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The complainant reads this on the public status page: write the answer, never "
            "another person's data."
        ),
    )

    def __init__(self, *args, steps, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [(step.name, step.label) for step in steps]


class AssignForm(forms.Form):
    owner = forms.ModelChoiceField(label=_("Handled by"), queryset=None)

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = officers
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.username


class FilterForm(ChooseLabels, forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("– all –")), *Complaint.Status.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("– all –")), *Category.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    late = forms.BooleanField(
        label=_("Past a deadline only"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


class VerificationAnswerForm(ChooseLabels, forms.Form):
    """One member's answer to "did the group receive the tranche whole?"."""

    answer = forms.ModelChoiceField(label=_("Member"), queryset=None)
    value = forms.ChoiceField(
        label=_("The member says the group"),
        widget=forms.RadioSelect,
        choices=[
            ("whole", _("received it whole")),
            ("less", _("received less")),
            ("not_received", _("did not receive it")),
        ],
    )
    amount = forms.DecimalField(
        label=_("Amount received (Rp), if less"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=0,
        widget=RupiahInput(),
    )
    channel = forms.ChoiceField(label=_("Asked"), choices=[])
    on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args, answers, **kwargs):
        from grants.models import VerificationAnswer

        super().__init__(*args, **kwargs)
        self.fields["answer"].queryset = answers
        self.fields["answer"].label_from_instance = lambda a: a.participant.full_name
        self.fields["channel"].choices = VerificationAnswer.Channel.choices
