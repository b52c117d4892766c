from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from families.forms import MultipleFileField, MultipleFileInput
from metro_slum.widgets import DateInput
from participants.models import Kelurahan
from slums.models import Survey
from slums.services import TOTAL_FIELDS, parse_count

PHOTO_ACCEPT = ".jpg,.jpeg,.png"


class TotalsForm(forms.ModelForm):
    """The survey's first screen: when, by whom, and the RT's totals (remembered from the last
    survey)."""

    class Meta:
        model = Survey
        fields = (
            "surveyed_on",
            "surveyor",
            "households",
            "buildings",
            "area_ha",
            "road_length_m",
            "road_ideal_length_m",
            "drainage_length_m",
            "drainage_ideal_length_m",
            "notes",
        )
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["surveyed_on"].widget = DateInput()
        self.fields["surveyed_on"].initial = timezone.localdate
        for name in (
            "households",
            "buildings",
            "road_length_m",
            "road_ideal_length_m",
            "drainage_length_m",
            "drainage_ideal_length_m",
        ):
            self.fields[name].widget.attrs.update(inputmode="numeric")
        # Asked of every survey from now on: roads and drains missing are counted against them.
        for name in ("road_ideal_length_m", "drainage_ideal_length_m"):
            self.fields[name].required = True
            self.fields[name].help_text = _(
                "The length the RT's network should have (the road or drain plan), existing and "
                "missing together."
            )
        # Written as every other number on the page reads: "2,78" (in English "2.78").
        area = self.fields["area_ha"]
        area.localize = True
        area.widget = forms.TextInput(attrs={"inputmode": "decimal"})
        area.widget.is_localized = True

    def survey_fields(self) -> dict:
        """What the survey services take: the date, the surveyor, the notes and the totals."""
        data = self.cleaned_data
        return {
            "surveyed_on": data["surveyed_on"],
            "surveyor": data["surveyor"],
            "notes": data["notes"],
            "totals": {name: data[name] for name in TOTAL_FIELDS},
        }


class AnswerForm(forms.Form):
    affected = forms.CharField(
        label=_("How many are affected?"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    photos = MultipleFileField(
        label=_("Photos (JPG or PNG)"),
        required=False,
        widget=MultipleFileInput(
            attrs={"accept": PHOTO_ACCEPT, "multiple": True, "capture": "environment"}
        ),
    )

    def clean_affected(self):
        try:
            return parse_count(self.cleaned_data["affected"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None


class StepForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class BoundaryForm(forms.Form):
    kelurahan = forms.ModelChoiceField(
        label=_("Kelurahan"), queryset=Kelurahan.objects.program_areas().order_by("name")
    )
    file = forms.FileField(
        label=_("Boundaries (GeoJSON)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".geojson,.json"}),
    )
    illustrative = forms.BooleanField(
        label=_("These shapes are sketches, not surveyed boundaries"), required=False
    )
