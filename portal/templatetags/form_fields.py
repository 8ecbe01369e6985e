"""`{% load form_fields %}`: what templates/bootstrap5/field.html asks about a field, at once."""

from crispy_forms.templatetags.crispy_forms_field import (
    is_checkbox,
    is_checkboxselectmultiple,
    is_file,
    is_radioselect,
    is_select,
)
from django import template
from django.utils.html import format_html, format_html_join

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


@register.filter
def html_attrs(attrs: dict) -> str:
    """An option's attributes as crispy's layout/attrs.html writes them (False left out, True
    bare), one call instead of a template include per radio button or checkbox."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )
