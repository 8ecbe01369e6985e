"""`{% load form_fields %}`: `{{ form.name|as_field }}`, a form field as crispy-bootstrap5 renders
it, from the Jinja2 copy of its field template (portal/jinja2/forms/field.html).

crispy's `|as_crispy_field` renders bootstrap5/field.html in the Django template language: about
a thousand variable lookups and a dozen includes on the night form, the most expensive part of a
form page. The same template in Jinja2, through the form renderer that already renders the
widgets (portal/form_renderer.py), gives the same markup for a fraction of the time.
"""

from crispy_forms.templatetags.crispy_forms_field import (
    is_checkbox,
    is_checkboxselectmultiple,
    is_file,
    is_radioselect,
    is_select,
)
from crispy_forms.templatetags.crispy_forms_filters import optgroups
from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def as_field(field):
    """The field with its label, errors and help text, as `|as_crispy_field` writes them."""
    context = {
        "field": field,
        "kind": field_kind(field),
        "with_class": with_class,
        "optgroups": optgroups,
    }
    html = field.form.renderer.get_template("forms/field.html").render(context)
    return mark_safe(html)  # noqa: S308 - Jinja2 escaped it (autoescape is on)  # nosec B308 B703


@register.filter
def choice_buttons(field, label_class: str):
    """A radio or checkbox group's inputs, each followed by its label with `label_class`
    (Bootstrap's toggle buttons: the inputs carry `btn-check`), for the page to lay out."""
    context = {"field": field, "label_class": label_class, "optgroups": optgroups}
    html = field.form.renderer.get_template("forms/choice_buttons.html").render(context)
    return mark_safe(html)  # noqa: S308 - Jinja2 escaped it (autoescape is on)  # nosec B308 B703


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


def with_class(field, css_class: str):
    """The widget with `css_class` added to its classes: crispy's `{% crispy_field field 'class'
    css_class %}`, which also adds the widget's own name in lower case (`textinput`), and, as
    crispy does, on the widget itself, so the field renders the same afterwards."""
    widget = field.field.widget
    for inner in getattr(widget, "widgets", [getattr(widget, "widget", widget)]):
        class_name = type(inner).__name__.lower()
        classes = inner.attrs.get("class", "")
        if not classes:
            classes = class_name
        elif class_name not in classes:
            classes += " " + class_name
        for name in css_class.split():
            if name not in classes.split():
                classes += " " + name
        inner.attrs["class"] = classes
    return field.as_widget()
