"""Fields for identity numbers that forgive the spaces and dots people type."""

from django import forms
from django.db import models

from participants.identity import normalize_identity_number


class IdentityNumberFormField(forms.CharField):
    def to_python(self, value):
        return normalize_identity_number(super().to_python(value))


class IdentityNumberField(models.CharField):
    """A 16-digit identity number stored as text; separators are stripped before validation."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 16)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        return normalize_identity_number(super().to_python(value))

    def formfield(self, **kwargs):
        # The form takes "1872 0110 0485 0003" (19 characters); the model validators then check
        # the 16 digits that remain, so the form must not cut the input at 16.
        defaults = {"form_class": IdentityNumberFormField, "max_length": 32}
        defaults.update(kwargs)
        field = super().formfield(**defaults)
        field.max_length = 32
        field.widget.attrs.update(
            {"maxlength": "32", "inputmode": "numeric", "autocomplete": "off"}
        )
        return field
