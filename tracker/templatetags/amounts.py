"""`{% load amounts %}` … `{{ dose.elemental_mg|mg }}`: milligrams by tracker.amounts' rule."""

from django import template

from tracker.amounts import mg_text

register = template.Library()


@register.filter
def mg(value) -> str:
    """An amount in mg as text; an absent amount (None) shows as nothing, like floatformat."""
    return "" if value is None else mg_text(value)
