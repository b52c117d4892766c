"""Form widgets every app's forms use."""

from django import forms


class DateInput(forms.DateInput):
    """A date picker on phones and desks alike; the value travels as ISO (yyyy-mm-dd)."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)
