"""The order of dated records: one set of rules that every service, form and command asks.

Each rule says that one date of a record is on or after (or on or before) another date: a day of a
related record (the programme's start, the grant's approval, the first tranche) or today. The same
rule checks a record before it is saved (`require`, `problems`) and finds the stored records that
break it (`breaches`, for `manage.py check_dates` and the supervisors' desk), so the admin, the
portal, the importers and the commands refuse alike. Every refusal names both dates.

Models are named by their labels, so that this module, like the other shared helpers, imports no
app.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# The comparison a rule asks for between the record's date and its bound.
ON_OR_AFTER = "on_or_after"
ON_OR_BEFORE = "on_or_before"
BEFORE = "before"


@dataclass(frozen=True)
class Bound:
    """The other date of a rule: a path from the record (`grant__decided_at`), or today."""

    path: str | None
    # What happened on that day, as a refusal names it: "the grant's approval".
    event: str = ""


TODAY = Bound(None)


@dataclass(frozen=True)
class Rule:
    code: str
    model: str
    field: str
    # The record's date as a refusal names it: "The disbursement date".
    what: str
    relation: str
    bound: Bound
    # Field values that exempt a record (a spending line marked as an advance).
    unless: dict = field(default_factory=dict)
    # What to do, after the two dates.
    hint: str = ""
    # The path from the record to its group, for the desk's filter; "" for none.
    group: str = ""


PROGRAMME_START = _("the start of the programme")
PROGRAMME_END = _("the end of the programme")


def _within_programme(code, model, field_name, what, programme, group, hint=""):
    return (
        Rule(
            f"{code}_programme_start",
            model,
            field_name,
            what,
            ON_OR_AFTER,
            Bound(f"{programme}__start_date", PROGRAMME_START),
            hint=hint,
            group=group,
        ),
        Rule(
            f"{code}_programme_end",
            model,
            field_name,
            what,
            ON_OR_BEFORE,
            Bound(f"{programme}__end_date", PROGRAMME_END),
            hint=hint,
            group=group,
        ),
    )


def _not_in_future(code, model, field_name, what, group, hint=""):
    return Rule(
        f"{code}_future", model, field_name, what, ON_OR_BEFORE, TODAY, hint=hint, group=group
    )


_PROGRAMME_HINT = _("Check the date, or the programme's period with the administrative staff.")
_AFTER_TRANCHE_HINT = _("Check the date against the handover minutes of the first tranche.")

RULES: tuple[Rule, ...] = (
    Rule(
        "birth_date_past",
        "participants.Participant",
        "birth_date",
        _("The birth date"),
        BEFORE,
        TODAY,
        hint=_("Copy the birth date from the KTP or the family card."),
        group="memberships__group",
    ),
    _not_in_future(
        "consent_date",
        "participants.Participant",
        "consent_date",
        _("The consent date"),
        "memberships__group",
    ),
    *_within_programme(
        "joined_on",
        "participants.Membership",
        "joined_on",
        _("The joining date"),
        "program",
        "group",
        _PROGRAMME_HINT,
    ),
    *_within_programme(
        "assessment_start",
        "assessments.NeedsAssessment",
        "start_date",
        _("The assessment's start date"),
        "group__program",
        "group",
        _PROGRAMME_HINT,
    ),
    *_within_programme(
        "assessment_end",
        "assessments.NeedsAssessment",
        "end_date",
        _("The assessment's end date"),
        "group__program",
        "group",
        _PROGRAMME_HINT,
    ),
    *_within_programme(
        "activity_start",
        "assessments.Activity",
        "start_date",
        _("The activity's start date"),
        "plan__group__program",
        "plan__group",
        _PROGRAMME_HINT,
    ),
    *_within_programme(
        "activity_end",
        "assessments.Activity",
        "end_date",
        _("The activity's end date"),
        "plan__group__program",
        "plan__group",
        _PROGRAMME_HINT,
    ),
    *_within_programme(
        "grant_submitted",
        "grants.Grant",
        "submitted_at",
        _("The submission date"),
        "program",
        "group",
        _("A grant is proposed and decided within its programme's period."),
    ),
    *_within_programme(
        "grant_decided",
        "grants.Grant",
        "decided_at",
        _("The decision date"),
        "program",
        "group",
        _("A grant is proposed and decided within its programme's period."),
    ),
    Rule(
        "grant_decided_after_submission",
        "grants.Grant",
        "decided_at",
        _("The decision date"),
        ON_OR_AFTER,
        Bound("submitted_at", _("the submission")),
        group="group",
    ),
    Rule(
        "tranche_after_approval",
        "grants.Disbursement",
        "date",
        _("The disbursement date"),
        ON_OR_AFTER,
        Bound("grant__decided_at", _("the grant's approval")),
        hint=_("Money is handed over only after the grant is approved: check the date."),
        group="grant__group",
    ),
    _not_in_future(
        "tranche", "grants.Disbursement", "date", _("The disbursement date"), "grant__group"
    ),
    Rule(
        "spending_after_tranche",
        "grants.SpendingLine",
        "spent_on",
        _("The receipt date"),
        ON_OR_AFTER,
        Bound("grant__first_tranche_on", _("the first disbursement")),
        unless={"is_advance": True},
        hint=_(
            "If it was bought before the money came (paid in advance by the group), tick "
            "'advance' and give the reason."
        ),
        group="grant__group",
    ),
    _not_in_future(
        "spending", "grants.SpendingLine", "spent_on", _("The receipt date"), "grant__group"
    ),
    Rule(
        "visit_after_tranche",
        "grants.MonitoringVisit",
        "visit_date",
        _("The visit date"),
        ON_OR_AFTER,
        Bound("grant__first_tranche_on", _("the first disbursement")),
        hint=_AFTER_TRANCHE_HINT,
        group="grant__group",
    ),
    _not_in_future(
        "visit", "grants.MonitoringVisit", "visit_date", _("The visit date"), "grant__group"
    ),
    Rule(
        "measurement_after_tranche",
        "families.Measurement",
        "measured_on",
        _("The measurement date"),
        ON_OR_AFTER,
        Bound("group__grants__first_tranche_on", _("the first disbursement")),
        # The baseline is taken at the assessment, before any money.
        unless={"milestone": 0},
        hint=_AFTER_TRANCHE_HINT,
        group="group",
    ),
    _not_in_future(
        "measurement", "families.Measurement", "measured_on", _("The measurement date"), "group"
    ),
    _not_in_future(
        "follow_up_opened", "families.FollowUp", "opened_on", _("The date noted"), "group"
    ),
    Rule(
        "follow_up_step_after_start",
        "families.FollowUpEvent",
        "on",
        _("The step's date"),
        ON_OR_AFTER,
        Bound("follow_up__opened_on", _("the start of the follow-up")),
        hint=_("Enter the day it happened."),
        group="follow_up__group",
    ),
    _not_in_future(
        "follow_up_step",
        "families.FollowUpEvent",
        "on",
        _("The step's date"),
        "follow_up__group",
        _("Enter the day it happened."),
    ),
    _not_in_future(
        "aid_received",
        "families.Aid",
        "received_on",
        _("The date received"),
        "participant__memberships__group",
    ),
)


def day_text(day: datetime.date) -> str:
    return f"{day:%d/%m/%Y}"


def _as_day(value):
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def broken(relation: str, day, bound) -> bool:
    """Whether `day` fails the comparison with `bound`; a missing date breaks nothing."""
    if day is None or bound is None:
        return False
    if relation == ON_OR_AFTER:
        return day < bound
    if relation == ON_OR_BEFORE:
        return day > bound
    return day >= bound


def message(rule: Rule, day: datetime.date, bound: datetime.date) -> str:
    """The refusal for a record's date that breaks the rule, naming both dates."""
    values = {"what": rule.what, "day": day_text(day), "bound": day_text(bound)}
    if rule.bound is TODAY:
        if rule.relation == BEFORE:
            text = gettext("%(what)s %(day)s is not in the past (today is %(bound)s).") % values
        else:
            text = gettext("%(what)s %(day)s is in the future (today is %(bound)s).") % values
    elif rule.relation == ON_OR_AFTER:
        text = gettext("%(what)s %(day)s is before %(event)s on %(bound)s.") % {
            **values,
            "event": rule.bound.event,
        }
    else:
        text = gettext("%(what)s %(day)s is after %(event)s on %(bound)s.") % {
            **values,
            "event": rule.bound.event,
        }
    return f"{text} {rule.hint}" if rule.hint else text


_RULES_OF: dict[str, list[Rule]] = {}
for _rule in RULES:
    _RULES_OF.setdefault(_rule.model, []).append(_rule)


def rules_for(model) -> list[Rule]:
    """The rules of one kind of record (read on every save and every imported row)."""
    return _RULES_OF.get(model._meta.label, [])


def _resolve(record, path: str):
    """Follow `path` from a record that may not be saved yet: through its loaded relations, then,
    past a relation that leads to many rows, by asking the database. None where a link is unset."""
    parts = path.split("__")
    obj = record
    for index, name in enumerate(parts):
        model_field = obj._meta.get_field(name)
        if not model_field.is_relation:
            return getattr(obj, name)
        if model_field.many_to_one or (model_field.one_to_one and model_field.concrete):
            if getattr(obj, model_field.attname) is None:
                return None
            obj = getattr(obj, name)
            continue
        if obj.pk is None:
            return None
        rest = "__".join(parts[index:])
        values = type(obj)._base_manager.filter(pk=obj.pk, **{f"{rest}__isnull": False})
        return values.values_list(rest, flat=True).order_by(rest).first()
    return obj


def _exempt(rule: Rule, record) -> bool:
    return bool(rule.unless) and all(getattr(record, k) == v for k, v in rule.unless.items())


def problems(record, today: datetime.date | None = None) -> dict[str, list[str]]:
    """Return, by field, why the record's dates are out of order; empty when they are in order."""
    today = today or timezone.localdate()
    found: dict[str, list[str]] = {}
    for rule in rules_for(type(record)):
        day = _as_day(getattr(record, rule.field))
        if day is None or _exempt(rule, record):
            continue
        bound = today if rule.bound is TODAY else _as_day(_resolve(record, rule.bound.path))
        if broken(rule.relation, day, bound):
            found.setdefault(rule.field, []).append(message(rule, day, bound))
    return found


def require(record, today: datetime.date | None = None, *, listed: bool = False) -> None:
    """Refuse a record whose dates are out of order, each message on its field (or, `listed`,
    as one list, for pages that show a service's refusals at the top)."""
    found = problems(record, today)
    if found:
        raise ValidationError(
            [text for texts in found.values() for text in texts] if listed else found
        )


def messages(record, today: datetime.date | None = None) -> list[str]:
    """The refusals for a record's dates as one list (for gates that list their problems)."""
    return [text for texts in problems(record, today).values() for text in texts]


# Stored records --------------------------------------------------------------------------


def _field_type(model, path: str):
    parts = path.split("__")
    for name in parts[:-1]:
        model = model._meta.get_field(name).related_model
    return model._meta.get_field(parts[-1])


def _day_expression(model, path: str):
    if isinstance(_field_type(model, path), models.DateTimeField):
        return TruncDate(path)
    return F(path)


def _condition(model, rule: Rule, name: str, today):
    """The annotations and the condition that pick the stored records breaking the rule."""
    if rule.bound is TODAY:
        bound = Value(today or timezone.localdate(), output_field=models.DateField())
    else:
        bound = _day_expression(model, rule.bound.path)
    lookup = {ON_OR_AFTER: "lt", ON_OR_BEFORE: "gt", BEFORE: "gte"}[rule.relation]
    annotations = {f"{name}_day": _day_expression(model, rule.field), f"{name}_bound": bound}
    condition = Q(
        **{
            f"{name}_day__isnull": False,
            f"{name}_bound__isnull": False,
            f"{name}_day__{lookup}": F(f"{name}_bound"),
        }
    )
    if rule.unless:
        condition &= ~Q(**rule.unless)
    return annotations, condition


def breaking(rule: Rule, today: datetime.date | None = None):
    """The stored records of the rule's model that break it, annotated with both dates
    (`chronology_day`, `chronology_bound`)."""
    model = apps.get_model(rule.model)
    annotations, condition = _condition(model, rule, "chronology", today)
    return model._base_manager.annotate(**annotations).filter(condition)


@dataclass(frozen=True)
class Breach:
    rule: Rule
    record: models.Model
    message: str


def breaches(today: datetime.date | None = None, group_ids=None) -> Iterator[Breach]:
    """Every stored record whose dates break a rule, rule by rule; only those of `group_ids`'
    groups when given."""
    for rule in RULES:
        rows = breaking(rule, today)
        if group_ids is not None:
            if not rule.group:
                continue
            rows = rows.filter(**{f"{rule.group}__in": group_ids})
        for record in rows.order_by("pk").distinct().iterator(chunk_size=500):
            yield Breach(
                rule, record, message(rule, record.chronology_day, record.chronology_bound)
            )


def breaching_group_ids(today: datetime.date | None = None) -> set:
    """The groups with a record whose dates break a rule: one query per kind of record, its
    rules' conditions joined, so that each table is read once."""
    rules_of: dict[tuple, list] = {}
    for rule in RULES:
        if rule.group:
            rules_of.setdefault((rule.model, rule.group), []).append(rule)
    found = set()
    for (label, group), rules in rules_of.items():
        model = apps.get_model(label)
        annotations, condition = {}, Q()
        for index, rule in enumerate(rules):
            more, test = _condition(model, rule, f"chronology_{index}", today)
            annotations.update(more)
            condition |= test
        found.update(
            model._base_manager.annotate(**annotations)
            .filter(condition, **{f"{group}__isnull": False})
            .values_list(group, flat=True)
            .distinct()
        )
    return found


def group_place(rule: Rule, record) -> str:
    """The group and kelurahan a breaking record belongs to, for a listing: "Kelompok X
    (Hadimulyo Barat)"; "" for a record of no group."""
    if not rule.group:
        return ""
    name = _resolve(record, f"{rule.group}__name")
    kelurahan = _resolve(record, f"{rule.group}__kelurahan__name")
    return f"{name} ({kelurahan})" if name else ""
