"""Form widgets every app's forms use."""

from django import forms
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    """A date typed day first (25/11/2026) on every phone and desk.

    The browser's own date picker shows its language's order (mm/dd/yyyy on a phone set to
    English), which reads 08/11/2026 as the 11th of August; a text field in the office's order
    does not. page.js adds the slashes while the user types digits.
    """

    input_type = "text"

    def __init__(self, attrs=None):
        defaults = {
            "inputmode": "numeric",
            "placeholder": _("dd/mm/yyyy"),
            "autocomplete": "off",
            "maxlength": "10",
            "data-date": "",
        }
        super().__init__(attrs={**defaults, **(attrs or {})}, format="%d/%m/%Y")


class RupiahInput(forms.NumberInput):
    """An amount in whole rupiah, echoed beside it as it is typed: 20000000 → "Rp 20.000.000".

    A zero too many is the easiest mistake with eight-digit amounts; the echo (page.js) shows it.
    """

    template_name = "widgets/rupiah.html"

    def __init__(self, attrs=None):
        super().__init__(attrs={"inputmode": "numeric", "data-rupiah": "", **(attrs or {})})
