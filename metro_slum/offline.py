"""Forms a social worker may send from a phone that had no connection.

The phone keeps such a form in a queue (static/js/offline.js) under a key it made itself, and
sends it later to /luring/kirim/ (programme.offline_views), which finds the action registered
here under the URL name of the page's form. The action is the very function the page's own view
calls, so every rule (dates, amounts, receipts, access) is the same online and offline. `run`
writes the key in the same transaction as what the action recorded: the same key sent twice is
answered "already saved" and records nothing twice, and a refused form writes nothing at all.
"""

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from metro_slum.forms import error_links

# The hidden field the phone fills with the key it made for one sending of a form.
KEY_FIELD = "offline_key"
# The header with which the phone asks for a page to keep: personal numbers come masked.
COPY_HEADER = "X-Offline-Copy"

SAVED, ALREADY, REFUSED, CONFLICT = "saved", "already", "refused", "conflict"

ACTIONS: dict[str, Callable] = {}


def action(url_name: str):
    """Register the function that handles the form posted to the URL named `url_name`.

    It takes the request and the URL's arguments and returns an `Outcome`; it may raise
    PermissionDenied or Http404 like any view."""

    def register(function):
        ACTIONS[url_name] = function
        return function

    return register


class Conflict(ValidationError):
    """The record changed on the server since the version the form started from."""

    def __init__(self, current):
        self.current = current
        super().__init__(
            _(
                "This record was changed by someone else since it was opened (now version "
                "%(version)d). Compare both versions and choose which one stays."
            )
            % {"version": current.version},
            code="conflict",
        )


@dataclass
class Outcome:
    """What became of one sending of a form."""

    state: str
    form: forms.BaseForm | None = None
    message: str = ""
    next_url: str = ""
    # For a conflict: (label, on the server, from this form) for each field, the server's version.
    both: list = field(default_factory=list)
    version: int | None = None
    context: dict = field(default_factory=dict)
    # Beside the form, formsets with their row labels (metro_slum.forms.error_links).
    parts: tuple = ()
    # Or the refusals already listed as (field id, "where: what"), for a page of many forms.
    listed: list = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return self.state in (REFUSED, CONFLICT)

    def problems(self) -> list[str]:
        return [text for _anchor, text in self.links()]

    def links(self) -> list[tuple[str, str]]:
        if self.listed:
            return self.listed
        return error_links(*(part for part in (self.form, *self.parts) if _has_errors(part)))

    def as_json(self) -> dict:
        return {
            "state": self.state,
            "message": self.message or " ".join(self.problems()),
            "problems": self.problems(),
            "next": self.next_url,
            "both": [[str(label), server, phone] for label, server, phone in self.both],
            "version": self.version,
        }


def outcome_of(form, *parts, message: str, next_url: str, **context) -> Outcome:
    """Saved when neither the form nor the formsets in `parts` ((formset, row label) pairs) have
    an error (the action puts the services' refusals on the form), else refused."""
    refused = any(_has_errors(part) for part in (form, *parts))
    return Outcome(
        REFUSED if refused else SAVED,
        form=form,
        message="" if refused else message,
        next_url=next_url,
        context=context,
        parts=parts,
    )


def _has_errors(part) -> bool:
    if part is None:
        return False
    if isinstance(part, tuple):
        return part[0] is not None and bool(part[0].total_error_count())
    return bool(part.errors)


def conflict_of(form, error: Conflict, *, next_url: str, **context) -> Outcome:
    """The form refused because its record changed meanwhile, with both versions to compare."""
    form.add_error(None, error)
    return Outcome(
        CONFLICT,
        form=form,
        next_url=next_url,
        both=both_versions(form, error.current),
        version=error.current.version,
        context=context,
    )


def both_versions(form, current) -> list[tuple]:
    """(label, on the server, in this form) for each field the form shows of the record."""
    return [
        (field.label, shown(field, getattr(current, name)), shown(field, form.cleaned_data[name]))
        for name, field in form.fields.items()
        if name in form.cleaned_data and not field.widget.is_hidden and hasattr(current, name)
    ]


def shown(form_field, value) -> str:
    """A value as the form would show it to the user: a choice's label, a day-first date."""
    if value is None or value == "":
        return "–"
    choices = getattr(form_field, "choices", None)
    if choices:
        return str(dict(choices).get(value, value))
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal | int):
        return formats.number_format(value, force_grouping=True)
    return str(value)


def key_of(request) -> uuid.UUID | None:
    try:
        return uuid.UUID(request.POST.get(KEY_FIELD, ""))
    except ValueError:
        return None


def run(request, function, *, url: str = "", **kwargs) -> Outcome:
    """Run a form's action once for its key: write what it records with the key, or nothing."""
    from metro_slum.models import OfflineSubmission

    key = key_of(request)
    # A key is its sender's: another user's key answers nothing about this sending.
    sent_before = OfflineSubmission.objects.filter(key=key, user=request.user)
    if key is not None:
        earlier = sent_before.first()
        if earlier is not None:
            return _already(earlier)
    try:
        with transaction.atomic():
            outcome = function(request, **kwargs)
            if outcome.refused:
                transaction.set_rollback(True)  # whatever the action began is not kept
            elif key is not None:
                OfflineSubmission.objects.create(
                    key=key,
                    user=request.user,
                    url=(url or request.path)[:200],
                    message=str(outcome.message)[:300],
                    next_url=outcome.next_url[:200],
                )
    except IntegrityError:
        # The same key, sent twice at once: the other sending saved it first.
        earlier = sent_before.first()
        if earlier is None:
            raise
        return _already(earlier)
    return outcome


def _already(earlier) -> Outcome:
    return Outcome(
        ALREADY,
        message=_("Already saved on %(at)s; it was not recorded a second time.")
        % {"at": formats.date_format(timezone.localtime(earlier.saved_at), "d/m/Y H:i")},
        next_url=earlier.next_url,
    )


def answered(request, outcome: Outcome):
    """After a page's form was saved (or had already been): its message, back where it shows."""
    if outcome.state == ALREADY:
        messages.info(request, outcome.message)
    else:
        messages.success(request, outcome.message)
    return redirect(outcome.next_url)
