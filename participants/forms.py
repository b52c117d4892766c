from django import forms
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from metro_slum.forms import ChooseLabels
from metro_slum.widgets import DateInput, RupiahInput
from participants.identity import nik_birth
from participants.models import (
    Kecamatan,
    Kelurahan,
    Membership,
    Participant,
    ParticipantGroup,
    Program,
)


class ParticipantForm(ChooseLabels, forms.ModelForm):
    class Meta:
        model = Participant
        fields = (
            "nik",
            "kk_number",
            "full_name",
            "sex",
            "birth_place",
            "birth_date",
            "address",
            "rt",
            "rw",
            "kelurahan",
            "phone",
            "messages_consent",
            "messages_stopped_on",
            "occupation",
            "monthly_income",
            "household_size",
            "legal_basis",
            "consent_given",
            "consent_date",
            "notes",
        )
        widgets = {
            "birth_date": DateInput(),
            "consent_date": DateInput(),
            "messages_stopped_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "rt": forms.TextInput(attrs={"inputmode": "numeric"}),
            "rw": forms.TextInput(attrs={"inputmode": "numeric"}),
            "phone": forms.TextInput(attrs={"inputmode": "tel"}),
            "monthly_income": RupiahInput(),
        }

    def __init__(self, *args, kelurahan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kelurahan"].queryset = kelurahan
        self.fields["kelurahan"].empty_label = _("– choose a kelurahan –")
        # Sex and birth date are read off the NIK as it is typed (page.js); both stay editable
        # and the model still checks them against it.
        self.fields["nik"].widget.attrs.update(
            {"data-nik-fills": "", "data-sex": "id_sex", "data-birth-date": "id_birth_date"}
        )
        if self.instance.pk is None:
            # Registration is usually done with the person, who consents there and then.
            self.fields["consent_date"].initial = timezone.localdate

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("consent_given"):
            # The date offered with the form means nothing without the consent itself.
            cleaned["consent_date"] = None
        return cleaned


def candidate_initial(candidate) -> dict:
    """A DTSEN candidate's identity as the registration form's first values: the NIK, the family
    card, the name and the address from the list, the sex and (if the list had none) the birth
    date read off the NIK."""
    initial = {
        "nik": candidate.nik,
        "kk_number": candidate.kk_number,
        "full_name": candidate.full_name,
        "address": candidate.address,
        "rt": candidate.rt,
        "rw": candidate.rw,
        "kelurahan": candidate.kelurahan_id,
        "birth_date": candidate.birth_date,
    }
    birth = nik_birth(candidate.nik)
    if birth is not None:
        initial["sex"] = Participant.Sex.FEMALE if birth.is_female else Participant.Sex.MALE
        initial["birth_date"] = initial["birth_date"] or birth.likely_date(timezone.localdate())
    return initial


class GroupForm(ChooseLabels, forms.ModelForm):
    class Meta:
        model = ParticipantGroup
        fields = ("name", "program", "kelurahan", "business_type", "business_type_other", "notes")
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "business_type": _("Usually filled in from the business the group chooses."),
        }

    def __init__(self, *args, kelurahan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kelurahan"].queryset = kelurahan
        self.fields["program"].queryset = Program.objects.filter(is_active=True)


class MembershipTermsForm(forms.Form):
    """The role in the group and the day of joining: asked when a member is added, and on the
    registration form of someone registered from a group's page."""

    role = forms.ChoiceField(
        label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.ANGGOTA
    )
    joined_on = forms.DateField(
        label=_("Joined on"), widget=DateInput(), required=False, initial=timezone.localdate
    )


class EligibleChoiceField(forms.ModelChoiceField):
    """A resident to choose, marked when they had business capital in an earlier programme."""

    def label_from_instance(self, obj):
        year = getattr(obj, "funded_in", None)
        if not year:
            return obj.full_name
        return _("%(name)s – had business capital in %(year)s") % {
            "name": obj.full_name,
            "year": year,
        }


class MemberAddForm(MembershipTermsForm):
    participant = EligibleChoiceField(
        label=_("Participant"),
        queryset=Participant.objects.none(),
        empty_label=_("– choose a registered resident –"),
    )
    field_order = ("participant", "role", "joined_on")

    def __init__(self, *args, eligible, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = eligible


class ParticipantSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name or NIK"),
        max_length=100,
        required=False,
        widget=forms.TextInput(
            attrs={"placeholder": _("name or 16-digit NIK"), "autocomplete": "off"}
        ),
    )


class KelurahanChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        count = getattr(obj, "group_count", 0)
        if not count:
            return obj.name
        return ngettext("%(name)s (%(count)d group)", "%(name)s (%(count)d groups)", count) % {
            "name": obj.name,
            "count": count,
        }


class ExportForm(forms.Form):
    """Which participant list to take out: by programme, area or group."""

    program = forms.ModelChoiceField(
        label=_("Programme"),
        queryset=Program.objects.all(),
        required=False,
        empty_label=_("– all programmes –"),
    )
    kecamatan = forms.ModelChoiceField(
        label=_("Kecamatan"),
        queryset=Kecamatan.objects.all(),
        required=False,
        empty_label=_("– all kecamatan –"),
    )
    kelurahan = KelurahanChoiceField(
        label=_("Kelurahan"),
        # The kelurahan with groups (the programme's) first, then the others.
        queryset=Kelurahan.objects.annotate(group_count=Count("groups")).order_by(
            F("group_count").desc(), "name"
        ),
        required=False,
        empty_label=_("– all kelurahan –"),
    )
    group = forms.ModelChoiceField(
        label=_("Group"),
        queryset=ParticipantGroup.objects.select_related("kelurahan"),
        required=False,
        empty_label=_("– all groups –"),
    )
    file_format = forms.ChoiceField(
        label=_("Format"),
        choices=[("xlsx", "Excel (XLSX)"), ("csv", "CSV")],
        initial="xlsx",
        required=False,  # Excel unless CSV is chosen
    )
