"""What the portal's forms share: the log-in forms, empty-choice labels, error links."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import BLANK_CHOICE_DASH
from django.utils.translation import gettext_lazy as _


class MarksRefusedLogin:
    """A refused log-in marks both fields invalid and points them at the message."""

    def full_clean(self):
        super().full_clean()
        if self.non_field_errors():
            for name in ("username", "password"):
                self.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": "login-error"}
                )


class LoginForm(MarksRefusedLogin, AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The user name or the password is wrong. Check both (capital letters count) and try "
            "again; after five wrong tries the account waits 15 minutes."
        ),
    }


class AdminLoginForm(MarksRefusedLogin, AdminAuthenticationForm):
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": _(
            "The user name or the password is wrong, or the account may not use the "
            "administration. Check both (capital letters count) and try again."
        ),
    }


def error_links(*parts) -> list[tuple[str, str]]:
    """Return (field id, "where: what") for every error of a long page's forms and formsets.

    Each part is a form, or a (formset, row label) pair where the row label is a function of the
    row's number (from 1) and its form. The page lists them at the top as links to the fields,
    whose own messages stand beside them.
    """
    links = []
    for part in parts:
        item, row_label = part if isinstance(part, tuple) else (part, None)
        rows = list(enumerate(item.forms, 1)) if row_label else [(None, item)]
        if row_label:
            links += [("", str(message)) for message in item.non_form_errors()]
        for number, form in rows:
            where = row_label(number, form) if row_label else ""
            for name, messages in form.errors.items():
                field = form.fields.get(name)
                anchor = "" if field is None or field.widget.is_hidden else form[name].auto_id
                label = field.label if field is not None else ""
                prefix = " · ".join(str(text) for text in (where, label) if text)
                links += [(anchor, f"{prefix}: {m}" if prefix else str(m)) for m in messages]
    return links


class ChooseLabels:
    """A form mixin: an empty choice reads "– choose –" rather than Django's "---------"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if getattr(field, "empty_label", None) == BLANK_CHOICE_DASH[0][1]:
                field.empty_label = _("– choose –")
            elif isinstance(field, forms.ChoiceField) and not isinstance(
                field, forms.ModelChoiceField
            ):
                field.choices = [
                    ("", _("– choose –"))
                    if value == "" and label == BLANK_CHOICE_DASH[0][1]
                    else (value, label)
                    for value, label in field.choices
                ]


def errors_to_form(form, error) -> None:
    """Put a service's ValidationError on the form: each field's messages beside the field, the
    rest at the top."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)
