import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from metro_slum.widgets import DateInput
from participants.models import Program


class ProgrammeForm(forms.Form):
    program = forms.ModelChoiceField(
        label=_("Programme"),
        queryset=Program.objects.order_by("-is_active", "-year", "name"),
        empty_label=None,
    )


class PeriodForm(forms.Form):
    dari = forms.DateField(label=_("From"), widget=DateInput())
    sampai = forms.DateField(label=_("To"), widget=DateInput())

    @staticmethod
    def default_period() -> dict:
        """The last three months up to today."""
        end = timezone.localdate()
        return {"dari": end - datetime.timedelta(days=90), "sampai": end}

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("dari"), cleaned.get("sampai")
        if start and end and end < start:
            raise forms.ValidationError(_("The end of the period cannot be before its start."))
        if start and end and (end - start).days > 366 * 3:
            raise forms.ValidationError(_("Choose a period of at most three years."))
        return cleaned
