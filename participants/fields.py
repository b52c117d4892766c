"""Fields for numbers people write in groups: identity numbers, phones, bank accounts.

Each is stored as its digits alone (a phone keeps a leading +), whatever separators were typed:
"381 0123 4567 89" as in the passbook, "0812-3456-7890", "1872 0110 0485 0003". The admin, the
portal and the importer all save through these fields, so the rule is in one place.
"""

import re

from django import forms
from django.db import models

from metro_slum.formatting import normalize_identity_number


class NumberFormField(forms.CharField):
    def to_python(self, value):
        return normalize_identity_number(super().to_python(value))


class NumberField(models.CharField):
    """A number stored as its digits; the form takes it with separators (twice as long)."""

    def to_python(self, value):
        return normalize_identity_number(super().to_python(value))

    def formfield(self, **kwargs):
        typed = 2 * self.max_length
        defaults = {"form_class": NumberFormField, "max_length": typed}
        defaults.update(kwargs)
        field = super().formfield(**defaults)
        field.max_length = typed
        field.widget.attrs.update({"maxlength": str(typed)})
        return field


class IdentityNumberField(NumberField):
    """A 16-digit identity number stored as text; separators are stripped before validation."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 16)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        field = super().formfield(**kwargs)
        field.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        return field


def grouped(value: str, size: int = 4) -> str:
    """A stored number shown readably: "081234567890" -> "0812 3456 7890"; a leading "+62"
    stands apart: "+62 8123 4567 890"."""
    value = str(value or "")
    prefix = ""
    if value.startswith("+"):
        match = re.match(r"\+(62|\d{1,3})", value)
        prefix, value = match.group(0) + " ", value[match.end() :]
    return prefix + " ".join(value[i : i + size] for i in range(0, len(value), size))
