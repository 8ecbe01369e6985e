"""How forms render: Django's widget templates through Jinja2 (portal/form_renderer.py), and
the lean copies of crispy-bootstrap5's field templates (templates/bootstrap5/)."""

import re

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from portal.form_renderer import FastRenderer
from portal.templatetags.form_fields import field_kind, html_attrs


class _Sample(forms.Form):
    name = forms.CharField(max_length=20, help_text="Say <it>")
    agree = forms.BooleanField(required=False)
    kind = forms.ChoiceField(choices=[("a", "A & B"), ("b", "B")], widget=forms.RadioSelect)
    days = forms.MultipleChoiceField(
        choices=[("1", "Mon"), ("2", "Tue")], widget=forms.CheckboxSelectMultiple
    )
    colour = forms.ChoiceField(choices=[("r", "Red")])
    note = forms.CharField(widget=forms.Textarea, required=False)
    secret = forms.CharField(widget=forms.HiddenInput, required=False)
    upload = forms.FileField(required=False)


def _squeezed(html: str) -> str:
    # Jinja2 escapes a quote as &#34; and an apostrophe as &#39;, Django as &quot; and &#x27;.
    html = html.replace("&#34;", "&quot;").replace("&#39;", "&#x27;")
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


@pytest.mark.parametrize("name", ["name", "agree", "kind", "days", "colour", "note", "secret"])
def test_widgets_render_as_with_the_django_templates(name):
    data = {"name": 'x"<y', "kind": "a", "days": ["2"], "agree": "on"}
    fast = _Sample(data, renderer=FastRenderer())[name]
    plain = _Sample(data, renderer=DjangoTemplates())[name]
    assert _squeezed(str(fast)) == _squeezed(str(plain))


def test_a_template_only_the_django_language_has_still_renders():
    renderer = FastRenderer()
    template = renderer.get_template("admin/widgets/related_widget_wrapper.html")
    assert template is not None
    assert renderer.get_template("django/forms/widgets/input.html").__module__.startswith(
        "django.template.backends.jinja2"
    )


def test_field_kind_follows_crispy():
    form = _Sample()
    kinds = {name: field_kind(form[name]) for name in form.fields}
    assert kinds == {
        "name": "input",
        "agree": "checkbox",
        "kind": "choices",
        "days": "choices",
        "colour": "select",
        "note": "input",
        "secret": "hidden",
        "upload": "file",
    }


def test_html_attrs_as_attrs_html_writes_them():
    assert html_attrs({"id": "x", "checked": True, "disabled": False, "title": 'a"<b'}) == (
        ' id="x" checked title="a&quot;&lt;b"'
    )


def test_a_field_with_errors_and_help_keeps_its_accessible_wiring():
    from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field

    form = _Sample({"name": "", "kind": "z"})
    form.is_valid()
    html = as_crispy_field(form["name"])
    assert 'aria-describedby="id_name_helptext id_name_error"' in html
    assert 'aria-invalid="true"' in html
    assert '<div id="id_name_error" class="invalid-feedback"><p id="error_1_id_name">' in html
    assert 'id="id_name_helptext" class="form-text">Say <it></div>' in html  # help is HTML
    radios = as_crispy_field(form["kind"])
    assert radios.count('class="form-check-input is-invalid"') == 2
    assert 'value="a"  id="id_kind_0" required aria-invalid="true"' in radios
    checkbox = as_crispy_field(form["agree"])
    assert 'class="form-check"' in checkbox and 'class="form-check-label"' in checkbox


def test_without_jinja2_installed_the_django_templates_render(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "jinja2", None)  # import jinja2 → ImportError
    renderer = FastRenderer()
    field = _Sample({"name": "x"}, renderer=renderer)["name"]
    assert 'name="name" value="x"' in str(field)
    assert renderer._jinja2 is None
