"""`{% load form_fields %}`: what templates/bootstrap5/field.html asks about a field, at once."""

from django import template
from crispy_forms.templatetags.crispy_forms_field import (
    is_checkbox,
    is_checkboxselectmultiple,
    is_file,
    is_radioselect,
    is_select,
)

register = template.Library()


@register.filter
def field_kind(field) -> str:
    """hidden, checkbox, choices (radios or checkboxes), file, select or input: crispy's
    own tests, in the order its field template applies them, asked once instead of ten times."""
    if field.is_hidden:
        return "hidden"
    if is_checkbox(field):
        return "checkbox"
    if is_checkboxselectmultiple(field) or is_radioselect(field):
        return "choices"
    if is_file(field):
        return "file"
    if is_select(field):
        return "select"
    return "input"
