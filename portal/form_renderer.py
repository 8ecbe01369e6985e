"""The form renderer: Django's own widget templates, and the project's field template
(portal/jinja2/forms/), compiled by Jinja2.

Every widget on a form page is a template render (an `<input>` is input.html plus attrs.html,
a radio button is three); in the Django template language that is 60–90 µs a widget, 25–35 µs
with Jinja2 (measured on the night form's fields). Django ships the same widget and form
templates for Jinja2 (django/forms/jinja2/), written to give the same HTML, and its own tests
run both. A template that exists only for the Django language (the admin's related-widget
wrapper, any app's own widget) is still found by the Django-language renderer, so nothing is
ported.
"""

import html
from pathlib import Path

import django.forms
from django.forms.renderers import BaseRenderer, DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist
from django.utils.functional import Promise, cached_property
from markupsafe import Markup


def _escaped(value):
    """A value written into a template, escaped as the Django template language escapes it.

    Jinja2 alone writes a quote as &#34; and an apostrophe as &#39; (Django: &quot;, &#x27;),
    and escapes a lazy translation of safe HTML (a label built with format_html), which it
    cannot see is safe. Escaped here, a form renders byte for byte as with Django's templates.
    """
    if isinstance(value, Promise):
        value = str(value)  # a lazy translation has no __html__ even when its text is safe
    if hasattr(value, "__html__"):
        return value
    return Markup(html.escape(str(value)))  # noqa: S704 - escaped on this line  # nosec B704


class _Jinja2(Jinja2):
    @cached_property
    def engine(self):
        return self.backend(
            {
                "APP_DIRS": True,
                "DIRS": [Path(django.forms.__file__).parent / self.backend.app_dirname],
                "NAME": "djangoforms",
                "OPTIONS": {"finalize": _escaped},
            }
        )


class FastRenderer(BaseRenderer):
    @cached_property
    def _jinja2(self):
        return _Jinja2()

    @cached_property
    def _django(self):
        return DjangoTemplates()

    def get_template(self, template_name):
        try:
            return self._jinja2.get_template(template_name)
        except TemplateDoesNotExist:
            return self._django.get_template(template_name)
