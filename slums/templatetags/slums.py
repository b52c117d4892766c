from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def hectares(value) -> str:
    """An area as the office writes it: "12,40 ha"."""
    return f"{number_format(Decimal(value or 0), 2, use_l10n=True)} ha"


@register.filter
def count_kind(row, kind: str) -> int:
    """How many interventions of one kind an RT had since its baseline."""
    return row.count(kind)


@register.inclusion_tag("slums/_class_badge.html")
def class_badge(survey, rule):
    return {"survey": survey, "label": rule.class_label(survey.slum_class) if survey else ""}
