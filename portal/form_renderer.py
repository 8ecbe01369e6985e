"""The form renderer: Django's own widget templates, compiled by Jinja2 where Django ships them.

Every widget on a form page is a template render (an `<input>` is input.html plus attrs.html,
a radio button is three); in the Django template language that is 60–90 µs a widget, 25–35 µs
with Jinja2 (measured on the night form's fields). Django ships the same widget and form
templates for Jinja2 (django/forms/jinja2/), written to give the same HTML, and its own tests
run both. A template that exists only for the Django language (the admin's related-widget
wrapper, any app's own widget) is still found by the default renderer, so nothing is ported.
"""

from django.forms.renderers import BaseRenderer, DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist
from django.utils.functional import cached_property


class FastRenderer(BaseRenderer):
    @cached_property
    def _jinja2(self):
        try:
            import jinja2  # noqa: F401  (in requirements.in; absent, forms still render)
        except ImportError:
            return None
        return Jinja2()

    @cached_property
    def _django(self):
        return DjangoTemplates()

    def get_template(self, template_name):
        if self._jinja2 is not None:
            try:
                return self._jinja2.get_template(template_name)
            except TemplateDoesNotExist:
                pass
        return self._django.get_template(template_name)
