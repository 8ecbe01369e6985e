"""How forms render: Django's widget templates and the project's field template through Jinja2
(portal/form_renderer.py, portal/jinja2/forms/), written as crispy-bootstrap5 writes them."""

import datetime
import re
import zoneinfo
from pathlib import Path

import crispy_bootstrap5
import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.template import Context, Engine

from accounts.forms import AccountDeleteForm, HealthScreensForm, ProfileForm, SignupForm
from flows.forms import TakenForm
from portal.form_renderer import FastRenderer
from portal.templatetags.form_fields import as_field, choice_buttons, field_kind
from reminders.forms import ReminderSettingsForm
from sharing.forms import ShareCreateForm
from tracker.forms import (
    DoseForm,
    ExperimentPlanForm,
    IronProductForm,
    LabForm,
    MedicineForm,
    NightEditForm,
    NightForm,
    SleepApplyForm,
    SleepImportForm,
)


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
    # Space next to a tag is layout only (crispy's own template indents its labels' text).
    return re.sub(r"\s*([<>])\s*", r"\1", re.sub(r"\s+", " ", html)).strip()


@pytest.mark.parametrize("name", ["name", "agree", "kind", "days", "colour", "note", "secret"])
def test_widgets_render_as_with_the_django_templates(name):
    data = {"name": "x\"<'y", "kind": "a", "days": ["2"], "agree": "on"}
    fast = _Sample(data, renderer=FastRenderer())[name]
    plain = _Sample(data, renderer=DjangoTemplates())[name]
    # Django's Jinja2 copies of its templates lay out a choice's options with less space.
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


# crispy-bootstrap5's own templates, as `|as_crispy_field` renders them, read from the package
# (templates/bootstrap5/ overrides some of the same names for the rest of the project).
_CRISPY = Engine(
    dirs=[Path(crispy_bootstrap5.__file__).parent / "templates"],
    libraries={
        "crispy_forms_field": "crispy_forms.templatetags.crispy_forms_field",
        "crispy_forms_filters": "crispy_forms.templatetags.crispy_forms_filters",
        "l10n": "django.templatetags.l10n",
    },
)


def _crispy_field(field) -> str:
    context = {
        "field": field,
        "form_show_errors": True,
        "form_show_labels": True,
        "label_class": "",
        "field_class": "",
    }
    return _CRISPY.get_template("bootstrap5/field.html").render(Context(context))


_TONIGHT = datetime.date(2026, 3, 1)
_FORMS = [
    (_Sample, {}),
    (AccountDeleteForm, {}),
    (HealthScreensForm, {}),
    (ProfileForm, {}),
    (SignupForm, {}),
    (TakenForm, {"needs_amount": True, "needs_time": True}),
    (ReminderSettingsForm, {"zone": zoneinfo.ZoneInfo("Europe/London")}),
    (ShareCreateForm, {"tonight": _TONIGHT}),
    (NightForm, {}),
    (NightEditForm, {}),
    (DoseForm, {}),
    (ExperimentPlanForm, {}),
    (IronProductForm, {}),
    (LabForm, {}),
    (MedicineForm, {}),
    (SleepImportForm, {"user": None, "newest": _TONIGHT}),
    (SleepApplyForm, {"evenings": [_TONIGHT]}),
]


def _wrong_answers(form_class, kwargs) -> dict:
    """A value in every field that no field accepts as it is, with quotes and a `<` to escape."""
    data = {}
    for name, field in form_class(**kwargs).fields.items():
        if isinstance(field.widget, forms.CheckboxSelectMultiple):
            data[name] = ["zz", '"<']
        elif isinstance(field.widget, forms.CheckboxInput):
            data[name] = "on"
        else:
            data[name] = "x\"<'y"
    return data


@pytest.mark.parametrize("bound", ["unbound", "empty", "wrong"])
@pytest.mark.parametrize(("form_class", "kwargs"), _FORMS, ids=lambda v: getattr(v, "__name__", ""))
def test_every_field_renders_as_crispy_renders_it(form_class, kwargs, bound):
    """Same elements, attributes, text, errors and entered values as crispy-bootstrap5's field
    template with Django's widget templates; only the space next to tags differs."""
    data = {"unbound": None, "empty": {}, "wrong": _wrong_answers(form_class, kwargs)}[bound]
    ours = form_class(data, **kwargs)
    theirs = form_class(data, renderer=DjangoTemplates(), **kwargs)
    if data is not None:
        ours.is_valid(), theirs.is_valid()
    for name in ours.fields:
        assert _squeezed(as_field(ours[name])) == _squeezed(_crispy_field(theirs[name])), name


def test_a_bound_form_keeps_every_value_and_shows_every_error():
    data = {"evening": "2026-03-01", "severity": "12", "tags": 'hot "room"', "factors": ["zz"]}
    form = NightForm(data)
    assert not form.is_valid()
    html = "".join(as_field(form[name]) for name in ("evening", "severity", "tags", "factors"))
    assert 'value="2026-03-01"' in html and 'value="hot &quot;room&quot;"' in html
    for name in ("severity", "factors"):
        for error in form.errors[name]:
            assert error in html
    assert html.count('aria-invalid="true"') == 11 + len(form.fields["factors"].choices)


def test_a_field_with_errors_and_help_keeps_its_accessible_wiring():
    form = _Sample({"name": "", "kind": "z"})
    form.is_valid()
    html = as_field(form["name"])
    assert 'aria-describedby="id_name_helptext id_name_error"' in html
    assert 'aria-invalid="true"' in html
    assert '<div id="id_name_error" class="invalid-feedback"><p id="error_1_id_name">' in html
    assert 'id="id_name_helptext" class="form-text">Say <it></div>' in html  # help is HTML
    radios = as_field(form["kind"])
    assert radios.count('class="form-check-input is-invalid"') == 2
    assert 'value="a"  id="id_kind_0" required aria-invalid="true"' in radios
    checkbox = as_field(form["agree"])
    assert 'class="form-check"' in checkbox and 'class="form-check-label"' in checkbox


def test_a_safe_translated_label_is_written_as_html():
    # The consent label is format_html(…) made lazy: Jinja2 alone would escape its link.
    html = as_field(SignupForm()["health_data_consent"])
    assert '<a href="/privacy/">' in html


# What segmented.html and the night form's chips wrote before |choice_buttons.
_ONE_TAG_AN_OPTION = Engine().from_string(
    "{% for choice in field %}{{ choice.tag }}"
    '<label class="btn btn-sm" for="{{ choice.id_for_label }}">{{ choice.choice_label }}</label>'
    "{% endfor %}"
)


@pytest.mark.parametrize("name", ["severity", "sleep_quality", "stomach", "factors"])
@pytest.mark.parametrize(
    "data",
    [None, {}, {"severity": "3", "sleep_quality": "9", "stomach": "x", "factors": ["zz"]}],
    ids=["unbound", "empty", "wrong"],
)
def test_choice_buttons_write_what_a_tag_an_option_wrote(name, data):
    form = NightForm(data, initial={"severity": 4, "factors": ["caffeine", "alcohol"]})
    form.is_bound and form.is_valid()
    expected = _ONE_TAG_AN_OPTION.render(Context({"field": form[name]}))
    assert choice_buttons(form[name], "btn btn-sm") == expected
    assert 'class="btn-check"' in expected and 'class="btn btn-sm"' in expected
